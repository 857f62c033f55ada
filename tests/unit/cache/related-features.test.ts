import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CACHE_DIR } from "../../../src/cache/record-cache.js";
import { idsDigest, readRelatedFeatures, writeRelatedFeatures } from "../../../src/cache/related-features.js";
import { internFeatures } from "../../../src/related/feature-rows.js";
import type { ListMargins, RelatedDoc } from "../../../src/related/index.js";
import type { RelatedMap } from "../../../src/types.js";
import { makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

let root: string | null = null;
afterEach(async () => {
  if (root) await removeTempSite(root);
  root = null;
});

const FILE = "related-features-v3.bin";

/** Margins of n lists: Infinity, 0 and fractions among them. */
function marginsOf(n: number): ListMargins {
  return { query: Float64Array.from({ length: n }, (_, d) => (d % 2 === 0 ? Infinity : d / 3)), heap: Float64Array.from({ length: n }, (_, d) => (d % 3 === 0 ? Infinity : d / 7)), score: Float64Array.from({ length: n }, (_, d) => (d % 5 === 0 ? 0 : d * 2)) };
}

function doc(id: string, extra: Partial<RelatedDoc> = {}): RelatedDoc {
  const slash = id.lastIndexOf("/");
  return { id, storyKey: id.slice(0, slash), lang: id.slice(slash + 1), time: 1_700_000_000_000, entities: [], entityNames: [], entityCounts: [], topics: [], topicNames: [], terms: "", termCounts: [], pins: [], exclude: [], ...extra };
}

const DOCS = [
  doc("köln-wahl/de", { entities: ["angela-merkel"], entityNames: ["Angela Merkel"], entityCounts: [3], topics: ["bundestagswahl", "straße"], topicNames: ["Bundestagswahl", "Straße"], terms: "wahl stimm", termCounts: [9, 4], pins: ["b"], exclude: ["c-ß"] }),
  doc("b/el", { time: 1_700_000_000_500.25, terms: 'εκλογές "quoted" back\\slash', termCounts: [2, 1, 1], topics: ["straße"], topicNames: ["Straße"] }),
  ...Array.from({ length: 2500 }, (_, i) => doc(`story-${i}/fr`, { time: i, terms: `mot${i} wahl`, termCounts: [1, 300] })),
];

/** Lists of the first two: each other, and the third document. */
const LISTS: RelatedMap = new Map([
  ["köln-wahl/de", [{ id: "b/el", score: 0.5, reasons: [] }, { id: "story-0/fr", score: 0.25, reasons: [] }]],
  ["b/el", [{ id: "köln-wahl/de", score: 0.5, reasons: [] }]],
]);

describe("the related-features cache", () => {
  it("reads back the documents, their rows, lists and margins it wrote (letters beyond ASCII, pins), for the same key, in their order", async () => {
    root = await makeTempSite({});
    const rows = internFeatures(DOCS);
    expect(await writeRelatedFeatures(root, "key-1", DOCS, rows, LISTS, marginsOf(DOCS.length))).toBeNull();
    const stored = (await readRelatedFeatures(root, "key-1"))!;
    // Documents keep what is not a feature; the features are the rows.
    expect(stored.docs.map(({ id, storyKey, lang, time, pins, exclude }) => ({ id, storyKey, lang, time, pins, exclude }))).toEqual(DOCS.map(({ id, storyKey, lang, time, pins, exclude }) => ({ id, storyKey, lang, time, pins, exclude })));
    expect(stored.docs[0]!.entities).toEqual([]);
    expect({ ...stored.rows, offsets: [...stored.rows.offsets], ids: [...stored.rows.ids], weights: [...stored.rows.weights] }).toEqual({ ...rows, offsets: [...rows.offsets], ids: [...rows.ids], weights: [...rows.weights] });
    expect([...stored.lists.offsets.subarray(0, 4)]).toEqual([0, 2, 3, 3]);
    expect([...stored.lists.docs]).toEqual([1, 2, 0]);
    expect([...stored.margins.query]).toEqual([...marginsOf(DOCS.length).query]);
    expect([...stored.margins.heap]).toEqual([...marginsOf(DOCS.length).heap]);
    expect([...stored.margins.score]).toEqual([...marginsOf(DOCS.length).score]);
    expect(stored.order).toBe(idsDigest(DOCS.map((each) => each.id)));
    expect(stored.order).not.toBe(idsDigest(DOCS.map((each) => each.id).reverse()));
    expect(await readRelatedFeatures(root, "key-2")).toBeNull();
  });

  it("reads nothing from a file with a byte changed or cut short, or a missing file; writes nothing for ids that are not story key and language, or lists of articles it has not", async () => {
    root = await makeTempSite({});
    expect(await readRelatedFeatures(root, "key-1")).toBeNull();
    expect(await writeRelatedFeatures(root, "key-1", DOCS, internFeatures(DOCS), LISTS, marginsOf(DOCS.length))).toBeNull();
    const file = path.join(root, CACHE_DIR, FILE);
    const bytes = await readFile(file);
    for (const at of [300, bytes.length - 3]) {
      const changed = Buffer.from(bytes);
      changed[at] = changed[at]! ^ 2;
      await writeFile(file, changed);
      expect(await readRelatedFeatures(root, "key-1")).toBeNull();
    }
    await writeFile(file, bytes.subarray(0, bytes.length - 8));
    expect(await readRelatedFeatures(root, "key-1")).toBeNull();
    await writeFile(file, bytes);
    expect(await readRelatedFeatures(root, "key-1")).not.toBeNull();
    const wrongId = [{ ...DOCS[0]!, lang: "en" }];
    expect((await writeRelatedFeatures(root, "key-3", wrongId, internFeatures(wrongId), new Map(), marginsOf(1)))?.message).toMatch(/not its story key and language/);
    expect((await writeRelatedFeatures(root, "key-3", DOCS.slice(0, 1), internFeatures(DOCS.slice(0, 1)), LISTS, marginsOf(1)))?.message).toMatch(/shows b\/el, which has no features/);
    expect((await writeRelatedFeatures(root, "key-3", DOCS, internFeatures(DOCS), LISTS, marginsOf(2)))?.message).toMatch(/margins are not one per article/);
    expect(await readRelatedFeatures(root, "key-3")).toBeNull();
  });

  it("writes an empty site, and deletes the files of the formats before", async () => {
    root = await makeTempSite({ [`${CACHE_DIR}/related-features-v1.bin`]: "[]", [`${CACHE_DIR}/related-features-v2.bin`]: "[]" });
    expect(await writeRelatedFeatures(root, "empty", [], internFeatures([]), new Map(), marginsOf(0))).toBeNull();
    const stored = (await readRelatedFeatures(root, "empty"))!;
    expect([stored.docs, stored.rows.keys, [...stored.rows.offsets], [...stored.lists.offsets]]).toEqual([[], [], [0], [0]]);
    expect(existsSync(path.join(root, CACHE_DIR, "related-features-v1.bin"))).toBe(false);
    expect(existsSync(path.join(root, CACHE_DIR, "related-features-v2.bin"))).toBe(false);
  });
});
