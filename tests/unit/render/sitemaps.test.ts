import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, test } from "vitest";
import {
  isValidHreflang,
  renderNewsSitemaps,
  renderRobotsTxt,
  renderSitemaps,
  encodeAsciiPieces,
  encodedEntryBytes,
  encodePieces,
  joinUrlset,
  sitemapEntryEncoder,
  sitemapWriter,
  toGoogleNewsLanguage,
  type NewsEntry,
  type SitemapEntry,
  type SitemapFile,
} from "../../../src/render/sitemaps.js";

// ---------------------------------------------------------------------------------------------
// Helpers: strict well-formedness (fast-xml-parser's validator accepts control characters, lone
// surrogates and undefined entities, so those are checked here) and a parser that decodes
// numeric references.

const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const REFERENCE = /&[^;\s]*;?/g;
const XML_REFERENCE = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);$/;

function expectWellFormed(xml: string): void {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  expect(NOT_XML_CHAR.exec(xml)).toBeNull();
  expect(xml).not.toContain("]]>");
  for (const [reference] of xml.matchAll(REFERENCE)) expect(reference).toMatch(XML_REFERENCE);
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name: string) => name === "url" || name === "sitemap" || name === "xhtml:link",
});

type XmlNode = Record<string, unknown>;

function parse(xml: string): XmlNode {
  expectWellFormed(xml);
  return parser.parse(xml) as XmlNode;
}

function urlsOf(file: SitemapFile): XmlNode[] {
  const urlset = parse(file.content)["urlset"] as XmlNode | undefined;
  expect(urlset, `${file.path} is a urlset`).toBeDefined();
  return (urlset?.["url"] as XmlNode[] | undefined) ?? [];
}

function sitemapsOf(file: SitemapFile): XmlNode[] {
  const index = parse(file.content)["sitemapindex"] as XmlNode | undefined;
  expect(index, `${file.path} is a sitemapindex`).toBeDefined();
  return (index?.["sitemap"] as XmlNode[] | undefined) ?? [];
}

function text(node: unknown, name: string): string {
  const value = (node as XmlNode)[name];
  expect(typeof value, `<${name}>`).toBe("string");
  return value as string;
}

/** What a parser must give back for `text`: XML 1.0 characters only (independent of the code under test). */
function expectedText(value: string): string {
  let out = "";
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
    if (allowed) out += char;
  }
  return out;
}

const BASE = "https://news.example/";

function entry(i: number): SitemapEntry {
  return {
    loc: `${BASE}de/artikel-${i}/`,
    lastmod: `2025-02-${String(10 + (i % 18)).padStart(2, "0")}T09:00:00+01:00`,
    alternates: [
      { hreflang: "de", href: `${BASE}de/artikel-${i}/` },
      { hreflang: "en", href: `${BASE}en/article-${i}/` },
      { hreflang: "x-default", href: `${BASE}de/artikel-${i}/` },
    ],
  };
}

function newsEntry(i: number, overrides: Partial<NewsEntry> = {}): NewsEntry {
  return {
    loc: `${BASE}de/meldung-${i}/`,
    publicationName: "Gazette",
    language: "de",
    published: "2025-02-13T14:30:00+01:00",
    title: `Meldung ${i}`,
    ...overrides,
  };
}

const HOSTILE: string[] = [
  "</title><script>alert(1)</script>",
  "a ]]> b",
  "Tom & Jerry &amp; &lt;b&gt; &nbsp;",
  "<!-- x --> -->",
  `"double" 'single'`,
  "ctl:\u0000\u0001\u0008\u000b\u001f end",
  "bad:\ufffe\uffff lone:\ud800\udc00\udfff",
  "bidi: \u202eevil\u202c",
  "emoji: 😀 👩🏽‍🚀 𝄞",
  "lines:\r\nwin\rmac",
];

// ---------------------------------------------------------------------------------------------

