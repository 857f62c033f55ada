/**
 * Checks feeds and sitemaps against their specifications, independently of the code that writes
 * them (no import from src/). Each check returns readable problems, [] when the file is valid:
 *
 *   checkRss(xml)        RSS 2.0 (rssboard.org/rss-specification): rss@version, one channel with
 *                        title, link, description; items with title or description; RFC 822 dates;
 *                        permalink guids that are URLs
 *   checkAtom(xml)       Atom 1.0 (RFC 4287): feed and entry id (absolute IRI), title, updated
 *                        (RFC 3339), authors, alternate links, unique ids
 *   checkJsonFeed(json)  JSON Feed 1.1: version, title, items with id and content_html/content_text
 *   checkSitemaps(files, base)  sitemaps.org 0.9 (+ xhtml:link hreflang, Google News): absolute
 *                        URLs under the site, <= 50,000 URLs and <= 50 MiB a file, an index beyond,
 *                        valid hreflang codes, robots.txt Sitemap lines
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Every element as a list, so "exactly one" can be counted.
  isArray: (_name, jpath, _leaf, isAttribute) => !isAttribute && typeof jpath === "string" && jpath.includes("."),
});

const ABSOLUTE_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;
// RFC 822 as RSS profiles it (four-digit year); numeric zone or a named one.
const RFC_822 = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UT|[ECMP][SD]T|Z)$/;
// RFC 3339 date-time (Atom, JSON Feed).
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
// W3C Datetime as sitemaps use it: a date, or a date-time with a zone.
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
// BCP 47 as hreflang needs it: language, optional script, optional region (ISO 3166-1 or UN M.49).
const HREFLANG = /^(?:x-default|[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?)$/i;
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;
const CHANGEFREQ = new Set(["always", "hourly", "daily", "weekly", "monthly", "yearly", "never"]);

const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
const ATOM_NS = "http://www.w3.org/2005/Atom";
const NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9";
const XHTML_NS = "http://www.w3.org/1999/xhtml";
export const MAX_SITEMAP_URLS = 50_000;
export const MAX_SITEMAP_BYTES = 50 * 1024 * 1024;
const MAX_URL_LENGTH = 2048;
const MAX_NEWS_URLS = 1_000;

export function isValidHreflang(code: string): boolean {
  return HREFLANG.test(code);
}

function list(value: unknown): Node[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Node[];
}

function text(node: unknown): string {
  if (typeof node === "string") return node;
  if (node && typeof node === "object") {
    const value = (node as Node)["#text"];
    return typeof value === "string" ? value : "";
  }
  return "";
}

function attribute(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== "object") return undefined;
  const value = (node as Node)[`@${name}`];
  return typeof value === "string" ? value : undefined;
}

function parse(xml: string, problems: string[]): Node | null {
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) problems.push("no XML declaration with encoding UTF-8 on the first line");
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    problems.push(`not well-formed: ${valid.err.msg} (line ${valid.err.line})`);
    return null;
  }
  return parser.parse(xml) as Node;
}

/** Exactly one non-empty element `name` under `parent`. */
function one(parent: Node, name: string, where: string, problems: string[]): string {
  const found = list(parent[name]);
  if (found.length !== 1) {
    problems.push(`${where} has ${found.length} <${name}>, needs exactly 1`);
    return "";
  }
  const value = text(found[0]).trim();
  if (value === "") problems.push(`${where} <${name}> is empty`);
  return value;
}

function atMostOne(parent: Node, name: string, where: string, problems: string[]): string | undefined {
  const found = list(parent[name]);
  if (found.length > 1) problems.push(`${where} has ${found.length} <${name}>, allows at most 1`);
  return found.length === 0 ? undefined : text(found[0]).trim();
}

