import type { Page } from "playwright-core";
import { buildTestSite, type BuiltSite } from "../../quality/support/sites.js";
import { BROWSER_TIMEOUT, launchBrowser, serve, type Browser, type Served } from "./browser.js";

/** A built site served to a browser page, with the URLs the page requested. */
export interface SearchSession {
  site: BuiltSite;
  server: Served;
  browser: Browser;
  page: Page;
  requests: string[];
  close(): Promise<void>;
}

/** Builds the real site (with `env` set while it builds), serves it and opens a page on it. */
export async function openSearchSession(env: Record<string, string> = {}): Promise<SearchSession> {
  const before = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  let site: BuiltSite;
  try {
    site = await buildTestSite("real");
  } finally {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const server = await serve(site.out);
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  const requests: string[] = [];
  page.on("request", (request) => void requests.push(request.url()));
  return {
    site,
    server,
    browser,
    page,
    requests,
    async close() {
      await browser.close();
      await server.close();
      await site.remove();
    },
  };
}

export interface SearchResult {
  href: string;
  title: string;
}

/** Types a query into the search page at `url` and returns the result links once they are shown. */
export async function searchFor(page: Page, url: string, query: string): Promise<SearchResult[]> {
  await page.goto(url);
  const input = page.locator(".pagefind-ui__search-input");
  await input.waitFor({ state: "visible" });
  await input.fill(query);
  await page.locator(".pagefind-ui__result-link").first().waitFor({ state: "visible", timeout: BROWSER_TIMEOUT });
  // Results arrive in one render, but wait until the message line agrees with the list.
  await page.waitForFunction(`document.querySelectorAll(".pagefind-ui__result-link").length > 0 && /\\d/.test(document.querySelector(".pagefind-ui__message")?.textContent ?? "")`);
  return page.locator(".pagefind-ui__result-link").evaluateAll((links) => links.map((link) => ({ href: link.getAttribute("href") ?? "", title: link.textContent?.trim() ?? "" })));
}
