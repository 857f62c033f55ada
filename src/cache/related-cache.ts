import { createHash } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Article, RelatedEntry, RelatedMap } from "../types.js";
import type { RelatedDoc } from "../related/index.js";
import { checksum, decodeAsciiJson, encodeAsciiJson } from "../util/ascii-json.js";
import { CACHE_DIR, cacheDir } from "./record-cache.js";

/**
 * The last build's related lists (`.gazette-cache/related-v1.bin`), reused while the related
 * stage's input is the same: the engine (code, config with its `related:` settings: see
 * record-cache.ts) and every published article by id and features (the record cache keeps a
 * digest of each). An edit that changes no article's features (most body edits keep an article's
 * 32 strongest terms; bylines, sources and sections are no features) then skips the stage (~0.7 s
 * at 10,000 stories). Any other edit computes every list again: scores depend on how common each
 * feature is across the whole site.
 */
const RELATED_FILE = "related-v1.bin";
const FORMAT = "gazette-related-1";

/** What the lists are computed from, articles in the order the related stage takes them; null when an article's features have no digest. */
export function relatedInputKey(engineKey: string, articles: Iterable<Article>, featureKeys: ReadonlyMap<string, string>): string | null {
  const hash = createHash("sha256").update(`${FORMAT}\u0000${engineKey}\u0000`);
  for (const article of articles) {
    const features = featureKeys.get(article.id);
    if (features === undefined) return null;
    hash.update(`${article.id}\u0000${features}\u0000`);
  }
  return hash.digest("hex");
}

export interface StoredRelatedLists {
  /** The lists, when they were computed from `key`; else null (as for a file that is missing or does not read back). */
  lists(key: string): RelatedMap | null;
}

/** The bytes of the last build's lists, read while the theme loads and the site is indexed. */
export async function readRelatedLists(root: string): Promise<StoredRelatedLists> {
  const bytes = await readFile(path.join(root, CACHE_DIR, RELATED_FILE)).catch(() => null);
  return {
    lists(key) {
      if (!bytes) return null;
      try {
        const newline = bytes.indexOf(10);
        const header = decodeAsciiJson(bytes.subarray(0, newline)) as { format?: unknown; key?: unknown; checksum?: unknown };
        const body = bytes.subarray(newline + 1);
        if (header.format !== FORMAT || header.key !== key || header.checksum !== checksum(body)) return null;
        return decodeLists(decodeAsciiJson(body) as EncodedLists);
      } catch {
        return null;
      }
    },
  };
}

/** Saves the lists computed from `key`; errors are returned (a cache that cannot be written only costs time). */
export async function writeRelatedLists(root: string, key: string, lists: RelatedMap): Promise<Error | null> {
  const temporary = path.join(root, CACHE_DIR, `${RELATED_FILE}.${process.pid}.tmp`);
  try {
    const dir = await cacheDir(root);
    const body = encodeAsciiJson(encodeLists(lists));
    await writeFile(temporary, [encodeAsciiJson({ format: FORMAT, key, checksum: checksum(body) }), Buffer.from("\n"), body]);
    await rename(temporary, path.join(dir, RELATED_FILE));
    return null;
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    return error as Error;
  }
}

/**
 * Lists by number, not by name: every listed id is one of the lists' own ids, so each entry is
 * four numbers (id, score, pinned, fallback language or -1), and 100,000 entries parse in a
 * fraction of the time their objects would (10.6 -> ~2 MB at 10,000 stories).
 */
interface EncodedLists {
  ids: string[];
  languages: string[];
  lists: number[][];
}

const ENTRY_SIZE = 4;
/** Pages never show reasons: lists are computed without them (see compute-related.ts). */
const NO_REASONS: RelatedEntry["reasons"] = Object.freeze([]) as unknown as RelatedEntry["reasons"];

