/**
 * The hostile corpus (tests/fixtures/hostile/, the fixtures that render) in a real browser: every
 * page is parsed by Chromium itself, so parser differences (mutation XSS) cannot hide a payload
 * that a static check passed. No page opens a dialog, sets the payloads' `window.__pwned`, throws,
 * or holds an event handler, a foreign script or a javascript:/data: link as the browser sees it;
 * search results for the hostile titles render as text too.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTestSite, type BuiltSite } from "../quality/support/sites.js";
import { launchBrowser, serve, type Browser, type Served } from "./support/browser.js";

const site: BuiltSite = await buildTestSite("hostile");
const pages = (await readdir(site.out, { recursive: true, withFileTypes: true }))
  .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
  .map((entry) => path.relative(site.out, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
  .filter((file) => !file.startsWith("pagefind/"))
  .map((file) => `/${file.replace(/(^|\/)index\.html$/, "$1")}`)
  .sort();

let server: Served;
let browser: Browser;
let page: Page;
/** What the payloads would do if they ran: dialogs, errors. Cleared per test. */
let incidents: string[] = [];

beforeAll(async () => {
  server = await serve(site.out);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on("dialog", (dialog) => {
    incidents.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => void incidents.push(`page error: ${error.message}`));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site.remove();
});

/**
 * The page as Chromium parsed it: handlers, scripts and URLs that could run. Pagefind's own search
 * form (a <form action="javascript:void(0);"> of its UI, not content) is the one exception.
 */
const UNSAFE_IN_DOM = `(() => {
  const problems = [];
  if (window.__pwned !== undefined) problems.push("window.__pwned = " + window.__pwned);
  const pagefindForm = (element) => element.localName === "form" && element.parentElement?.closest(".pagefind-ui") !== null && element.getAttribute("action") === "javascript:void(0);";
  for (const element of document.querySelectorAll("*")) {
    if (pagefindForm(element)) continue;
    for (const name of element.getAttributeNames()) if (name.toLowerCase().startsWith("on")) problems.push("<" + element.localName + " " + name + ">");
    for (const name of ["href", "src", "action", "formaction", "xlink:href", "poster", "data"]) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      let protocol;
      try { protocol = new URL(value, location.href).protocol; } catch { continue; }
      if (["javascript:", "data:", "vbscript:", "file:"].includes(protocol)) problems.push("<" + element.localName + " " + name + "=" + value.slice(0, 60) + ">");
    }
  }
  for (const script of document.scripts) {
    const own = script.type === "application/ld+json" || /\\/(assets\\/[\\w-]+\\.[0-9a-f]{8}\\.js|pagefind\\/pagefind-ui\\.js)$/.test(script.src);
    if (!own) problems.push("script: " + script.outerHTML.slice(0, 80));
  }
  for (const tag of ["iframe", "object", "embed", "form", "base", "svg", "math", "style"]) {
    for (const element of document.body.querySelectorAll(tag)) if (!pagefindForm(element)) problems.push("<" + tag + "> in the body");
  }
  return problems;
})()`;

describe("hostile pages in Chromium", () => {
  test("the corpus built into pages", () => {
    expect(pages.length).toBeGreaterThan(30);
  });

  test.each(pages)("%s runs nothing hostile", async (urlPath) => {
    incidents = [];
    const response = await page.goto(`${server.origin}${urlPath}`, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    // Give handlers that fire on load or focus their chance: focus every focusable element once.
    await page.evaluate<void>(`(() => { for (const element of document.querySelectorAll("a, button, input, [tabindex], details")) element.focus(); })()`);
    expect(await page.evaluate<string[]>(UNSAFE_IN_DOM)).toEqual([]);
    expect(incidents).toEqual([]);
  }, 60_000);

  test.each([
    ["onerror", "/en/search/"],
    ["script", "/en/search/"],
    ["Bericht", "/de/suche/"],
  ])("searching “%s” shows hostile titles as text", async (query, searchPath) => {
    incidents = [];
    await page.goto(`${server.origin}${searchPath}`);
    const input = page.locator(".pagefind-ui__search-input");
    await input.waitFor({ state: "visible" });
    await input.fill(query);
    await page.locator(".pagefind-ui__result-link").first().waitFor({ state: "visible" });
    await page.waitForFunction(`/\\d/.test(document.querySelector(".pagefind-ui__message")?.textContent ?? "")`);
    expect(await page.evaluate<string[]>(UNSAFE_IN_DOM)).toEqual([]);
    expect(await page.locator(".pagefind-ui__results img, .pagefind-ui__results script").count()).toBe(0);
    expect(incidents).toEqual([]);
  }, 60_000);
});
