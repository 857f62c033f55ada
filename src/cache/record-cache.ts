import { createHash, hash } from "node:crypto";
import { lstat, mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deserialize, serialize } from "node:v8";
import type { Article, Diagnostic, EntityDefinition, Tag } from "../types.js";
import type { SiteConfig } from "../config/site-config.js";
import type { RelatedDoc } from "../related/index.js";
import { isAlive } from "../util/process.js";
import { checksum, decodeAsciiJson, encodeAsciiJson, joinAsciiJsonArray } from "../util/ascii-json.js";

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
const FORMAT = "gazette-records-6";

export interface CachedRecord {
  /** Content hash of the file the record was made from, and its stat key then (see `statKey`). */
  hash: string;
  stat: string;
  /** The record as normalization made it (before the checks across articles). */
  article: Article;
  features: RelatedDoc;
  /** `featuresDigest(features)` (see related-cache.ts): the related lists are reused while no article's changes. */
  featuresKey: string;
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
  await removeStaleTemporaries([dir, path.join(dir, RECORDS_DIR)]);
  return dir;
}

/**
 * Every cache file is written as `<name>.<pid>.tmp` and renamed into place: a build killed
 * in between leaves that file behind. Those of processes that are gone are deleted.
 */
async function removeStaleTemporaries(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const pid = /\.(\d+)\.tmp$/.exec(name)?.[1];
      if (pid !== undefined && !isAlive(Number(pid))) await rm(path.join(dir, name), { force: true }).catch(() => undefined);
    }
  }
}

/** Everything besides a file's bytes that its record depends on, as one hash. */
export function engineKey(config: SiteConfig, entities: readonly EntityDefinition[]): string {
  const hash = createHash("sha256");
  hash.update(FORMAT);
  hash.update(codeHash());
  hash.update(JSON.stringify([process.versions.node, process.versions.v8, process.versions.icu, process.versions.unicode, process.versions.tz]));
  // Not the output folder (`--out`): records do not depend on it, and a build elsewhere (or `gazette dev` after one) reuses them. The page cache keys its output folder itself.
  hash.update(JSON.stringify({ ...config, paths: { ...config.paths, out: null } }));
  hash.update(JSON.stringify(entities));
  return hash.digest("hex");
}

/** The hash `codeHash` gives, made when the CLI bundle was (see cli/make-bundle.ts); undefined in the ES modules. */
declare const GAZETTE_CODE_HASH: string | undefined;

let code: string | undefined;

/**
 * Hash of Gazette's own code (the compiled dist/, or src/ under tests): a new version never reuses
 * old records. The CLI bundle carries it (reading and hashing dist/ took ~7-10 ms of every build);
 * the bundle runs only while dist/ is as it was made from (cli/cli-bundle.ts).
 */
export function codeHash(): string {
  if (code !== undefined) return code;
  if (typeof GAZETTE_CODE_HASH === "string") return (code = GAZETTE_CODE_HASH);
  return (code = hashCode());
}

/** `codeHash` made from the files. */
export function hashCode(): string {
  const base = fileURLToPath(new URL("..", import.meta.url));
  const hash = createHash("sha256");
  const files = (readdirSync(base, { recursive: true }) as string[]).filter((file) => /\.(?:js|ts)$/.test(file) && !file.endsWith(".d.ts")).sort();
  for (const file of files) {
    hash.update(file);
    hash.update(readFileSync(path.join(base, file)));
  }
  return hash.digest("hex");
}

/**
 * Records are kept in SHARDS files by a hash of their path, so that editing one article rewrites
 * one small file, not the whole cache (at 10,000 stories the records are ~200 MB).
 */
export const SHARDS = 64;
const RECORDS_DIR = "records-v1";

/** Which shard holds a file's record. */
export function shardOf(file: string): number {
  // One-shot: every save places all 20,000 records of a 10,000-story site (createHash cost ~50 ms of it).
  return hash("sha1", file, "buffer")[0]! % SHARDS;
}

/** A shard's identity: its key and every (file, hash) in it. A shard whose identity is unchanged is not rewritten. */
function shardIdentity(key: string, entries: readonly (readonly [string, string, string])[]): string {
  const hash = createHash("sha256").update(key);
  for (const [file, fileHash, stat] of entries) hash.update(`${file}\u0000${fileHash}\u0000${stat}\u0000`);
  return hash.digest("hex");
}