function encodeLists(lists: RelatedMap): EncodedLists {
  const ids = [...lists.keys()];
  const number = new Map(ids.map((id, i) => [id, i]));
  const languages: string[] = [];
  const encoded = [...lists.values()].map((entries) =>
    entries.flatMap((entry) => {
      const id = number.get(entry.id);
      if (id === undefined || entry.reasons.length > 0) throw new Error(`Internal: related lists with reasons or of unknown articles are not cached (${entry.id}).`);
      let language = -1;
      if (entry.fallbackLang !== undefined) {
        language = languages.indexOf(entry.fallbackLang);
        if (language === -1) language = languages.push(entry.fallbackLang) - 1;
      }
      return [id, entry.score, entry.pinned ? 1 : 0, language];
    }),
  );
  return { ids, languages, lists: encoded };
}

function decodeLists({ ids, languages, lists }: EncodedLists): RelatedMap | null {
  if (!Array.isArray(ids) || !Array.isArray(languages) || !Array.isArray(lists) || lists.length !== ids.length) return null;
  const map = new Map<string, readonly RelatedEntry[]>();
  ids.forEach((id, i) => {
    const flat = lists[i]!;
    const entries: RelatedEntry[] = [];
    for (let at = 0; at < flat.length; at += ENTRY_SIZE) {
      const entry: RelatedEntry = { id: ids[flat[at]!]!, score: flat[at + 1]!, reasons: NO_REASONS };
      if (flat[at + 2] === 1) entry.pinned = true;
      if (flat[at + 3]! >= 0) entry.fallbackLang = languages[flat[at + 3]!]!;
      entries.push(entry);
    }
    map.set(id, entries);
  });
  return map;
}

/**
 * The features the lists were computed from (`related-features-v1.bin`), for a delta build whose
 * edit changes an article's features (see delta/relist-related.ts): it computes every list again
 * from these, with the edited articles' new features, and renders the pages whose list changed.
 * Keyed like the lists (`relatedInputKey`); written only when the lists are computed, so the
 * file of a key stays while builds reuse its lists. ~12 MB at 10,000 stories.
 */
const FEATURES_FILE = "related-features-v1.bin";
const FEATURES_FORMAT = "gazette-related-features-1";

/**
 * A RelatedDoc as stored (see `encodeRelatedFeatures`): strings as numbers into the file's table
 * of strings, but for the id and the terms when they are ASCII.
 */
type StoredDoc = [id: string | number, time: number, entities: number[], entityCounts: readonly number[], topics: number[], terms: string | number, termCounts: readonly number[], pins: number[], exclude: number[]];

const NOT_ASCII = /[^\u0000-\u007f]/;

/** A digest of article ids in order: the snapshot's pages are in the order of the features when both have the same (see relist-related.ts). */
export function idsDigest(ids: Iterable<string>): string {
  const hash = createHash("sha256");
  for (const id of ids) hash.update(`${id}\u0000`);
  return hash.digest("hex");
}

/**
 * The bytes of the features file for `docs`, in the order of the article pages: encoded at once,
 * while the docs are alive (the build lets them go before pages render), and written by
 * `writeRelatedFeatures` later; null when an id is not its story key and language. Without what
 * the id tells (story key, language) or lists without reasons never read (the names), and ASCII
 * by construction (entity and topic ids, pins, excludes and any id or terms with other letters
 * are numbers into a table of strings, the only part escaped): 14 MB of UTF-8 JSON with every
 * field took ~0.4 s to decode and parse at 10,000 stories and ~0.4 s to escape as ASCII JSON.
 */
