import { createHash } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RelatedMap } from "../types.js";
import type { ListMargins, RelatedDoc } from "../related/index.js";
import type { FeatureRows } from "../related/feature-rows.js";
import { checksum, decodeAsciiJson, encodeAsciiJson } from "../util/ascii-json.js";
import { CACHE_DIR, cacheDir } from "./record-cache.js";

/**
 * The features the related lists were computed from (`.gazette-cache/related-features-v3.bin`),
 * the lists and their margins, for a delta build whose edit changes an article's features (see
 * delta/relist-related.ts): it computes every list again from these rows with the edited articles'
 * rows put in (those whose margins new weights can cross), and renders the pages whose list changed. Keyed like the lists (`relatedInputKey` in
 * related-cache.ts) and written only when they are computed, so the file of a key stays while
 * builds reuse its lists.
 *
 * The file: a line of ASCII JSON (format, key, the digest of the documents' ids in order, how many
 * documents, features, row entries and list entries, the CRC-32 of the rest), padded to 8 bytes;
 * then an ASCII JSON part (ids, the feature table's keys, the languages, pins and excludes) and
 * typed arrays in this machine's byte order, each at a multiple of 8 bytes: every document's
 * time, the rows' weights; the rows' offsets and feature numbers, every feature's signal and
 * language, the lists' offsets and documents, their margins (see `ListMargins`). Decoding each document's features from JSON,
 * interning them again and reading every page's related list from the site snapshot took ~0.35 s
 * of each such delta at 10,000 stories; typed arrays are read as they are.
 */
const FEATURES_FILE = "related-features-v3.bin";
const FORMAT = "gazette-related-features-3";
/** Files of the formats before, deleted when this one is written. */
const FORMER_FILES = ["related-features-v1.bin", "related-features-v2.bin"];

interface Header {
  format: string;
  key: string;
  order: string;
  docs: number;
  features: number;
  entries: number;
  listed: number;
  json: number;
  checksum: number;
}

interface JsonPart {
  ids: string[];
  keys: string[];
  languages: string[];
  /** Documents with pins or excludes: number, pins, excludes. */
  lists: [doc: number, pins: string[], exclude: string[]][];
}

/** The features as read back: documents (their features only in `rows`), rows, and the lists computed from them. */
export interface StoredFeatures {
  /** Each document's id, story key, language, time, pins and excludes; no features (see `rows`) and no names (lists without reasons need none). */
  docs: RelatedDoc[];
  rows: FeatureRows;
  /** Per document, the documents its list shows, best first (CSR). */
  lists: { offsets: Int32Array; docs: Int32Array };
  /** Per document, how far its list was from changing (see `ListMargins`). */
  margins: ListMargins;
  /** The digest of the documents' ids in order (`idsDigest`). */
  order: string;
}

/** A digest of ids in their order: the site snapshot keeps its pages', the features file its documents'; equal, a document's number is its page's. */
export function idsDigest(ids: Iterable<string>): string {
  return createHash("sha256").update([...ids, ""].join("\n")).digest("hex");
}

/**
 * Writes the features of `key`: `docs` with their `rows` (in the same order), and the `lists`
 * computed from them. Errors are returned, and nothing is written for ids that are not their story
 * key and language, or lists of other articles: without the file, an edit that changes features is
 * a full build.
 */
export async function writeRelatedFeatures(root: string, key: string, docs: readonly RelatedDoc[], rows: FeatureRows, lists: RelatedMap, margins: ListMargins): Promise<Error | null> {
  const temporary = path.join(root, CACHE_DIR, `${FEATURES_FILE}.${process.pid}.tmp`);
  try {
    if (!docs.every((doc) => doc.id === `${doc.storyKey}/${doc.lang}`)) return new Error("an article id is not its story key and language");
    const n = docs.length;
    if (rows.offsets.length !== n + 1) return new Error("the features are not one row per article");
    if (margins.query.length !== n || margins.heap.length !== n || margins.score.length !== n) return new Error("the lists' margins are not one per article");
    const numberOf = new Map(docs.map((doc, d) => [doc.id, d]));
    const listOffsets = new Int32Array(n + 1);
    const listed: number[] = [];
    for (let d = 0; d < n; d++) {
      for (const entry of lists.get(docs[d]!.id) ?? []) {
        const number = numberOf.get(entry.id);
        if (number === undefined) return new Error(`a related list shows ${entry.id}, which has no features`);
        listed.push(number);
      }
      listOffsets[d + 1] = listed.length;
    }
    const languages = [...new Set(rows.langs)].sort();
    const languageOf = new Map(languages.map((lang, i) => [lang, i]));
    const json: JsonPart = {
      ids: docs.map((doc) => doc.id),
      keys: rows.keys,
      languages,
      lists: docs.flatMap((doc, d): JsonPart["lists"] => (doc.pins.length + doc.exclude.length > 0 ? [[d, [...doc.pins], [...doc.exclude]]] : [])),
    };
    const jsonBytes = encodeAsciiJson(json);
    const parts = [
      padded(jsonBytes),
      padded(Float64Array.from(docs, (doc) => doc.time)),
      padded(rows.weights),
      padded(rows.offsets),
      padded(rows.ids),
      padded(Int32Array.from(rows.signals)),
      padded(Int32Array.from(rows.langs, (lang) => languageOf.get(lang)!)),
      padded(listOffsets),
      padded(Int32Array.from(listed)),
      padded(margins.query),
      padded(margins.heap),
      padded(margins.score),
    ];
    const header: Header = { format: FORMAT, key, order: idsDigest(json.ids), docs: n, features: rows.keys.length, entries: rows.ids.length, listed: listed.length, json: jsonBytes.length, checksum: checksum(...parts) };
    const line = encodeAsciiJson(header);
    const dir = await cacheDir(root);
    await writeFile(temporary, Buffer.concat([line, Buffer.from(`${" ".repeat(7 - (line.length % 8))}\n`), ...parts]));
    await rename(temporary, path.join(dir, FEATURES_FILE));
    for (const former of FORMER_FILES) await rm(path.join(dir, former), { force: true });
    return null;
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    return error as Error;
  }
}

