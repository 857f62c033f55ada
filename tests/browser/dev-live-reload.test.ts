/**
 * `gazette dev` in Chromium: a save reloads the open page, a broken save shows the error overlay
 * over the last good page, a fix hides it, a stylesheet edit swaps the stylesheet in place, and a
 * page whose URL a title edit moved is followed there.
 */
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev/dev-server.js";
import { REPO_ROOT, copyProject, makeTempSite, removeTempSite } from "../helpers/temp-site.js";
import { launchBrowser, type Browser } from "./support/browser.js";

const FILE = "articles/trump-offen-fuer-treffen-mit-putin/de.md";
let root: string;
let dev: DevServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  root = await makeTempSite({});
  await copyProject(root);
  await mkdir(path.join(root, "templates/assets"), { recursive: true });
  await cp(path.join(REPO_ROOT, "templates/assets/style.css"), path.join(root, "templates/assets/style.css"));
  dev = await startDevServer({ root, host: "127.0.0.1", port: 0, strictPort: true, debounceMs: 30, log: () => undefined });
  await dev.ready;
  browser = await launchBrowser();
  page = await browser.context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await dev?.close();
  await removeTempSite(root);
});

describe("gazette dev in the browser", () => {
  test("save -> reload; broken save -> overlay over the last good page; fix -> overlay gone; CSS -> swapped without reload", async () => {
    const origin = `http://127.0.0.1:${dev.port}`;
    await page.goto(`${origin}/de/trump-offen-fuer-treffen-mit-putin-in-russland-und-den-usa/`);
    // Wait until the event stream is open, so no change is missed.
    await expect.poll(() => dev.hub.size, { timeout: 20_000 }).toBe(1);
    const good = await readFile(path.join(root, FILE), "utf8");

    // Editing the body: the page reloads by itself and shows it.
    const edited = good.replace("US-Präsident Donald Trump", "US-Präsident Donald J. Trump");
    await writeFile(path.join(root, FILE), edited);
    await page.waitForFunction("document.body.textContent.includes('Donald J. Trump')", undefined, { timeout: 20_000 });

    // A broken save: the overlay names the file and line; the page behind it stays.
    await writeFile(path.join(root, FILE), edited.replace(/^title: .*$/m, 'title: "Unclosed'));
    const overlay = page.locator("#gazette-dev-overlay");
    await overlay.waitFor({ state: "visible", timeout: 20_000 });
    expect(await overlay.getAttribute("role")).toBe("alert");
    expect(await overlay.textContent()).toMatch(/trump-offen-fuer-treffen-mit-putin\/de\.md:\d+:\d+ FrontmatterError/);
    expect(await page.locator("h1").textContent()).toContain("Trump offen für Treffen mit Putin");

    // The fix (back to the last good text, so no page changes and nothing reloads): the overlay goes.
    await writeFile(path.join(root, FILE), edited);
    await overlay.waitFor({ state: "detached", timeout: 20_000 });
    expect(await page.evaluate("document.body.textContent.includes('Donald J. Trump')")).toBe(true);

    // A stylesheet edit: swapped in place; the page is not reloaded (a marker on window survives).
    await page.evaluate("window.__gazetteMarker = 42");
    const css = path.join(root, "templates/assets/style.css");
    await writeFile(css, `${await readFile(css, "utf8")}\nbody { outline: 3px solid rgb(1, 2, 3); }\n`);
    await page.waitForFunction("getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'", undefined, { timeout: 20_000 });
    expect(await page.evaluate("window.__gazetteMarker")).toBe(42);
  });

  test("a title edit that moves the page: the browser follows it to its new URL", async () => {
    const origin = `http://127.0.0.1:${dev.port}`;
    await page.goto(`${origin}/de/trump-offen-fuer-treffen-mit-putin-in-russland-und-den-usa/#weiter`);
    await expect.poll(() => dev.hub.size, { timeout: 20_000 }).toBe(1);
    const source = await readFile(path.join(root, FILE), "utf8");
    await writeFile(path.join(root, FILE), source.replace(/^title: .*$/m, "title: Trump offen für ein Gipfeltreffen"));
    await page.waitForURL(`${origin}/de/trump-offen-fuer-ein-gipfeltreffen/#weiter`, { timeout: 20_000 });
    expect(await page.locator("h1").textContent()).toContain("Trump offen für ein Gipfeltreffen");
  });
});