export function checkRss(xml: string): string[] {
  const problems: string[] = [];
  const data = parse(xml, problems);
  if (!data) return problems;
  const rss = list(data.rss)[0];
  if (!rss) return [...problems, "the root element is not <rss>"];
  if (attribute(rss, "version") !== "2.0") problems.push(`<rss version="${attribute(rss, "version")}">, needs 2.0`);
  const channels = list(rss.channel);
  if (channels.length !== 1) return [...problems, `${channels.length} <channel>, needs exactly 1`];
  const channel = channels[0]!;
  one(channel, "title", "channel", problems);
  const link = one(channel, "link", "channel", problems);
  if (link && !ABSOLUTE_URL.test(link)) problems.push(`channel <link> "${link}" is not an absolute URL`);
  one(channel, "description", "channel", problems);
  const language = atMostOne(channel, "language", "channel", problems);
  if (language !== undefined && !LANGUAGE_TAG.test(language)) problems.push(`channel <language> "${language}" is not a language code`);
  for (const name of ["pubDate", "lastBuildDate"]) {
    const date = atMostOne(channel, name, "channel", problems);
    if (date !== undefined && !RFC_822.test(date)) problems.push(`channel <${name}> "${date}" is not an RFC 822 date`);
  }
  const ttl = atMostOne(channel, "ttl", "channel", problems);
  if (ttl !== undefined && !/^\d+$/.test(ttl)) problems.push(`channel <ttl> "${ttl}" is not a number of minutes`);
  for (const self of list(channel["atom:link"])) {
    const href = attribute(self, "href") ?? "";
    if (!ABSOLUTE_URL.test(href)) problems.push(`channel <atom:link href="${href}"> is not an absolute URL`);
  }
  const guids = new Set<string>();
  list(channel.item).forEach((item, index) => {
    const where = `item ${index + 1}`;
    const title = atMostOne(item, "title", where, problems);
    const description = atMostOne(item, "description", where, problems);
    if (!title && !description) problems.push(`${where} has neither <title> nor <description>`);
    const itemLink = atMostOne(item, "link", where, problems);
    if (itemLink !== undefined && !ABSOLUTE_URL.test(itemLink)) problems.push(`${where} <link> "${itemLink}" is not an absolute URL`);
    const guidNode = list(item.guid);
    if (guidNode.length > 1) problems.push(`${where} has ${guidNode.length} <guid>`);
    if (guidNode[0] !== undefined) {
      const guid = text(guidNode[0]).trim();
      const permaLink = attribute(guidNode[0], "isPermaLink") ?? "true";
      if (permaLink !== "true" && permaLink !== "false") problems.push(`${where} <guid isPermaLink="${permaLink}">`);
      if (permaLink === "true" && !ABSOLUTE_URL.test(guid)) problems.push(`${where} permalink <guid> "${guid}" is not a URL`);
      if (guids.has(guid)) problems.push(`${where} repeats <guid> ${guid}`);
      guids.add(guid);
    }
    const pubDate = atMostOne(item, "pubDate", where, problems);
    if (pubDate !== undefined && !RFC_822.test(pubDate)) problems.push(`${where} <pubDate> "${pubDate}" is not an RFC 822 date`);
    for (const category of list(item.category)) if (text(category).trim() === "") problems.push(`${where} has an empty <category>`);
  });
  return problems;
}

