/**
 * Per-language feeds from plain data: RSS 2.0 (`/<lang>/feed.xml`), Atom 1.0 (`/<lang>/atom.xml`)
 * and JSON Feed 1.1 (`/<lang>/feed.json`). Pure: every date comes from the input.
 *
 * Text semantics per format:
 * - RSS: titles, names and tags are plain text (hex references, per the RSS Best Practices
 *   Profile); an item's `description` is read as HTML by aggregators, so the plain-text summary
 *   is HTML-escaped before XML-escaping; `content:encoded` is HTML in CDATA.
 * - Atom: `title`/`summary` are `type="text"`; `content` is `type="html"` (escaped HTML).
 * - JSON Feed: strings as they are, minus characters XML 1.0 forbids (so all three feeds agree).
 */
import {
  escapeHtmlText,
  escapeRssText,
  escapeXml,
  escapeXmlAttribute,
  formatRfc3339Date,
  formatRfc822Date,
  stripInvalidXmlChars,
  toEpochMilliseconds,
  wrapCdata,
} from "./xml.js";

export interface FeedItem {
  /** Absolute permalink; also the item's stable id (guid isPermaLink, Atom id, JSON id). */
  url: string;
  title: string;
  /** Plain-text summary. */
  summary: string;
  /** Rendered article HTML (already sanitized) for content; optional. */
  contentHtml?: string;
  /** ISO 8601 with offset. */
  published: string;
  updated?: string | null;
  authors: string[];
  tags: string[];
  /** BCP 47 of the item (may differ from the feed's when a story is shown in its original language). */
  lang: string;
  /** Optional: the original source's name/URL (for RSS <source>, JSON _gazette extension or Atom link rel="via"). */
  source?: { name: string; url: string | null } | null;
}

export interface FeedInput {
  lang: string;
  title: string;
  description: string;
  /** Absolute URL of the language's front page. */
  homeUrl: string;
  /** Absolute URLs of the three feeds (each feed links to itself: atom:link rel=self, Atom link rel=self, feed_url). */
  feedUrls: { rss: string; atom: string; json: string };
  /** ISO; the feed's lastBuildDate/updated. Derive from the newest item; the caller passes the build date as fallback for empty feeds. */
  updated: string;
  publisher: string;
  /** Newest first, already limited by the caller. */
  items: FeedItem[];
  /** Default "Gazette". */
  generator?: string;
}

const DEFAULT_GENERATOR = "Gazette";

/**
 * The feed's last-change instant: the newest `updated ?? published` among the items, else
 * `feed.updated` (the build date, for empty feeds). Ties keep the first item in input order.
 */
function resolveFeedUpdated(feed: FeedInput): string {
  let newest: string | null = null;
  let newestTime = Number.NEGATIVE_INFINITY;
  for (const item of feed.items) {
    const time = toEpochMilliseconds(item.updated ?? item.published);
    if (time > newestTime) {
      newest = item.updated ?? item.published;
      newestTime = time;
    }
  }
  return newest ?? feed.updated;
}

function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

// Output is collected as small pieces and joined once: no intermediate strings per element,
// which keeps large feeds (and the garbage collector) fast.

/** Input: a FeedInput / Output: an RSS 2.0 document (with atom, dc and content namespaces). */
export function renderRss(feed: FeedInput): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">\n',
    "<channel>\n<title>", escapeRssText(feed.title),
    "</title>\n<link>", escapeXml(feed.homeUrl),
    "</link>\n<description>", escapeRssText(feed.description),
    "</description>\n<language>", escapeXml(feed.lang),
    "</language>\n<lastBuildDate>", formatRfc822Date(resolveFeedUpdated(feed)),
    "</lastBuildDate>\n<generator>", escapeRssText(feed.generator ?? DEFAULT_GENERATOR),
    '</generator>\n<atom:link href="', escapeXmlAttribute(feed.feedUrls.rss), '" rel="self" type="application/rss+xml"/>\n',
  ];
  for (const item of feed.items) {
    const url = escapeXml(item.url);
    out.push(
      "<item>\n<title>", escapeRssText(item.title),
      "</title>\n<link>", url,
      '</link>\n<guid isPermaLink="true">', url,
      "</guid>\n<pubDate>", formatRfc822Date(item.published),
      "</pubDate>\n<description>", escapeXml(escapeHtmlText(item.summary)),
      "</description>\n",
    );
    if (item.contentHtml !== undefined) out.push("<content:encoded>", wrapCdata(item.contentHtml), "</content:encoded>\n");
    for (const author of item.authors) out.push("<dc:creator>", escapeRssText(author), "</dc:creator>\n");
    for (const tag of item.tags) out.push("<category>", escapeRssText(tag), "</category>\n");
    // RSS has no per-item language; Dublin Core fills the gap for stories in their original language.
    if (!sameLanguage(item.lang, feed.lang)) out.push("<dc:language>", escapeXml(item.lang), "</dc:language>\n");
    // <source> requires its url attribute; a source without a URL is left out of RSS.
    if (item.source?.url) {
      out.push('<source url="', escapeXmlAttribute(item.source.url), '">', escapeRssText(item.source.name), "</source>\n");
    }
    out.push("</item>\n");
  }
  out.push("</channel>\n</rss>\n");
  return out.join("");
}

