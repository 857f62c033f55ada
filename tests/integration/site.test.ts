import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../../src/build.js";
import { BuildFailedError } from "../../src/errors/site-error.js";
import { REPO_ROOT, buildToMemory, makeTempSite, removeTempSite, text } from "../helpers/temp-site.js";

const BASE = "https://news.example/";
const { files } = await buildToMemory(REPO_ROOT);
const htmlFiles = [...files.keys()].filter((file) => file.endsWith(".html")).sort();
const documents = new Map(htmlFiles.map((file) => [file, parseHTML(text(files.get(file)!)).document]));
const doc = (file: string) => {
  const found = documents.get(file);
  if (!found) throw new Error(`no page ${file}`);
  return found;
};

/** The output file a URL is served from, or null when it is not ours. */
function fileOf(url: string, basePath = "/"): string | null {
  let pathname: string;
  if (/^https?:/.test(url)) {
    if (!url.startsWith(new URL(basePath, BASE).href)) return null;
    pathname = new URL(url).pathname;
  } else if (url.startsWith("/")) pathname = url.split("#")[0]!.split("?")[0]!;
  else return null;
  const relative = decodeURIComponent(pathname.slice(basePath.length));
  return relative === "" || relative.endsWith("/") ? `${relative}index.html` : relative;
}

