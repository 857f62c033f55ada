/**
 * Sitemaps (sitemaps.org 0.9 with `xhtml:link` hreflang alternates), Google News sitemaps and
 * robots.txt, from plain data. Pure. Inputs are built by the caller, so a malformed URL, date or
 * language code here is our bug: it throws `Error("Internal: …")` rather than writing a sitemap
 * that search engines would reject.
 */
import { escapeXml, escapeXmlAttribute, formatW3cDatetime, toEpochMilliseconds } from "./xml.js";
import { compactLatin1 } from "../util/text.js";

export interface SitemapEntry {
  loc: string;
  lastmod?: string | null;
  alternates?: { hreflang: string; href: string }[];
}

/**
 * An entry as the sitemap writes it: its W3C lastmod (or nothing), a newline, then its `<url>`
 * element (ASCII). The build cache keeps the entries of pages it reuses in this form, which
 * reads back as one string each and goes into the sitemap as it is (see `encodeSitemapEntry`).
 */
export type EncodedSitemapEntry = string;

/** `path` is relative to the output root: "sitemap.xml", "sitemaps/sitemap-2.xml". */
export interface SitemapFile {
  path: string;
  content: string;
}

export interface NewsEntry {
  loc: string;
  publicationName: string;
  /** BCP 47; written as Google News wants it (ISO 639, `zh-cn` / `zh-tw`). */
  language: string;
  published: string;
  title: string;
}

/** sitemaps.org limits per file. */
export const MAX_URLS_PER_SITEMAP = 50_000;
export const MAX_BYTES_PER_SITEMAP = 50 * 1024 * 1024;
/** Google News limit per news sitemap. */
const MAX_URLS_PER_NEWS_SITEMAP = 1_000;

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const URLSET_OPEN =
  '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n';
const NEWS_URLSET_OPEN =
  '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n';
const URLSET_CLOSE = "</urlset>\n";
const INDEX_OPEN = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n';
const INDEX_CLOSE = "</sitemapindex>\n";