/** The cache opened: the hashes at once (to tell workers what not to parse), the records on demand. */
export interface OpenedCache {
  /** Project-relative file -> content hash of its cached record, and the stat key it had. */
  hashes: ReadonlyMap<string, string>;
  stats: ReadonlyMap<string, string>;
  /**
   * Deserializes the records (the bulk of the cache) and lets the bytes go, a shard at a time
   * with a turn of the event loop in between: what other threads send meanwhile (the content
   * listing) is taken in without waiting for the whole cache.
   */
  records(): Promise<RecordCache>;
  /** Identity of each shard read (see `shardIdentity`). */
  shards: ReadonlyMap<number, string>;
  /** The shards that hold any of `files` (from what was read: no file's path hashed again). */
  shardsHolding(files: ReadonlySet<string>): Set<number>;
}

/** The cache of the last build with this engine key; null when there is none. Shards made by another engine, or that do not read back, are skipped. */
export async function openRecordCache(root: string, key: string): Promise<OpenedCache | null> {
  const dir = path.join(root, CACHE_DIR, RECORDS_DIR);
  const loaded = await Promise.all(
    Array.from({ length: SHARDS }, async (_, shard) => {
      try {
        const file = path.join(dir, `${shard}.bin`);
        return { shard, reader: (await hasHeaderOf(file, key)) ? openShard(await readFile(file), key) : null };
      } catch {
        return { shard, reader: null };
      }
    }),
  );
  const readers = loaded.filter((each): each is { shard: number; reader: ShardReader } => each.reader !== null);
  if (readers.length === 0) return null;
  const hashes = new Map<string, string>();
  const stats = new Map<string, string>();
  const shards = new Map<number, string>();
  for (const { shard, reader } of readers) {
    for (const [file, hash, stat] of reader.entries) {
      hashes.set(file, hash);
      stats.set(file, stat);
    }
    shards.set(shard, shardIdentity(key, reader.entries));
  }
  return {
    hashes,
    stats,
    shards,
    shardsHolding(files) {
      const holding = new Set<number>();
      for (const { shard, reader } of readers) if (reader.entries.some(([file]) => files.has(file))) holding.add(shard);
      return holding;
    },
    async records() {
      const records: RecordCache = new Map();
      for (const { shard, reader } of readers) {
        // A shard that does not read back is rewritten by the next save, even if its files did not change.
        if (!reader.readInto(records)) shards.delete(shard);
        await new Promise((resolve) => setImmediate(resolve));
      }
      return records;
    },
  };
}

/** The cached records of `files` only (a delta build's few edited files): just those records of the shards that hold them are read. */
export async function readCachedRecords(root: string, key: string, files: Iterable<string>): Promise<RecordCache> {
  const dir = path.join(root, CACHE_DIR, RECORDS_DIR);
  const wanted = new Set(files);
  const records: RecordCache = new Map();
  for (const shard of new Set([...wanted].map(shardOf))) readShardRecords(path.join(dir, `${shard}.bin`), key, wanted, records);
  return records;
}

/**
 * Framing: three length-prefixed frames. A header (format, key, files, hashes, stats, each
 * record's length in the JSON, CRC-32s of each record with its body, of the JSON after the
 * records, and of the other two frames; v8-serialized); the records as JSON text (`ShardText`:
 * each article's `packedBody` left out and its length listed, its tags as numbers into the
 * shard's table); then those bodies, concatenated. JSON (see util/ascii-json.ts) because records
 * are plain data apart from the bodies' bytes, and V8 parses it much faster than it deserializes
 * them. The lengths and checksums let a delta build (see src/delta/) read the one record it needs
 * of a shard's 300, and nothing else of it but the header and the tag table.
 */
interface ShardHeader {
  entries: [file: string, hash: string, stat: string][];
  lengths: number[];
  recordChecksums: number[];
  tailChecksum: number;
  checksum: number;
}

/**
 * Whether a shard file's header is this format and key's, read alone: a cache made by another
 * version, config or entity table (~200 MB at 10,000 stories) is not read to find that out.
 */
async function hasHeaderOf(file: string, key: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const prefix = Buffer.alloc(4);
    if ((await handle.read(prefix, 0, 4, 0)).bytesRead < 4) return false;
    const length = prefix.readUInt32LE(0);
    if (length > (await handle.stat()).size - 4) return false;
    const header = Buffer.alloc(length);
    return (await handle.read(header, 0, length, 4)).bytesRead === length && parseHeader(header, key) !== null;
  } finally {
    await handle.close();
  }
}

