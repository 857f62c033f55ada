import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, test } from "vitest";
import { renderAtom, renderJsonFeed, renderRss, type FeedInput, type FeedItem } from "../../../src/render/feeds.js";
import { escapeXml, formatRfc3339Date, formatRfc822Date, formatW3cDatetime, wrapCdata } from "../../../src/render/xml.js";

// ---------------------------------------------------------------------------------------------
// Helpers: a strict well-formedness check (fast-xml-parser's validator accepts control characters,
// lone surrogates and undefined entities, so those are checked here) and a parser that decodes
// numeric references.

const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const CDATA_SECTION = /<!\[CDATA\[[\s\S]*?\]\]>/g;
const REFERENCE = /&[^;\s]*;?/g;
const XML_REFERENCE = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);$/;

function expectWellFormed(xml: string): void {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  expect(NOT_XML_CHAR.exec(xml)).toBeNull();
  const outsideCdata = xml.replace(CDATA_SECTION, "");
  expect(outsideCdata).not.toContain("]]>");
  expect(outsideCdata).not.toContain("<![CDATA[");
  for (const [reference] of outsideCdata.matchAll(REFERENCE)) expect(reference).toMatch(XML_REFERENCE);
}

// Repeatable elements parse as arrays. Atom's <link> repeats; RSS's <link> is a single text element.
function createParser(arrayTags: readonly string[]): XMLParser {
  const tags = new Set(arrayTags);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: true,
    // Decodes numeric character references; named HTML entities never pass expectWellFormed.
    htmlEntities: true,
    isArray: (name: string) => tags.has(name),
  });
}
const rssParser = createParser(["item", "category", "dc:creator"]);
const atomParser = createParser(["entry", "category", "author", "link"]);

type XmlNode = Record<string, unknown>;

function parseRss(xml: string): XmlNode {
  expectWellFormed(xml);
  return child(child(rssParser.parse(xml), "rss"), "channel");
}

function parseAtom(xml: string): XmlNode {
  expectWellFormed(xml);
  return child(atomParser.parse(xml), "feed");
}

function child(node: unknown, name: string): XmlNode {
  const value = (node as XmlNode)[name];
  expect(value, `<${name}>`).toBeDefined();
  return value as XmlNode;
}

function children(node: unknown, name: string): unknown[] {
  return ((node as XmlNode)[name] as unknown[] | undefined) ?? [];
}

function text(node: unknown, name?: string): string {
  const value = name === undefined ? node : (node as XmlNode)[name];
  if (typeof value === "string") return value;
  expect(value, `text of <${name ?? "?"}>`).toBeTypeOf("object");
  return ((value as XmlNode)["#text"] as string | undefined) ?? "";
}