describe("renderSitemaps", () => {
  test("one urlset with the sitemap and xhtml namespaces, locs, lastmods and hreflang alternates", () => {
    const files = renderSitemaps([entry(1), entry(2)], BASE);
    expect(files.map((file) => file.path)).toEqual(["sitemap.xml"]);
    const content = files[0]?.content ?? "";
    expect(content).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">');
    const [first, second] = urlsOf(files[0] as SitemapFile);
    expect(text(first, "loc")).toBe(`${BASE}de/artikel-1/`);
    expect(text(first, "lastmod")).toBe("2025-02-11T09:00:00+01:00");
    const links = (first?.["xhtml:link"] as XmlNode[]).map((link) => [link["@rel"], link["@hreflang"], link["@href"]]);
    expect(links).toEqual([
      ["alternate", "de", `${BASE}de/artikel-1/`],
      ["alternate", "en", `${BASE}en/article-1/`],
      ["alternate", "x-default", `${BASE}de/artikel-1/`],
    ]);
    expect(text(second, "loc")).toBe(`${BASE}de/artikel-2/`);
  });

  test("entries without lastmod or alternates are plain <url><loc>", () => {
    const urls = urlsOf(renderSitemaps([{ loc: BASE }, { loc: `${BASE}de/`, lastmod: null, alternates: [] }], BASE)[0] as SitemapFile);
    expect(urls.map((url) => Object.keys(url).filter((key) => key !== "#text"))).toEqual([["loc"], ["loc"]]);
    expect(urls.map((url) => text(url, "loc"))).toEqual([BASE, `${BASE}de/`]);
  });

  test("beyond maxUrls, sitemap.xml becomes an index over parts of at most maxUrls, in input order", () => {
    const entries = Array.from({ length: 7 }, (_, i) => entry(i));
    const files = renderSitemaps(entries, BASE, 3);
    expect(files.map((file) => file.path)).toEqual(["sitemap.xml", "sitemaps/sitemap-1.xml", "sitemaps/sitemap-2.xml", "sitemaps/sitemap-3.xml"]);
    const [index, ...parts] = files as [SitemapFile, ...SitemapFile[]];
    expect(index.content).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    const listed = sitemapsOf(index);
    expect(listed.map((sitemap) => text(sitemap, "loc"))).toEqual(parts.map((part) => `${BASE}${part.path}`));
    // Each part's lastmod is its newest entry's.
    expect(listed.map((sitemap) => text(sitemap, "lastmod"))).toEqual([
      "2025-02-12T09:00:00+01:00",
      "2025-02-15T09:00:00+01:00",
      "2025-02-16T09:00:00+01:00",
    ]);
    const locs = parts.map((part) => urlsOf(part).map((url) => text(url, "loc")));
    expect(locs.map((list) => list.length)).toEqual([3, 3, 1]);
    expect(locs.flat()).toEqual(entries.map((e) => e.loc));
    for (const part of parts) expect(part.content).toContain('xmlns:xhtml="http://www.w3.org/1999/xhtml"');
  });

  test("exactly maxUrls entries stay one file", () => {
    expect(renderSitemaps([entry(1), entry(2), entry(3)], BASE, 3).map((file) => file.path)).toEqual(["sitemap.xml"]);
  });

  test("parts also split by size, each within the byte limit", () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({ ...entry(i), loc: `${BASE}de/${"ü".repeat(20)}-${i}/` }));
    const maxBytes = 2_000;
    const files = renderSitemaps(entries, BASE, 50_000, maxBytes);
    expect(files.length).toBeGreaterThan(2);
    const parts = files.slice(1);
    for (const part of parts) expect(Buffer.byteLength(part.content, "utf8")).toBeLessThanOrEqual(maxBytes);
    expect(parts.flatMap((part) => urlsOf(part).map((url) => text(url, "loc")))).toEqual(
      entries.map((e) => e.loc.replace("ü".repeat(20), "%C3%BC".repeat(20))),
    );
  });

  test("a base URL without trailing slash or with a subpath still resolves the parts", () => {
    const files = renderSitemaps([{ loc: "https://example.org/news/a/" }, { loc: "https://example.org/news/b/" }], "https://example.org/news", 1);
    expect(sitemapsOf(files[0] as SitemapFile).map((sitemap) => text(sitemap, "loc"))).toEqual([
      "https://example.org/news/sitemaps/sitemap-1.xml",
      "https://example.org/news/sitemaps/sitemap-2.xml",
    ]);
  });

  test("IRIs are written as URIs (percent-encoded path, punycode host)", () => {
    const files = renderSitemaps(
      [{ loc: `${BASE}de/über-uns/`, alternates: [{ hreflang: "de", href: "https://bücher.example/de/" }] }],
      BASE,
    );
    const [url] = urlsOf(files[0] as SitemapFile);
    expect(text(url, "loc")).toBe(`${BASE}de/%C3%BCber-uns/`);
    expect((url?.["xhtml:link"] as XmlNode[])[0]?.["@href"]).toBe("https://xn--bcher-kva.example/de/");
  });

  test("URLs with XML specials are escaped and round-trip", () => {
    const loc = `${BASE}suche/?q="a"&tag=<b>&x='y'`;
    const [url] = urlsOf(renderSitemaps([{ loc, alternates: [{ hreflang: "de", href: loc }] }], BASE)[0] as SitemapFile);
    expect(text(url, "loc")).toBe(loc);
    expect((url?.["xhtml:link"] as XmlNode[])[0]?.["@href"]).toBe(loc);
  });

  test("lastmod accepts a complete date and completes a date-time to W3C format", () => {
    const files = renderSitemaps([{ loc: BASE, lastmod: "2025-02-13" }, { loc: `${BASE}x/`, lastmod: "2025-02-13T14:30+0100" }], BASE);
    expect(urlsOf(files[0] as SitemapFile).map((url) => text(url, "lastmod"))).toEqual(["2025-02-13", "2025-02-13T14:30:00+01:00"]);
  });

  test("no entries give an empty, well-formed urlset", () => {
    const files = renderSitemaps([], BASE);
    expect(files.map((file) => file.path)).toEqual(["sitemap.xml"]);
    expect(urlsOf(files[0] as SitemapFile)).toEqual([]);
  });

  test.each([
    ["relative loc", { loc: "/de/artikel/" }],
    ["loc without scheme", { loc: "news.example/de/" }],
    ["ftp loc", { loc: "ftp://news.example/de/" }],
    ["loc on another host", { loc: "https://other.example/de/" }],
    ["loc with a space", { loc: `${BASE}de/zwei worte/` }],
    ["loc with a newline", { loc: `${BASE}de/\n` }],
    ["relative alternate", { loc: BASE, alternates: [{ hreflang: "de", href: "/de/" }] }],
    ["underscore hreflang", { loc: BASE, alternates: [{ hreflang: "de_DE", href: BASE }] }],
    ["empty hreflang", { loc: BASE, alternates: [{ hreflang: "", href: BASE }] }],
    ["bad lastmod", { loc: BASE, lastmod: "yesterday" }],
    ["lastmod without offset", { loc: BASE, lastmod: "2025-02-13T10:00:00" }],
  ])("%s is our bug: throws Internal", (_name, bad) => {
    expect(() => renderSitemaps([entry(1), bad as SitemapEntry], BASE)).toThrow(/^Internal: /);
  });

  test.each([0, -1, 1.5, 50_001])("maxUrls %s is refused", (maxUrls) => {
    expect(() => renderSitemaps([entry(1)], BASE, maxUrls)).toThrow(/^Internal: /);
  });

  test.each(["relative/", "https://news.example/?x=1", "mailto:a@b.example"])("base URL %j is refused", (baseUrl) => {
    expect(() => renderSitemaps([], baseUrl)).toThrow(/^Internal: /);
  });

  test("arbitrary URL paths always give well-formed XML that round-trips", () => {
    const pathChar = fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=:@/?%<>\"{}|\\^`".split(""));
    fc.assert(
      fc.property(fc.array(fc.string({ unit: pathChar, maxLength: 30 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 4 }), (paths, maxUrls) => {
        const entries = paths.map((path) => ({ loc: `${BASE}${path}`, alternates: [{ hreflang: "x-default", href: `${BASE}${path}` }] }));
        const files = renderSitemaps(entries, BASE, maxUrls);
        const parts = files.length === 1 ? files : files.slice(1);
        for (const part of parts) expect(urlsOf(part).length).toBeLessThanOrEqual(maxUrls);
        expect(parts.flatMap((part) => urlsOf(part).map((url) => text(url, "loc")))).toEqual(entries.map((e) => e.loc));
      }),
    );
  });
});

