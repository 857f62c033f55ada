import { open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { crc32 } from "node:zlib";
import type { RelatedDoc } from "../related/index.js";
import { checksum, decodeAsciiJson, encodeAsciiJson } from "../util/ascii-json.js";
import { CACHE_DIR, cacheDir } from "./record-cache.js";

/**
 * The features the related lists were computed from (`.gazette-cache/related-features-v1.bin`),
 * for a delta build whose edit changes an article's features (see delta/relist-related.ts): it
 * computes every list again from these, with the edited articles' new features, and renders the
 * pages whose list changed. Keyed like the lists (`relatedInputKey` in related-cache.ts) and
 * written only when they are computed, so the file of a key stays while builds reuse its lists.
 *
 * The file: ASCII JSON `[rows, strings]`, then a newline and a line of ASCII JSON (format, key,
 * the CRC-32 of what precedes it), last, so that the rows can be
 * written as they are encoded. Each row is a RelatedDoc without what its id tells (story key,
 * language) or lists without reasons never read (the names); entity and topic ids, pins,
 * excludes, and an id or terms with letters beyond ASCII are numbers into the table of strings,
 * the only part escaped. ~9 MB at 10,000 stories; 14 MB of UTF-8 JSON with every field took
 * ~0.4 s to decode and parse there, and ~0.4 s to escape as ASCII JSON.
 */
const FEATURES_FILE = "related-features-v1.bin";
const FORMAT = "gazette-related-features-1";

type StoredDoc = [id: string | number, time: number, entities: number[], entityCounts: readonly number[], topics: number[], terms: string | number, termCounts: readonly number[], pins: number[], exclude: number[]];

interface Trailer {
  format: string;
  key: string;
  checksum: number;
}

const NOT_ASCII = /[^\u0000-\u007f]/;
/** Docs encoded and written at a time. */
const SLICE = 1000;

/**
 * Writes the features of `key` a slice at a time, taking the
 * docs out of `docs` as it goes so that each can be let go (~90 MB at 30,000 stories). Errors are
 * returned, and nothing is written for ids that are not their story key and language: without
 * the file, an edit that changes features is a full build.
 */
export async function writeRelatedFeatures(root: string, key: string, docs: RelatedDoc[]): Promise<Error | null> {
  if (!docs.every((doc) => doc.id === `${doc.storyKey}/${doc.lang}`)) return new Error("an article id is not its story key and language");
  const table: string[] = [];
  const numbers = new Map<string, number>();
  const ref = (text: string): number => {
    let number = numbers.get(text);
    if (number === undefined) numbers.set(text, (number = table.push(text) - 1));
    return number;
  };
  const refs = (texts: readonly string[]): number[] => texts.map(ref);
  const ascii = (text: string): string | number => (NOT_ASCII.test(text) ? ref(text) : text);
  const temporary = path.join(root, CACHE_DIR, `${FEATURES_FILE}.${process.pid}.tmp`);
  let file: Awaited<ReturnType<typeof open>> | null = null;
  try {
    const dir = await cacheDir(root);
    file = await open(temporary, "w");
    let crc = 0;
    const write = async (bytes: Buffer): Promise<void> => {
      crc = crc32(bytes, crc);
      await file!.write(bytes);
    };
    await write(Buffer.from("[["));
    for (let first = true; docs.length > 0; first = false) {
      const rows = docs.splice(0, SLICE).map((doc): StoredDoc => [ascii(doc.id), doc.time, refs(doc.entities), doc.entityCounts, refs(doc.topics), ascii(doc.terms), doc.termCounts, refs(doc.pins), refs(doc.exclude)]);
      const json = JSON.stringify(rows);
      // ASCII by construction: every string with other letters is in the table.
      await write(Buffer.from(`${first ? "" : ","}${json.slice(1, -1)}`, "latin1"));
    }
    await write(Buffer.concat([Buffer.from("],"), encodeAsciiJson(table), Buffer.from("]")]));
    const trailer: Trailer = { format: FORMAT, key, checksum: crc };
    await file.write(Buffer.concat([Buffer.from("\n"), encodeAsciiJson(trailer)]));
    await file.close();
    file = null;
    await rename(temporary, path.join(dir, FEATURES_FILE));
    return null;
  } catch (error) {
    await file?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    return error as Error;
  }
}

/** The features the lists of `key` were computed from; null when there is no such file or it does not read back. */
export async function readRelatedFeatures(root: string, key: string): Promise<RelatedDoc[] | null> {
  const bytes = await readFile(path.join(root, CACHE_DIR, FEATURES_FILE)).catch(() => null);
  if (!bytes) return null;
  try {
    const newline = bytes.lastIndexOf(10);
    const trailer = decodeAsciiJson(bytes.subarray(newline + 1)) as Partial<Trailer>;
    const body = bytes.subarray(0, newline);
    if (newline < 0 || trailer.format !== FORMAT || trailer.key !== key || trailer.checksum !== checksum(body)) return null;
    const [rows, table] = decodeAsciiJson(body) as [StoredDoc[], string[]];
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
    return docs;
  } catch {
    return null;
  }
}

function fail(): never {
  throw new Error("not a document");
}
