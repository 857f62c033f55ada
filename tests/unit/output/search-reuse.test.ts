/**
 * The search index language by language (src/output/search-reuse.ts): a language group whose
 * article pages are, byte for byte and in order, those the last index was made of keeps its
 * files; any other sends Pagefind every one of its pages, in order, the held-back ones included.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { SearchFeeder, reusedEntries, reusedWords, type SearchGroups } from "../../../src/output/search-reuse.js";
import type { SearchIndexer } from "../../../src/output/search-index.js";
import { planSearchSlices } from "../../../src/output/search-slices.js";
import { indexedWords, wordsForState, type WordsByLanguage } from "../../../src/output/search-vocabulary.js";
import { hashText } from "../../../src/util/hash.js";
import { indexedInput } from "../../../src/output/search-vocabulary.js";
import { makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

let root: string | null = null;
afterEach(async () => {
  if (root) await removeTempSite(root);
  root = null;
});

const page = (lang: string, n: number, text = "Text") => `<!doctype html><html lang="${lang}"><head><title>${n}</title></head><body><article data-pagefind-body>${text} ${n}</article></body></html>`;
const href = (lang: string, n: number) => `/${lang}/a-${n}/`;
const output = (lang: string, n: number) => `${lang}/a-${n}/index.html`;
/** A page's hash as the state keeps it: of what Pagefind reads of it. */
const pageHash = (html: string) => hashText(indexedInput(html));

/** An indexer that records what it was given. */
function recorder(): SearchIndexer & { added: [string, string][] } {
  const added: [string, string][] = [];
  return { added, add: async (url, html) => void added.push([url, html]), wordsOf: () => undefined, finish: async () => [], close: async () => undefined };
}

/** The last build's groups: German pages 0-2 and English 0-1, with their files and entry parts. */
function lastGroups(): SearchGroups {
  return {
    de: { pages: [0, 1, 2].map((n) => [href("de", n), pageHash(page("de", n)), output("de", n)]), files: ["pagefind/index/de_1.pf_index", "pagefind/wasm.de.pagefind"], entry: { de: { page_count: 3 } } },
    en: { pages: [0, 1].map((n) => [href("en", n), pageHash(page("en", n)), output("en", n)]), files: ["pagefind/index/en_1.pf_index"], entry: { en: { page_count: 2 } } },
  };
}

/** The last output: each page's file, as the last build wrote it. */
async function lastOutput(): Promise<string> {
  root = await makeTempSite({});
  for (const lang of ["de", "en"]) {
    for (const n of [0, 1, 2]) {
      await mkdir(path.join(root, path.dirname(output(lang, n))), { recursive: true });
      await writeFile(path.join(root, output(lang, n)), page(lang, n));
    }
  }
  return root;
}