/** The features the lists of `key` were computed from; null when there is no such file or it does not read back. */
export async function readRelatedFeatures(root: string, key: string): Promise<StoredFeatures | null> {
  const bytes = await readFile(path.join(root, CACHE_DIR, FEATURES_FILE)).catch(() => null);
  if (!bytes) return null;
  try {
    const newline = bytes.indexOf(10);
    const header = decodeAsciiJson(bytes.subarray(0, newline)) as Partial<Header>;
    const { docs: n, features, entries, listed, json: jsonLength } = header;
    const counts = [n, features, entries, listed, jsonLength];
    if (newline < 0 || (newline + 1) % 8 !== 0 || header.format !== FORMAT || header.key !== key || typeof header.order !== "string") return null;
    if (!counts.every((count) => Number.isSafeInteger(count) && count! >= 0)) return null;
    const body = bytes.subarray(newline + 1);
    if (header.checksum !== checksum(body)) return null;
    const reader = new PartReader(body);
    const json = decodeAsciiJson(reader.bytes(jsonLength!)) as JsonPart;
    const [times, weights] = [reader.float64(n!), reader.float64(entries!)];
    const [offsets, ids, signals, langs, listOffsets, listDocs] = [n! + 1, entries!, features!, features!, n! + 1, listed!].map((length) => reader.int32(length)) as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
    const margins = { query: reader.float64(n!), heap: reader.float64(n!), score: reader.float64(n!) };
    if (!reader.done() || json.ids.length !== n || json.keys.length !== features || idsDigest(json.ids) !== header.order) return null;
    if (!checkOffsets(offsets, entries!) || !checkOffsets(listOffsets, listed!) || !inRange(ids, features!) || !inRange(listDocs, n!)) return null;
    const docs = json.ids.map((id, d): RelatedDoc => {
      const slash = id.lastIndexOf("/");
      return { id, storyKey: id.slice(0, slash), lang: id.slice(slash + 1), time: times[d]!, entities: NONE, entityNames: NONE, entityCounts: NO_COUNTS, topics: NONE, topicNames: NONE, terms: "", termCounts: NO_COUNTS, pins: NONE, exclude: NONE };
    });
    for (const [d, pins, exclude] of json.lists) docs[d] = { ...(docs[d] ?? fail()), pins, exclude };
    const langOf = (number: number): string => json.languages[number] ?? fail();
    return {
      docs,
      rows: { signals: Array.from(signals), keys: json.keys, langs: Array.from(langs, langOf), offsets, ids, weights },
      lists: { offsets: listOffsets, docs: listDocs },
      margins,
      order: header.order,
    };
  } catch {
    return null;
  }
}

const NONE: readonly string[] = Object.freeze([]);
const NO_COUNTS: readonly number[] = Object.freeze([]);

/** Bytes padded with zeros to a multiple of 8, so that the next part's typed array is aligned. */
function padded(part: Uint8Array | Int32Array | Float64Array): Buffer {
  const bytes = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
  return bytes.length % 8 === 0 ? bytes : Buffer.concat([bytes, Buffer.alloc(8 - (bytes.length % 8))]);
}

/** Reads the parts `padded` wrote, in order: typed arrays over the bytes where they are aligned, else copies. */
class PartReader {
  private at = 0;

  constructor(private readonly body: Buffer) {}

  bytes(length: number): Buffer {
    const part = this.take(length);
    return this.body.subarray(part, part + length);
  }

  float64(length: number): Float64Array {
    const start = this.take(length * 8);
    const offset = this.body.byteOffset + start;
    return offset % 8 === 0 ? new Float64Array(this.body.buffer, offset, length) : new Float64Array(this.body.buffer.slice(offset, offset + length * 8));
  }

  int32(length: number): Int32Array {
    const start = this.take(length * 4);
    const offset = this.body.byteOffset + start;
    return offset % 4 === 0 ? new Int32Array(this.body.buffer, offset, length) : new Int32Array(this.body.buffer.slice(offset, offset + length * 4));
  }

  done(): boolean {
    return this.at === this.body.length;
  }

  private take(length: number): number {
    const start = this.at;
    this.at += Math.ceil(length / 8) * 8;
    if (this.at > this.body.length) fail();
    return start;
  }
}

/** Whether CSR offsets start at 0, never go back, and end at `total`. */
function checkOffsets(offsets: Int32Array, total: number): boolean {
  if (offsets[0] !== 0 || offsets[offsets.length - 1] !== total) return false;
  for (let i = 1; i < offsets.length; i++) if (offsets[i]! < offsets[i - 1]!) return false;
  return true;
}

/** Whether every number is in 0..end-1. */
function inRange(numbers: Int32Array, end: number): boolean {
  for (let i = 0; i < numbers.length; i++) if (numbers[i]! < 0 || numbers[i]! >= end) return false;
  return true;
}

function fail(): never {
  throw new Error("not a features file");
}