export function checkAtom(xml: string): string[] {
  const problems: string[] = [];
  const data = parse(xml, problems);
  if (!data) return problems;
  const feed = list(data.feed)[0];
  if (!feed) return [...problems, "the root element is not <feed>"];
  if (attribute(feed, "xmlns") !== ATOM_NS) problems.push(`<feed> is not in the Atom namespace`);
  const id = one(feed, "id", "feed", problems);
  if (id && !ABSOLUTE_URL.test(id) && !/^(?:urn|tag):/.test(id)) problems.push(`feed <id> "${id}" is not an absolute IRI`);
  one(feed, "title", "feed", problems);
  const updated = one(feed, "updated", "feed", problems);
  if (updated && !RFC_3339.test(updated)) problems.push(`feed <updated> "${updated}" is not an RFC 3339 date-time`);
  for (const name of ["subtitle", "icon", "logo", "rights", "generator"]) atMostOne(feed, name, "feed", problems);
  checkAtomLinks(feed, "feed", problems);
  if (!list(feed.link).some((link) => attribute(link, "rel") === "self")) problems.push("feed has no <link rel=\"self\">");
  const feedHasAuthor = checkAuthors(feed, "feed", problems);
  const ids = new Set<string>();
  let newest = "";
  list(feed.entry).forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const entryId = one(entry, "id", where, problems);
    if (entryId && !ABSOLUTE_URL.test(entryId) && !/^(?:urn|tag):/.test(entryId)) problems.push(`${where} <id> "${entryId}" is not an absolute IRI`);
    if (ids.has(entryId)) problems.push(`${where} repeats <id> ${entryId}`);
    ids.add(entryId);
    one(entry, "title", where, problems);
    const entryUpdated = one(entry, "updated", where, problems);
    if (entryUpdated && !RFC_3339.test(entryUpdated)) problems.push(`${where} <updated> "${entryUpdated}" is not an RFC 3339 date-time`);
    else if (Date.parse(entryUpdated) > Date.parse(newest || "0000-01-01T00:00:00Z")) newest = entryUpdated;
    const published = atMostOne(entry, "published", where, problems);
    if (published !== undefined && !RFC_3339.test(published)) problems.push(`${where} <published> "${published}" is not an RFC 3339 date-time`);
    atMostOne(entry, "summary", where, problems);
    const contents = list(entry.content);
    if (contents.length > 1) problems.push(`${where} has ${contents.length} <content>`);
    const type = contents[0] ? (attribute(contents[0], "type") ?? "text") : null;
    if (type !== null && !["text", "html", "xhtml"].includes(type) && !/^[\w.+-]+\/[\w.+-]+$/.test(type)) problems.push(`${where} <content type="${type}">`);
    if (contents[0] && attribute(contents[0], "src") !== undefined && list(entry.summary).length === 0) problems.push(`${where} has <content src> but no <summary>`);
    checkAtomLinks(entry, where, problems);
    if (contents.length === 0 && !list(entry.link).some((link) => (attribute(link, "rel") ?? "alternate") === "alternate")) problems.push(`${where} has neither <content> nor an alternate <link>`);
    if (!feedHasAuthor && !checkAuthors(entry, where, problems)) problems.push(`${where} has no <author>, and neither has the feed`);
  });
  if (updated && newest && Date.parse(updated) < Date.parse(newest)) problems.push(`feed <updated> ${updated} is older than its newest entry (${newest})`);
  return problems;
}

function checkAtomLinks(parent: Node, where: string, problems: string[]): void {
  const alternates = new Set<string>();
  for (const link of list(parent.link)) {
    const href = attribute(link, "href");
    if (!href) problems.push(`${where} has a <link> without href`);
    else if (!ABSOLUTE_URL.test(href)) problems.push(`${where} <link href="${href}"> is not absolute`);
    if ((attribute(link, "rel") ?? "alternate") === "alternate") {
      const key = `${attribute(link, "type") ?? ""} ${attribute(link, "hreflang") ?? ""}`;
      if (alternates.has(key)) problems.push(`${where} has two alternate links of type/hreflang "${key}"`);
      alternates.add(key);
    }
    const hreflang = attribute(link, "hreflang");
    if (hreflang !== undefined && !LANGUAGE_TAG.test(hreflang)) problems.push(`${where} <link hreflang="${hreflang}">`);
  }
}

function checkAuthors(parent: Node, where: string, problems: string[]): boolean {
  const authors = list(parent.author);
  for (const author of authors) if (list(author.name).length !== 1 || text(list(author.name)[0]).trim() === "") problems.push(`${where} has an <author> without one <name>`);
  return authors.length > 0;
}

