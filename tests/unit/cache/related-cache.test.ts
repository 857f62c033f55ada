import { afterEach, describe, expect, it } from "vitest";
import { readRelatedLists, writeRelatedLists } from "../../../src/cache/related-cache.js";
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
});