export async function encodeRelatedFeatures(key: string, docs: readonly RelatedDoc[]): Promise<Buffer[] | null> {
  if (!docs.every((doc) => doc.id === `${doc.storyKey}/${doc.lang}`)) return null;
  const order = idsDigest(docs.map((doc) => doc.id));
  const table: string[] = [];
  const numbers = new Map<string, number>();
  const ref = (text: string): number => {
    let number = numbers.get(text);
    if (number === undefined) numbers.set(text, (number = table.push(text) - 1));
    return number;
  };
  const refs = (texts: readonly string[]): number[] => texts.map(ref);
  const ascii = (text: string): string | number => (NOT_ASCII.test(text) ? ref(text) : text);
  // In slices, each after the event loop's other work: a build encodes them while its pages render
  // (~0.2-0.3 s at 10,000 stories, mostly while that thread waits for the writes).
  const slices: Buffer[] = [];
  for (let start = 0; start < docs.length; start += ENCODE_SLICE) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    const rows = docs.slice(start, start + ENCODE_SLICE).map((doc): StoredDoc => [ascii(doc.id), doc.time, refs(doc.entities), doc.entityCounts, refs(doc.topics), ascii(doc.terms), doc.termCounts, refs(doc.pins), refs(doc.exclude)]);
    const json = JSON.stringify(rows);
    slices.push(Buffer.from(start === 0 ? json.slice(0, -1) : `,${json.slice(1, -1)}`, "latin1"));
  }
  if (slices.length === 0) slices.push(Buffer.from("["));
  const body = Buffer.concat([Buffer.from("["), encodeAsciiJson(table), Buffer.from(","), ...slices, Buffer.from("]]")]);
  return [encodeAsciiJson({ format: FEATURES_FORMAT, key, order, checksum: checksum(body) }), Buffer.from("\n"), body];
}

const ENCODE_SLICE = 1000;

/** Saves encoded features; errors are returned (without the file, an edit that changes features is a full build). */
export async function writeRelatedFeatures(root: string, encoded: Buffer[]): Promise<Error | null> {
  const temporary = path.join(root, CACHE_DIR, `${FEATURES_FILE}.${process.pid}.tmp`);
  try {
    const dir = await cacheDir(root);
    await writeFile(temporary, encoded);
    await rename(temporary, path.join(dir, FEATURES_FILE));
    return null;
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    return error as Error;
  }
}

/** The features the lists of `key` were computed from, and the digest of their ids in order; null when there is no such file or it does not read back. */
export async function readRelatedFeatures(root: string, key: string): Promise<{ docs: RelatedDoc[]; order: string } | null> {
  const bytes = await readFile(path.join(root, CACHE_DIR, FEATURES_FILE)).catch(() => null);
  if (!bytes) return null;
  try {
    const newline = bytes.indexOf(10);
    const header = decodeAsciiJson(bytes.subarray(0, newline)) as { format?: unknown; key?: unknown; order?: unknown; checksum?: unknown };
    const body = bytes.subarray(newline + 1);
    if (header.format !== FEATURES_FORMAT || header.key !== key || typeof header.order !== "string" || header.checksum !== checksum(body)) return null;
    const [table, rows] = decodeAsciiJson(body) as [string[], StoredDoc[]];
    if (!Array.isArray(table) || !Array.isArray(rows)) return null;
    const text = (value: string | number): string => (typeof value === "string" ? value : (table[value] ?? fail()));
    const texts = (values: number[]): string[] => values.map(text);
    const docs = rows.map((row): RelatedDoc => {
      if (!Array.isArray(row) || row.length !== 9 || typeof row[1] !== "number") fail();
      const id = text(row[0]);
      const slash = id.lastIndexOf("/");
      const entities = texts(row[2]);
      const topics = texts(row[4]);
      // Names stand in for themselves: only reasons show them (see compute-related.ts).
      return { id, storyKey: id.slice(0, slash), lang: id.slice(slash + 1), time: row[1], entities, entityNames: entities, entityCounts: row[3], topics, topicNames: topics, terms: text(row[5]), termCounts: row[6], pins: texts(row[7]), exclude: texts(row[8]) };
    });
    return { docs, order: header.order };
  } catch {
    return null;
  }
}

function fail(): never {
  throw new Error("not a document");
}
