import type { Tag } from "../types.js";
import { hashText } from "../util/hash.js";
import { slugify } from "../util/slugify.js";
import { collapseWhitespace, foldText, isPlainObject } from "../util/text.js";
import { entityName, lookupEntity, type EntityTable } from "./entities.js";

/** More tags than this on one article are dropped (a source's keyword dump is not a topic list). */
export const MAX_TAGS = 50;

/** Lists nested deeper than this are ignored: sources deliver flat lists, or lists of strings. */
const MAX_DEPTH = 4;

/**
 * Separators between tags in one string: `,` `;` `|` line breaks, tabs, bullets, full-width
 * and Arabic commas, and `/` except between digits ("24/7" stays one tag).
 */
const SEPARATORS = /[,;|\r\n\t·•，、،؛]+|\/(?!\d)|(?<!\d)\//u;
/** A hashtag starts at `#` before a letter or digit, at the start, after a space or glued ("#a#b"). */
const HASHTAG_START = /(?:^|\s+|(?<=[\p{L}\p{N}]))#(?=[\p{L}\p{N}_])/u;
const STARTS_AS_HASHTAG = /^\s*#/;
const UNDERSCORES = /_+/g;
const LEADING_JUNK = /^[\s"'“”„‟‚‘’‛«»‹›「」『』#]+/u;
const TRAILING_JUNK = /[\s"'“”„‟‚‘’‛«»‹›「」『』.,;:!?…]+$/u;
// Controls, direction embeddings/overrides/isolates (a tag must not reverse the text around it),
// noncharacters and lone surrogates: as cleanLine() removes them from titles.
const CONTROL = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069\uFDD0-\uFDEF\uFFFE\uFFFF]+/gu;
const HAS_WORD = /[\p{L}\p{N}]/u;
const WHITESPACE = /\s/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{Nd}/u;
const LETTERS = /\p{L}/gu;

/**
 * Brand and product names with inner capitals, never split ("YouTube" is not "You, Tube").
 * Compared folded. Most others survive the chunk rule anyway (see `splitGlued`).
 */
const PROTECTED = new Set(
  [
    "AstraZeneca", "BaFin", "BioNTech", "BlackBerry", "BlackRock", "BuzzFeed", "ChatGPT", "CrowdStrike",
    "DeepMind", "DeepSeek", "DoorDash", "DreamWorks", "eBay", "ExxonMobil", "FedEx", "GitHub", "GitLab",
    "GlaxoSmithKline", "HarperCollins", "HuffPost", "iPad", "iPhone", "JavaScript", "JPMorgan", "LinkedIn",
    "MasterCard", "McDonald's", "McKinsey", "OpenAI", "PayPal", "PlayStation", "PowerPoint", "ProSieben",
    "SoftBank", "SoundCloud", "SpaceX", "ThyssenKrupp", "TikTok", "TypeScript", "WeChat", "WhatsApp",
    "WordPress", "YouTube",
  ].map((name) => foldText(name)),
);

/** Surname particles glued to the next capital: "McConnell", "MacArthur", "DiCaprio", "VanDyke". */
const NAME_PREFIXES = new Set(["mc", "mac", "de", "di", "da", "du", "la", "le", "van", "von", "der", "fitz", "o"]);

/**
 * Splits tags as sources deliver them. Never throws; drops empties and labels without a letter
 * or digit; trims, collapses whitespace, strips surrounding quotes, `#` and trailing punctuation.
 *   ["Ukraine, Russland", "Krieg"]         -> ["Ukraine", "Russland", "Krieg"]
 *   "Ukraine; Russland | Krieg / NATO"      -> ["Ukraine", "Russland", "Krieg", "NATO"]
 *   "#Ukraine #Russland"                    -> ["Ukraine", "Russland"]
 *   "HamburgHelsinkiMedienRusslandUkraine"  -> ["Hamburg", "Helsinki", "Medien", "Russland", "Ukraine"]
 *   42 -> ["42"]; null, "", {} -> []
 * Spaces never separate ("Donald Trump" is one tag). A space-free token glued from several tags
 * is split at inner capitals by `splitGlued` (rules there), with brand names protected; hashtags
 * are never split (#StandWithUkraine is one tag) and their underscores become spaces. With
 * `table`, glued chunks that form a known spelling stay together ("KyivIndependent" -> "Kyiv Independent").
 */
export function splitTags(value: unknown, table?: EntityTable): string[] {
  const out: string[] = [];
  try {
    collect(value, table, out, 0);
  } catch {
    // Exotic input (a getter that throws, a revoked proxy): keep what was read.
  }
  return out;
}

function collect(value: unknown, table: EntityTable | undefined, out: string[], depth: number): void {
  if (value === null || value === undefined) return;
  if (typeof value === "string") {
    splitString(value, table, out);
  } else if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    splitString(String(value), table, out);
  } else if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return;
    for (const item of value) collect(item, table, out, depth + 1);
  } else if (isPlainObject(value) && typeof value.name === "string") {
    // `{ name: Ukraine, slug: ukraine }`: some exports deliver tag objects.
    splitString(value.name, table, out);
  }
}

