/**
 * Search over an index in slices (output/search-slices.ts): the search page loads its first
 * slice's bundle and merges the others', so a query finds the pages of every slice. The real
 * site is sliced with GAZETTE_SEARCH_SLICE_PAGES=2: German and English in three bundles each.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTestSite, type BuiltSite } from "../quality/support/sites.js";
import { BROWSER_TIMEOUT, launchBrowser, serve, type Browser, type Served } from "./support/browser.js";

let site: BuiltSite;
let server: Served;
let browser: Browser;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  process.env.GAZETTE_SEARCH_SLICE_PAGES = "2";
  try {
    site = await buildTestSite("real");
  } finally {
    delete process.env.GAZETTE_SEARCH_SLICE_PAGES;
  }
  server = await serve(site.out);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on("request", (request) => void requests.push(request.url()));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site?.remove();
});

/** Types a query and returns the result links once the message line counts them. */
async function search(path: string, query: string): Promise<string[]> {
  await page.goto(`${server.origin}${path}`);
  const input = page.locator(".pagefind-ui__search-input");
  await input.waitFor({ state: "visible" });
  await input.fill(query);
  await page.locator(".pagefind-ui__result-link").first().waitFor({ state: "visible", timeout: BROWSER_TIMEOUT });
  await page.waitForFunction(`document.querySelectorAll(".pagefind-ui__result-link").length > 0 && /\\d/.test(document.querySelector(".pagefind-ui__message")?.textContent ?? "")`);
  return page.locator(".pagefind-ui__result-link").evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
}

describe("search over an index in slices", () => {
  test.each([
    ["de", "/de/suche/", "/de/trump-und-putin-scheitern-mit-waffenstillstandsabkommen-bei-treffen-in-alaska/"],
    ["en", "/en/search/", "/en/trump-and-putin-fail-to-reach-a-ceasefire-agreement-at-alaska-meeting/"],
  ])("%s: the search page merges every slice: “Putin” finds all five articles, “Alaska” the Alaska article first", async (lang, path, alaska) => {
    const merged = (await page.goto(`${server.origin}${path}`).then(() => page.getAttribute("#search", "data-merge"))) ?? "";
    expect(merged.split(" ").filter(Boolean).length).toBeGreaterThan(0);
    const all = await search(path, "Putin");
    // Results and their sections (links with a #fragment): five articles.
    expect(new Set(all.map((href) => href.split("#")[0])).size).toBe(5);
    for (const href of all) expect(href).toMatch(new RegExp(`^/${lang}/`));
    expect((await search(path, "Alaska"))[0]).toBe(alaska);
    // Every merged bundle was loaded.
    for (const bundle of merged.split(" ")) expect(requests.some((url) => url.startsWith(`${server.origin}${bundle}`)), bundle).toBe(true);
  }, 60_000);
});