function attribute(node: unknown, name: string): string | undefined {
  return (node as XmlNode)[`@${name}`] as string | undefined;
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

const HTML_DECODE: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
function decodeHtml(html: string): string {
  return html.replace(/&(?:amp|lt|gt|quot|#39);/g, (ref) => HTML_DECODE[ref] ?? ref);
}

// ---------------------------------------------------------------------------------------------
// Fixtures

function makeItem(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    url: "https://news.example/de/zinsen-steigen/",
    title: "Zinsen steigen",
    summary: "Die EZB erhöht die Zinsen.",
    contentHtml: "<p>Die EZB erhöht die Zinsen.</p>",
    published: "2025-02-13T14:30:00+01:00",
    updated: null,
    authors: ["Anna Beispiel", "Bert Muster"],
    tags: ["EZB", "Zinsen"],
    lang: "de",
    source: { name: "dpa", url: "https://dpa.example/a?x=1&y=2" },
    ...overrides,
  };
}

function makeFeed(overrides: Partial<FeedInput> = {}): FeedInput {
  return {
    lang: "de",
    title: "Gazette – Nachrichten",
    description: "Nachrichten aus aller Welt",
    homeUrl: "https://news.example/de/",
    feedUrls: {
      rss: "https://news.example/de/feed.xml",
      atom: "https://news.example/de/atom.xml",
      json: "https://news.example/de/feed.json",
    },
    updated: "2025-03-01T00:00:00+01:00",
    publisher: "Gazette Verlag",
    items: [
      makeItem(),
      makeItem({
        url: "https://news.example/de/zweiter/",
        title: "Zweiter",
        summary: "Kurz.",
        contentHtml: undefined,
        published: "2025-02-12T08:00:00Z",
        updated: "2025-02-14T09:15:00+01:00",
        authors: [],
        tags: [],
        lang: "en",
        source: { name: "Reuters", url: null },
      }),
    ],
    ...overrides,
  };
}

const HOSTILE: string[] = [
  "</title><script>alert(1)</script>",
  "a ]]> b ]]]]> c",
  "Tom & Jerry &amp; &lt;b&gt; &#x26; &nbsp;",
  "<!-- comment --> -->",
  `"double" 'single' \`back\``,
  "ctl:\u0000\u0001\u0008\u000b\u000c\u000e\u001f\u007f\u0085 end",
  "bad:\ufffe\uffff end",
  "lone: \ud800 x \udc00 y \udbff",
  "bidi: \u202eevil\u202c \u2066iso\u2069 \u200f",
  "emoji: 😀 👩🏽‍🚀 🇩🇪 𝄞 𠜎",
  "lines:\r\nwin\rmac\nunix\ttab",
  "  leading and trailing spaces  ",
  "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'boom'>]>&e;",
];

// ---------------------------------------------------------------------------------------------

describe("xml helpers", () => {
  test.each([
    ["plain", "plain"],
    ["a & b", "a &amp; b"],
    ["<a href=\"x\">'y'</a>", "&lt;a href=&quot;x&quot;&gt;&apos;y&apos;&lt;/a&gt;"],
    ["x\u0000y\u0008z\ufffe\uffff", "xyz"],
    ["a\ud800b\udc00c", "abc"],
    ["😀\u202e", "😀\u202e"],
    ["a\r\nb", "a&#13;\nb"],
  ])("escapeXml(%j) = %j", (input, expected) => {
    expect(escapeXml(input)).toBe(expected);
  });

  test.each([
    ["a]]>b", "<![CDATA[a]]]]><![CDATA[>b]]>"],
    ["]]>]]>", "<![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]>"],
    ["<p>\u0001x\r\ny</p>", "<![CDATA[<p>x\ny</p>]]>"],
  ])("wrapCdata(%j) = %j", (input, expected) => {
    expect(wrapCdata(input)).toBe(expected);
  });

  test.each([
    ["2025-02-13T14:30:00+01:00", "Thu, 13 Feb 2025 14:30:00 +0100", "2025-02-13T14:30:00+01:00"],
    ["2025-02-13T14:30+0100", "Thu, 13 Feb 2025 14:30:00 +0100", "2025-02-13T14:30:00+01:00"],
    ["2024-02-29T23:59:59Z", "Thu, 29 Feb 2024 23:59:59 +0000", "2024-02-29T23:59:59Z"],
    ["2025-12-31T23:30:00-05:00", "Wed, 31 Dec 2025 23:30:00 -0500", "2025-12-31T23:30:00-05:00"],
    ["2025-01-01T00:15:00+05:45", "Wed, 01 Jan 2025 00:15:00 +0545", "2025-01-01T00:15:00+05:45"],
    ["2025-06-01T12:00:00.250+02:00", "Sun, 01 Jun 2025 12:00:00 +0200", "2025-06-01T12:00:00.250+02:00"],
  ])("dates: %s -> RFC 822 %j, RFC 3339 %j", (iso, rfc822, rfc3339) => {
    expect(formatRfc822Date(iso)).toBe(rfc822);
    expect(formatRfc3339Date(iso)).toBe(rfc3339);
    expect(Date.parse(rfc822)).toBe(Math.floor(Date.parse(iso) / 1000) * 1000);
    expect(Date.parse(rfc3339)).toBe(Date.parse(iso));
  });

  test.each(["2025-02-13", "13.02.2025", "2025-02-13T14:30:00", "2025-02-30T10:00:00Z", "2025-02-13T24:00:00Z", "2025-02-13T10:00:00+25:00", ""])(
    "a date without time and offset or out of range is our bug: %j",
    (iso) => {
      expect(() => formatRfc822Date(iso)).toThrow(/^Internal: /);
      expect(() => formatRfc3339Date(iso)).toThrow(/^Internal: /);
    },
  );

  test("W3C datetime keeps a complete date and completes a date-time", () => {
    expect(formatW3cDatetime("2025-02-13")).toBe("2025-02-13");
    expect(formatW3cDatetime("2025-02-13T14:30+01:00")).toBe("2025-02-13T14:30:00+01:00");
    expect(() => formatW3cDatetime("2025-02-31")).toThrow(/^Internal: /);
  });

  test("RFC 822 dates round-trip to the input instant for any instant and offset, in English", () => {
    const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2099, 11, 31) }).map((ms) => Math.floor(ms / 1000) * 1000);
    const offset = fc.integer({ min: -14 * 60, max: 14 * 60 });
    fc.assert(
      fc.property(instant, offset, (ms, minutes) => {
        const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 19);
        const sign = minutes < 0 ? "-" : "+";
        const abs = Math.abs(minutes);
        const iso = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
        const rfc822 = formatRfc822Date(iso);
        expect(Date.parse(rfc822)).toBe(ms);
        expect(rfc822).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/);
        if (minutes === 0) expect(rfc822).toBe(new Date(ms).toUTCString().replace("GMT", "+0000"));
      }),
    );
  });
});