describe("encoded entries (the build cache's form of reused pages' entries)", () => {
  test("any mix of encoded and plain entries gives the bytes of plain ones: parts, sizes and the index's lastmods included", () => {
    const encode = sitemapEntryEncoder(BASE);
    const sample = (i: number): SitemapEntry => ({
      loc: `${BASE}de/${i % 3 === 0 ? "straße-ü" : "a&b"}-${i}/`,
      lastmod: i % 4 === 0 ? null : `2025-0${1 + (i % 9)}-1${i % 10}T08:00:00+01:00`,
      ...(i % 5 === 0 ? {} : { alternates: [{ hreflang: "de", href: `${BASE}de/${i}/` }, { hreflang: "x-default", href: `${BASE}${i}/` }] }),
    });
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 14 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 600, max: 5000 }), (encoded, maxUrls, maxBytes) => {
        const entries = encoded.map((_, i) => sample(i));
        const mixed = entries.map((e, i) => (encoded[i] ? encode(e) : e));
        expect(renderSitemaps(mixed, BASE, maxUrls, maxBytes)).toEqual(renderSitemaps(entries, BASE, maxUrls, maxBytes));
      }),
    );
    expect(() => encode({ loc: "https://elsewhere.example/x" })).toThrow(/outside the site/);
  });

  test("joined of their bytes (gazette dev): the one sitemap.xml renderSitemaps makes; null when it would be an index and parts", () => {
    const encode = sitemapEntryEncoder(BASE);
    const entry = (i: number): SitemapEntry => ({ loc: `${BASE}de/straße-${i}/`, lastmod: i % 2 ? "2025-03-01T08:00:00+01:00" : null, alternates: [{ hreflang: "de", href: `${BASE}de/straße-${i}/` }] });
    for (const count of [0, 1, 7]) {
      const encoded = Array.from({ length: count }, (_, i) => encode(entry(i)));
      const [single, ...more] = renderSitemaps(encoded, BASE);
      expect(more).toEqual([]);
      expect(single!.path).toBe("sitemap.xml");
      expect(Buffer.from(joinUrlset(encoded.map(encodedEntryBytes))!).toString("utf8")).toBe(single!.content);
    }
    const element = encodedEntryBytes(encode({ loc: `${BASE}x/` }));
    expect(joinUrlset(Array.from({ length: 50_000 }, () => element))).not.toBeNull();
    expect(joinUrlset(Array.from({ length: 50_001 }, () => element))).toBeNull(); // renderSitemaps makes parts
  });
});