/** The header frame's content, or null when it is not this format and key's. */
function parseHeader(bytes: Uint8Array, key: string): ShardHeader | null {
  let header: { format?: unknown; key?: unknown; files?: unknown; hashes?: unknown; stats?: unknown; lengths?: unknown; recordChecksums?: unknown; tailChecksum?: unknown; checksum?: unknown };
  try {
    header = deserialize(bytes) as typeof header;
  } catch {
    return null;
  }
  const { files, hashes, stats, lengths, recordChecksums, tailChecksum, checksum } = header;
  if (header.format !== FORMAT || header.key !== key || typeof tailChecksum !== "number" || typeof checksum !== "number") return null;
  const columns = [files, hashes, stats, lengths, recordChecksums];
  if (!Array.isArray(files) || !columns.every((column) => Array.isArray(column) && column.length === files.length)) return null;
  if (!(lengths as unknown[]).every((length) => Number.isInteger(length) && (length as number) > 0)) return null;
  const entries = files.map((file, i): [string, string, string] => [String(file), String((hashes as unknown[])[i]), String((stats as unknown[])[i])]);
  return { entries, lengths: lengths as number[], recordChecksums: recordChecksums as number[], tailChecksum, checksum };
}

/** A record parsed from JSON, with its tags taken from the table and its body viewed in `bodies`. */
function revive([file, hash]: [string, string, string], record: CachedRecord, tags: readonly Tag[], bodies: Uint8Array, bodyOffset: number, bodyLength: number): [string, CachedRecord] {
  if (record?.hash !== hash || typeof record.article !== "object" || record.article === null || typeof record.featuresKey !== "string") throw new Error("inconsistent");
  const article = record.article as { tags: readonly (Tag | number)[] };
  article.tags = article.tags.map((number) => tags[number as number] ?? fail("a tag out of range"));
  if (bodyLength >= 0) {
    if (bodyOffset + bodyLength > bodies.length) throw new Error("truncated");
    (record.article as { packedBody?: Uint8Array }).packedBody = bodies.subarray(bodyOffset, bodyOffset + bodyLength);
  }
  return [file, record];
}

const tagObjects = (table: ShardText["tags"]): Tag[] => table.map(([id, name, slug]): Tag => Object.freeze({ id, name, slug }));

/** Where the records' array ends in the JSON frame: '{"records":' '[' record ',' record ... ']'. */
function recordsEnd(lengths: readonly number[]): number {
  return RECORDS_KEY.length + lengths.reduce((sum, length) => sum + length, 0) + Math.max(0, lengths.length - 1) + 2;
}

/** The JSON after the records (',"bodyLengths":[…],"tags":[…]}'), parsed. */
function parseTail(tail: Uint8Array): Omit<ShardText, "records"> {
  return decodeAsciiJson(Buffer.concat([Buffer.from("{"), tail.subarray(1)])) as Omit<ShardText, "records">;
}

/**
 * Adds the records of `wanted` that one shard file holds, read by position: the header, the JSON
 * after the records, and each wanted record and its body, each checked against its CRC-32. A
 * shard that is missing, another engine's, or does not read back adds none.
 */
function readShardRecords(file: string, key: string, wanted: ReadonlySet<string>, records: RecordCache): void {
  const own: [string, CachedRecord][] = [];
  let fd: number | null = null;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    const read = (position: number, length: number): Buffer => {
      // Lengths come from the file: one past its end is corruption, not an allocation to make.
      if (position + length > size) throw new Error("truncated");
      const bytes = Buffer.allocUnsafe(length);
      if (length > 0 && readSync(fd!, bytes, 0, length, position) !== length) throw new Error("truncated");
      return bytes;
    };
    const headerLength = read(0, 4).readUInt32LE(0);
    const header = parseHeader(read(4, headerLength), key);
    if (!header) return;
    const textStart = 4 + headerLength + 4;
    const textLength = read(textStart - 4, 4).readUInt32LE(0);
    const end = recordsEnd(header.lengths);
    if (end > textLength) throw new Error("truncated");
    const tail = read(textStart + end, textLength - end);
    if (checksum(tail) !== header.tailChecksum) throw new Error("corrupt");
    const { bodyLengths, tags: tagTable } = parseTail(tail);
    if (bodyLengths.length !== header.entries.length) throw new Error("inconsistent");
    const tags = tagObjects(tagTable);
    let recordOffset = textStart + RECORDS_KEY.length + 1;
    let bodyOffset = textStart + textLength + 4;
    header.entries.forEach((entry, i) => {
      const length = header.lengths[i]!;
      const bodyLength = bodyLengths[i]!;
      if (wanted.has(entry[0])) {
        const json = read(recordOffset, length);
        const body = read(bodyOffset, Math.max(0, bodyLength));
        // A record that does not read back is left out (its file is parsed again); the others stand on their own checksums.
        if (checksum(json, body) === header.recordChecksums[i]) own.push(revive(entry, decodeAsciiJson(json) as CachedRecord, tags, new Uint8Array(body), 0, bodyLength));
      }
      recordOffset += length + 1;
      if (bodyLength >= 0) bodyOffset += bodyLength;
    });
  } catch {
    return; // not there, or corrupt: as if not cached
  } finally {
    if (fd !== null) closeSync(fd);
  }
  for (const [file, record] of own) records.set(file, record);
}