export function checkJsonFeed(json: string): string[] {
  let feed: Node;
  try {
    feed = JSON.parse(json) as Node;
  } catch (error) {
    return [`does not parse: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  if (feed.version !== "https://jsonfeed.org/version/1.1") problems.push(`version is ${JSON.stringify(feed.version)}`);
  if (typeof feed.title !== "string" || feed.title.trim() === "") problems.push("title is missing");
  for (const key of ["home_page_url", "feed_url", "next_url", "icon", "favicon"]) {
    if (feed[key] !== undefined && (typeof feed[key] !== "string" || !ABSOLUTE_URL.test(feed[key] as string))) problems.push(`${key} ${JSON.stringify(feed[key])} is not an absolute URL`);
  }
  if (feed.feed_url === undefined) problems.push("feed_url is missing (strongly recommended)");
  for (const key of ["description", "user_comment", "language"]) if (feed[key] !== undefined && typeof feed[key] !== "string") problems.push(`${key} is not a string`);
  if (typeof feed.language === "string" && !LANGUAGE_TAG.test(feed.language)) problems.push(`language "${feed.language}" is not a language tag`);
  checkJsonAuthors(feed.authors, "feed", problems);
  if (!Array.isArray(feed.items)) return [...problems, "items is not an array"];
  const ids = new Set<string>();
  (feed.items as Node[]).forEach((item, index) => {
    const where = `item ${index + 1}`;
    if (typeof item.id !== "string" || item.id === "") problems.push(`${where} id is not a non-empty string`);
    else if (ids.has(item.id)) problems.push(`${where} repeats id ${item.id}`);
    else ids.add(item.id);
    if (typeof item.content_html !== "string" && typeof item.content_text !== "string") problems.push(`${where} has neither content_html nor content_text`);
    for (const key of ["url", "external_url", "image", "banner_image"]) {
      if (item[key] !== undefined && (typeof item[key] !== "string" || !ABSOLUTE_URL.test(item[key] as string))) problems.push(`${where} ${key} ${JSON.stringify(item[key])} is not an absolute URL`);
    }
    for (const key of ["title", "summary", "language"]) if (item[key] !== undefined && typeof item[key] !== "string") problems.push(`${where} ${key} is not a string`);
    for (const key of ["date_published", "date_modified"]) {
      if (item[key] !== undefined && (typeof item[key] !== "string" || !RFC_3339.test(item[key] as string))) problems.push(`${where} ${key} ${JSON.stringify(item[key])} is not RFC 3339`);
    }
    if (item.tags !== undefined && !(Array.isArray(item.tags) && item.tags.every((tag) => typeof tag === "string"))) problems.push(`${where} tags is not a list of strings`);
    checkJsonAuthors(item.authors, where, problems);
    for (const attachment of (item.attachments as Node[] | undefined) ?? []) {
      if (typeof attachment.url !== "string" || typeof attachment.mime_type !== "string") problems.push(`${where} has an attachment without url and mime_type`);
    }
    for (const key of Object.keys(item)) if (!ITEM_KEYS.has(key) && !key.startsWith("_")) problems.push(`${where} has an unknown key "${key}" (extensions start with _)`);
  });
  for (const key of Object.keys(feed)) if (!FEED_KEYS.has(key) && !key.startsWith("_")) problems.push(`unknown top-level key "${key}" (extensions start with _)`);
  return problems;
}

const FEED_KEYS = new Set(["version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url", "icon", "favicon", "author", "authors", "language", "expired", "hubs", "items"]);
const ITEM_KEYS = new Set(["id", "url", "external_url", "title", "content_html", "content_text", "summary", "image", "banner_image", "date_published", "date_modified", "author", "authors", "tags", "language", "attachments"]);

function checkJsonAuthors(authors: unknown, where: string, problems: string[]): void {
  if (authors === undefined) return;
  if (!Array.isArray(authors)) {
    problems.push(`${where} authors is not an array`);
    return;
  }
  for (const author of authors as Node[]) {
    if (typeof author !== "object" || author === null || !["name", "url", "avatar"].some((key) => typeof author[key] === "string")) problems.push(`${where} has an author without name, url or avatar`);
    if (typeof author?.url === "string" && !ABSOLUTE_URL.test(author.url)) problems.push(`${where} author url ${author.url} is not absolute`);
  }
}

/**
 * Every sitemap of a built site: robots.txt's Sitemap lines, sitemap.xml (a urlset, or an index
 * and its parts) and news-sitemap.xml. `files` maps output paths to contents; `base` is the
 * site's base URL (every URL must be under it).
 */
export function checkSitemaps(files: ReadonlyMap<string, string | Uint8Array>, base: string): string[] {
  const problems: string[] = [];
  const read = (file: string) => {
    const body = files.get(file);
    return body === undefined ? undefined : typeof body === "string" ? body : Buffer.from(body).toString("utf8");
  };
  const fileOf = (url: string) => (url.startsWith(base) ? url.slice(base.length) : null);

  const robots = read("robots.txt");
  if (robots === undefined) problems.push("no robots.txt");
  const listed = [...(robots ?? "").matchAll(/^Sitemap:\s*(\S+)\s*$/gim)].map((match) => match[1]!);
  if (!listed.includes(`${base}sitemap.xml`)) problems.push("robots.txt does not name sitemap.xml");
  for (const url of listed) {
    if (!ABSOLUTE_URL.test(url)) problems.push(`robots.txt Sitemap ${url} is not absolute`);
    else if (fileOf(url) === null || read(fileOf(url)!) === undefined) problems.push(`robots.txt Sitemap ${url} is not a file of the site`);
  }

  for (const file of ["sitemap.xml", "news-sitemap.xml"]) {
    const xml = read(file);
    if (xml === undefined) {
      problems.push(`no ${file}`);
      continue;
    }
    problems.push(...checkSitemapFile(xml, base, file === "news-sitemap.xml", (url) => read(fileOf(url) ?? "\0")).map((problem) => `${file}: ${problem}`));
  }
  return problems;
}

function checkSitemapFile(xml: string, base: string, news: boolean, resolve: (url: string) => string | undefined): string[] {
  const problems: string[] = [];
  if (Buffer.byteLength(xml) > MAX_SITEMAP_BYTES) problems.push(`${Buffer.byteLength(xml)} bytes, over the 50 MiB limit`);
  const data = parse(xml, problems);
  if (!data) return problems;
  const index = list(data.sitemapindex)[0];
  if (index) {
    if (attribute(index, "xmlns") !== SITEMAP_NS) problems.push("the <sitemapindex> is not in the sitemaps.org 0.9 namespace");
    const sitemaps = list(index.sitemap);
    if (sitemaps.length === 0) problems.push("an index with no <sitemap>");
    if (sitemaps.length > MAX_SITEMAP_URLS) problems.push(`an index of ${sitemaps.length} sitemaps, over 50,000`);
    sitemaps.forEach((sitemap, i) => {
      const loc = one(sitemap, "loc", `sitemap ${i + 1}`, problems);
      checkUrl(loc, base, `sitemap ${i + 1}`, problems);
      const lastmod = atMostOne(sitemap, "lastmod", `sitemap ${i + 1}`, problems);
      if (lastmod !== undefined && !W3C_DATETIME.test(lastmod)) problems.push(`sitemap ${i + 1} <lastmod> "${lastmod}" is not a W3C datetime`);
      const part = resolve(loc);
      if (part === undefined) problems.push(`sitemap ${i + 1} ${loc} is not a file of the site`);
      else if (list((parser.parse(part) as Node).sitemapindex).length > 0) problems.push(`sitemap ${i + 1} is an index inside an index`);
      else problems.push(...checkSitemapFile(part, base, news, resolve).map((problem) => `${loc}: ${problem}`));
    });
    return problems;
  }
  const urlset = list(data.urlset)[0];
  if (!urlset) return [...problems, "the root element is neither <urlset> nor <sitemapindex>"];
  if (attribute(urlset, "xmlns") !== SITEMAP_NS) problems.push("the <urlset> is not in the sitemaps.org 0.9 namespace");
  if (news && attribute(urlset, "xmlns:news") !== NEWS_NS) problems.push("the news sitemap does not declare the Google News namespace");
  const urls = list(urlset.url);
  if (urls.length > (news ? MAX_NEWS_URLS : MAX_SITEMAP_URLS)) problems.push(`${urls.length} URLs in one file, over ${news ? "1,000" : "50,000"}`);
  const locs = new Set<string>();
  urls.forEach((url, i) => {
    const where = `url ${i + 1}`;
    const loc = one(url, "loc", where, problems);
    checkUrl(loc, base, where, problems);
    if (locs.has(loc)) problems.push(`${where} repeats ${loc}`);
    locs.add(loc);
    const lastmod = atMostOne(url, "lastmod", where, problems);
    if (lastmod !== undefined && !W3C_DATETIME.test(lastmod)) problems.push(`${where} <lastmod> "${lastmod}" is not a W3C datetime`);
    const changefreq = atMostOne(url, "changefreq", where, problems);
    if (changefreq !== undefined && !CHANGEFREQ.has(changefreq)) problems.push(`${where} <changefreq> "${changefreq}"`);
    const priority = atMostOne(url, "priority", where, problems);
    if (priority !== undefined && !(/^(?:0(?:\.\d+)?|1(?:\.0+)?)$/.test(priority))) problems.push(`${where} <priority> "${priority}" is not 0.0 to 1.0`);
    const alternates = list(url["xhtml:link"]);
    if (alternates.length > 0 && attribute(urlset, "xmlns:xhtml") !== XHTML_NS) problems.push("xhtml:link is used without the XHTML namespace");
    const hreflangs = new Set<string>();
    for (const alternate of alternates) {
      const hreflang = attribute(alternate, "hreflang") ?? "";
      const href = attribute(alternate, "href") ?? "";
      if (attribute(alternate, "rel") !== "alternate") problems.push(`${where} xhtml:link rel="${attribute(alternate, "rel")}"`);
      if (!isValidHreflang(hreflang)) problems.push(`${where} hreflang "${hreflang}" is not a valid language code`);
      if (hreflangs.has(hreflang.toLowerCase())) problems.push(`${where} lists hreflang "${hreflang}" twice`);
      hreflangs.add(hreflang.toLowerCase());
      checkUrl(href, base, `${where} alternate`, problems);
    }
    // Google: a page with alternates lists itself among them.
    if (alternates.length > 0 && !alternates.some((alternate) => attribute(alternate, "href") === loc)) problems.push(`${where} ${loc} is not among its own alternates`);
    if (news) {
      const item = list(url["news:news"])[0];
      if (!item) problems.push(`${where} has no <news:news>`);
      else {
        const publication = list(item["news:publication"])[0];
        if (!publication) problems.push(`${where} has no <news:publication>`);
        else {
          one(publication, "news:name", `${where} publication`, problems);
          const language = one(publication, "news:language", `${where} publication`, problems);
          if (language && !/^(?:[a-z]{2,3}|zh-cn|zh-tw)$/.test(language)) problems.push(`${where} <news:language> "${language}" is not an ISO 639 code`);
        }
        const date = one(item, "news:publication_date", where, problems);
        if (date && !W3C_DATETIME.test(date)) problems.push(`${where} <news:publication_date> "${date}" is not a W3C datetime`);
        one(item, "news:title", where, problems);
      }
    }
  });
  return problems;
}

function checkUrl(url: string, base: string, where: string, problems: string[]): void {
  if (!ABSOLUTE_URL.test(url)) problems.push(`${where} "${url}" is not an absolute URL`);
  else if (!url.startsWith(base) && url !== base.slice(0, -1)) problems.push(`${where} "${url}" is outside the site ${base}`);
  if (url.length > MAX_URL_LENGTH) problems.push(`${where} is ${url.length} characters long, over 2,048`);
  if (/[^\x21-\x7e]/.test(url)) problems.push(`${where} "${url}" is not percent-encoded ASCII`);
}