describe("sitemapWriter (the sitemap written while pages render)", () => {
  test("each part is handed out once, as soon as the entry after it arrives; end gives the rest and the index", () => {
    const writer = sitemapWriter(BASE, 3);
    const taken: string[][] = [];
    for (let i = 0; i < 7; i++) {
      writer.add(entry(i));
      taken.push(writer.takeFull().map((file) => file.path));
    }
    // Part 1 is full after entry 3 but handed out only when entry 4 shows it must be closed.
    expect(taken).toEqual([[], [], [], ["sitemaps/sitemap-1.xml"], [], [], ["sitemaps/sitemap-2.xml"]]);
    expect(writer.takeFull()).toEqual([]);
    expect(writer.end().map((file) => file.path)).toEqual(["sitemap.xml", "sitemaps/sitemap-3.xml"]);
  });

  test("the files it hands out, in order, are those renderSitemaps makes, byte for byte", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 12 }), (count, maxUrls, takeEvery) => {
        const entries = Array.from({ length: count }, (_, i) => entry(i));
        const writer = sitemapWriter(BASE, maxUrls);
        const streamed: SitemapFile[] = [];
        // It hands out UTF-8 bytes (each file its own buffer, ready to be moved to the write thread).
        const asText = (files: { path: string; content: Uint8Array }[]) =>
          files.map((file) => {
            expect(file.content.byteLength).toBe(file.content.buffer.byteLength);
            return { path: file.path, content: new TextDecoder().decode(file.content) };
          });
        entries.forEach((e, i) => {
          writer.add(e);
          if (takeEvery > 0 && i % takeEvery === 0) streamed.push(...asText(writer.takeFull()));
        });
        const ended = asText(writer.end());
        const whole = renderSitemaps(entries, BASE, maxUrls);
        // renderSitemaps puts the index first; streamed parts come before it.
        const byPath = (files: SitemapFile[]) => [...files].sort((a, b) => a.path.localeCompare(b.path));
        expect(byPath([...streamed, ...ended])).toEqual(byPath(whole));
        expect(ended[0]?.path).toBe("sitemap.xml");
      }),
    );
  });

  test("pieces are encoded a slice at a time into exactly their UTF-8 bytes", () => {
    const pieces = Array.from({ length: 40_000 }, (_, i) => (i % 7 === 0 ? `ü€😀${i}` : `<loc>${i}</loc>`));
    expect(Buffer.from(encodePieces(pieces)).equals(Buffer.from(pieces.join(""), "utf8"))).toBe(true);
    expect(encodePieces([]).byteLength).toBe(0);
  });

  test("ASCII pieces are encoded a byte each; any other piece sends them all the UTF-8 way", () => {
    const ascii = Array.from({ length: 40_000 }, (_, i) => `<loc>https://news.example/${i}/</loc>\n`);
    for (const pieces of [ascii, [...ascii, "ü€😀"], ["\u007f", "é"], []]) {
      const bytes = encodeAsciiPieces(pieces);
      expect(Buffer.from(bytes).equals(Buffer.from(pieces.join(""), "utf8"))).toBe(true);
      expect(bytes.byteOffset).toBe(0); // its own buffer, not a slice of Node's pool
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
    }
  });

  test("a bad entry is refused when it is added, not at the end", () => {
    const writer = sitemapWriter(BASE);
    expect(() => writer.add({ loc: "https://elsewhere.example/x/" })).toThrow(/^Internal: /);
  });
});