// The common case in one test: http(s), a host (no "/?#@"), then printable ASCII only.
const ASCII_ABSOLUTE_URL = /^https?:\/\/[\x21\x22\x24-\x2e\x30-\x3e\x41-\x7e]+(?:[/?#][\x21-\x7e]*)?$/i;
// http(s), a host, then anything but whitespace and controls.
const ABSOLUTE_URL = /^https?:\/\/[^\s\x00-\x1f\x7f/?#@]+(?:[/?#][^\s\x00-\x1f\x7f]*)?$/i;
const NON_ASCII = /[^\x00-\x7f]/;
const QUERY_OR_FRAGMENT = /[?#]/;
const HTTP_SCHEME = /^https?:\/\//i;
const LEADING_SLASHES = /^\/+/;
const SCRIPT_SUBTAG = /^[a-z]{4}$/;
// RFC 5646 language tag, well-formed (not registry-checked), with an ISO 639 language of 2-3 letters
// (reserved 4-8 letter languages, private-use-only and grandfathered tags are refused: search
// engines understand none of them).
const BCP47 =
  /^[a-z]{2,3}(?:-[a-z]{3}){0,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wyz](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?$/i;

/** Input: "https://example.org" / Output: "https://example.org/" (a base that paths append to). */
function normalizeBaseUrl(baseUrl: string): string {
  const base = checkAbsoluteUrl(baseUrl, "the site's base URL");
  if (QUERY_OR_FRAGMENT.test(base)) {
    throw new Error(`Internal: the site's base URL must have no query or fragment, got ${JSON.stringify(baseUrl)}.`);
  }
  return base.endsWith("/") ? base : `${base}/`;
}

/**
 * Checks an absolute URL and returns it in ASCII form (IRIs become URIs: punycode host,
 * percent-encoded path), ready for XML escaping.
 */
function checkAbsoluteUrl(url: string, what: string): string {
  if (ASCII_ABSOLUTE_URL.test(url)) return url;
  if (!ABSOLUTE_URL.test(url)) {
    throw new Error(`Internal: ${what} must be an absolute http(s) URL, got ${JSON.stringify(url)}.`);
  }
  if (!NON_ASCII.test(url)) return url;
  try {
    return new URL(url).href;
  } catch (cause) {
    throw new Error(`Internal: ${what} is not a valid URL, got ${JSON.stringify(url)}.`, { cause });
  }
}

/** A sitemap may only list URLs under its own location (sitemaps.org, "Sitemap file location"). */
function checkSiteUrl(url: string, base: string, what: string): string {
  const checked = checkAbsoluteUrl(url, what);
  if (!checked.startsWith(base) && checked !== base.slice(0, -1)) {
    throw new Error(`Internal: ${what} ${JSON.stringify(url)} is outside the site ${JSON.stringify(base)}.`);
  }
  return checked;
}

export function isValidHreflang(code: string): boolean {
  return code === "x-default" || BCP47.test(code);
}

/** UTF-8 byte length without encoding the string. */
function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one 4-byte character.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Appends one entry's `<url>` element to `pieces` (and its lastmod, if any); returns its UTF-8 size. */
type WriteEntry<T> = (entry: T, pieces: string[], lastmods: string[]) => number;

/** A urlset file being filled. Output is kept as pieces and joined once: no per-entry strings. */
interface Part {
  pieces: string[];
  urls: number;
  bytes: number;
  /** W3C datetimes of its entries, for the index's lastmod. */
  lastmods: string[];
}

interface SplitOptions {
  open: string;
  maxUrls: number;
  maxBytes: number;
  /** File names: the single file / index, and part N. */
  mainPath: string;
  partPath: (n: number) => string;
}

function sumLengths(pieces: readonly string[], start: number): number {
  let length = 0;
  for (let i = start; i < pieces.length; i++) length += (pieces[i] ?? "").length;
  return length;
}

function sumUtf8Lengths(pieces: readonly string[], start: number): number {
  let bytes = 0;
  for (let i = start; i < pieces.length; i++) bytes += utf8Length(pieces[i] ?? "");
  return bytes;
}

/**
 * Fills urlset files entry by entry, in order. A part that is full is joined at once and can be
 * taken (`takeFull`) and written while later entries are still coming: a build of 100,000 pages
 * then never holds every `<url>` element at once. `end` gives what is left: one file at
 * `mainPath` when everything fitted in one, else the last part and an index over all of them.
 */
export class UrlsetWriter<T, C extends string | Uint8Array = string> {
  private readonly frameBytes: number;
  private part: Part;
  /** Parts joined but not yet taken. */
  private full: { path: string; content: C }[] = [];
  /** Every part made so far (path and newest lastmod), for the index. */
  private readonly made: { path: string; newest: string | null }[] = [];

  constructor(
    private readonly write: WriteEntry<T>,
    private readonly base: string,
    private readonly options: SplitOptions,
    /** Makes a file's content of its pieces: `join` for text, `encodePieces` for UTF-8 bytes. */
    private readonly join: (pieces: readonly string[]) => C = joinPieces as (pieces: readonly string[]) => C,
  ) {
    this.frameBytes = XML_DECLARATION.length + utf8Length(options.open) + URLSET_CLOSE.length;
    this.part = this.startPart();
  }

  add(entry: T): void {
    const { part, options } = this;
    const firstPiece = part.pieces.length;
    const firstLastmod = part.lastmods.length;
    const bytes = this.write(entry, part.pieces, part.lastmods);
    if (this.frameBytes + bytes > options.maxBytes) {
      throw new Error(`Internal: one sitemap entry (${bytes} bytes) exceeds the size limit of ${options.maxBytes} bytes.`);
    }
    if (part.urls === options.maxUrls || part.bytes + bytes > options.maxBytes) {
      // The entry does not fit: move what it just wrote into a new part.
      const next = this.startPart();
      next.pieces.push(...part.pieces.splice(firstPiece));
      next.lastmods.push(...part.lastmods.splice(firstLastmod));
      this.close(part);
      this.part = next;
    }
    this.part.urls += 1;
    this.part.bytes += bytes;
  }

  /** Parts that are full, each to be written once; a later call returns only newer ones. */
  takeFull(): { path: string; content: C }[] {
    const taken = this.full;
    this.full = [];
    return taken;
  }

  /** The files not yet taken, the index (or the single file) included. No `add` after this. */
  end(): { path: string; content: C }[] {
    const { options } = this;
    if (this.made.length === 0) return [{ path: options.mainPath, content: this.render(this.part) }];
    this.close(this.part);
    if (this.made.length > MAX_URLS_PER_SITEMAP) {
      throw new Error(`Internal: ${this.made.length} sitemap files exceed the ${MAX_URLS_PER_SITEMAP} an index may list.`);
    }
    const index: string[] = [XML_DECLARATION, INDEX_OPEN];
    for (const { path, newest } of this.made) {
      index.push("  <sitemap>\n    <loc>", escapeXml(this.base + path), "</loc>\n");
      if (newest !== null) index.push("    <lastmod>", newest, "</lastmod>\n");
      index.push("  </sitemap>\n");
    }
    index.push(INDEX_CLOSE);
    return [{ path: options.mainPath, content: this.join(index) }, ...this.takeFull()];
  }

  private startPart(): Part {
    return { pieces: [XML_DECLARATION, this.options.open], urls: 0, bytes: this.frameBytes, lastmods: [] };
  }

  private close(part: Part): void {
    const path = this.options.partPath(this.made.length + 1);
    this.made.push({ path, newest: newestLastmod(part.lastmods) });
    this.full.push({ path, content: this.render(part) });
  }

  private render(part: Part): C {
    part.pieces.push(URLSET_CLOSE);
    return this.join(part.pieces);
  }
}

function joinPieces(pieces: readonly string[]): string {
  return pieces.join("");
}

/** Pieces encoded as UTF-8 a slice at a time: a 30 MB part never exists as one string. */
const ENCODE_SLICE = 16_384;
export function encodePieces(pieces: readonly string[]): Uint8Array {
  const slices: Buffer[] = [];
  for (let start = 0; start < pieces.length; start += ENCODE_SLICE) slices.push(Buffer.from(pieces.slice(start, start + ENCODE_SLICE).join(""), "utf8"));
  // Its own buffer (not Node's shared pool): handed on to the writer, possibly moved to its thread.
  const bytes = new Uint8Array(slices.reduce((total, slice) => total + slice.length, 0));
  let offset = 0;
  for (const slice of slices) {
    bytes.set(slice, offset);
    offset += slice.length;
  }
  return bytes;
}

/**
 * `encodePieces` for pieces all ASCII (sitemap urlsets: URLs checked, IRIs converted, dates and
 * hreflang validated), one byte each: at 34,000 entries 2-3 times quicker than encoding UTF-8.
 * Any other piece takes the UTF-8 path.
 */
export function encodeAsciiPieces(pieces: readonly string[]): Uint8Array {
  let length = 0;
  for (const piece of pieces) {
    if (NON_ASCII.test(piece)) return encodePieces(pieces);
    length += piece.length;
  }
  // Its own buffer, as encodePieces gives.
  const bytes = new Uint8Array(length);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  for (const piece of pieces) offset += view.write(piece, offset, "latin1");
  return bytes;
}

/** One file when everything fits, else an index at `mainPath` plus numbered parts. */
function writeUrlsets<T>(entries: readonly T[], write: WriteEntry<T>, base: string, options: SplitOptions): SitemapFile[] {
  const writer = new UrlsetWriter(write, base, options);
  for (const entry of entries) writer.add(entry);
  return writer.end();
}

/** Input: "2025-02-13" (UTC midnight) or an RFC 3339 date-time / Output: epoch milliseconds. */
function lastmodTime(w3c: string): number {
  return w3c.length === 10 ? Date.parse(w3c) : toEpochMilliseconds(w3c);
}

/** The newest of W3C lastmods (the first of those at one instant), as the index dates a part; null for none. */
export function newestLastmod(lastmods: readonly string[]): string | null {
  let newest: string | null = null;
  let newestTime = Number.NEGATIVE_INFINITY;
  for (const lastmod of lastmods) {
    const time = lastmodTime(lastmod);
    if (time > newestTime) {
      newest = lastmod;
      newestTime = time;
    }
  }
  return newest;
}

function writeSitemapEntry(entry: SitemapEntry, base: string, pieces: string[], lastmods: string[]): number {
  const first = pieces.length;
  const loc = checkSiteUrl(entry.loc, base, "sitemap loc");
  pieces.push("  <url>\n    <loc>", escapeXml(loc), "</loc>\n");
  if (entry.lastmod != null) {
    const lastmod = formatW3cDatetime(entry.lastmod);
    lastmods.push(lastmod);
    pieces.push("    <lastmod>", lastmod, "</lastmod>\n");
  }
  for (const alternate of entry.alternates ?? []) {
    if (!isValidHreflang(alternate.hreflang)) {
      throw new Error(`Internal: hreflang must be a BCP 47 language tag or "x-default", got ${JSON.stringify(alternate.hreflang)} for ${loc}.`);
    }
    const href = checkAbsoluteUrl(alternate.href, "hreflang href");
    pieces.push('    <xhtml:link rel="alternate" hreflang="', alternate.hreflang, '" href="', escapeXmlAttribute(href), '"/>\n');
  }
  pieces.push("  </url>\n");
  // Every piece is ASCII: URLs are checked (IRIs converted), hreflang and dates validated.
  return sumLengths(pieces, first);
}

/**
 * One `sitemap.xml` when ≤ maxUrls (default 50,000) URLs and ≤ maxBytes (default 50 MiB), else
 * `sitemap.xml` as a sitemap index pointing to `sitemaps/sitemap-N.xml` (absolute URLs from baseUrl).
 * Entries keep their input order.
 */
export function renderSitemaps(
  entries: readonly (SitemapEntry | EncodedSitemapEntry)[],
  baseUrl: string,
  maxUrls: number = MAX_URLS_PER_SITEMAP,
  maxBytes: number = MAX_BYTES_PER_SITEMAP,
): SitemapFile[] {
  const writer = urlsetWriterFor(baseUrl, maxUrls, maxBytes, joinPieces);
  for (const entry of entries) writer.add(entry);
  return writer.end();
}

/**
 * `renderSitemaps` entry by entry, each file as UTF-8 bytes: full parts can be taken and written
 * before the last entry.
 */
export function sitemapWriter(
  baseUrl: string,
  maxUrls: number = MAX_URLS_PER_SITEMAP,
  maxBytes: number = MAX_BYTES_PER_SITEMAP,
): UrlsetWriter<SitemapEntry | EncodedSitemapEntry, Uint8Array> {
  return urlsetWriterFor(baseUrl, maxUrls, maxBytes, encodeAsciiPieces);
}

/** Checks and writes entries once, to go into later sitemaps as they are (see `EncodedSitemapEntry`). */
export function sitemapEntryEncoder(baseUrl: string): (entry: SitemapEntry) => EncodedSitemapEntry {
  const base = normalizeBaseUrl(baseUrl);
  return (entry) => {
    const pieces: string[] = [];
    const lastmods: string[] = [];
    writeSitemapEntry(entry, base, pieces, lastmods);
    // Kept for every page until the build's end, and in the cache: one byte per character (see compactLatin1).
    return compactLatin1(`${lastmods[0] ?? ""}\n${pieces.join("")}`);
  };
}

/** An encoded entry's `<url>` element, as the sitemap writer encodes it (ASCII a byte a character, anything else as UTF-8). */
export function encodedEntryBytes(entry: EncodedSitemapEntry): Uint8Array {
  return encodeAsciiPieces([splitEncodedEntry(entry).element]);
}

/** An encoded entry's lastmod ("" without one) and `<url>` element. */
function splitEncodedEntry(entry: EncodedSitemapEntry): { lastmod: string; element: string } {
  const newline = entry.indexOf("\n");
  if (newline === -1) throw new Error("Internal: an encoded sitemap entry has no lastmod line.");
  return { lastmod: entry.slice(0, newline), element: entry.slice(newline + 1) };
}

/**
 * `sitemap.xml` as `renderSitemaps` makes it of these entries' elements (`encodedEntryBytes`) when
 * they fit in one file; null when it would be an index and parts. `gazette dev` keeps each
 * entry's bytes: a sitemap made again after a page moved is then joined, not written again.
 */
export function joinUrlset(elements: readonly Uint8Array[]): Uint8Array | null {
  const head = Buffer.from(XML_DECLARATION + URLSET_OPEN, "latin1");
  const tail = Buffer.from(URLSET_CLOSE, "latin1");
  let length = head.length + tail.length;
  for (const element of elements) length += element.length;
  if (elements.length > MAX_URLS_PER_SITEMAP || length > MAX_BYTES_PER_SITEMAP) return null;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const part of [head, ...elements, tail]) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

function writeEncodedEntry(entry: EncodedSitemapEntry, pieces: string[], lastmods: string[]): number {
  const { lastmod, element } = splitEncodedEntry(entry);
  if (lastmod !== "") lastmods.push(lastmod);
  pieces.push(element);
  return element.length; // ASCII, as writeSitemapEntry makes it
}

function urlsetWriterFor<C extends string | Uint8Array>(
  baseUrl: string,
  maxUrls: number,
  maxBytes: number,
  join: (pieces: readonly string[]) => C,
): UrlsetWriter<SitemapEntry | EncodedSitemapEntry, C> {
  const base = normalizeBaseUrl(baseUrl);
  checkLimit(maxUrls, MAX_URLS_PER_SITEMAP, "maxUrls");
  const write: WriteEntry<SitemapEntry | EncodedSitemapEntry> = (entry, pieces, lastmods) =>
    typeof entry === "string" ? writeEncodedEntry(entry, pieces, lastmods) : writeSitemapEntry(entry, base, pieces, lastmods);
  const split: SplitOptions = { open: URLSET_OPEN, maxUrls, maxBytes, mainPath: "sitemap.xml", partPath: (n) => `sitemaps/sitemap-${n}.xml` };
  return new UrlsetWriter(write, base, split, join);
}

function checkLimit(value: number, max: number, name: string): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`Internal: ${name} must be an integer from 1 to ${max}, got ${value}.`);
  }
}

/**
 * Google News wants ISO 639 codes, except `zh-cn` (Simplified) and `zh-tw` (Traditional Chinese).
 * Input: "pt-BR" / Output: "pt"; "zh-Hant-HK" -> "zh-tw"; "zh" -> "zh-cn".
 */
export function toGoogleNewsLanguage(lang: string): string {
  if (!BCP47.test(lang)) {
    throw new Error(`Internal: news sitemap language must be a BCP 47 language tag, got ${JSON.stringify(lang)}.`);
  }
  const subtags = lang.toLowerCase().split("-");
  const primary = subtags[0] ?? "";
  if (primary !== "zh" && primary !== "cmn") return primary;
  const script = subtags.find((subtag, i) => i > 0 && SCRIPT_SUBTAG.test(subtag));
  if (script === "hant") return "zh-tw";
  if (script === "hans") return "zh-cn";
  const region = subtags.find((subtag, i) => i > 0 && subtag.length === 2);
  return region === "tw" || region === "hk" || region === "mo" ? "zh-tw" : "zh-cn";
}

function writeNewsEntry(entry: NewsEntry, base: string, pieces: string[], lastmods: string[]): number {
  const first = pieces.length;
  const loc = checkSiteUrl(entry.loc, base, "news sitemap loc");
  const published = formatW3cDatetime(entry.published);
  lastmods.push(published);
  pieces.push(
    "  <url>\n    <loc>", escapeXml(loc),
    "</loc>\n    <news:news>\n      <news:publication>\n        <news:name>", escapeXml(entry.publicationName),
    "</news:name>\n        <news:language>", toGoogleNewsLanguage(entry.language),
    "</news:language>\n      </news:publication>\n      <news:publication_date>", published,
    "</news:publication_date>\n      <news:title>", escapeXml(entry.title),
    "</news:title>\n    </news:news>\n  </url>\n",
  );
  return sumUtf8Lengths(pieces, first);
}

/**
 * Google News sitemap: the caller passes only articles of the last 2 days before the build date.
 * ≤ 1,000 URLs per file; beyond, `news-sitemap.xml` is an index over `sitemaps/news-sitemap-N.xml`.
 * With no entries the result is an empty `urlset` (well-formed; the caller decides whether to write it).
 */
export function renderNewsSitemaps(entries: readonly NewsEntry[], baseUrl: string): SitemapFile[] {
  const base = normalizeBaseUrl(baseUrl);
  const write: WriteEntry<NewsEntry> = (entry, pieces, lastmods) => writeNewsEntry(entry, base, pieces, lastmods);
  return writeUrlsets(entries, write, base, {
    open: NEWS_URLSET_OPEN,
    maxUrls: MAX_URLS_PER_NEWS_SITEMAP,
    maxBytes: MAX_BYTES_PER_SITEMAP,
    mainPath: "news-sitemap.xml",
    partPath: (n) => `sitemaps/news-sitemap-${n}.xml`,
  });
}

// A robots.txt path rule: starts with "/" (or a "*" wildcard), one line, no spaces.
const ROBOTS_PATH = /^[/*][^\s\x00-\x1f\x7f]*$/;

/**
 * Input: ("https://example.org", ["sitemap.xml"], { disallow: ["/drafts/"] }) / Output:
 *   User-agent: *
 *   Disallow: /drafts/
 *   Allow: /
 *
 *   Sitemap: https://example.org/sitemap.xml
 * Disallow lines come first: crawlers that apply the first matching rule would otherwise stop at
 * `Allow: /` (Google picks the most specific rule, so the order is harmless there).
 */
export function renderRobotsTxt(baseUrl: string, sitemapPaths: string[], options: { disallow?: string[] } = {}): string {
  const base = normalizeBaseUrl(baseUrl);
  const lines = ["User-agent: *"];
  for (const path of options.disallow ?? []) {
    if (!ROBOTS_PATH.test(path)) {
      throw new Error(`Internal: a robots.txt Disallow path must start with "/" and hold no whitespace, got ${JSON.stringify(path)}.`);
    }
    lines.push(`Disallow: ${path}`);
  }
  lines.push("Allow: /");
  if (sitemapPaths.length > 0) lines.push("");
  for (const path of sitemapPaths) {
    const url = HTTP_SCHEME.test(path) ? path : base + path.replace(LEADING_SLASHES, "");
    lines.push(`Sitemap: ${checkAbsoluteUrl(url, "sitemap URL")}`);
  }
  return `${lines.join("\n")}\n`;
}
