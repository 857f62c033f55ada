/**
 * Browser tests drive the machine's Chromium (Debian's /usr/bin/chromium; `.ci/run` installs it
 * with apt-get when missing; set CHROMIUM_PATH to use another) through playwright-core. No browser
 * is ever downloaded. One browser per test file, with a fresh profile folder, closed in afterAll.
 * Sites are served by Gazette's own static server (the one `gazette preview` uses) on 127.0.0.1.
 */
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { listen } from "../../../src/dev/listen.js";
import { createStaticServer } from "../../../src/dev/static-server.js";
import { REPO_ROOT } from "../../helpers/temp-site.js";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Screenshots for people to look at (git-ignored). */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, "test-output/screenshots");
/** Waits in the browser: generous, because CI is a shared, loaded two-core machine. */
export const BROWSER_TIMEOUT = 30_000;

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts Chromium headless with a fresh profile; only 127.0.0.1 may be reached (anything else is
 * aborted). `javaScript: false` switches scripts off as a reader's browser setting does (Blink's
 * scriptEnabled), so that <noscript> content shows; Playwright's own javaScriptEnabled option only
 * stops scripts from running and leaves <noscript> hidden.
 */
export async function launchBrowser(options: { javaScript?: boolean } = {}): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), "gazette-chromium-"));
  const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];
  if (options.javaScript === false) args.push("--blink-settings=scriptEnabled=false");
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, viewport: { width: 1280, height: 900 }, args });
  context.setDefaultTimeout(BROWSER_TIMEOUT);
  context.setDefaultNavigationTimeout(BROWSER_TIMEOUT);
  // The site must work from its own files: nothing outside the test server is ever fetched.
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (route) => route.abort("blockedbyclient"));
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface Served {
  /** "http://127.0.0.1:43125" */
  origin: string;
  close(): Promise<void>;
}

/** Serves a built site folder as `gazette preview` does, on a free port. */
export async function serve(root: string): Promise<Served> {
  const server: Server = createStaticServer({ root, port: 0, host: "127.0.0.1" });
  const port = await listen(server, "127.0.0.1", 0, true);
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let axeSource: string | undefined;
/** axe-core's browser build, injected into pages as a script. */
export function axeScript(): string {
  axeSource ??= readFileSync(path.join(REPO_ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
  return axeSource;
}

/*
 * Functions that run in the page are passed as strings: the tests are type-checked without the DOM
 * library (it would make `document` look valid in src/ too).
 */

/** The page's horizontal overflow in CSS pixels: 0 means no horizontal scrolling. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth");
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