function splitString(text: string, table: EntityTable | undefined, out: string[]): void {
  for (const part of text.split(SEPARATORS)) {
    if (part === undefined || part === "") continue;
    const pieces = part.split(HASHTAG_START);
    pieces.forEach((piece, index) => {
      if (piece === undefined) return;
      // Every piece after a split point, and a part starting with `#`, is a hashtag.
      const isHashtag = index > 0 || STARTS_AS_HASHTAG.test(piece);
      if (isHashtag) {
        pushLabel(piece.replace(UNDERSCORES, " "), out);
        return;
      }
      const label = cleanLabel(piece);
      if (label === "" || WHITESPACE.test(label)) {
        pushLabel(label, out);
        return;
      }
      for (const chunk of splitGlued(label, table)) pushLabel(chunk, out);
    });
  }
}

function pushLabel(raw: string, out: string[]): void {
  const label = cleanLabel(raw);
  if (HAS_WORD.test(label)) out.push(label);
}

/**
 * Trims a label: control characters out, whitespace collapsed, surrounding quotes and `#` and
 * trailing punctuation stripped. Idempotent.
 *   "  „Ukraine“. " -> "Ukraine";  "#Ukraine" -> "Ukraine";  "C#" -> "C#"
 */
export function cleanLabel(raw: string): string {
  return collapseWhitespace(raw.normalize("NFC").replace(CONTROL, " ")).replace(LEADING_JUNK, "").replace(TRAILING_JUNK, "");
}

/**
 * Splits one space-free token glued from several tags at its inner capitals.
 * Chunks start at a lower->upper change ("medienR"), the last capital of an acronym before a
 * lowercase letter ("NATOGipfel" -> NATO, Gipfel) and a digit->upper change ("G20Gipfel").
 * The token is kept whole when:
 *   - it is a protected brand (YouTube, TikTok, PayPal, WhatsApp, OpenAI, BioNTech, …) or,
 *     with a table, a known spelling itself;
 *   - any chunk, after gluing surname particles to the next one ("Mc"+"Donald's", "Mac"+"Arthur"),
 *     has fewer than 3 letters and is not a known spelling ("iPhone", "eBay", "LinkedIn", "DeSantis").
 * Hyphens stay inside chunks ("NATO-Gipfel", "G20-Gipfel" are not split). With a table, runs of
 * chunks that form a known spelling are joined with spaces ("TruthSocial" -> "Truth Social").
 */
export function splitGlued(token: string, table?: EntityTable): string[] {
  const chunks = camelChunks(token);
  if (chunks.length < 2) return [token];
  if (PROTECTED.has(foldText(token))) return [token];
  if (table !== undefined && lookupEntity(token, table) !== undefined) return [token];

  const units = table === undefined ? chunks.map((text) => ({ text, known: false })) : joinKnownRuns(chunks, table);
  const merged: { text: string; known: boolean }[] = [];
  let prefix = "";
  for (const unit of units) {
    if (!unit.known && NAME_PREFIXES.has(foldText(unit.text))) {
      prefix += unit.text;
      continue;
    }
    merged.push(prefix === "" ? unit : { text: prefix + unit.text, known: false });
    prefix = "";
  }
  if (prefix !== "") merged.push({ text: prefix, known: false });
  if (merged.length < 2) return merged[0]?.known === true ? [merged[0].text] : [token];
  for (const unit of merged) {
    if (unit.known) continue;
    const letters = unit.text.match(LETTERS)?.length ?? 0;
    if (letters < 3 && (table === undefined || lookupEntity(unit.text, table) === undefined)) return [token];
  }
  return merged.map((unit) => unit.text);
}