interface ShardReader {
  /** File, content hash, stat key. */
  entries: [string, string, string][];
  /** Adds the shard's records; a shard that turns out corrupt adds none and says false. */
  readInto(records: RecordCache): boolean;
}

/** A whole shard file's bytes (see `ShardHeader` for the framing); null when it is not this format and key's. */
function openShard(bytes: Buffer, key: string): ShardReader | null {
  let offset = 0;
  const frame = (): Buffer => {
    const length = bytes.readUInt32LE(offset);
    if (offset + 4 + length > bytes.length) throw new Error("truncated");
    offset += 4 + length;
    return bytes.subarray(offset - length, offset);
  };
  let header: ShardHeader | null;
  try {
    header = parseHeader(frame(), key);
  } catch {
    return null;
  }
  if (!header) return null;
  const { entries } = header;
  /** The JSON and bodies frames, checked against the header's CRC-32. */
  const frames = (): { text: Buffer; packed: Buffer } => {
    const text = frame();
    const packed = frame();
    // A changed byte inside a string would still parse: the checksum says the frames are as written.
    if (offset !== bytes.length || header.checksum !== checksum(text, packed)) throw new Error("corrupt");
    return { text, packed };
  };
  return {
    entries,
    readInto(records) {
      const own: [string, CachedRecord][] = [];
      try {
        const { text, packed } = frames();
        const { records: list, bodyLengths, tags: tagTable } = decodeAsciiJson(text) as ShardText;
        const tags = tagObjects(tagTable);
        // One copy of the shard's bodies, which each record's packedBody views: the file's bytes can go,
        // and 300 small buffers per shard cost more to make than this one.
        const bodies = new Uint8Array(packed);
        if (list.length !== entries.length || bodyLengths.length !== entries.length) throw new Error("inconsistent");
        let bodyOffset = 0;
        entries.forEach((entry, i) => {
          own.push(revive(entry, list[i] as unknown as CachedRecord, tags, bodies, bodyOffset, bodyLengths[i]!));
          if (bodyLengths[i]! >= 0) bodyOffset += bodyLengths[i]!;
        });
        if (bodyOffset !== bodies.length) throw new Error("trailing bytes");
      } catch {
        return false; // corrupt: as if it were not there (its files are parsed again)
      }
      for (const [file, record] of own) records.set(file, record);
      bytes = Buffer.alloc(0);
      return true;
    },
  };
}

const RECORDS_KEY = Buffer.from('{"records":');
const EMPTY = new Uint8Array(0);

/**
 * Writes `records` as the cache for `key`: each shard whose content changed since `previous` was
 * read, atomically (a temporary file renamed over the old one), a shard at a time so that no
 * second copy of all records is held in memory. Errors are returned, not thrown: a cache that
 * cannot be written only makes the next build slower.
 *
 * `written`: shards a loading thread wrote whole (see `writeWholeShard`), by identity. Their
 * records may be left out of `records`; when they are there, a shard is skipped only if it is
 * the one the thread wrote.
 */
export async function writeRecordCache(root: string, key: string, records: ReadonlyMap<string, CachedRecord>, previous: OpenedCache | null, written: ReadonlyMap<number, string> = new Map()): Promise<Error | null> {
  try {
    const dir = await recordsDir(root);
    const byShard = Array.from({ length: SHARDS }, () => [] as [string, CachedRecord][]);
    for (const entry of records) byShard[shardOf(entry[0])]!.push(entry);
    const removals: Promise<void>[] = [];
    for (const [shard, entries] of byShard.entries()) {
      const identity = shardIdentity(key, entries.map(([file, record]) => [file, record.hash, record.stat] as const));
      if (previous?.shards.get(shard) === identity || written.get(shard) === identity || (entries.length === 0 && written.has(shard))) continue;
      const file = path.join(dir, `${shard}.bin`);
      // Empty, and not in the cache read: no file (a shard without one reads as empty) rather than
      // an empty one; a small site's first build wrote ~50 of them one after another (~30-45 ms).
      // Without a cache read (a first build, another version's), one left there is deleted.
      if (entries.length === 0 && !previous?.shards.has(shard)) {
        if (previous === null) removals.push(rm(file, { force: true }));
      } else await writeShard(file, key, entries);
    }
    await Promise.all(removals);
    return null;
  } catch (error) {
    return error as Error;
  }
}

