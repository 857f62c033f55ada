/**
 * Search: each language's search page runs Pagefind over the built files alone (served statically,
 * every other host blocked), finds the right article for a query, and only in the page's language.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openSearchSession, searchFor, type SearchSession } from "./support/search.js";

let session: SearchSession;
let page: Page;
/** Requests the pages made, to show search works from the site's own files. */
let requests: string[];

beforeAll(async () => {
  session = await openSearchSession();
  ({ page, requests } = session);
}, 120_000);

afterAll(async () => {
  await session?.close();
});

const search = (path: string, query: string) => searchFor(page, `${session.server.origin}${path}`, query);

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
    await page.goto(`${session.server.origin}/en/search/`);
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
    const foreign = requests.filter((url) => !url.startsWith(`${session.server.origin}/`) && !url.startsWith("data:") && !url.startsWith("blob:"));
    expect(requests.some((url) => url.includes("/pagefind/"))).toBe(true);
    expect(foreign).toEqual([]);
  });
});