/** Input: a FeedInput / Output: an Atom 1.0 document (RFC 4287). */
export function renderAtom(feed: FeedInput): string {
  const lang = escapeXmlAttribute(feed.lang);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="', lang,
    '">\n<id>', escapeXml(feed.homeUrl),
    "</id>\n<title>", escapeXml(feed.title), "</title>\n",
  ];
  if (feed.description !== "") out.push("<subtitle>", escapeXml(feed.description), "</subtitle>\n");
  out.push(
    "<updated>", formatRfc3339Date(resolveFeedUpdated(feed)),
    '</updated>\n<link rel="alternate" type="text/html" hreflang="', lang, '" href="', escapeXmlAttribute(feed.homeUrl),
    '"/>\n<link rel="self" type="application/atom+xml" href="', escapeXmlAttribute(feed.feedUrls.atom),
    // A feed-level author makes entries without bylines valid (RFC 4287 §4.1.1).
    '"/>\n<author><name>', escapeXml(feed.publisher),
    "</name></author>\n<generator>", escapeXml(feed.generator ?? DEFAULT_GENERATOR), "</generator>\n",
  );
  for (const item of feed.items) {
    if (sameLanguage(item.lang, feed.lang)) out.push("<entry>\n<id>");
    else out.push('<entry xml:lang="', escapeXmlAttribute(item.lang), '">\n<id>');
    out.push(
      escapeXml(item.url),
      "</id>\n<title>", escapeXml(item.title),
      "</title>\n<updated>", formatRfc3339Date(item.updated ?? item.published),
      "</updated>\n<published>", formatRfc3339Date(item.published),
      '</published>\n<link rel="alternate" type="text/html" href="', escapeXmlAttribute(item.url), '"/>\n',
    );
    if (item.source?.url) {
      out.push('<link rel="via" href="', escapeXmlAttribute(item.source.url), '" title="', escapeXmlAttribute(item.source.name), '"/>\n');
    }
    for (const author of item.authors) out.push("<author><name>", escapeXml(author), "</name></author>\n");
    for (const tag of item.tags) out.push('<category term="', escapeXmlAttribute(tag), '"/>\n');
    out.push("<summary>", escapeXml(item.summary), "</summary>\n");
    if (item.contentHtml !== undefined) out.push('<content type="html">', escapeXml(item.contentHtml), "</content>\n");
    out.push("</entry>\n");
  }
  out.push("</feed>\n");
  return out.join("");
}

// Key order is fixed by construction (object literal order), so the JSON is deterministic.
interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html?: string;
  content_text?: string;
  summary: string;
  date_published: string;
  date_modified?: string;
  authors?: { name: string }[];
  tags?: string[];
  language: string;
  _gazette?: { source: { name: string; url: string | null } };
}

interface JsonFeedDocument {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  authors: { name: string }[];
  language: string;
  items: JsonFeedItem[];
}

function toJsonFeedItem(item: FeedItem): JsonFeedItem {
  const clean = stripInvalidXmlChars;
  const source = item.source;
  return {
    id: clean(item.url),
    url: clean(item.url),
    title: clean(item.title),
    // Every item needs content_html or content_text (JSON Feed 1.1).
    ...(item.contentHtml !== undefined ? { content_html: clean(item.contentHtml) } : { content_text: clean(item.summary) }),
    summary: clean(item.summary),
    date_published: formatRfc3339Date(item.published),
    ...(item.updated != null ? { date_modified: formatRfc3339Date(item.updated) } : {}),
    // Empty lists are omitted: an item without authors inherits the feed's (the publisher).
    ...(item.authors.length > 0 ? { authors: item.authors.map((name) => ({ name: clean(name) })) } : {}),
    ...(item.tags.length > 0 ? { tags: item.tags.map(clean) } : {}),
    language: clean(item.lang),
    ...(source ? { _gazette: { source: { name: clean(source.name), url: source.url === null ? null : clean(source.url) } } } : {}),
  };
}

/** Input: a FeedInput / Output: a JSON Feed 1.1 document, 2-space indented, with a trailing newline. */
export function renderJsonFeed(feed: FeedInput): string {
  const clean = stripInvalidXmlChars;
  const document: JsonFeedDocument = {
    version: "https://jsonfeed.org/version/1.1",
    title: clean(feed.title),
    home_page_url: clean(feed.homeUrl),
    feed_url: clean(feed.feedUrls.json),
    description: clean(feed.description),
    authors: [{ name: clean(feed.publisher) }],
    language: clean(feed.lang),
    items: feed.items.map(toJsonFeedItem),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
