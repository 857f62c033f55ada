/**
 * Search over an index in slices (output/search-slices.ts): the search page loads its first
 * slice's bundle and merges the others', so a query finds the pages of every slice. The real
 * site is sliced with GAZETTE_SEARCH_SLICE_PAGES=2: German and English in three bundles each.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { axeScript } from "./support/browser.js";
import { openSearchSession, searchFor, type SearchSession } from "./support/search.js";

let session: SearchSession;
let page: Page;

beforeAll(async () => {
  session = await openSearchSession({ GAZETTE_SEARCH_SLICE_PAGES: "2" });
  ({ page } = session);
}, 120_000);

afterAll(async () => {
  await session?.close();
});

/** The result links' URLs for a query on the search page at `path`. */
const search = async (path: string, query: string) => (await searchFor(page, `${session.server.origin}${path}`, query)).map((result) => result.href);

describe("search over an index in slices", () => {
  test.each([
    ["de", "/de/suche/", "/de/trump-und-putin-scheitern-mit-waffenstillstandsabkommen-bei-treffen-in-alaska/"],
    ["en", "/en/search/", "/en/trump-and-putin-fail-to-reach-a-ceasefire-agreement-at-alaska-meeting/"],
  ])("%s: the search page merges every slice: “Putin” finds all five articles, “Alaska” the Alaska article first", async (lang, path, alaska) => {
    const merged = (await page.goto(`${session.server.origin}${path}`).then(() => page.getAttribute("#search", "data-merge"))) ?? "";
    expect(merged.split(" ").filter(Boolean).length).toBeGreaterThan(0);
    const all = await search(path, "Putin");
    // Results and their sections (links with a #fragment): five articles.
    expect(new Set(all.map((href) => href.split("#")[0])).size).toBe(5);
    for (const href of all) expect(href).toMatch(new RegExp(`^/${lang}/`));
    expect((await search(path, "Alaska"))[0]).toBe(alaska);
    // Every merged bundle was loaded.
    for (const bundle of merged.split(" ")) expect(session.requests.some((url) => url.startsWith(`${session.server.origin}${bundle}`)), bundle).toBe(true);
  }, 60_000);

  // Words of one German article that the other slices lack, each starting with a word they hold
  // ("Waffenstillstand…", "Friedens…"): without the language's vocabulary in every slice,
  // Pagefind's fallback in those slices added 2-3 loose results to each.
  test.each(["Waffenstillstandsabkommen", "Friedensvereinbarung", "Gesprächszyklus", "Anchorage"])("de: “%s” finds the articles that hold it, as one index does, and never the vocabulary", async (word) => {
    const results = await search("/de/suche/", word);
    const message = await page.locator(".pagefind-ui__message").textContent();
    const holding = await articlesHolding("de", word);
    expect(holding.length).toBeGreaterThan(0);
    expect(Number(/\d+/.exec(message ?? "")?.[0])).toBe(holding.length);
    expect([...new Set(results.map((href) => href.split("#")[0]))].sort()).toEqual(holding);
    expect(results.some((href) => href.includes("vocabulary"))).toBe(false);
    expect(await page.evaluate<string>(`getComputedStyle(document.querySelector(".pagefind-ui__filter-panel")).display`)).toBe("none");
  }, 60_000);
});

describe("the search page of a language in slices, with results on screen", () => {
  test("0 axe violations, every rule on (the hidden filter panel and the merged results included)", async () => {
    await search("/de/suche/", "Putin");
    await page.addScriptTag({ content: axeScript() });
    const violations = await page.evaluate<string[]>(`axe.run(document, { resultTypes: ["violations"], rules: Object.fromEntries(axe.getRules().map((rule) => [rule.ruleId, { enabled: true }])) }).then((r) => r.violations.map((v) => v.id + ": " + v.help + " at " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")))`);
    expect(violations).toEqual([]);
  }, 60_000);
});

/** The URLs of the article pages of `lang` whose indexed text (the data-pagefind-body element) holds `word`. */
async function articlesHolding(lang: string, word: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(session.site.out, lang), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const html = await readFile(path.join(session.site.out, lang, entry.name, "index.html"), "utf8").catch(() => "");
    const at = html.indexOf("data-pagefind-body");
    if (at < 0) continue;
    const text = html.slice(at, html.indexOf("</article>", at)).replace(/<[^>]*>/g, " ").toLowerCase();
    if (text.includes(word.toLowerCase())) found.push(`/${lang}/${entry.name}/`);
  }
  return found.sort();
}
