/**
 * With the persistent cache, the loading threads write each record shard whose files they parse
 * all of (cold builds, mostly), and hand those articles on without their Markdown; the main thread
 * writes the others at the end, and must not write the loaders' again. Runs on the main thread
 * (from sources there are no workers), which loads its share as a worker does.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/load-config.js";
import { loadEntities } from "../../../src/content/load-entities.js";
import { scanContent } from "../../../src/content/scan-content.js";
import { CACHE_DIR, engineKey, openRecordCache, shardOf } from "../../../src/cache/record-cache.js";
import { DiagnosticSink } from "../../../src/errors/diagnostics.js";
import { compileEntityTable } from "../../../src/normalize/entities.js";
import { markdownOf } from "../../../src/util/article-markdown.js";
import { loadRecords } from "../../../src/workers/load-records.js";
import { article, makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

let root: string | null = null;

afterEach(async () => {
  if (root) await removeTempSite(root);
  root = null;
});

/** 40 places: some shards (of 64) hold two or more of their files, others one. */
const TOWNS = ["Berlin", "Köln", "Kiel", "Bonn", "Jena", "Ulm", "Trier", "Essen", "Halle", "Gera"].flatMap((town) => [town, `${town}-Nord`, `${town}-Süd`, `${town}-West`]);

/** A German article with an English quotation: the one whose Markdown is kept (feeds show it without its mark). */
const WITH_PASSAGE = article(
  { title: "Gespräch ohne Durchbruch", lang: "de", date: "2025-03-20" },
  [
    "Der Präsident und sein Amtskollege haben am Donnerstag mehr als eine Stunde lang telefoniert, ohne dass es Fortschritte gab.",
    "",
    '> "We had a very productive meeting, and there were many points that we agreed on, but we have not quite got there yet," the president told reporters after the talks.',
    "",
    "Die Regierung reagierte zurückhaltend auf die Nachricht aus dem Weißen Haus.",
  ].join("\n"),
);

async function site(): Promise<string> {
  const files: Record<string, string> = { "articles/zitat/de.md": WITH_PASSAGE };
  TOWNS.forEach((town, i) => {
    files[`articles/${town.toLowerCase()}/de.md`] = article({ title: `Gespräche in ${town}`, lang: "de", date: `2025-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + Math.floor(i / 12)).padStart(2, "0")}` }, `Die Gespräche in ${town} dauerten bis in die Nacht, und die Beteiligten äußerten sich danach vorsichtig optimistisch.`);
  });
  return makeTempSite(files);
}

/** What `gazette build` runs with the cache on: bodies rendered while loading, the cache written by `saveRecords`. */
async function load(at: string) {
  const config = await loadConfig(at);
  const entityDefinitions = await loadEntities(at, config.paths.data, new DiagnosticSink());
  const contentDir = path.join(at, config.paths.content);
  const sink = new DiagnosticSink();
  const loaded = await loadRecords(
    { root: at, overrides: {}, contentDir, renderBodies: true },
    { listing: scanContent({ root: at, contentDir }), normalizeContext: { config, entities: compileEntityTable(entityDefinitions) }, sink, cache: { config, entityDefinitions } },
  );
  expect(sink.errors).toEqual([]);
  return { loaded, key: engineKey(config, entityDefinitions) };
}

/** A full garbage collection (V8's `gc`, enabled here for this test file). */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/**
 * Which articles' related features outlive the build's own map of them: `gazette build` clears it
 * once the related lists are made, so only what the loader still holds for the end of the build
 * keeps them. WeakRefs are read after a turn of the event loop (a target is kept to the end of the
 * job that made or read it).
 */
async function featuresKeptAfterClearing(loaded: Awaited<ReturnType<typeof load>>["loaded"]): Promise<Set<string>> {
  const refs = [...loaded.articles].map((each) => [each.file, new WeakRef(loaded.features.get(each.id)!)] as const);
  loaded.features.clear();
  await new Promise((resolve) => setTimeout(resolve, 0));
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 0));
  return new Set(refs.filter(([, ref]) => ref.deref() !== undefined).map(([file]) => file));
}

const shardFile = (at: string, shard: number) => path.join(at, CACHE_DIR, "records-v1", `${shard}.bin`);

