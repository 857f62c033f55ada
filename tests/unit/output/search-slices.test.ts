import { describe, expect, test } from "vitest";
import { MAIN_BUNDLE, isSliceGroup, planSearchSlices, primaryLanguage, searchSlicePages, sliceCount, sliceLanguage, sliceNumber, sliceOf } from "../../../src/output/search-slices.js";

const pages = (lang: string, count: number) => Array.from({ length: count }, (_, i) => ({ lang, href: `/${lang}/story-${i}/` }));

describe("search slices", () => {
  test("the number of slices: the smallest power of two that keeps each within the size", () => {
    expect([0, 1, 2000, 2001, 4000, 4001, 10_000, 16_001].map((n) => sliceCount(n, 2000))).toEqual([1, 1, 1, 2, 2, 4, 8, 16]);
  });

  test("a page's slice depends on its URL alone, and a slice splits in two when the count doubles", () => {
    const hrefs = pages("de", 1000).map((page) => page.href);
    for (const href of hrefs) {
      expect(sliceOf(href, 8)).toBe(sliceOf(href, 8));
      expect(sliceOf(href, 16) % 8).toBe(sliceOf(href, 8));
    }
    // Spread evenly enough: no slice of 8 holds more than twice its share of 1,000 pages.
    const sizes = new Array<number>(8).fill(0);
    for (const href of hrefs) sizes[sliceOf(href, 8)]!++;
    expect(Math.max(...sizes)).toBeLessThan(250);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
  });

  test("languages within the size share the main bundle; a larger one gets a bundle per slice, merged by its search page", () => {
    const slices = planSearchSlices([...pages("de", 9), ...pages("fr", 3), ...pages("de-AT", 1)], 4);
    expect(slices.groupOf("fr", "/fr/story-0/")).toBe("fr");
    expect(slices.bundleOf("fr")).toBe(MAIN_BUNDLE);
    expect(slices.bundlesFor("fr")).toEqual({ primary: MAIN_BUNDLE, merged: [] });
    expect(slices.bundlesFor("en")).toEqual({ primary: MAIN_BUNDLE, merged: [] }); // no pages at all
    // German and its regional variant: 10 pages, 4 slices.
    const groups = [...pages("de", 9), ...pages("de-AT", 1)].map((page) => slices.groupOf(page.lang, page.href));
    for (const group of groups) expect(group).toMatch(/^de-[0-3]$/);
    const used = [...new Set(groups)].sort();
    const { primary, merged } = slices.bundlesFor("de-AT");
    expect([primary, ...merged]).toEqual(used.map((group) => `pagefind/${group}/`));
    expect(slices.groupsOf("de")).toEqual(used);
    expect(slices.groupsOf("fr")).toEqual([]);
    expect([slices.splits("de-AT"), slices.splits("fr")]).toEqual([used.length > 1, false]);
    expect(slices.bundleOf("de-2")).toBe("pagefind/de-2/");
  });

  test("a slice no page falls in has no bundle to merge", () => {
    const href = "/de/only/";
    const slices = planSearchSlices([{ lang: "de", href }, { lang: "de", href }, { lang: "de", href }], 1);
    expect(slices.bundlesFor("de")).toEqual({ primary: `pagefind/de-${sliceOf(href, 4)}/`, merged: [] });
  });

  test("group names: a slice ends in its number, a language does not", () => {
    expect(isSliceGroup("de-3")).toBe(true);
    expect(isSliceGroup("de")).toBe(false);
    expect([sliceLanguage("de-3"), sliceNumber("de-3"), sliceNumber("pt-12")]).toEqual(["de", 3, 12]);
    expect(primaryLanguage("pt-BR")).toBe("pt");
  });

  test("the slice size: the config's, unless GAZETTE_SEARCH_SLICE_PAGES sets one", () => {
    expect(searchSlicePages(0, {})).toBe(0);
    expect(searchSlicePages(2000, {})).toBe(2000);
    expect(searchSlicePages(0, { GAZETTE_SEARCH_SLICE_PAGES: "2" })).toBe(2);
    expect(searchSlicePages(2000, { GAZETTE_SEARCH_SLICE_PAGES: "0" })).toBe(0);
    expect(searchSlicePages(2000, { GAZETTE_SEARCH_SLICE_PAGES: "many" })).toBe(2000);
  });
});