/** Longest runs of 1–4 chunks that spell a known entity become one unit ("Truth", "Social" -> "Truth Social"). */
function joinKnownRuns(chunks: readonly string[], table: EntityTable): { text: string; known: boolean }[] {
  const out: { text: string; known: boolean }[] = [];
  let i = 0;
  while (i < chunks.length) {
    let taken = 0;
    for (let end = Math.min(chunks.length, i + 4); end > i; end--) {
      const run = chunks.slice(i, end).join(" ");
      if (lookupEntity(run, table) !== undefined) {
        out.push({ text: run, known: true });
        taken = end - i;
        break;
      }
    }
    if (taken === 0) {
      out.push({ text: chunks[i]!, known: false });
      taken = 1;
    }
    i += taken;
  }
  return out;
}

function camelChunks(token: string): string[] {
  const chars = Array.from(token);
  const chunks: string[] = [];
  let start = 0;
  for (let i = 1; i < chars.length; i++) {
    const previous = chars[i - 1]!;
    const current = chars[i]!;
    if (!UPPER.test(current)) continue;
    const next = chars[i + 1];
    const boundary =
      LOWER.test(previous) ||
      DIGIT.test(previous) ||
      (UPPER.test(previous) && next !== undefined && LOWER.test(next));
    if (boundary) {
      chunks.push(chars.slice(start, i).join(""));
      start = i;
    }
  }
  chunks.push(chars.slice(start).join(""));
  return chunks;
}

/** What `canonicalizeTagList` returns: the tags, and how many distinct tags exceeded the limit. */
export interface CanonicalTags {
  tags: Tag[];
  /** Distinct tags dropped because the article had more than `limit`: the caller may warn. */
  dropped: number;
}

/** Canonical, deduplicated topics, entities where a tag names one, each with a per-language slug. */
export function canonicalizeTags(labels: readonly string[], lang: string, table: EntityTable): Tag[] {
  return canonicalizeTagList(labels, lang, table).tags;
}

/**
 * Each label becomes a Tag:
 *   - a label naming an entity takes the entity's id and its name in `lang`
 *     ("Russland", "Russia", "Russie" -> { id: "russia", name: "Russland" } in German);
 *   - any other label keeps its spelling (first one wins), with the folded label as id
 *     ("Außenpolitik" -> { id: "aussenpolitik", name: "Außenpolitik" }).
 * Duplicates by id are dropped (so "Ukraine", "ukraine", "#Ukraine" are one tag), order of first
 * appearance is kept, and at most `limit` tags are returned. Linear in the number of labels.
 * `slug` is `slugify(name, lang)`; a name without Latin letters or digits gets `tag-<hash of id>`.
 */
export function canonicalizeTagList(labels: readonly unknown[], lang: string, table: EntityTable, limit = MAX_TAGS): CanonicalTags {
  const tags: Tag[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  for (const raw of labels) {
    if (typeof raw !== "string" && typeof raw !== "number") continue;
    const tag = canonicalTag(String(raw), lang, table);
    if (tag === null || seen.has(tag.id)) continue;
    seen.add(tag.id);
    if (tags.length >= limit) {
      dropped++;
      continue;
    }
    tags.push(tag);
  }
  return { tags, dropped };
}

/**
 * One label's Tag (null: no letter or digit), remembered per entity table: a site repeats its
 * topics in thousands of articles, and each costs a lookup, a fold, a slug and a hash.
 */
const canonicalTags = new WeakMap<EntityTable, Map<string, Tag | null>>();

function canonicalTag(raw: string, lang: string, table: EntityTable): Tag | null {
  let known = canonicalTags.get(table);
  if (known === undefined) canonicalTags.set(table, (known = new Map()));
  const key = `${lang}\u0000${raw}`;
  let tag = known.get(key);
  if (tag === undefined) {
    const label = cleanLabel(raw);
    if (!HAS_WORD.test(label)) tag = null;
    else {
      const entity = lookupEntity(label, table);
      const id = entity !== undefined ? entity.id : tagId(label, table);
      const name = entity !== undefined ? entityName(entity, lang) : label;
      tag = Object.freeze({ id, name, slug: slugify(name, lang, 80, `tag-${hashText(id, 8)}`) });
    }
    known.set(key, tag);
  }
  return tag;
}

/**
 * Language-independent id of a tag that names no entity: its folded text ("Außenpolitik" ->
 * "aussenpolitik"). Should that equal an entity id without naming the entity (the tag "turkey"
 * when only "Turkey" is the country), it gets a leading "#" ("#turkey"), which no entity id has,
 * so the two never merge.
 */
export function tagId(label: string, table?: EntityTable): string {
  const folded = collapseWhitespace(foldText(label));
  return table?.definitions.has(folded) === true ? `#${folded}` : folded;
}