describe("hreflang codes", () => {
  test.each(["de", "en", "pt-BR", "zh-Hant", "zh-Hant-TW", "sr-Latn-RS", "es-419", "x-default", "gsw", "de-CH-1996", "en-US-x-twain"])(
    "%s is valid",
    (code) => {
      expect(isValidHreflang(code)).toBe(true);
    },
  );
  test.each(["", "de_DE", "d", "english", "englishlanguage", "en-", "-en", "en US", "x-default-de", "x-private", "X-Default", "de-DE-", "12"])("%j is invalid", (code) => {
    expect(isValidHreflang(code)).toBe(false);
  });
});

describe("renderNewsSitemaps", () => {
  test("a news urlset with publication name and language, W3C date and title", () => {
    const files = renderNewsSitemaps([newsEntry(1), newsEntry(2, { language: "zh-Hant-TW", published: "2025-02-13T06:00Z" })], BASE);
    expect(files.map((file) => file.path)).toEqual(["news-sitemap.xml"]);
    const content = files[0]?.content ?? "";
    expect(content).toContain('xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"');
    expect(content).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
    const [first, second] = urlsOf(files[0] as SitemapFile);
    expect(first).toMatchObject({
      loc: `${BASE}de/meldung-1/`,
      "news:news": {
        "news:publication": { "news:name": "Gazette", "news:language": "de" },
        "news:publication_date": "2025-02-13T14:30:00+01:00",
        "news:title": "Meldung 1",
      },
    });
    const news = second?.["news:news"] as XmlNode;
    expect((news["news:publication"] as XmlNode)["news:language"]).toBe("zh-tw");
    expect(news["news:publication_date"]).toBe("2025-02-13T06:00:00Z");
  });

  test.each([
    ["de", "de"],
    ["DE", "de"],
    ["pt-BR", "pt"],
    ["en-GB", "en"],
    ["fil", "fil"],
    ["sr-Latn-RS", "sr"],
    ["zh", "zh-cn"],
    ["zh-CN", "zh-cn"],
    ["zh-Hans", "zh-cn"],
    ["zh-Hans-HK", "zh-cn"],
    ["zh-SG", "zh-cn"],
    ["zh-TW", "zh-tw"],
    ["zh-HK", "zh-tw"],
    ["zh-MO", "zh-tw"],
    ["zh-Hant", "zh-tw"],
    ["zh-Hant-HK", "zh-tw"],
  ])("language %s is written as %s", (lang, expected) => {
    expect(toGoogleNewsLanguage(lang)).toBe(expected);
  });

  test.each(["", "de_DE", "Deutsch und mehr", "x-private"])("language %j is our bug", (lang) => {
    expect(() => renderNewsSitemaps([newsEntry(1, { language: lang })], BASE)).toThrow(/^Internal: /);
  });

  test("more than 1,000 articles: news-sitemap.xml is an index over parts of at most 1,000", () => {
    const entries = Array.from({ length: 2_500 }, (_, i) => newsEntry(i));
    const files = renderNewsSitemaps(entries, BASE);
    expect(files.map((file) => file.path)).toEqual([
      "news-sitemap.xml",
      "sitemaps/news-sitemap-1.xml",
      "sitemaps/news-sitemap-2.xml",
      "sitemaps/news-sitemap-3.xml",
    ]);
    const [index, ...parts] = files as [SitemapFile, ...SitemapFile[]];
    expect(sitemapsOf(index).map((sitemap) => text(sitemap, "loc"))).toEqual(parts.map((part) => `${BASE}${part.path}`));
    const counts = parts.map((part) => urlsOf(part).length);
    expect(counts).toEqual([1_000, 1_000, 500]);
    for (const part of parts) expect(part.content).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
  });

  test("exactly 1,000 articles stay one file", () => {
    const files = renderNewsSitemaps(Array.from({ length: 1_000 }, (_, i) => newsEntry(i)), BASE);
    expect(files.map((file) => file.path)).toEqual(["news-sitemap.xml"]);
    expect(urlsOf(files[0] as SitemapFile)).toHaveLength(1_000);
  });

  test("no recent articles give an empty, well-formed urlset", () => {
    const files = renderNewsSitemaps([], BASE);
    expect(urlsOf(files[0] as SitemapFile)).toEqual([]);
  });

  test.each(HOSTILE)("hostile publication name and title round-trip: %j", (value) => {
    const [url] = urlsOf(renderNewsSitemaps([newsEntry(1, { publicationName: value, title: value })], BASE)[0] as SitemapFile);
    const news = url?.["news:news"] as XmlNode;
    expect((news["news:publication"] as XmlNode)["news:name"]).toBe(expectedText(value));
    expect(news["news:title"]).toBe(expectedText(value));
  });

  test("arbitrary titles always give well-formed XML that round-trips", () => {
    const unit = fc.oneof(
      fc.constantFrom("<", ">", "&", '"', "'", "]]>", "-->", "\r\n", "\u202e", "😀"),
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (title) => {
        const [url] = urlsOf(renderNewsSitemaps([newsEntry(1, { title })], BASE)[0] as SitemapFile);
        expect((url?.["news:news"] as XmlNode)["news:title"]).toBe(expectedText(title));
      }),
      { numRuns: 300 },
    );
  });
});