/** The records folder, made (see `cacheDir`: never through a link) before anything is written into it. */
export async function recordsDir(root: string): Promise<string> {
  const dir = path.join(await cacheDir(root), RECORDS_DIR);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Writes one whole shard: a loading thread that parsed every file of a shard writes it as soon
 * as they are done (see workers/load-shard.ts), so that a build filling the cache neither keeps
 * every record's Markdown on the main thread nor serializes all records at its end. Returns the
 * shard's identity, which `writeRecordCache` then skips. `entries` in listing order.
 */
export async function writeWholeShard(dir: string, key: string, shard: number, entries: readonly [string, CachedRecord][]): Promise<string> {
  await writeShard(path.join(dir, `${shard}.bin`), key, entries);
  return shardIdentity(key, entries.map(([file, record]) => [file, record.hash, record.stat] as const));
}

/**
 * A shard's JSON frame. Tags are numbers into the shard's table of distinct tags: the same few
 * hundred tags come up on every article (they were a fifth of the JSON), and each is read back as
 * one shared frozen object, as the string pool would make it (see util/intern-strings.ts).
 */
interface ShardText {
  /** Records without `article.packedBody`, and with `article.tags` as numbers. */
  records: (Omit<CachedRecord, "article"> & { article: Omit<Article, "packedBody" | "tags"> & { tags: number[] } })[];
  bodyLengths: number[];
  tags: [id: string, name: string, slug: string][];
}

function fail(what: string): never {
  throw new Error(`inconsistent: ${what}`);
}

async function writeShard(target: string, key: string, entries: readonly [string, CachedRecord][]): Promise<void> {
  const temporary = `${target}.${process.pid}.tmp`;
  const bodies: Uint8Array[] = [];
  const bodyLengths: number[] = [];
  const tags: ShardText["tags"] = [];
  const tagNumbers = new Map<string, number>();
  const tagNumber = (tag: Tag): number => {
    const key = `${tag.id}\u0000${tag.name}\u0000${tag.slug}`;
    let number = tagNumbers.get(key);
    if (number === undefined) {
      number = tags.push([tag.id, tag.name, tag.slug]) - 1;
      tagNumbers.set(key, number);
    }
    return number;
  };
  const records = entries.map(([file, record]) => {
    const { packedBody, ...article } = record.article;
    // A record must bring its Markdown: a page rendered from it later needs it (see util/article-markdown.ts).
    if (packedBody === undefined && article.body === undefined) throw new Error(`Internal: the record of ${file} has no Markdown`);
    bodyLengths.push(packedBody === undefined ? -1 : packedBody.length);
    if (packedBody !== undefined) bodies.push(packedBody);
    return { ...record, article: { ...article, tags: article.tags.map(tagNumber) } };
  });
  // The ShardText object, written a record at a time, each record's length noted.
  const encoded = (records satisfies ShardText["records"]).map((record) => encodeAsciiJson(record));
  const text = Buffer.concat([
    RECORDS_KEY,
    joinAsciiJsonArray(encoded),
    Buffer.from(',"bodyLengths":'),
    encodeAsciiJson(bodyLengths),
    Buffer.from(',"tags":'),
    encodeAsciiJson(tags),
    Buffer.from("}"),
  ]);
  const body = Buffer.concat(bodies);
  // Each record (its JSON, then its body) and the JSON after the records are checked on their own
  // too: a delta build reads a record without the rest of its shard.
  let bodyIndex = 0;
  const recordChecksums = encoded.map((record, i) => checksum(record, bodyLengths[i]! >= 0 ? bodies[bodyIndex++]! : EMPTY));
  const tail = text.subarray(recordsEnd(encoded.map((record) => record.length)));
  const header = serialize({
    format: FORMAT,
    key,
    files: entries.map(([file]) => file),
    hashes: entries.map(([, record]) => record.hash),
    stats: entries.map(([, record]) => record.stat),
    lengths: encoded.map((record) => record.length),
    recordChecksums,
    tailChecksum: checksum(tail),
    checksum: checksum(text, body),
  });
  const frames: Uint8Array[] = [];
  for (const frame of [header, text, body]) {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(frame.length);
    frames.push(length, frame);
  }
  try {
    await writeFile(temporary, frames);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
