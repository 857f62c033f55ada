/**
 * Search: each language's search page runs Pagefind over the built files alone (served statically,
 * every other host blocked), finds the right article for a query, and only in the page's language.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTestSite, type BuiltSite } from "../quality/support/sites.js";
import { BROWSER_TIMEOUT, launchBrowser, serve, type Browser, type Served } from "./support/browser.js";

let site: BuiltSite;
let server: Served;
let browser: Browser;
let page: Page;
/** Requests the pages made, to show search works from the site's own files. */
const requests: string[] = [];

beforeAll(async () => {
  site = await buildTestSite("real");
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

interface Result {
  href: string;
  title: string;
}

/** Types a query into the search page and returns the result links once they are shown. */
async function search(path: string, query: string): Promise<Result[]> {
  await page.goto(`${server.origin}${path}`);
  const input = page.locator(".pagefind-ui__search-input");
  await input.waitFor({ state: "visible" });
  await input.fill(query);
  await page.locator(".pagefind-ui__result-link").first().waitFor({ state: "visible", timeout: BROWSER_TIMEOUT });
  // Results arrive in one render, but wait until the message line agrees with the list.
  await page.waitForFunction(`document.querySelectorAll(".pagefind-ui__result-link").length > 0 && /\\d/.test(document.querySelector(".pagefind-ui__message")?.textContent ?? "")`);
  return page.locator(".pagefind-ui__result-link").evaluateAll((links) => links.map((link) => ({ href: link.getAttribute("href") ?? "", title: link.textContent?.trim() ?? "" })));
}

describe("search (Pagefind) on the built site", () => {
  test.each([
    ["de", "/de/suche/", "/de/trump-und-putin-scheitern-mit-waffenstillstandsabkommen-bei-treffen-in-alaska/"],
    ["en", "/en/search/", "/en/trump-and-putin-fail-to-reach-a-ceasefire-agreement-at-alaska-meeting/"],
    ["fr", "/fr/recherche/", "/fr/trump-et-poutine-echouent-a-conclure-un-accord-de-cessez-le-feu-lors-de-leur/"],
  ])("%s: typing “Alaska” shows the Alaska article first, and only articles in that language", async (lang, path, expected) => {
    const results = await search(path, "Alaska");
    expect(results[0]?.href).toBe(expected);
    expect(results[0]?.title).toMatch(/Alaska/);
    for (const result of results) expect(result.href, result.title).toMatch(new RegExp(`^/${lang}/`));
    // The input has an accessible name (Pagefind gives it only a title).
    expect(await page.getAttribute(".pagefind-ui__search-input", "aria-label")).toBeTruthy();
  }, 60_000);

  test("a word only the German articles use finds nothing on the English page", async () => {
    await page.goto(`${server.origin}/en/search/`);
    const input = page.locator(".pagefind-ui__search-input");
    await input.waitFor({ state: "visible" });
    await input.fill("Waffenstillstandsabkommen");
    // Pagefind says "Searching for …" first, then "No results for …" (English UI on the English page).
    await page.waitForFunction(`/^No results/.test(document.querySelector(".pagefind-ui__message")?.textContent?.trim() ?? "")`);
    expect(await page.locator(".pagefind-ui__result-link").count()).toBe(0);
    const german = await search("/de/suche/", "Waffenstillstandsabkommen");
    expect(german.length).toBeGreaterThan(0);
  }, 60_000);

  test("search needs nothing but the site's own files", () => {
    const foreign = requests.filter((url) => !url.startsWith(`${server.origin}/`) && !url.startsWith("data:") && !url.startsWith("blob:"));
    expect(requests.some((url) => url.includes("/pagefind/"))).toBe(true);
    expect(foreign).toEqual([]);
  });
});
