/**
 * Feeds and sitemaps of the built sites against their specifications (see support/feed-specs.ts):
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1 per language; sitemaps.org with hreflang alternates and the
 * Google News sitemap. The checkers are tested first on files that break each rule, so that a
 * checker that passes everything cannot hide a broken feed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { renderSitemaps, type SitemapEntry } from "../../src/render/sitemaps.js";
import { writeHostileSite } from "../fixtures/hostile/corpus.js";
import { REPO_ROOT, buildToMemory, text } from "../helpers/temp-site.js";
import { MAX_SITEMAP_URLS, checkAtom, checkJsonFeed, checkRss, checkSitemaps } from "./support/feed-specs.js";

type Files = Map<string, string | Uint8Array>;
const sites = new Map<string, { files: Files; base: string; languages: string[] }>();
let hostileDir: string;

beforeAll(async () => {
  hostileDir = await mkdtemp(path.join(tmpdir(), "gazette-hostile-feeds-"));
  await writeHostileSite(hostileDir);
  for (const [name, root] of [
    ["real", REPO_ROOT],
    ["rich", path.join(REPO_ROOT, "tests/fixtures/sites/rich")],
    ["hostile", hostileDir],
  ] as const) {
    const { result, files } = await buildToMemory(root);
    sites.set(name, { files, base: result.config.baseUrl, languages: result.languages });
  }
}, 120_000);

afterAll(() => rm(hostileDir, { recursive: true, force: true }));

const SITE_NAMES = ["real", "rich", "hostile"];

describe("the spec checkers catch broken files", () => {
  const RSS = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>T</title><link>https://a.example/</link><description>D</description><item><title>x</title><link>https://a.example/x/</link><guid>https://a.example/x/</guid><pubDate>Thu, 13 Feb 2025 14:30:00 +0100</pubDate></item></channel></rss>`;
  const ATOM = `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>https://a.example/</id><title>T</title><updated>2025-02-13T14:30:00+01:00</updated><link rel="self" href="https://a.example/atom.xml"/><author><name>A</name></author><entry><id>https://a.example/x/</id><title>x</title><updated>2025-02-13T14:30:00+01:00</updated><link href="https://a.example/x/"/></entry></feed>`;
  const JSON_FEED = { version: "https://jsonfeed.org/version/1.1", title: "T", feed_url: "https://a.example/feed.json", items: [{ id: "1", content_html: "<p>x</p>", date_published: "2025-02-13T14:30:00+01:00" }] };

  test("valid minimal feeds pass", () => {
    expect(checkRss(RSS)).toEqual([]);
    expect(checkAtom(ATOM)).toEqual([]);
    expect(checkJsonFeed(JSON.stringify(JSON_FEED))).toEqual([]);
  });

  test.each([
    ["no channel description", RSS.replace("<description>D</description>", ""), /channel has 0 <description>/],
    ["a relative link", RSS.replace("<link>https://a.example/</link>", "<link>/</link>"), /not an absolute URL/],
    ["an item without title and description", RSS.replace("<title>x</title>", ""), /neither <title> nor <description>/],
    ["an ISO date instead of RFC 822", RSS.replace("Thu, 13 Feb 2025 14:30:00 +0100", "2025-02-13T14:30:00+01:00"), /not an RFC 822 date/],
    ["a permalink guid that is not a URL", RSS.replace("<guid>https://a.example/x/</guid>", "<guid>x-1</guid>"), /permalink <guid> "x-1" is not a URL/],
    ["version 0.91", RSS.replace('version="2.0"', 'version="0.91"'), /needs 2\.0/],
  ])("RSS: %s", (_name, xml, problem) => {
    expect(checkRss(xml).join("\n")).toMatch(problem);
  });

  test.each([
    ["no feed id", ATOM.replace("<id>https://a.example/</id>", ""), /feed has 0 <id>/],
    ["an entry without updated", ATOM.replace(/<updated>[^<]+<\/updated><link href/, "<link href"), /entry 1 has 0 <updated>/],
    ["a date without zone", ATOM.replace("<updated>2025-02-13T14:30:00+01:00</updated><link rel", "<updated>2025-02-13T14:30:00</updated><link rel"), /not an RFC 3339/],
    ["no author anywhere", ATOM.replace("<author><name>A</name></author>", ""), /no <author>, and neither has the feed/],
    ["two entries with one id", ATOM.replace("</entry>", "</entry><entry><id>https://a.example/x/</id><title>y</title><updated>2025-02-13T14:30:00+01:00</updated><link href=\"https://a.example/y/\"/></entry>"), /repeats <id>/],
  ])("Atom: %s", (_name, xml, problem) => {
    expect(checkAtom(xml).join("\n")).toMatch(problem);
  });

  test.each([
    ["version 1", { ...JSON_FEED, version: "https://jsonfeed.org/version/1" }, /version is/],
    ["no items", { ...JSON_FEED, items: undefined }, /items is not an array/],
    ["an item without content", { ...JSON_FEED, items: [{ id: "1" }] }, /neither content_html nor content_text/],
    ["a numeric id", { ...JSON_FEED, items: [{ id: 1, content_text: "x" }] }, /id is not a non-empty string/],
    ["an unknown key", { ...JSON_FEED, items: [{ id: "1", content_text: "x", author_name: "A" }] }, /unknown key "author_name"/],
  ])("JSON Feed: %s", (_name, feed, problem) => {
    expect(checkJsonFeed(JSON.stringify(feed)).join("\n")).toMatch(problem);
  });

  const base = "https://a.example/";
  const sitemapSite = (sitemap: string, extra: Record<string, string> = {}): Files =>
    new Map<string, string>([
      ["robots.txt", `User-agent: *\nAllow: /\n\nSitemap: ${base}sitemap.xml\nSitemap: ${base}news-sitemap.xml\n`],
      ["sitemap.xml", sitemap],
      ["news-sitemap.xml", `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n</urlset>\n`],
      ...Object.entries(extra),
    ]);
  const urlset = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">${body}</urlset>\n`;
  const url = (loc: string, alternates = "") => `<url><loc>${loc}</loc>${alternates}</url>`;

  test.each([
    ["a relative loc", urlset(url("/de/")), /"\/de\/" is not an absolute URL/],
    ["a loc on another host", urlset(url("https://b.example/de/")), /outside the site/],
    ["an invalid hreflang", urlset(url(`${base}de/`, `<xhtml:link rel="alternate" hreflang="de_DE" href="${base}de/"/>`)), /hreflang "de_DE" is not a valid language code/],
    ["a page missing from its own alternates", urlset(url(`${base}de/`, `<xhtml:link rel="alternate" hreflang="en" href="${base}en/"/>`)), /not among its own alternates/],
    ["a lastmod that is not W3C", urlset(`<url><loc>${base}</loc><lastmod>13.02.2025</lastmod></url>`), /not a W3C datetime/],
    ["50,001 URLs in one file", urlset(Array.from({ length: MAX_SITEMAP_URLS + 1 }, (_, i) => url(`${base}p/${i}/`)).join("")), /50001 URLs in one file, over 50,000/],
  ])("sitemap: %s", (_name, sitemap, problem) => {
    expect(checkSitemaps(sitemapSite(sitemap), base).join("\n")).toMatch(problem);
  });
});

describe.each(SITE_NAMES)("the %s site", (name) => {
  test("RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds in every language follow their specs", () => {
    const { files, languages } = sites.get(name)!;
    const problems: string[] = [];
    for (const lang of languages) {
      problems.push(...checkRss(text(files.get(`${lang}/feed.xml`)!)).map((p) => `${lang}/feed.xml: ${p}`));
      problems.push(...checkAtom(text(files.get(`${lang}/atom.xml`)!)).map((p) => `${lang}/atom.xml: ${p}`));
      problems.push(...checkJsonFeed(text(files.get(`${lang}/feed.json`)!)).map((p) => `${lang}/feed.json: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  test("every feed link points to a built page of that language", () => {
    const { files, base, languages } = sites.get(name)!;
    for (const lang of languages) {
      const json = JSON.parse(text(files.get(`${lang}/feed.json`)!)) as { feed_url: string; home_page_url: string; items: { url: string }[] };
      expect(json.feed_url).toBe(`${base}${lang}/feed.json`);
      for (const url of [json.home_page_url, ...json.items.map((item) => item.url)]) {
        expect(url.startsWith(`${base}${lang}/`), url).toBe(true);
        expect(files.has(`${url.slice(base.length)}index.html`), url).toBe(true);
      }
      const rssLinks = [...text(files.get(`${lang}/feed.xml`)!).matchAll(/<link>([^<]+)<\/link>/g)].map((match) => match[1]!);
      const atomLinks = [...text(files.get(`${lang}/atom.xml`)!).matchAll(/<link rel="alternate" type="text\/html"(?: hreflang="[^"]+")? href="([^"]+)"\/>/g)].map((match) => match[1]!);
      expect(new Set(rssLinks)).toEqual(new Set([json.home_page_url, ...json.items.map((item) => item.url)]));
      expect(new Set(atomLinks)).toEqual(new Set(rssLinks));
    }
  });

  test("sitemaps follow sitemaps.org: absolute URLs under the site, valid hreflang, listed in robots.txt", () => {
    const { files, base } = sites.get(name)!;
    expect(checkSitemaps(files, base)).toEqual([]);
  });

  test("every sitemap URL and alternate is a built page", () => {
    const { files, base } = sites.get(name)!;
    const sitemap = text(files.get("sitemap.xml")!);
    const urls = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>|href="([^"]+)"/g)].map((match) => (match[1] ?? match[2])!);
    expect(urls.length).toBeGreaterThan(10);
    for (const url of urls) expect(files.has(`${decodeURI(url.slice(base.length))}index.html`), url).toBe(true);
  });
});

describe("a site beyond the sitemaps.org limits", () => {
  test("50,001 URLs give a sitemap index over two parts of at most 50,000 URLs, each valid", () => {
    const base = "https://big.example/";
    const entries: SitemapEntry[] = Array.from({ length: MAX_SITEMAP_URLS + 1 }, (_, i) => ({
      loc: `${base}de/meldung-${i}/`,
      lastmod: "2025-02-13T14:30:00+01:00",
      alternates: [
        { hreflang: "de", href: `${base}de/meldung-${i}/` },
        { hreflang: "x-default", href: `${base}de/meldung-${i}/` },
      ],
    }));
    const files: Files = new Map(renderSitemaps(entries, base).map((file) => [file.path, file.content]));
    files.set("robots.txt", `User-agent: *\nAllow: /\n\nSitemap: ${base}sitemap.xml\n`);
    files.set("news-sitemap.xml", `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n</urlset>\n`);
    expect(text(files.get("sitemap.xml")!)).toContain("<sitemapindex");
    expect([...files.keys()].sort()).toEqual(["news-sitemap.xml", "robots.txt", "sitemap.xml", "sitemaps/sitemap-1.xml", "sitemaps/sitemap-2.xml"]);
    expect(checkSitemaps(files, base)).toEqual([]);
  }, 60_000);
});
