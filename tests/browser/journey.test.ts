/**
 * The real site in Chromium, served on 127.0.0.1 by Gazette's own static server: a reader's journey
 * from the language chooser to a translation, a related article, a topic and the 404 page; the
 * layout at 360 px and 1280 px in light and dark mode without horizontal scrolling; screenshots of
 * the front page and an article per language for a person to look at (test-output/screenshots/).
 */
import { stat } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildTestSite, type BuiltSite } from "../quality/support/sites.js";
import { horizontalOverflow, launchBrowser, saveScreenshot, serve, type Browser, type Served } from "./support/browser.js";
import { walkJourney } from "./support/journey.js";

let site: BuiltSite;
let rich: BuiltSite;
let server: Served;
let richServer: Served;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [site, rich] = [await buildTestSite("real"), await buildTestSite("rich")];
  [server, richServer] = [await serve(site.out), await serve(rich.out)];
  browser = await launchBrowser();
  page = await browser.context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await richServer?.close();
  await site?.remove();
  await rich?.remove();
});

describe("a reader's journey", () => {
  test("chooser -> English -> article -> German translation -> related -> topic -> 404 -> French", async () => {
    const visited = await walkJourney(page, server.origin);
    expect(visited).toHaveLength(7);
    expect(visited[0]).toBe("/");
    expect(visited.at(-1)).toBe("/fr/");
  }, 90_000);

  test("a path without its trailing slash redirects to the page", async () => {
    const response = await page.goto(`${server.origin}/en/topics`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/en/topics/");
  }, 60_000);
});

/** Every kind of page, per language; the rich site adds tables, code, long words and pagination. */
const LAYOUT_PAGES: { site: "real" | "rich"; path: string }[] = [
  { site: "real", path: "/" },
  { site: "real", path: "/404.html" },
  ...["de", "en", "fr"].flatMap((lang) => [
    { site: "real" as const, path: `/${lang}/` },
    { site: "real" as const, path: `/${lang}/${{ de: "themen", en: "topics", fr: "sujets" }[lang]}/` },
    { site: "real" as const, path: `/${lang}/${{ de: "suche", en: "search", fr: "recherche" }[lang]}/` },
  ]),
  { site: "real", path: "/de/trump-und-putin-scheitern-mit-waffenstillstandsabkommen-bei-treffen-in-alaska/" },
  { site: "real", path: "/en/trump-and-putin-fail-to-reach-a-ceasefire-agreement-at-alaska-meeting/" },
  { site: "real", path: "/fr/trump-et-poutine-echouent-a-conclure-un-accord-de-cessez-le-feu-lors-de-leur/" },
  { site: "real", path: "/de/themen/ukraine/" },
  { site: "real", path: "/de/autoren/amalie-l/" },
  { site: "real", path: "/en/sources/it-boltwise/" },
  { site: "rich", path: "/de/gipfel-in-genf-endet-mit-einer-gemeinsamen-erklaerung/" },
  { site: "rich", path: "/de/hamburger-hafen-meldet-mehr-umschlag-als-im-vorjahr/" },
  { site: "rich", path: "/de/page/2/" },
];

describe("layout", () => {
  test.each(LAYOUT_PAGES.map((entry) => [`${entry.site} ${entry.path}`, entry] as const))(
    "%s: no horizontal scrolling at 360 px and 1280 px, in light and dark mode",
    async (_name, entry) => {
      const origin = entry.site === "real" ? server.origin : richServer.origin;
      const response = await page.goto(`${origin}${entry.path}`);
      expect(response?.status()).toBe(200);
      const overflow: string[] = [];
      for (const width of [360, 1280]) {
        for (const colorScheme of ["light", "dark"] as const) {
          await page.setViewportSize({ width, height: 800 });
          await page.emulateMedia({ colorScheme });
          const pixels = await horizontalOverflow(page);
          if (pixels > 0) overflow.push(`${width} px ${colorScheme}: ${pixels} px too wide (${await widestElement(page)})`);
        }
      }
      expect(overflow).toEqual([]);
    },
    60_000,
  );

  test("dark mode switches the palette: light text on a dark page, readable", async () => {
    await page.goto(`${server.origin}/en/`);
    const palette = () => page.evaluate<{ background: string; color: string }>("({ background: getComputedStyle(document.body).backgroundColor, color: getComputedStyle(document.body).color })");
    await page.emulateMedia({ colorScheme: "light" });
    const light = await palette();
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await palette();
    expect(luminance(light.background)).toBeGreaterThan(0.9);
    expect(luminance(dark.background)).toBeLessThan(0.05);
    expect(contrast(dark.color, dark.background)).toBeGreaterThanOrEqual(7);
    expect(contrast(light.color, light.background)).toBeGreaterThanOrEqual(7);
    await page.emulateMedia({ colorScheme: "light" });
  }, 60_000);
});

describe("screenshots for people (test-output/screenshots/)", () => {
  const ARTICLES: Record<string, string> = {
    de: "/de/trump-und-putin-scheitern-mit-waffenstillstandsabkommen-bei-treffen-in-alaska/",
    en: "/en/trump-and-putin-fail-to-reach-a-ceasefire-agreement-at-alaska-meeting/",
    fr: "/fr/trump-et-poutine-echouent-a-conclure-un-accord-de-cessez-le-feu-lors-de-leur/",
  };
  test.each(["de", "en", "fr"])("front page and an article in %s: desktop, phone and dark", async (lang) => {
    const saved: string[] = [];
    for (const [kind, path] of [
      ["front", `/${lang}/`],
      ["article", ARTICLES[lang]!],
    ] as const) {
      await page.goto(`${server.origin}${path}`);
      for (const [variant, width, colorScheme] of [
        ["desktop", 1280, "light"],
        ["phone", 360, "light"],
        ["dark", 1280, "dark"],
      ] as const) {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme });
        saved.push(await saveScreenshot(page, `${kind}-${lang}-${variant}`));
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const file of saved) expect((await stat(file)).size, file).toBeGreaterThan(10_000);
  }, 90_000);
});

/** The element whose right edge is furthest right, for a readable failure. */
function widestElement(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    let widest = { right: 0, name: "" };
    for (const element of document.body.querySelectorAll("*")) {
      const right = element.getBoundingClientRect().right;
      if (right > widest.right) widest = { right, name: element.tagName.toLowerCase() + "." + [...element.classList].join(".") };
    }
    return widest.name + " ends at " + Math.round(widest.right) + " px";
  })()`);
}

/** WCAG relative luminance of "rgb(r, g, b)". */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((value) => {
    const channel = Number(value) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(foreground: string, background: string): number {
  const [a, b] = [luminance(foreground), luminance(background)].sort((x, y) => y - x);
  return (a! + 0.05) / (b! + 0.05);
}