describe("loading with the persistent cache", () => {
  it("writes the shards of the files it parsed while loading, hands their articles on without Markdown, and does not write them again", async () => {
    root = await site();
    const { loaded, key } = await load(root);
    const shards = new Set(loaded.articles.map((each) => shardOf(each.file)));
    expect(shards.size).toBeGreaterThan(3);
    expect(loaded.detail).toContain(`, ${shards.size} record shards written`);
    // Written already, before the build's end: every record with its Markdown.
    const records = await (await openRecordCache(root, key))!.records();
    expect([...records.keys()].sort()).toEqual(loaded.articles.map((each) => each.file).sort());
    for (const each of loaded.articles) {
      const source = await readFile(path.join(root, each.file), "utf8");
      const markdown = markdownOf(records.get(each.file)!.article);
      expect(markdown.length).toBeGreaterThan(50);
      expect(source).toContain(markdown.trim().split("\n")[0]!);
      expect(records.get(each.file)!.featuresKey).toBe(loaded.featureKeys.get(each.id));
      // Handed on without it, but for the article with a passage in another language.
      expect(each.packedBody).toBeUndefined();
      expect(each.body === undefined).toBe(!each.file.includes("zitat"));
    }
    // Their records are not held for the end: nothing keeps their features once the build lets them go.
    expect(await featuresKeptAfterClearing(loaded)).toEqual(new Set());
    // The end of the build leaves those shards as they are.
    const inodes = await Promise.all([...shards].map(async (shard) => (await stat(shardFile(root!, shard))).ino));
    expect(await loaded.saveRecords!()).toBeNull();
    expect(await Promise.all([...shards].map(async (shard) => (await stat(shardFile(root!, shard))).ino))).toEqual(inodes);
  });

  it("leaves a shard with unchanged files to the end of the build, the edited article's Markdown kept for it", async () => {
    root = await site();
    const first = await load(root);
    expect(await first.loaded.saveRecords!()).toBeNull();
    const files = first.loaded.articles.map((each) => each.file);
    const together = (file: string) => files.filter((other) => shardOf(other) === shardOf(file)).length;
    // One file of a shard that holds others, and the only file of another shard.
    const edited = files.find((file) => together(file) >= 2)!;
    const alone = files.find((file) => together(file) === 1)!;
    expect(edited && alone).toBeTruthy();
    for (const file of [edited, alone]) await writeFile(path.join(root, file), article({ title: "Gespräche am Morgen", lang: "de", date: "2025-04-02" }, `Die Gespräche in ${file} gingen am Morgen weiter, ein Ergebnis gab es nicht.`));
    const before = (await stat(shardFile(root, shardOf(edited)))).ino;
    const { loaded, key } = await load(root);
    // The lone file's shard is the loading thread's to write; the other waits for the end.
    expect(loaded.detail).toContain(", 1 record shards written");
    expect(loaded.articles.find((each) => each.file === edited)!.packedBody).toBeDefined();
    expect(loaded.articles.find((each) => each.file === alone)!.packedBody).toBeUndefined();
    expect((await stat(shardFile(root, shardOf(edited)))).ino).toBe(before);
    // The records of the shard left to the end are held for it, the lone file's (written) not.
    const kept = await featuresKeptAfterClearing(loaded);
    expect(kept.has(edited)).toBe(true);
    expect(kept.has(alone)).toBe(false);
    expect(await loaded.saveRecords!()).toBeNull();
    expect((await stat(shardFile(root, shardOf(edited)))).ino).not.toBe(before);
    const records = await (await openRecordCache(root, key))!.records();
    expect(records.size).toBe(TOWNS.length + 1);
    for (const file of [edited, alone]) expect(markdownOf(records.get(file)!.article)).toContain(`Die Gespräche in ${file} gingen am Morgen weiter`);
  });
});

describe("loading for `gazette check` and `list` (no Markdown kept, no features)", () => {
  it("hands every article on without its Markdown, the one with a foreign passage too, makes no features, and otherwise loads as a build does", async () => {
    root = await site();
    const config = await loadConfig(root);
    const entityDefinitions = await loadEntities(root, config.paths.data, new DiagnosticSink());
    const contentDir = path.join(root, config.paths.content);
    const loadWith = async (forCheck: boolean) => {
      const sink = new DiagnosticSink();
      const loaded = await loadRecords(
        { root: root!, overrides: {}, contentDir, renderBodies: false, ...(forCheck ? { markdown: "none" as const, features: false } : {}) },
        { listing: scanContent({ root: root!, contentDir }), normalizeContext: { config, entities: compileEntityTable(entityDefinitions) }, sink, cache: null },
      );
      expect(sink.errors).toEqual([]);
      expect(loaded.features.size).toBe(forCheck ? 0 : loaded.articles.length);
      return loaded.articles;
    };
    const kept = await loadWith(false);
    const dropped = await loadWith(true);
    expect(kept.every((each) => typeof each.body === "string")).toBe(true);
    expect(dropped.some((each) => each.passages.length > 0)).toBe(true);
    expect(dropped.filter((each) => each.body !== undefined || each.packedBody !== undefined)).toEqual([]);
    expect(dropped).toEqual(kept.map(({ body: _markdown, ...rest }) => rest));
  });
});