describe("the built site of the real articles", () => {
  test("has every path PRODUCT.md names", () => {
    const required = [
      "index.html",
      "404.html",
      "robots.txt",
      "sitemap.xml",
      "news-sitemap.xml",
      ...["de", "en", "fr"].flatMap((lang) => [`${lang}/index.html`, `${lang}/feed.xml`, `${lang}/atom.xml`, `${lang}/feed.json`]),
      "de/themen/index.html",
      "de/themen/ukraine/index.html",
      "en/topics/ukraine/index.html",
      "fr/sujets/index.html",
      "de/autoren/amalie-l/index.html",
      "de/quellen/it-boltwise/index.html",
      "en/sources/it-boltwise/index.html",
      "de/suche/index.html",
      "en/search/index.html",
      "fr/recherche/index.html",
      "de/trump-offen-fuer-treffen-mit-putin-in-russland-und-den-usa/index.html",
      "en/trump-open-to-meetings-with-putin-in-russia-and-the-us/index.html",
    ];
    for (const file of required) expect(files.has(file), file).toBe(true);
    for (const file of ["pagefind/pagefind-ui.js", "pagefind/pagefind-entry.json"]) expect(files.has(file), file).toBe(true);
    expect([...files.keys()].some((file) => /^assets\/style\.[0-9a-f]{8}\.css$/.test(file))).toBe(true);
    expect(htmlFiles.filter((file) => /^(de|en|fr)\/[^/]+\/index\.html$/.test(file) && !/\/(themen|topics|sujets|autoren|authors|auteurs|quellen|sources|suche|search|recherche)\//.test(file + "/")).length).toBeGreaterThanOrEqual(12);
  });

  test("every internal link, stylesheet and script resolves to a built file", () => {
    const broken: string[] = [];
    for (const [file, document] of documents) {
      for (const element of document.querySelectorAll("a[href], link[href], script[src], img[src]")) {
        const url = element.getAttribute("href") ?? element.getAttribute("src")!;
        const target = fileOf(url);
        if (target !== null && !files.has(target)) broken.push(`${file}: ${url}`);
      }
    }
    expect(broken).toEqual([]);
  });

  test("every HTML page has one <h1>, a lang, a title, a description and a canonical URL", () => {
    for (const [file, document] of documents) {
      expect(document.querySelectorAll("h1").length, file).toBe(1);
      expect(document.documentElement.getAttribute("lang"), file).toMatch(/^[a-z]{2}(-[A-Z]{2})?$/);
      expect(document.documentElement.getAttribute("dir"), file).toBe("ltr");
      expect(document.querySelector("title")?.textContent?.trim(), file).toBeTruthy();
      expect(document.querySelector('meta[name="description"]')?.getAttribute("content"), file).toBeTruthy();
      expect(document.querySelector('link[rel="canonical"]')?.getAttribute("href"), file).toMatch(/^https:\/\//);
    }
  });

  test("hreflang alternates are reciprocal, name existing pages and include x-default", () => {
    for (const [file, document] of documents) {
      const alternates = [...document.querySelectorAll('link[rel="alternate"][hreflang]')].map((link) => [link.getAttribute("hreflang")!, link.getAttribute("href")!] as const);
      if (alternates.length === 0) continue;
      const self = document.querySelector('link[rel="canonical"]')!.getAttribute("href")!;
      expect(alternates.map(([lang]) => lang), file).toContain("x-default");
      expect(alternates.some(([, href]) => href === self), `${file} lists itself`).toBe(true);
      for (const [lang, href] of alternates) {
        const target = fileOf(href);
        expect(target && files.has(target), `${file} -> ${href}`).toBe(true);
        if (lang === "x-default" || href === self) continue;
        const other = doc(target!);
        expect(other.documentElement.getAttribute("lang"), `${href} is in ${lang}`).toBe(lang);
        const back = [...other.querySelectorAll('link[rel="alternate"][hreflang]')].map((link) => link.getAttribute("href"));
        expect(back, `${href} links back to ${self}`).toContain(self);
      }
    }
  });

  test("the language switcher links every translation and disables missing ones, never a dead link", () => {
    const page = doc("de/trump-offen-fuer-treffen-mit-putin-in-russland-und-den-usa/index.html");
    const switcher = page.querySelector(".language-switcher")!;
    expect(switcher.querySelector('a[hreflang="en"]')?.getAttribute("href")).toBe("/en/trump-open-to-meetings-with-putin-in-russia-and-the-us/");
    expect(switcher.querySelector('a[aria-current="page"]')?.getAttribute("hreflang")).toBe("de");
    expect(switcher.querySelector('a[hreflang="fr"]')).toBeNull();
    expect(switcher.querySelector('.unavailable[lang="fr"]')?.textContent).toBe("Français");
    expect(switcher.textContent).toContain("Nicht auf Französisch verfügbar");
  });

  test("front pages list untranslated stories in their original language, marked", () => {
    const fr = doc("fr/index.html");
    const cards = [...fr.querySelectorAll(".card article")];
    expect(cards).toHaveLength(5);
    const foreign = cards.filter((card) => card.getAttribute("lang") === "de");
    expect(foreign).toHaveLength(3);
    for (const card of foreign) expect(card.querySelector('.language-marker[lang="fr"]')?.textContent).toBe("En allemand");
    // A fallback listing never claims a language it is not written in.
    expect([...fr.querySelectorAll('link[rel="alternate"][hreflang="fr"]')].map((l) => l.getAttribute("href"))).toEqual([`${BASE}fr/`]);
  });

  test("an article page carries everything PRODUCT.md lists", () => {
    const page = doc("en/trump-open-to-meetings-with-putin-in-russia-and-the-us/index.html");
    expect(page.querySelector("h1")?.textContent).toBe("Trump open to meetings with Putin in Russia and the US");
    expect(page.querySelector(".standfirst")?.textContent).toContain("not too distant future");
    expect(page.querySelector(".byline a")?.textContent).toBe("Amalie L.");
    expect(page.querySelector("time[datetime]")?.getAttribute("datetime")).toBe("2025-02-13T00:00:00+01:00");
    expect(page.querySelector(".translation-notice")?.textContent).toContain("Translated from German");
    expect(page.querySelector('.translation-notice a[hreflang="de"]')?.getAttribute("href")).toBe("/de/trump-offen-fuer-treffen-mit-putin-in-russland-und-den-usa/");
    expect(page.querySelectorAll(".topics a[rel=tag]").length).toBeGreaterThan(2);
    expect(page.querySelector('meta[property="og:type"]')?.getAttribute("content")).toBe("article");
    expect(page.querySelector('meta[property="og:title"]')?.getAttribute("content")).toBe("Trump open to meetings with Putin in Russia and the US");
    expect(page.querySelector('meta[name="twitter:card"]')?.getAttribute("content")).toBe("summary");
    expect(page.querySelectorAll(".related .card").length).toBeGreaterThan(0);
    const sourced = doc("de/diplomatische-bemuehungen-zwischen-trump-und-putin-stagnieren/index.html");
    expect(sourced.querySelector(".source")?.textContent).toBe("Zuerst veröffentlicht von IT BOLTWISE.");
    expect(sourced.querySelector(".dateline")?.textContent).toBe("München");
  });

  test("NewsArticle JSON-LD parses and has the required fields", () => {
    for (const [file, document] of documents) {
      const script = document.querySelector('script[type="application/ld+json"]');
      if (!script) continue;
      const data = JSON.parse(script.textContent!) as Record<string, unknown>;
      expect(data["@type"], file).toBe("NewsArticle");
      for (const field of ["headline", "datePublished", "dateModified", "author", "publisher", "inLanguage", "mainEntityOfPage", "url"]) expect(data, `${file} ${field}`).toHaveProperty(field);
      expect(data.inLanguage).toBe(document.documentElement.getAttribute("lang"));
    }
    const translation = JSON.parse(doc("fr/trump-et-poutine-echouent-a-conclure-un-accord-de-cessez-le-feu-lors-de-leur/index.html").querySelector('script[type="application/ld+json"]')!.textContent!);
    expect(translation.translationOfWork).toEqual({ "@id": `${BASE}de/trump-und-putin-scheitern-mit-waffenstillstandsabkommen-bei-treffen-in-alaska/` });
    expect(translation.isBasedOn).toEqual({ "@type": "CreativeWork", publisher: { "@type": "Organization", name: "Cookie News" } });
  });

  test("feeds are well-formed and list each language's own articles, newest first", () => {
    const parser = new XMLParser({ ignoreAttributes: false });
    for (const lang of ["de", "en", "fr"]) {
      const rss = text(files.get(`${lang}/feed.xml`)!);
      expect(XMLValidator.validate(rss)).toBe(true);
      const items = [parser.parse(rss).rss.channel.item].flat();
      expect(items.length).toBe(lang === "fr" ? 2 : 5);
      const dates = items.map((item: { pubDate: string }) => Date.parse(item.pubDate));
      expect([...dates].sort((a, b) => b - a)).toEqual(dates);
      expect(XMLValidator.validate(text(files.get(`${lang}/atom.xml`)!))).toBe(true);
      const json = JSON.parse(text(files.get(`${lang}/feed.json`)!));
      expect(json.version).toBe("https://jsonfeed.org/version/1.1");
      expect(json.items.every((item: { language: string }) => item.language === lang)).toBe(true);
    }
  });

  test("sitemap.xml lists every indexable page with alternates; the news sitemap the last two days", () => {
    const sitemap = text(files.get("sitemap.xml")!);
    expect(XMLValidator.validate(sitemap)).toBe(true);
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
    const indexable = [...documents].filter(([, d]) => !d.querySelector('meta[name="robots"]')).map(([, d]) => d.querySelector('link[rel="canonical"]')!.getAttribute("href"));
    expect(new Set(locs)).toEqual(new Set(indexable));
    expect(sitemap).toContain('<xhtml:link rel="alternate" hreflang="x-default"');
    // Build date 2025-08-21: only articles of 19-21 August 2025 would qualify; there are none.
    expect(text(files.get("news-sitemap.xml")!)).not.toContain("<news:news>");
    expect(text(files.get("robots.txt")!)).toContain(`Sitemap: ${BASE}sitemap.xml`);
  });

  test("the 404 page is noindex and links each language's front page in that language", () => {
    const page = doc("404.html");
    expect(page.querySelector('meta[name="robots"]')?.getAttribute("content")).toBe("noindex");
    expect([...page.querySelectorAll(".not-found li")].map((li) => li.getAttribute("lang"))).toEqual(["de", "en", "fr"]);
  });
});

describe("builds", () => {
  test("a news sitemap lists articles of the two days before the build date", async () => {
    const { files: recent } = await buildToMemory(REPO_ROOT, { epoch: "1755388800" }); // 2025-08-17T00:00:00Z
    const news = text(recent.get("news-sitemap.xml")!);
    expect([...news.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1])).toEqual([
      `${BASE}de/trump-und-putin-scheitern-mit-waffenstillstandsabkommen-bei-treffen-in-alaska/`,
      `${BASE}en/trump-and-putin-fail-to-reach-a-ceasefire-agreement-at-alaska-meeting/`,
      `${BASE}fr/trump-et-poutine-echouent-a-conclure-un-accord-de-cessez-le-feu-lors-de-leur/`,
    ]);
  });

  test("a site under a subpath links under that subpath", async () => {
    const { files: sub } = await buildToMemory(REPO_ROOT, { baseUrl: "https://example.org/news/" });
    const page = parseHTML(text(sub.get("de/index.html")!)).document;
    const hrefs = [...page.querySelectorAll("a[href], link[href]")].map((a) => a.getAttribute("href")!);
    expect(hrefs.filter((href) => href.startsWith("/") && !href.startsWith("/news/"))).toEqual([]);
    expect(page.querySelector('link[rel="canonical"]')?.getAttribute("href")).toBe("https://example.org/news/de/");
  });

  test("pagination: /<lang>/page/N/ with previous and next links", async () => {
    const root = await makeTempSite({ "gazette.config.yml": "perPage: 2\n" });
    try {
      const { files: paged } = await buildToMemory(root, { content: path.join(REPO_ROOT, "articles") });
      expect(["de/index.html", "de/page/2/index.html", "de/page/3/index.html"].every((f) => paged.has(f))).toBe(true);
      expect(paged.has("de/page/4/index.html")).toBe(false);
      const second = parseHTML(text(paged.get("de/page/2/index.html")!)).document;
      expect(second.querySelector('.pagination a[rel="prev"]')?.getAttribute("href")).toBe("/de/");
      expect(second.querySelector('.pagination a[rel="next"]')?.getAttribute("href")).toBe("/de/page/3/");
      expect(second.querySelectorAll(".card").length).toBe(2);
    } finally {
      await removeTempSite(root);
    }
  });

  describe("on disk", () => {
    let root: string;
    beforeAll(async () => {
      root = await makeTempSite({});
      for (const story of await readdir(path.join(REPO_ROOT, "articles"))) {
        for (const file of await readdir(path.join(REPO_ROOT, "articles", story))) {
          await mkdir(path.join(root, "articles", story), { recursive: true });
          await writeFile(path.join(root, "articles", story, file), await readFile(path.join(REPO_ROOT, "articles", story, file)));
        }
      }
      await mkdir(path.join(root, "data"));
      await writeFile(path.join(root, "data/entities.yml"), await readFile(path.join(REPO_ROOT, "data/entities.yml")));
      await writeFile(path.join(root, "gazette.config.yml"), await readFile(path.join(REPO_ROOT, "gazette.config.yml")));
      process.env.SOURCE_DATE_EPOCH = "1755734400";
    });
    afterAll(async () => {
      delete process.env.SOURCE_DATE_EPOCH;
      await removeTempSite(root);
    });

    async function snapshot(dir: string): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) out.set(path.relative(dir, path.join(entry.parentPath, entry.name)), (await readFile(path.join(entry.parentPath, entry.name))).toString("base64"));
      }
      return out;
    }

    test("two builds give byte-identical files", async () => {
      await buildSite({ root });
      const first = await snapshot(path.join(root, "public"));
      await buildSite({ root });
      expect(await snapshot(path.join(root, "public"))).toEqual(first);
      expect(first.size).toBe(files.size + 1); // the memory build's files plus the output marker
    });

    test("a build that fails while rendering leaves the previous output byte-identical", async () => {
      await buildSite({ root });
      const before = await snapshot(path.join(root, "public"));
      // A template override that breaks on one article: the failure comes midway through rendering.
      const article = await readFile(path.join(REPO_ROOT, "templates/article.eta"), "utf8");
      await mkdir(path.join(root, "templates"), { recursive: true });
      await writeFile(path.join(root, "templates/article.eta"), article.replace("<h1><%= a.title %></h1>", '<h1><%= a.title %></h1><% if (a.title.startsWith("Trump open")) { %><%= it.missing.field %><% } %>'));
      const failure = await buildSite({ root }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(String((failure as Error).message)).toMatch(/template failed to render/);
      expect((failure as { location?: { file: string; line: number } }).location).toMatchObject({ file: "templates/article.eta", line: article.split("\n").findIndex((line) => line.includes("<h1>")) + 1 });
      expect(await snapshot(path.join(root, "public"))).toEqual(before);
      expect((await readdir(root)).filter((name) => name.startsWith(".gazette-"))).toEqual([]);
      await writeFile(path.join(root, "templates/article.eta"), article);
    });

    test("a content error fails the build before anything is written", async () => {
      await writeFile(path.join(root, "articles/broken.md"), "---\ntitle: x\n---\n");
      await mkdir(path.join(root, "articles/kaputt"), { recursive: true });
      await writeFile(path.join(root, "articles/kaputt/de.md"), "---\ntitle: [\n---\nText\n");
      const failure = await buildSite({ root }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(BuildFailedError);
      expect((failure as BuildFailedError).errors[0]!.location?.file).toBe("articles/kaputt/de.md");
      await rm(path.join(root, "articles/kaputt"), { recursive: true });
      await rm(path.join(root, "articles/broken.md"));
    });

    test("refuses an output folder it did not write, and the project folder", async () => {
      await mkdir(path.join(root, "mine"), { recursive: true });
      await writeFile(path.join(root, "mine/notes.txt"), "my notes");
      await expect(buildSite({ root, out: path.join(root, "mine") })).rejects.toThrow(/not empty and was not written by Gazette/);
      expect(await readFile(path.join(root, "mine/notes.txt"), "utf8")).toBe("my notes");
      await expect(buildSite({ root, out: root })).rejects.toThrow(/project folder/);
      await expect(buildSite({ root, out: path.join(root, "articles") })).rejects.toThrow(/holds your sources|project folder/);
    });
  });
});
