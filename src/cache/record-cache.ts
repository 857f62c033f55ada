import { createHash } from "node:crypto";
import { lstat, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deserialize, serialize } from "node:v8";
import type { Article, Diagnostic, EntityDefinition } from "../types.js";
import type { SiteConfig } from "../config/site-config.js";
import type { RelatedDoc } from "../related/index.js";

/**
 * The persistent build cache (`.gazette-cache/`, git-ignored): what reading, normalizing and
 * extracting related features made of each content file, so that the next `gazette build` only
 * redoes the files whose bytes changed. Parsing and normalizing are most of a cold build's CPU time.
 *
 * A record is reused when its file has the same content hash AND the cache was made by the same
 * engine: the same Gazette code, Node/ICU versions (dates and language names come from ICU), site
 * config and entity table. Anything else, or a cache that does not read back, is ignored: a cache
 * can make a build faster, never different.
 */
export const CACHE_DIR = ".gazette-cache";
const RECORDS_FILE = "records-v1.bin";
const FORMAT = "gazette-records-1";

export interface CachedRecord {
  /** Content hash of the file the record was made from. */
  hash: string;
  /** The record as normalization made it (before the checks across articles). */
  article: Article;
  features: RelatedDoc;
  /** Warnings of reading the file (the others are in `article.diagnostics`). */
  readWarnings: Diagnostic[];
}

/** Project-relative file -> record. */
export type RecordCache = Map<string, CachedRecord>;

/**
 * The cache folder, created if missing; refused (an error) when it is a link: the cache is only
 * ever written inside the project.
 */
export async function cacheDir(root: string): Promise<string> {
  const dir = path.join(root, CACHE_DIR);
  await mkdir(dir, { recursive: true });
  if ((await lstat(dir)).isSymbolicLink()) throw new Error(`${CACHE_DIR} is a link; remove it, and Gazette will make its cache folder again`);
  return dir;
}

/** Everything besides a file's bytes that its record depends on, as one hash. */
export function engineKey(config: SiteConfig, entities: readonly EntityDefinition[]): string {
  const hash = createHash("sha256");
  hash.update(FORMAT);
  hash.update(codeHash());
  hash.update(JSON.stringify([process.versions.node, process.versions.v8, process.versions.icu, process.versions.unicode, process.versions.tz]));
  hash.update(JSON.stringify(config));
  hash.update(JSON.stringify(entities));
  return hash.digest("hex");
}

let code: string | undefined;

/** Hash of Gazette's own code (the compiled dist/, or src/ under tests): a new version never reuses old records. */
function codeHash(): string {
  if (code !== undefined) return code;
  const base = fileURLToPath(new URL("..", import.meta.url));
  const hash = createHash("sha256");
  const files = (readdirSync(base, { recursive: true }) as string[]).filter((file) => /\.(?:js|ts)$/.test(file) && !file.endsWith(".d.ts")).sort();
  for (const file of files) {
    hash.update(file);
    hash.update(readFileSync(path.join(base, file)));
  }
  return (code = hash.digest("hex"));
}

/** A cache file opened: the hashes at once (to tell workers what not to parse), the records on demand. */
export interface OpenedCache {
  /** Project-relative file -> content hash of its cached record. */
  hashes: ReadonlyMap<string, string>;
  /** Deserializes the records (the bulk of the file) and lets the bytes go. */
  records(): RecordCache;
}

/** The cache of the last build with this engine key; null when there is none, or another engine made it, or it does not read back. */
export async function openRecordCache(root: string, key: string): Promise<OpenedCache | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(root, CACHE_DIR, RECORDS_FILE));
  } catch {
    return null;
  }
  // Framing: a header, then one length-prefixed serialized [file, record] after another.
  let offset = 0;
  const next = (): unknown => {
    const length = bytes.readUInt32LE(offset);
    if (offset + 4 + length > bytes.length) throw new Error("truncated");
    const value: unknown = deserialize(bytes.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
    return value;
  };
  let header: { format?: unknown; key?: unknown; files?: unknown; hashes?: unknown };
  try {
    header = next() as typeof header;
  } catch {
    return null;
  }
  if (header.format !== FORMAT || header.key !== key || !Array.isArray(header.files) || !Array.isArray(header.hashes)) return null;
  const files = header.files as string[];
  const hashes = new Map(files.map((file, i) => [file, String((header.hashes as unknown[])[i])]));
  return {
    hashes,
    records() {
      const records: RecordCache = new Map();
      try {
        for (const file of files) {
          const record = next() as CachedRecord;
          if (record?.hash !== hashes.get(file)) throw new Error("inconsistent");
          records.set(file, record);
        }
        if (offset !== bytes.length) throw new Error("trailing bytes");
      } catch {
        records.clear(); // truncated or corrupt: as if there were none
      }
      bytes = Buffer.alloc(0);
      return records;
    },
  };
}

/**
 * Writes `records` as the cache for `key`, atomically (a temporary file renamed over the old one),
 * record by record so that no second copy of the whole cache is ever held in memory. Errors are
 * returned, not thrown: a cache that cannot be written only makes the next build slower.
 */
export async function writeRecordCache(root: string, key: string, records: ReadonlyMap<string, CachedRecord>): Promise<Error | null> {
  const temporary = path.join(root, CACHE_DIR, `${RECORDS_FILE}.${process.pid}.tmp`);
  try {
    const dir = await cacheDir(root);
    const handle = await open(path.join(dir, path.basename(temporary)), "w");
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      const flush = async (): Promise<void> => {
        await handle.write(Buffer.concat(chunks));
        chunks.length = 0;
        size = 0;
      };
      const push = async (value: unknown): Promise<void> => {
        const body = serialize(value);
        const length = Buffer.alloc(4);
        length.writeUInt32LE(body.length);
        chunks.push(length, body);
        size += 4 + body.length;
        if (size >= 4 << 20) await flush();
      };
      await push({ format: FORMAT, key, files: [...records.keys()], hashes: [...records.values()].map((record) => record.hash) });
      for (const record of records.values()) await push(record);
      await flush();
    } finally {
      await handle.close();
    }
    await rename(temporary, path.join(root, CACHE_DIR, RECORDS_FILE));
    return null;
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    return error as Error;
  }
}