describe("renderRobotsTxt", () => {
  test.each([
    ["https://news.example", ["sitemap.xml", "news-sitemap.xml"], undefined, "User-agent: *\nAllow: /\n\nSitemap: https://news.example/sitemap.xml\nSitemap: https://news.example/news-sitemap.xml\n"],
    ["https://example.org/news/", ["/sitemap.xml"], { disallow: ["/drafts/", "/*?preview="] }, "User-agent: *\nDisallow: /drafts/\nDisallow: /*?preview=\nAllow: /\n\nSitemap: https://example.org/news/sitemap.xml\n"],
    ["https://news.example/", [], undefined, "User-agent: *\nAllow: /\n"],
    ["https://news.example/", ["https://cdn.example/sitemap.xml"], { disallow: [] }, "User-agent: *\nAllow: /\n\nSitemap: https://cdn.example/sitemap.xml\n"],
  ])("%s %j %j", (baseUrl, paths, options, expected) => {
    expect(renderRobotsTxt(baseUrl, paths, options)).toBe(expected);
  });

  test.each([["drafts/"], ["/a b"], ["/x\nSitemap: https://evil.example/s.xml"], [""]])("Disallow path %j is our bug", (path) => {
    expect(() => renderRobotsTxt(BASE, [], { disallow: [path] })).toThrow(/^Internal: /);
  });

  test("a sitemap path cannot inject lines", () => {
    expect(() => renderRobotsTxt(BASE, ["sitemap.xml\nDisallow: /"])).toThrow(/^Internal: /);
  });
});

describe("size limits", () => {
  test("60,000 URLs with 3 alternates each split into an index and two parts", () => {
    const langs = ["de", "en", "fr"];
    const entries: SitemapEntry[] = Array.from({ length: 60_000 }, (_, i) => ({
      loc: `${BASE}${langs[i % 3]}/artikel-nummer-${i}/`,
      lastmod: `2025-02-${String(1 + (i % 28)).padStart(2, "0")}T14:${String(i % 60).padStart(2, "0")}:00+01:00`,
      alternates: langs.map((lang) => ({ hreflang: lang, href: `${BASE}${lang}/artikel-nummer-${i}/` })),
    }));
    const files = renderSitemaps(entries, BASE);
    expect(files.map((file) => file.path)).toEqual(["sitemap.xml", "sitemaps/sitemap-1.xml", "sitemaps/sitemap-2.xml"]);
  });
});
