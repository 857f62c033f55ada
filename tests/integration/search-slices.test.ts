/**
 * A language with more article pages than the slice size is indexed in slices, each a Pagefind
 * bundle of its own that the search page merges; an edit indexes its page's slice again and
 * keeps the other slices' files (and the main bundle's) as they were. The five-story site is
 * sliced here with GAZETTE_SEARCH_SLICE_PAGES=2 (the config allows no slices that small): German
 * and English (5 pages each) get four slices, French (2 pages) stays in the main bundle. Each
 * slice of a language in several also holds a record of the language's words (see
 * output/search-vocabulary.ts), so a slice is kept only while those words are. Every output
 * equals a build without the cache.
 */
import { readFile, stat, writeFile, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../../src/build.js";
import { OUTPUT_MARKER } from "../../src/output/write-output.js";
import { sliceCount, sliceOf } from "../../src/output/search-slices.js";
import { copyProject, makeTempSite, removeTempSite } from "../helpers/temp-site.js";
import { readTree } from "../quality/support/tree.js";

let root: string;

beforeAll(async () => {
  process.env.SOURCE_DATE_EPOCH = "1755734400";
  root = await makeTempSite({});
  await copyProject(root);
  process.env.GAZETTE_SEARCH_SLICE_PAGES = "2";
});

afterAll(async () => {
  delete process.env.GAZETTE_SEARCH_SLICE_PAGES;
  delete process.env.SOURCE_DATE_EPOCH;
  await removeTempSite(root);
});

const abs = (relative: string) => path.join(root, relative);

async function siteFiles(dir: string): Promise<Map<string, Buffer>> {
  const files = await readTree(dir);
  files.delete(OUTPUT_MARKER);
  return files;
}

async function expectSameAsUncached(): Promise<void> {
  await buildSite({ root, out: abs("cold"), cache: false });
  const [warm, cold] = await Promise.all([siteFiles(abs("public")), siteFiles(abs("cold"))]);
  expect([...warm.keys()].sort()).toEqual([...cold.keys()].sort());
  for (const [file, bytes] of cold) expect(warm.get(file)!.equals(bytes), file).toBe(true);
}

/** The slice bundles of the output by folder ("pagefind/de-2/"), with their entry files' contents. */
function sliceBundles(files: Map<string, Buffer>): Map<string, { languages: Record<string, { page_count: number }> }> {
  const bundles = new Map<string, { languages: Record<string, { page_count: number }> }>();
  for (const [file, bytes] of files) {
    const match = /^(pagefind\/[a-z]+-\d+\/)pagefind-entry\.json$/.exec(file);
    if (match) bundles.set(match[1]!, JSON.parse(bytes.toString("utf8")) as { languages: Record<string, { page_count: number }> });
  }
  return bundles;
}

/** The article pages' URLs of a language, from the output's sitemap-free view: every `<lang>/<slug>/index.html` with an article. */
function articleHrefs(files: Map<string, Buffer>, lang: string): string[] {
  return [...files].filter(([file, bytes]) => file.startsWith(`${lang}/`) && file.endsWith("/index.html") && bytes.includes("data-pagefind-body")).map(([file]) => `/${file.slice(0, -"index.html".length)}`);
}

describe("the search index in slices", () => {
  test("German and English get a bundle per slice, which their search pages merge; French stays in the main bundle", async () => {
    await buildSite({ root, cache: true });
    const files = await siteFiles(abs("public"));
    const bundles = sliceBundles(files);
    for (const lang of ["de", "en"]) {
      const hrefs = articleHrefs(files, lang);
      expect(hrefs).toHaveLength(5);
      const count = sliceCount(hrefs.length, 2);
      expect(count).toBe(4);
      // Every page in the bundle of its slice: each slice's bundle counts its pages, and its vocabulary record.
      const expected = new Map<string, number>();
      for (const href of hrefs) {
        const bundle = `pagefind/${lang}-${sliceOf(href, count)}/`;
        expected.set(bundle, (expected.get(bundle) ?? 1) + 1);
      }
      const made = [...bundles].filter(([bundle]) => bundle.startsWith(`pagefind/${lang}-`));
      expect(new Map(made.map(([bundle, entry]) => [bundle, entry.languages[lang]?.page_count]))).toEqual(expected);
      for (const [, entry] of made) expect(Object.keys(entry.languages)).toEqual([lang]);
      // The search page loads the first slice's bundle and merges the others'.
      const searchPage = files.get(lang === "de" ? "de/suche/index.html" : "en/search/index.html")!.toString();
      const [first, ...rest] = [...expected.keys()].sort();
      expect(searchPage).toContain(`data-bundle-path="/${first}"`);
      expect(searchPage).toContain(`data-merge="${rest.map((bundle) => `/${bundle}`).join(" ")}"`);
      expect(searchPage).toContain(`<link rel="stylesheet" href="/${first}pagefind-ui.css">`);
    }
    const main = JSON.parse(files.get("pagefind/pagefind-entry.json")!.toString()) as { languages: Record<string, { page_count: number }> };
    expect(Object.keys(main.languages)).toEqual(["fr"]);
    expect(main.languages.fr!.page_count).toBe(2);
    expect(files.get("fr/recherche/index.html")!.toString()).not.toContain("data-merge");
    await expectSameAsUncached();
  }, 60_000);

  test("a German body edit in the language's words indexes its slice again and keeps every other slice's files and French's", async () => {
    const before = await siteFiles(abs("public"));
    const story = "trump-putin-telefonat-ohne-fortschritte";
    const page = articleHrefs(before, "de").find((href) => href.includes("telefonat"))!;
    expect(page).toBeDefined();
    const edited = `pagefind/de-${sliceOf(page, 4)}/`;
    // The other slices' bundles, and the main bundle's French files (its scripts and entry file are made again, the same bytes).
    const kept = [...before.keys()].filter((file) => (/^pagefind\/[a-z]+-\d+\//.test(file) && !file.startsWith(edited)) || /^pagefind\/(?:fragment\/|index\/|pagefind\.|wasm\.)fr[._]/.test(file));
    expect(kept.filter((file) => file.includes("fr")).length).toBeGreaterThan(3);
    expect(kept.length).toBeGreaterThan(40);
    const inodes = new Map(await Promise.all(kept.map(async (file) => [file, (await stat(abs(`public/${file}`))).ino] as const)));
    const file = abs(`articles/${story}/de.md`);
    // Words the German articles hold already: the language's vocabulary stays as it was.
    await writeFile(file, `${(await readFile(file, "utf8")).trimEnd()}\n\nDas ist aber auch so.\n`);
    await buildSite({ root, cache: true });
    for (const [name, inode] of inodes) expect((await stat(abs(`public/${name}`))).ino, name).toBe(inode);
    const after = await siteFiles(abs("public"));
    // The edited slice was indexed again: its entry names a new index.
    expect(after.get(`${edited}pagefind-entry.json`)!.equals(before.get(`${edited}pagefind-entry.json`)!)).toBe(false);
    await expectSameAsUncached();
  }, 60_000);

  test("a German edit that adds a word to the language indexes every German slice again, and keeps English's and French's", async () => {
    const before = await siteFiles(abs("public"));
    const german = [...before.keys()].filter((file) => /^pagefind\/de-\d+\/pagefind-entry\.json$/.test(file));
    expect(german.length).toBeGreaterThan(1);
    const kept = [...before.keys()].filter((file) => /^pagefind\/en-\d+\//.test(file) || /^pagefind\/(?:fragment\/|index\/|pagefind\.|wasm\.)fr[._]/.test(file));
    const inodes = new Map(await Promise.all(kept.map(async (file) => [file, (await stat(abs(`public/${file}`))).ino] as const)));
    const file = abs("articles/trump-putin-telefonat-ohne-fortschritte/de.md");
    await writeFile(file, `${(await readFile(file, "utf8")).trimEnd()}\n\nBeobachter nannten das Gespräch zähflüssig.\n`);
    await buildSite({ root, cache: true });
    for (const [name, inode] of inodes) expect((await stat(abs(`public/${name}`))).ino, name).toBe(inode);
    const after = await siteFiles(abs("public"));
    // Every German slice was indexed again: each entry names a new index (its vocabulary grew).
    for (const entry of german) expect(after.get(entry)!.equals(before.get(entry)!), entry).toBe(false);
    await expectSameAsUncached();
  }, 60_000);

  test("a French edit makes the main bundle again and keeps every slice; stories added and removed move the slices", async () => {
    const before = await siteFiles(abs("public"));
    const slices = [...before.keys()].filter((file) => /^pagefind\/[a-z]+-\d+\//.test(file));
    const inodes = new Map(await Promise.all(slices.map(async (file) => [file, (await stat(abs(`public/${file}`))).ino] as const)));
    const file = abs("articles/trump-putin-alaska-gipfel-ohne-waffenstillstand/fr.md");
    await writeFile(file, `${(await readFile(file, "utf8")).trimEnd()}\n\nLes deux délégations ont quitté Anchorage le soir même.\n`);
    await buildSite({ root, cache: true });
    for (const [name, inode] of inodes) expect((await stat(abs(`public/${name}`))).ino, name).toBe(inode);
    await expectSameAsUncached();

    await mkdir(abs("articles/neue-geschichte"), { recursive: true });
    await writeFile(abs("articles/neue-geschichte/de.md"), "---\ntitle: Neue Gespräche über die Ukraine in Berlin\ndate: 2025-08-20\nauthor: Erika Muster\ntags: [Ukraine, Berlin]\n---\n\nDie Gespräche über die Ukraine gingen am Mittwoch in Berlin weiter, sagten Teilnehmer.\n");
    await writeFile(abs("articles/neue-geschichte/fr.md"), "---\ntitle: Nouvelles discussions sur l’Ukraine à Berlin\ndate: 2025-08-20\nauthor: Erika Muster\nlanguage: fr\ntags: [Ukraine, Berlin]\n---\n\nLes discussions sur l’Ukraine ont repris mercredi à Berlin, selon les participants.\n");
    await buildSite({ root, cache: true });
    await expectSameAsUncached();
    // Six German pages: still four slices (the new page in one of them). Three French pages:
    // French is sliced too, and with no language left in it, the main bundle is gone.
    const grown = await siteFiles(abs("public"));
    expect(articleHrefs(grown, "de")).toHaveLength(6);
    expect([...sliceBundles(grown).keys()].some((bundle) => bundle.startsWith("pagefind/fr-"))).toBe(true);
    expect(grown.has("pagefind/pagefind-entry.json")).toBe(false);
    expect(grown.get("fr/recherche/index.html")!.toString()).toContain('data-bundle-path="/pagefind/fr-');
    await rm(abs("articles/trump-offen-fuer-treffen-mit-putin"), { recursive: true });
    await rm(abs("articles/neue-geschichte"), { recursive: true });
    await buildSite({ root, cache: true });
    await expectSameAsUncached();
    // Four German pages: two slices; French back in the main bundle.
    const shrunk = await siteFiles(abs("public"));
    const bundles = sliceBundles(shrunk);
    expect([...bundles.keys()].filter((bundle) => bundle.startsWith("pagefind/de-")).every((bundle) => /de-[01]\/$/.test(bundle))).toBe(true);
    expect([...bundles.keys()].some((bundle) => bundle.startsWith("pagefind/fr-"))).toBe(false);
    expect(Object.keys((JSON.parse(shrunk.get("pagefind/pagefind-entry.json")!.toString()) as { languages: object }).languages)).toEqual(["fr"]);
  }, 120_000);
});
