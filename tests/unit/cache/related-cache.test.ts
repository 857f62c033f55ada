import { afterEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { encodeRelatedFeatures, idsDigest, readRelatedFeatures, readRelatedLists, writeRelatedFeatures, writeRelatedLists } from "../../../src/cache/related-cache.js";
import { CACHE_DIR } from "../../../src/cache/record-cache.js";
import type { RelatedDoc } from "../../../src/related/index.js";
import type { RelatedEntry } from "../../../src/types.js";
import { makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

let root: string | null = null;
afterEach(async () => {
  if (root) await removeTempSite(root);
  root = null;
});

describe("the related-lists cache", () => {
  it("reads back the lists it wrote (pins, fallbacks, empty lists, awkward ids) only for the same key", async () => {
    root = await makeTempSite({});
    const entry = (id: string, score: number, extra: Partial<RelatedEntry> = {}): RelatedEntry => ({ id, score, reasons: [], ...extra });
    const lists = new Map<string, RelatedEntry[]>([
      ["köln-wahl/de", [entry("straße-ß/de", 0.526973, { pinned: true }), entry("b/en", 0.1 + 0.2, { fallbackLang: "en" }), entry("c/de", 1e-6)]],
      ["straße-ß/de", [entry("köln-wahl/de", 0.5)]],
      ["b/en", []],
      ["c/de", [entry("b/en", 0.25, { pinned: true, fallbackLang: "en" })]],
    ]);
    expect(await writeRelatedLists(root, "key-1", lists)).toBeNull();
    const stored = await readRelatedLists(root);
    expect(stored.lists("key-1")).toEqual(lists);
    expect(stored.lists("key-2")).toBeNull();
    expect((await readRelatedLists(`${root}/missing`)).lists("key-1")).toBeNull();
  });

  it("refuses lists with reasons or naming an article that has none: they are not what builds compute", async () => {
    root = await makeTempSite({});
    const unknown = new Map([["a/de", [{ id: "gone/de", score: 0.5, reasons: [] }]]]);
    expect((await writeRelatedLists(root, "k", unknown))?.message).toMatch(/unknown articles/);
    const explained = new Map([["a/de", [{ id: "a/de", score: 0.5, reasons: [{ signal: "text" as const, score: 0.5, details: [] }] }]]]);
    expect(await writeRelatedLists(root, "k", explained)).toBeInstanceOf(Error);
    expect((await readRelatedLists(root)).lists("k")).toBeNull();
  });

  it("reads back the features it wrote (letters beyond ASCII, pins, a second slice) for the same key, in their order", async () => {
    root = await makeTempSite({});
    const doc = (id: string, extra: Partial<RelatedDoc> = {}): RelatedDoc => {
      const slash = id.lastIndexOf("/");
      return { id, storyKey: id.slice(0, slash), lang: id.slice(slash + 1), time: 1_700_000_000_000, entities: [], entityNames: [], entityCounts: [], topics: [], topicNames: [], terms: "", termCounts: [], pins: [], exclude: [], ...extra };
    };
    // Names are not kept (lists without reasons never read them): these name everything by its id.
    const docs = [
      doc("köln-wahl/de", { entities: ["angela-merkel"], entityNames: ["angela-merkel"], entityCounts: [3], topics: ["bundestagswahl", "straße"], topicNames: ["bundestagswahl", "straße"], terms: "wahl stimm", termCounts: [9, 4], pins: ["b"], exclude: ["c-ß"] }),
      doc("b/el", { terms: "εκλογές \"quoted\" back\\slash", termCounts: [2], topics: ["straße"], topicNames: ["straße"] }),
      ...Array.from({ length: 1500 }, (_, i) => doc(`story-${i}/fr`, { time: i, terms: `mot${i}`, termCounts: [1] })),
    ];
    const encoded = (await encodeRelatedFeatures("key-1", docs))!;
    expect(await writeRelatedFeatures(root, encoded)).toBeNull();
    const read = (await readRelatedFeatures(root, "key-1"))!;
    expect(read.docs).toEqual(docs);
    expect(read.order).toBe(idsDigest(docs.map((each) => each.id)));
    expect(await readRelatedFeatures(root, "key-2")).toBeNull();
    // ASCII bytes, whatever the letters.
    expect(encoded.every((part) => part.every((byte) => byte < 128))).toBe(true);
    // A byte changed: not read.
    const file = path.join(root, CACHE_DIR, "related-features-v1.bin");
    const bytes = await readFile(file);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 2;
    await writeFile(file, bytes);
    expect(await readRelatedFeatures(root, "key-1")).toBeNull();
    // An id that is not its story key and language is not stored.
    expect(await encodeRelatedFeatures("key-1", [{ ...docs[0]!, lang: "en" }])).toBeNull();
  });
});
