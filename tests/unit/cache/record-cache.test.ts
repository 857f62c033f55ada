import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CACHE_DIR, openRecordCache, readCachedRecords, recordsDir, shardOf, writeRecordCache, writeWholeShard, type CachedRecord, type RecordCache } from "../../../src/cache/record-cache.js";
import { extractRelatedFeatures } from "../../../src/related/extract-features.js";
import { markdownOf, withPackedMarkdown } from "../../../src/util/article-markdown.js";
import { article, loadFiles, makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

const KEY = "test-engine";
let root: string | null = null;

afterEach(async () => {
  if (root) await removeTempSite(root);
  root = null;
});

/** Text a JSON or ASCII round trip could get wrong: typographic quotes, emoji, lone surrogates, DEL, line separators. */
const AWKWARD = "„Zitat“ – naïve café 😀 \ud800 lone \udfff \u007f \u2028 \u2029 \\ \" \u0000 end";

/** Records as a build makes them: real normalized articles, some with their Markdown deflated, one with an awkward title and diagnostics. */
async function sampleRecords(): Promise<RecordCache> {
  const site = await loadFiles({
    "articles/a/de.md": article({ title: "Gespräche in Berlin", lang: "de", date: "2025-03-02", tags: "[Berlin, Börse]" }),
    "articles/b/de.md": article({ title: "Wahl in Köln", lang: "de", date: "2025-03-03" }, "Die Wahl in Köln ging knapp aus, die Auszählung dauerte bis in die Nacht."),
    "articles/c/de.md": article({ title: "Klima in Kiel", lang: "de", date: "2025-03-04", author: "Çelik Demir" }),
  });
  expect(site.errors).toEqual([]);
  expect(site.articles).toHaveLength(3);
  const records: RecordCache = new Map();
  site.articles.forEach((loaded, i) => {
    let record: CachedRecord["article"] = i === 0 ? withPackedMarkdown(loaded) : loaded;
    if (i === 2) {
      record = {
        ...withPackedMarkdown(loaded),
        title: AWKWARD,
        diagnostics: [{ severity: "warning", message: AWKWARD, location: { file: loaded.file, line: 3, column: 1 }, hint: "Fix it." }],
      };
    }
    records.set(loaded.file, { hash: `hash-${i}`, stat: `stat-${i}`, article: record, features: extractRelatedFeatures(loaded), featuresKey: `features-${i}`, readWarnings: i === 1 ? [{ severity: "warning", message: "read", location: { file: loaded.file } }] : [] });
  });
  return records;
}

describe("the record cache", () => {
  it("reads back exactly the records it wrote, awkward text and deflated bodies included", async () => {
    root = await makeTempSite({});
    const records = await sampleRecords();
    expect(await writeRecordCache(root, KEY, records, null)).toBeNull();
    const opened = await openRecordCache(root, KEY);
    expect(opened).not.toBeNull();
    const back = await opened!.records();
    expect([...back.keys()].sort()).toEqual([...records.keys()].sort());
    for (const [file, record] of records) {
      const read = back.get(file)!;
      expect(read).toEqual(record);
      expect(Object.keys(read.article)).toEqual(Object.keys(record.article)); // same shape, packedBody last
      expect(markdownOf(read.article)).toBe(markdownOf(record.article));
    }
    expect(back.get([...records.keys()][2]!)!.article.title).toBe(AWKWARD);
    expect(opened!.hashes.get([...records.keys()][0]!)).toBe("hash-0");
    // Another engine's cache is not this one.
    expect(await openRecordCache(root, "another-engine")).toBeNull();
  });

  it("ignores a shard whose records do not read back, and keeps the others", async () => {
    root = await makeTempSite({});
    const records = await sampleRecords();
    await writeRecordCache(root, KEY, records, null);
    const dir = path.join(root, CACHE_DIR, "records-v1");
    const shards = (await readdir(dir)).filter((name) => name.endsWith(".bin"));
    expect(shards.length).toBeGreaterThan(1);
    // Change one byte in the middle of the JSON of the largest shard (its header still reads; the JSON may too).
    const sizes = await Promise.all(shards.map(async (name) => (await readFile(path.join(dir, name))).length));
    const broken = path.join(dir, shards[sizes.indexOf(Math.max(...sizes))]!);
    const bytes = await readFile(broken);
    const headerLength = bytes.readUInt32LE(0);
    const jsonStart = 4 + headerLength + 4;
    const middle = jsonStart + Math.floor(bytes.readUInt32LE(4 + headerLength) / 2);
    bytes[middle] = bytes[middle] === 0x41 ? 0x42 : 0x41;
    await writeFile(broken, bytes);
    const opened = await openRecordCache(root, KEY);
    const back = await opened!.records();
    expect(back.size).toBeGreaterThan(0);
    expect(back.size).toBeLessThan(records.size);
    for (const [file, record] of back) expect(record).toEqual(records.get(file));
    expect(opened!.shards.size).toBe(shards.length - 1); // rewritten by the next save
  });

  it("reads single records (a delta build's few) the same as whole shards, each checked on its own", async () => {
    root = await makeTempSite({});
    // 300 records: every shard holds several, so each wanted one sits among others.
    const samples = [...(await sampleRecords()).values()];
    const records: RecordCache = new Map();
    for (let i = 0; i < 300; i++) {
      const sample = samples[i % samples.length]!;
      const file = `articles/s${i}/de.md`;
      records.set(file, { ...sample, hash: `hash-${i}`, article: { ...sample.article, file, id: `s${i}/de` } });
    }
    expect(await writeRecordCache(root, KEY, records, null)).toBeNull();
    const all = await (await openRecordCache(root, KEY))!.records();
    const wanted = [...records.keys()].filter((_, i) => i % 37 === 5);
    const some = await readCachedRecords(root, KEY, wanted);
    expect([...some.keys()].sort()).toEqual([...wanted].sort());
    for (const file of wanted) {
      expect(some.get(file)).toEqual(all.get(file));
      expect(markdownOf(some.get(file)!.article)).toBe(markdownOf(records.get(file)!.article));
    }
    expect(await readCachedRecords(root, "another-engine", wanted)).toEqual(new Map());

    // The shard holding two wanted records, and where each of their JSON sits in it (the last
    // mention of the file: the header lists it first).
    const dir = path.join(root, CACHE_DIR, "records-v1");
    const shards = await Promise.all((await readdir(dir)).filter((name) => name.endsWith(".bin")).map(async (name) => ({ name, bytes: await readFile(path.join(dir, name)) })));
    const shard = shards.find(({ bytes }) => wanted.filter((file) => bytes.includes(Buffer.from(`"${file}"`))).length >= 2)!;
    expect(shard).toBeDefined();
    const [first, second] = wanted.filter((file) => shard.bytes.includes(Buffer.from(`"${file}"`)));
    const flipped = async (at: number): Promise<void> => {
      const bytes = Buffer.from(shard.bytes);
      bytes[at]! ^= 1;
      await writeFile(path.join(dir, shard.name), bytes);
    };
    // A changed byte in one record's JSON: that record is not read, the other of its shard is.
    await flipped(shard.bytes.lastIndexOf(Buffer.from(`"${first}"`)) + 3);
    let after = await readCachedRecords(root, KEY, wanted);
    expect(after.has(first!)).toBe(false);
    expect(after.get(second!)).toEqual(all.get(second!));
    expect(after.size).toBe(wanted.length - 1);
    // A changed byte in the bodies (the shard's last one's): the wanted records, whose bodies are intact, still read.
    await flipped(shard.bytes.length - 3);
    after = await readCachedRecords(root, KEY, wanted);
    expect(after.size).toBe(wanted.length);
    expect(await (await openRecordCache(root, KEY))!.records()).not.toEqual(all); // the whole shard's checksum still sees it
    // A changed byte in the JSON after the records (inside the tag table's first string: it still
    // parses): none of the shard's records is read.
    await flipped(shard.bytes.lastIndexOf(Buffer.from('"tags":[["')) + 11);
    after = await readCachedRecords(root, KEY, wanted);
    expect(after.has(first!) || after.has(second!)).toBe(false);
    expect(after.size).toBeGreaterThan(0);
    for (const [file, record] of after) expect(record).toEqual(all.get(file));
    // Cut inside its records' JSON: nothing of it.
    const jsonStart = 4 + shard.bytes.readUInt32LE(0) + 4;
    await writeFile(path.join(dir, shard.name), shard.bytes.subarray(0, jsonStart + 100));
    after = await readCachedRecords(root, KEY, wanted);
    expect(after.has(first!) || after.has(second!)).toBe(false);
    // A header length far past the file's end: nothing of it.
    const huge = Buffer.from(shard.bytes);
    huge.writeUInt32LE(0xfffffff0, 0);
    await writeFile(path.join(dir, shard.name), huge);
    after = await readCachedRecords(root, KEY, wanted);
    expect(after.has(first!) || after.has(second!)).toBe(false);
    expect(after.size).toBeGreaterThan(0);
  });

  it("refuses a record without its Markdown (a page rendered from it would need it), and writes nothing of its shard", async () => {
    root = await makeTempSite({});
    const records = await sampleRecords();
    const [file, record] = [...records][0]!;
    const { packedBody: _dropped, body: _body, ...article } = record.article;
    records.set(file, { ...record, article });
    const error = await writeRecordCache(root, KEY, records, null);
    expect(error?.message).toContain(`the record of ${file} has no Markdown`);
    expect(await readCachedRecords(root, KEY, [file])).toEqual(new Map());
  });

  it("writes files only for shards that hold records (a stale one in an empty shard goes); a shard emptied since reads back as none", async () => {
    root = await makeTempSite({});
    const records = await sampleRecords();
    const dir = await recordsDir(root);
    const shards = new Set([...records.keys()].map(shardOf));
    const empty = Array.from({ length: 64 }, (_, shard) => shard).find((shard) => !shards.has(shard))!;
    await writeFile(path.join(dir, `${empty}.bin`), "left by another version");
    expect(await writeRecordCache(root, KEY, records, null)).toBeNull();
    expect((await readdir(dir)).sort()).toEqual([...shards].map((shard) => `${shard}.bin`).sort());
    // A file gone since: the next save, from the cache it read, leaves its shard without it.
    const gone = [...records.keys()][0]!;
    const fewer = new Map([...records].filter(([file]) => file !== gone));
    expect(await writeRecordCache(root, KEY, fewer, await openRecordCache(root, KEY))).toBeNull();
    const back = await (await openRecordCache(root, KEY))!.records();
    expect([...back.keys()].sort()).toEqual([...fewer.keys()].sort());
  });

  it("a shard written whole (by a loading thread) reads back as the same records, and is not written again", async () => {
    root = await makeTempSite({});
    const records = await sampleRecords();
    const entries = [...records];
    const shard = shardOf(entries[0]![0]);
    const own = entries.filter(([file]) => shardOf(file) === shard);
    const dir = await recordsDir(root);
    const identity = await writeWholeShard(dir, KEY, shard, own);
    const file = path.join(dir, `${shard}.bin`);
    const { ino } = await stat(file);
    expect(await writeRecordCache(root, KEY, records, null, new Map([[shard, identity]]))).toBeNull();
    expect((await stat(file)).ino).toBe(ino);
    const back = await (await openRecordCache(root, KEY))!.records();
    for (const [name, record] of records) expect(back.get(name)).toEqual(record);
    // Another identity (other files, or other contents, than the shard holds): written again.
    expect(await writeRecordCache(root, KEY, records, null, new Map([[shard, "another"]]))).toBeNull();
    expect((await stat(file)).ino).not.toBe(ino);
  });
});
