import { createHash } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Article, RelatedEntry, RelatedMap } from "../types.js";
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