describe("renderRss", () => {
  test("has the RSS 2.0 root, namespaces and required channel elements", () => {
    const xml = renderRss(makeFeed());
    expect(xml).toContain(
      '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    );
    const channel = parseRss(xml);
    expect(text(channel, "title")).toBe("Gazette – Nachrichten");
    expect(text(channel, "link")).toBe("https://news.example/de/");
    expect(text(channel, "description")).toBe("Nachrichten aus aller Welt");
    expect(text(channel, "language")).toBe("de");
    expect(text(channel, "generator")).toBe("Gazette");
    const self = child(channel, "atom:link");
    expect([attribute(self, "rel"), attribute(self, "type"), attribute(self, "href")]).toEqual([
      "self",
      "application/rss+xml",
      "https://news.example/de/feed.xml",
    ]);
  });

  test("lastBuildDate is the newest item change (its updated date), in RFC 822", () => {
    const channel = parseRss(renderRss(makeFeed()));
    const lastBuildDate = text(channel, "lastBuildDate");
    expect(lastBuildDate).toBe("Fri, 14 Feb 2025 09:15:00 +0100");
    expect(Date.parse(lastBuildDate)).toBe(Date.parse("2025-02-14T09:15:00+01:00"));
  });

  test("an empty feed is valid and dated by the caller's fallback", () => {
    const channel = parseRss(renderRss(makeFeed({ items: [] })));
    expect(text(channel, "lastBuildDate")).toBe("Sat, 01 Mar 2025 00:00:00 +0100");
    expect(children(channel, "item")).toHaveLength(0);
  });

  test("items carry title, link, permalink guid, RFC 822 pubDate, description, content, creators, categories", () => {
    const feed = makeFeed();
    const items = children(parseRss(renderRss(feed)), "item");
    expect(items).toHaveLength(2);
    const [first, second] = items;
    expect(text(first, "title")).toBe("Zinsen steigen");
    expect(text(first, "link")).toBe("https://news.example/de/zinsen-steigen/");
    const guid = child(first, "guid");
    expect([text(guid), attribute(guid, "isPermaLink")]).toEqual(["https://news.example/de/zinsen-steigen/", "true"]);
    expect(Date.parse(text(first, "pubDate"))).toBe(Date.parse("2025-02-13T14:30:00+01:00"));
    expect(text(first, "description")).toBe("Die EZB erhöht die Zinsen.");
    expect(text(first, "content:encoded")).toBe("<p>Die EZB erhöht die Zinsen.</p>");
    expect(children(first, "dc:creator").map((node) => text(node))).toEqual(["Anna Beispiel", "Bert Muster"]);
    expect(children(first, "category").map((node) => text(node))).toEqual(["EZB", "Zinsen"]);
    const source = child(first, "source");
    expect([text(source), attribute(source, "url")]).toEqual(["dpa", "https://dpa.example/a?x=1&y=2"]);
    expect((first as XmlNode)["dc:language"]).toBeUndefined();

    expect(Date.parse(text(second, "pubDate"))).toBe(Date.parse("2025-02-12T08:00:00Z"));
    expect((second as XmlNode)["content:encoded"]).toBeUndefined();
    expect(children(second, "dc:creator")).toHaveLength(0);
    // <source> requires a url attribute, so a source without URL is left out.
    expect((second as XmlNode)["source"]).toBeUndefined();
    expect(text(second, "dc:language")).toBe("en");
  });

  test("a custom generator is used", () => {
    const channel = parseRss(renderRss(makeFeed({ generator: "Gazette 1.2" })));
    expect(text(channel, "generator")).toBe("Gazette 1.2");
  });
});

describe("renderAtom", () => {
  test("has the Atom namespace, xml:lang and required feed elements", () => {
    const feed = parseAtom(renderAtom(makeFeed()));
    expect(attribute(feed, "xmlns")).toBe("http://www.w3.org/2005/Atom");
    expect(attribute(feed, "xml:lang")).toBe("de");
    expect(text(feed, "id")).toBe("https://news.example/de/");
    expect(text(feed, "title")).toBe("Gazette – Nachrichten");
    expect(text(feed, "subtitle")).toBe("Nachrichten aus aller Welt");
    expect(text(feed, "updated")).toBe("2025-02-14T09:15:00+01:00");
    const links = children(feed, "link").map((link) => [attribute(link, "rel"), attribute(link, "type"), attribute(link, "href")]);
    expect(links).toEqual([
      ["alternate", "text/html", "https://news.example/de/"],
      ["self", "application/atom+xml", "https://news.example/de/atom.xml"],
    ]);
    expect(children(feed, "author").map((author) => text(author, "name"))).toEqual(["Gazette Verlag"]);
    expect(text(feed, "generator")).toBe("Gazette");
  });

  test("entries carry id, title, updated, published, alternate link, summary, html content, authors, categories", () => {
    const entries = children(parseAtom(renderAtom(makeFeed())), "entry");
    expect(entries).toHaveLength(2);
    const [first, second] = entries;
    expect(text(first, "id")).toBe("https://news.example/de/zinsen-steigen/");
    expect(text(first, "title")).toBe("Zinsen steigen");
    expect(text(first, "updated")).toBe("2025-02-13T14:30:00+01:00");
    expect(text(first, "published")).toBe("2025-02-13T14:30:00+01:00");
    expect(text(first, "summary")).toBe("Die EZB erhöht die Zinsen.");
    const content = child(first, "content");
    expect([text(content), attribute(content, "type")]).toEqual(["<p>Die EZB erhöht die Zinsen.</p>", "html"]);
    expect(children(first, "author").map((author) => text(author, "name"))).toEqual(["Anna Beispiel", "Bert Muster"]);
    expect(children(first, "category").map((category) => attribute(category, "term"))).toEqual(["EZB", "Zinsen"]);
    expect(children(first, "link").map((link) => [attribute(link, "rel"), attribute(link, "href")])).toEqual([
      ["alternate", "https://news.example/de/zinsen-steigen/"],
      ["via", "https://dpa.example/a?x=1&y=2"],
    ]);
    expect(attribute(first, "xml:lang")).toBeUndefined();

    expect(text(second, "updated")).toBe("2025-02-14T09:15:00+01:00");
    expect(text(second, "published")).toBe("2025-02-12T08:00:00Z");
    expect((second as XmlNode)["content"]).toBeUndefined();
    expect(children(second, "author")).toHaveLength(0);
    expect(attribute(second, "xml:lang")).toBe("en");
    expect(children(second, "link")).toHaveLength(1);
  });

  test("an empty feed is valid and dated by the caller's fallback", () => {
    const feed = parseAtom(renderAtom(makeFeed({ items: [] })));
    expect(text(feed, "updated")).toBe("2025-03-01T00:00:00+01:00");
    expect(children(feed, "entry")).toHaveLength(0);
  });
});

describe("renderJsonFeed", () => {
  test("has the JSON Feed 1.1 fields in a fixed key order, with a trailing newline", () => {
    const json = renderJsonFeed(makeFeed());
    expect(json.endsWith("}\n")).toBe(true);
    expect(json).toBe(`${JSON.stringify(JSON.parse(json), null, 2)}\n`);
    const document = JSON.parse(json) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual(["version", "title", "home_page_url", "feed_url", "description", "authors", "language", "items"]);
    expect(document).toMatchObject({
      version: "https://jsonfeed.org/version/1.1",
      title: "Gazette – Nachrichten",
      home_page_url: "https://news.example/de/",
      feed_url: "https://news.example/de/feed.json",
      description: "Nachrichten aus aller Welt",
      authors: [{ name: "Gazette Verlag" }],
      language: "de",
    });
  });

  test("items have id, url, content_html or content_text, dates, authors, tags, language and the source extension", () => {
    const { items } = JSON.parse(renderJsonFeed(makeFeed())) as { items: Record<string, unknown>[] };
    expect(items[0]).toEqual({
      id: "https://news.example/de/zinsen-steigen/",
      url: "https://news.example/de/zinsen-steigen/",
      title: "Zinsen steigen",
      content_html: "<p>Die EZB erhöht die Zinsen.</p>",
      summary: "Die EZB erhöht die Zinsen.",
      date_published: "2025-02-13T14:30:00+01:00",
      authors: [{ name: "Anna Beispiel" }, { name: "Bert Muster" }],
      tags: ["EZB", "Zinsen"],
      language: "de",
      _gazette: { source: { name: "dpa", url: "https://dpa.example/a?x=1&y=2" } },
    });
    expect(Object.keys(items[0] ?? {})).toEqual(["id", "url", "title", "content_html", "summary", "date_published", "authors", "tags", "language", "_gazette"]);
    expect(items[1]).toEqual({
      id: "https://news.example/de/zweiter/",
      url: "https://news.example/de/zweiter/",
      title: "Zweiter",
      content_text: "Kurz.",
      summary: "Kurz.",
      date_published: "2025-02-12T08:00:00Z",
      date_modified: "2025-02-14T09:15:00+01:00",
      language: "en",
      _gazette: { source: { name: "Reuters", url: null } },
    });
  });

  test("the same input gives byte-identical output", () => {
    expect(renderJsonFeed(makeFeed())).toBe(renderJsonFeed(makeFeed()));
    expect(renderRss(makeFeed())).toBe(renderRss(makeFeed()));
    expect(renderAtom(makeFeed())).toBe(renderAtom(makeFeed()));
  });
});

describe("hostile text round-trips through a real parser", () => {
  function hostileFeed(value: string): FeedInput {
    return makeFeed({
      title: value,
      description: value,
      publisher: value,
      generator: value,
      items: [
        makeItem({
          title: value,
          summary: value,
          contentHtml: value,
          authors: [value, "Zweite Autorin"],
          tags: [value],
          source: { name: value, url: "https://src.example/?a=1&b=<2>&c=\"3\"" },
        }),
      ],
    });
  }

  test.each(HOSTILE)("RSS: %j", (value) => {
    const expected = expectedText(value);
    const channel = parseRss(renderRss(hostileFeed(value)));
    expect(text(channel, "title")).toBe(expected);
    expect(text(channel, "description")).toBe(expected);
    expect(text(channel, "generator")).toBe(expected);
    const [item] = children(channel, "item");
    expect(text(item, "title")).toBe(expected);
    // An item description is HTML to aggregators: the plain-text summary arrives as escaped HTML.
    expect(decodeHtml(text(item, "description"))).toBe(expected);
    // CDATA cannot carry a carriage return that survives parsing; HTML does not care.
    expect(text(item, "content:encoded")).toBe(expected.replace(/\r\n?/g, "\n"));
    expect(children(item, "dc:creator").map((node) => text(node))).toEqual([expected, "Zweite Autorin"]);
    expect(children(item, "category").map((node) => text(node))).toEqual([expected]);
    expect(text(item, "source")).toBe(expected);
    expect(attribute(child(item, "source"), "url")).toBe("https://src.example/?a=1&b=<2>&c=\"3\"");
  });

  test.each(HOSTILE)("Atom: %j", (value) => {
    const expected = expectedText(value);
    const feed = parseAtom(renderAtom(hostileFeed(value)));
    expect(text(feed, "title")).toBe(expected);
    expect(text(feed, "subtitle")).toBe(expected);
    expect(text(feed, "generator")).toBe(expected);
    expect(text(children(feed, "author")[0], "name")).toBe(expected);
    const [entry] = children(feed, "entry");
    expect(text(entry, "title")).toBe(expected);
    expect(text(entry, "summary")).toBe(expected);
    expect(text(entry, "content")).toBe(expected);
    expect(children(entry, "author").map((author) => text(author, "name"))).toEqual([expected, "Zweite Autorin"]);
    expect(children(entry, "category").map((category) => attribute(category, "term"))).toEqual([expected]);
    const via = children(entry, "link")[1];
    expect([attribute(via, "rel"), attribute(via, "title")]).toEqual(["via", expected]);
  });

  test.each(HOSTILE)("JSON Feed: %j", (value) => {
    const expected = expectedText(value);
    const document = JSON.parse(renderJsonFeed(hostileFeed(value))) as {
      title: string;
      description: string;
      authors: { name: string }[];
      items: { title: string; summary: string; content_html: string; authors: { name: string }[]; tags: string[]; _gazette: { source: { name: string } } }[];
    };
    expect([document.title, document.description, document.authors[0]?.name]).toEqual([expected, expected, expected]);
    const item = document.items[0];
    expect([item?.title, item?.summary, item?.content_html, item?.authors[0]?.name, item?.tags[0], item?._gazette.source.name]).toEqual(
      Array(6).fill(expected),
    );
  });

  test("arbitrary titles and summaries always give well-formed XML and valid JSON that round-trip", () => {
    const unit = fc.oneof(
      fc.constantFrom("<", ">", "&", '"', "'", "]]>", "-->", "<![CDATA[", "&amp;", "\r\n", "\u202e", "😀"),
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
    );
    const arbitraryText = fc.string({ unit, maxLength: 40 });
    fc.assert(
      fc.property(arbitraryText, arbitraryText, arbitraryText, (title, summary, content) => {
        const feed = makeFeed({
          title,
          description: summary,
          items: [makeItem({ title, summary, contentHtml: content, authors: [title], tags: [summary] })],
        });
        const expectedTitle = expectedText(title);
        const expectedSummary = expectedText(summary);

        const rssItem = children(parseRss(renderRss(feed)), "item")[0];
        expect(text(rssItem, "title")).toBe(expectedTitle);
        expect(decodeHtml(text(rssItem, "description"))).toBe(expectedSummary);
        expect(text(rssItem, "content:encoded")).toBe(expectedText(content).replace(/\r\n?/g, "\n"));

        const entry = children(parseAtom(renderAtom(feed)), "entry")[0];
        expect(text(entry, "title")).toBe(expectedTitle);
        expect(text(entry, "summary")).toBe(expectedSummary);
        expect(attribute(children(entry, "category")[0], "term")).toBe(expectedSummary);

        const json = JSON.parse(renderJsonFeed(feed)) as { items: { title: string; summary: string }[] };
        expect([json.items[0]?.title, json.items[0]?.summary]).toEqual([expectedTitle, expectedSummary]);
      }),
      { numRuns: 300 },
    );
  });
});