describe("SearchFeeder", () => {
  test("languages whose pages are all the last index's, in order, keep their files and send nothing", async () => {
    const indexer = recorder();
    const feeder = new SearchFeeder(indexer, lastGroups(), await lastOutput());
    for (const n of [0, 1, 2]) await feeder.page(href("de", n), output("de", n), "de", null);
    // English: its second page changed (rendered now): its first, held back, is read from the last output.
    await feeder.page(href("en", 0), output("en", 0), "en", null);
    await feeder.page(href("en", 1), output("en", 1), "en", page("en", 1, "Edited"));
    const reused = await feeder.finishArticles(() => true);
    expect([...reused.keys()]).toEqual(["de"]);
    expect(indexer.added).toEqual([
      [href("en", 0), page("en", 0)],
      [href("en", 1), page("en", 1, "Edited")],
    ]);
    expect(reusedEntries(reused)).toEqual({ de: { page_count: 3 } });
  });

  test("pages changed only outside what Pagefind reads (a related list, the navigation) keep their group's files", async () => {
    const indexer = recorder();
    const feeder = new SearchFeeder(indexer, lastGroups(), await lastOutput());
    const withAside = (html: string, aside: string) => html.replace("</article>", `</article><aside>${aside}</aside><nav>Menu</nav>`);
    for (const n of [0, 1, 2]) await feeder.page(href("de", n), output("de", n), "de", withAside(page("de", n), `Related ${n}`));
    // English: its body changed.
    for (const n of [0, 1]) await feeder.page(href("en", n), output("en", n), "en", page("en", n, n === 1 ? "Edited" : "Text"));
    const reused = await feeder.finishArticles(() => true);
    expect([...reused.keys()]).toEqual(["de"]);
    expect(indexer.added.map(([url]) => url)).toEqual([href("en", 0), href("en", 1)]);
  });

  test("a language with a page fewer, a file changed on disk, or new, is indexed in full, in order", async () => {
    const indexer = recorder();
    const feeder = new SearchFeeder(indexer, lastGroups(), await lastOutput());
    // German: the last page gone (the others as they were: held back until the end).
    for (const n of [0, 1]) await feeder.page(href("de", n), output("de", n), "de", n === 1 ? page("de", n) : null);
    // English as it was, but one of its files changed on disk.
    for (const n of [0, 1]) await feeder.page(href("en", n), output("en", n), "en", null);
    // French: not in the last index.
    await feeder.page(href("fr", 0), output("fr", 0), "fr", page("fr", 0));
    const reused = await feeder.finishArticles((file) => file !== "pagefind/index/en_1.pf_index");
    expect(reused.size).toBe(0);
    expect(indexer.added.map(([url]) => url)).toEqual([href("fr", 0), href("de", 0), href("de", 1), href("en", 0), href("en", 1)]);
    expect(indexer.added.every(([url, html]) => html === page(url.split("/")[1]!, Number(url.split("-")[1]!.replace("/", ""))))).toBe(true);
  });

  test("the state: each language's pages, the files named by its code, its entry part; kept groups as they were", async () => {
    const indexer = recorder();
    const feeder = new SearchFeeder(indexer, lastGroups(), await lastOutput());
    for (const n of [0, 1, 2]) await feeder.page(href("de", n), output("de", n), "de", null);
    await feeder.page(href("en", 0), output("en", 0), "en", page("en", 0, "New"));
    const reused = await feeder.finishArticles(() => true);
    const made = ["pagefind/index/en_2.pf_index", "pagefind/fragment/en_3.pf_fragment", "pagefind/pagefind.en_4.pf_meta", "pagefind/wasm.en.pagefind", "pagefind/pagefind.js", "pagefind/wasm.unknown.pagefind"].map((outputPath) => ({ outputPath, body: "x" }));
    made.push({ outputPath: "pagefind/pagefind-entry.json", body: JSON.stringify({ version: "1", languages: { en: { page_count: 1 } } }) });
    const state = feeder.state(made, reused);
    expect(state.de).toEqual(lastGroups().de);
    expect(state.en).toEqual({
      pages: [[href("en", 0), pageHash(page("en", 0, "New")), output("en", 0)]],
      files: ["pagefind/index/en_2.pf_index", "pagefind/fragment/en_3.pf_fragment", "pagefind/pagefind.en_4.pf_meta", "pagefind/wasm.en.pagefind"],
      entry: { en: { page_count: 1 } },
    });
  });

  test("kept pages are not read while their group keeps its files: their hashes are the last index's", async () => {
    const indexer = recorder();
    const dir = await lastOutput();
    // German's files deleted behind the feeder's back: had it read them, it would fail.
    for (const n of [0, 1, 2]) await writeFile(path.join(dir, output("de", n)), "changed");
    const feeder = new SearchFeeder(indexer, lastGroups(), dir);
    for (const n of [0, 1, 2]) await feeder.page(href("de", n), output("de", n), "de", null);
    expect([...(await feeder.finishArticles(() => true)).keys()]).toEqual(["de"]);
    expect(indexer.added).toEqual([]);
    // A kept page the last index did not have is read, hashed and indexed.
    const other = new SearchFeeder(indexer, lastGroups(), dir);
    await other.page(href("en", 2), output("en", 2), "en", null);
    expect(indexer.added).toEqual([[href("en", 2), page("en", 2)]]);
  });

  test("groups of a malformed page state are not trusted", async () => {
    const indexer = recorder();
    // Pages not a list; a file not a path (it would reach path.join).
    const broken = { de: { pages: "nope", files: [], entry: {} }, en: { pages: [[href("en", 0), pageHash(page("en", 0))]], files: [42], entry: {} } } as unknown as SearchGroups;
    const feeder = new SearchFeeder(indexer, broken, await lastOutput());
    await feeder.page(href("de", 0), output("de", 0), "de", null);
    await feeder.page(href("en", 0), output("en", 0), "en", null);
    expect(indexer.added).toHaveLength(2);
    expect((await feeder.finishArticles(() => true)).size).toBe(0);
  });

  describe("a language in slices (each slice holds the language's words)", () => {
    const hrefs = [0, 1, 2, 3, 4, 5].map((n) => href("de", n));
    const slices = planSearchSlices(hrefs.map((each) => ({ lang: "de", href: each })), 2);
    const groupOf = (n: number) => slices.groupOf("de", href("de", n));

    /** An indexer that keeps each slice's words, as the real one does. */
    function slicedRecorder(): SearchIndexer & { added: [string, string][] } {
      const added: [string, string][] = [];
      const words = new Map<string, WordsByLanguage>();
      return {
        added,
        add: async (url, html) => {
          added.push([url, html]);
          const group = slices.groupOf("de", url);
          if (!words.has(group)) words.set(group, new Map([["de", new Set()]]));
          indexedWords(html, words.get(group)!.get("de"));
        },
        wordsOf: (group) => words.get(group),
        finish: async () => [],
        close: async () => undefined,
      };
    }

    /** The last build's slices of German pages 0-5, with their words (or without, as a cache from before the vocabulary). */
    function lastSlices(withWords: boolean): SearchGroups {
      const groups: SearchGroups = {};
      for (const n of [0, 1, 2, 3, 4, 5]) {
        const group = (groups[groupOf(n)] ??= { pages: [], files: [], entry: {}, ...(withWords ? { words: { de: [] } } : {}) });
        group.pages.push([href("de", n), pageHash(page("de", n)), output("de", n)]);
        if (withWords) group.words = wordsForState(new Map([["de", indexedWords(page("de", n), new Set(group.words!.de))]]));
      }
      return groups;
    }

    const file = (n: number) => output("de", n);

    /** The last output: German pages 0-5 as the last build wrote them. */
    async function slicedOutput(): Promise<string> {
      root = await makeTempSite({});
      for (const n of [0, 1, 2, 3, 4, 5]) {
        await mkdir(path.join(root, path.dirname(file(n))), { recursive: true });
        await writeFile(path.join(root, file(n)), page("de", n));
      }
      return root;
    }

    test("pages as they were: every slice keeps its files, its words go on to the language's vocabulary", async () => {
      expect(new Set(hrefs.map((each) => slices.groupOf("de", each))).size).toBeGreaterThan(1);
      const indexer = slicedRecorder();
      const feeder = new SearchFeeder(indexer, lastSlices(true), await slicedOutput(), slices);
      for (const n of [0, 1, 2, 3, 4, 5]) await feeder.page(href("de", n), file(n), "de", null);
      const reused = await feeder.finishArticles(() => true);
      expect([...reused.keys()].sort()).toEqual(Object.keys(lastSlices(true)).sort());
      expect(indexer.added).toEqual([]);
      expect([...(reusedWords(reused).get(groupOf(0))?.get("de") ?? [])].includes("text")).toBe(true);
    });

    test("an edit in the language's words indexes its slice only; a new word indexes every slice", async () => {
      const known = slicedRecorder();
      const dir = await slicedOutput();
      const feeder = new SearchFeeder(known, lastSlices(true), dir, slices);
      for (const n of [0, 1, 2, 3, 4, 5]) await feeder.page(href("de", n), file(n), "de", n === 0 ? page("de", 0, "Text 1") : null);
      const kept = await feeder.finishArticles(() => true);
      expect([...kept.keys()].sort()).toEqual(Object.keys(lastSlices(true)).filter((group) => group !== groupOf(0)).sort());
      const fresh = slicedRecorder();
      const again = new SearchFeeder(fresh, lastSlices(true), dir, slices);
      for (const n of [0, 1, 2, 3, 4, 5]) await again.page(href("de", n), file(n), "de", n === 0 ? page("de", 0, "Neuwort") : null);
      expect((await again.finishArticles(() => true)).size).toBe(0);
      expect(fresh.added.map(([url]) => url).sort()).toEqual([...hrefs].sort());
    });

    test("a last state without the slices' words (or with malformed ones) keeps no slice", async () => {
      for (const last of [lastSlices(false), Object.fromEntries(Object.entries(lastSlices(true)).map(([name, group]) => [name, { ...group, words: { de: [7] } }])) as unknown as SearchGroups]) {
        const indexer = slicedRecorder();
        const feeder = new SearchFeeder(indexer, last, await slicedOutput(), slices);
        for (const n of [0, 1, 2, 3, 4, 5]) await feeder.page(href("de", n), file(n), "de", null);
        expect((await feeder.finishArticles(() => true)).size).toBe(0);
        expect(indexer.added).toHaveLength(6);
        await removeTempSite(root!);
        root = null;
      }
    });
  });
});
