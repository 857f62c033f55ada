/**
 * The real site with JavaScript switched off in the browser: the same reader's journey works (the
 * site is plain links and HTML), and the search page, the one page that needs script, says so and
 * offers the topics instead.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildTestSite, type BuiltSite } from "../quality/support/sites.js";
import { launchBrowser, serve, type Browser, type Served } from "./support/browser.js";
import { walkJourney } from "./support/journey.js";

let site: BuiltSite;
let server: Served;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  site = await buildTestSite("real");
  server = await serve(site.out);
  browser = await launchBrowser({ javaScript: false });
  page = await browser.context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site?.remove();
});

test("scripts really are off: the search page's script never runs", async () => {
  await page.goto(`${server.origin}/en/search/`);
  expect(await page.evaluate<string>("typeof PagefindUI")).toBe("undefined");
  expect(await page.locator(".pagefind-ui").count()).toBe(0);
}, 60_000);

test("the reader's journey works without JavaScript", async () => {
  const visited = await walkJourney(page, server.origin);
  expect(visited).toHaveLength(7);
}, 90_000);

test.each([
  ["de", "/de/suche/", "/de/themen/"],
  ["en", "/en/search/", "/en/topics/"],
  ["fr", "/fr/recherche/", "/fr/sujets/"],
])("the %s search page explains that search needs JavaScript and links the topics", async (_lang, searchPath, topicsPath) => {
  await page.goto(`${server.origin}${searchPath}`);
  const notice = page.locator("noscript .notice, .notice").first();
  expect(await notice.boundingBox(), "the notice is rendered").not.toBeNull();
  const link = page.locator(`.notice a[href="${topicsPath}"]`);
  expect(await link.boundingBox(), "the topics link is rendered").not.toBeNull();
  await link.click();
  await page.waitForURL(`${server.origin}${topicsPath}`);
  expect(await page.locator(".group-list a").count()).toBeGreaterThan(3);
}, 60_000);
