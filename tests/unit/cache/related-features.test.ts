import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CACHE_DIR } from "../../../src/cache/record-cache.js";
import { readRelatedFeatures, writeRelatedFeatures } from "../../../src/cache/related-features.js";
import type { RelatedDoc } from "../../../src/related/index.js";
import { makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

let root: string | null = null;
afterEach(async () => {
  if (root) await removeTempSite(root);
  root = null;
});

function doc(id: string, extra: Partial<RelatedDoc> = {}): RelatedDoc {
  const slash = id.lastIndexOf("/");
  return { id, storyKey: id.slice(0, slash), lang: id.slice(slash + 1), time: 1_700_000_000_000, entities: [], entityNames: [], entityCounts: [], topics: [], topicNames: [], terms: "", termCounts: [], pins: [], exclude: [], ...extra };
}

// Names are not kept (lists without reasons never read them): these docs name everything by its id.
const DOCS = [
  doc("köln-wahl/de", { entities: ["angela-merkel"], entityNames: ["angela-merkel"], entityCounts: [3], topics: ["bundestagswahl", "straße"], topicNames: ["bundestagswahl", "straße"], terms: "wahl stimm", termCounts: [9, 4], pins: ["b"], exclude: ["c-ß"] }),
  doc("b/el", { terms: 'εκλογές "quoted" back\\slash', termCounts: [2], topics: ["straße"], topicNames: ["straße"] }),
  // More than one slice.
  ...Array.from({ length: 2500 }, (_, i) => doc(`story-${i}/fr`, { time: i, terms: `mot${i}`, termCounts: [1] })),
];

describe("the related-features cache", () => {
  it("reads back the features it wrote (letters beyond ASCII, pins, several slices) for the same key, in their order, as ASCII", async () => {
    root = await makeTempSite({});
    const docs = [...DOCS];
    expect(await writeRelatedFeatures(root, "key-1", docs)).toBeNull();
    expect(docs).toEqual([]); // taken out as written
    expect(await readRelatedFeatures(root, "key-1")).toEqual(DOCS);
    expect(await readRelatedFeatures(root, "key-2")).toBeNull();
    const bytes = await readFile(path.join(root, CACHE_DIR, "related-features-v1.bin"));
    expect(bytes.every((byte) => byte < 128)).toBe(true);
  });

  it("reads nothing from a file with a byte changed, a missing file, or none written for ids that are not story key and language", async () => {
    root = await makeTempSite({});
    expect(await readRelatedFeatures(root, "key-1")).toBeNull();
    expect(await writeRelatedFeatures(root, "key-1", [...DOCS])).toBeNull();
    const file = path.join(root, CACHE_DIR, "related-features-v1.bin");
    const bytes = await readFile(file);
    bytes[200] = bytes[200]! ^ 2;
    await writeFile(file, bytes);
    expect(await readRelatedFeatures(root, "key-1")).toBeNull();
    expect((await writeRelatedFeatures(root, "key-3", [{ ...DOCS[0]!, lang: "en" }]))?.message).toMatch(/not its story key and language/);
    expect(await readRelatedFeatures(root, "key-3")).toBeNull();
  });

  it("writes an empty list", async () => {
    root = await makeTempSite({});
    expect(await writeRelatedFeatures(root, "empty", [])).toBeNull();
    expect(await readRelatedFeatures(root, "empty")).toEqual([]);
  });
});
