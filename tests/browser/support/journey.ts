import type { Page } from "playwright-core";
import { expect } from "vitest";

/** What a reader does on the real site; run with JavaScript on and off. Returns the URLs visited. */
export async function walkJourney(page: Page, origin: string): Promise<string[]> {
  const visited: string[] = [];
  const path = () => new URL(page.url()).pathname;
  const heading = async () => (await page.locator("h1").textContent())?.trim();

  // 1. The site root: the language chooser.
  const root = await page.goto(`${origin}/`);
  expect(root?.status()).toBe(200);
  expect(await page.locator(".chooser a[hreflang]").count()).toBe(3);
  visited.push(path());

  // 2. Choose English.
  await page.locator('.chooser a[hreflang="en"]').click();
  await page.waitForURL(`${origin}/en/`);
  expect(await page.getAttribute("html", "lang")).toBe("en");
  visited.push(path());

  // 3. Open the lead article.
  const lead = page.locator(".cards .card-title a").first();
  const leadTitle = (await lead.textContent())?.trim();
  await lead.click();
  await page.waitForURL((url) => url.pathname !== "/en/" && url.pathname.startsWith("/en/"));
  expect(await heading()).toBe(leadTitle);
  const english = path();
  visited.push(english);

  // 4. Switch to German through the switcher: we land on the translation the page names.
  const germanAlternate = new URL((await page.getAttribute('link[rel="alternate"][hreflang="de"]', "href"))!).pathname;
  await page.locator('.language-switcher a[hreflang="de"]').click();
  await page.waitForURL((url) => url.pathname === germanAlternate);
  expect(await page.getAttribute("html", "lang")).toBe("de");
  expect(await page.getAttribute('.language-switcher a[aria-current="page"]', "hreflang")).toBe("de");
  expect(await page.getAttribute('.language-switcher a[hreflang="en"]', "href")).toBe(english);
  visited.push(path());

  // 5. A related article.
  const related = page.locator(".related .card-title a").first();
  const relatedTitle = (await related.textContent())?.trim();
  const relatedHref = await related.getAttribute("href");
  await related.click();
  await page.waitForURL((url) => url.pathname === relatedHref);
  expect(await heading()).toBe(relatedTitle);
  const article = path();
  visited.push(article);

  // 6. A topic of that article: its page lists the article we came from.
  const topic = page.locator(".topics a[rel=tag]").first();
  const topicName = (await topic.textContent())?.trim() ?? "";
  const topicHref = await topic.getAttribute("href");
  await topic.click();
  await page.waitForURL((url) => url.pathname === topicHref);
  expect(await heading()).toContain(topicName);
  expect(await page.locator(`.cards a[href="${article}"]`).count()).toBe(1);
  visited.push(path());

  // 7. A page that does not exist: the 404 page, with a way back in every language.
  const missing = await page.goto(`${origin}/de/gibt-es-nicht/`);
  expect(missing?.status()).toBe(404);
  expect(await page.locator(".not-found h1").count()).toBe(1);
  expect(await page.locator(".not-found li[lang] a").evaluateAll((links) => links.map((link) => link.getAttribute("href")))).toEqual(["/de/", "/en/", "/fr/"]);
  await page.locator('.not-found a[hreflang="fr"]').click();
  await page.waitForURL(`${origin}/fr/`);
  visited.push(path());
  return visited;
}
