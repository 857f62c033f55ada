import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parseHTML } from "linkedom";

/**
 * Finds anything in a built site that could run script, load a foreign document, or break the
 * file's syntax, in every kind of output file:
 *
 *   findUnsafeOutput(new Map([["en/x/index.html", "<p onclick=…>"]])) -> ["en/x/index.html: <p onclick> …"]
 *
 * HTML pages, and the HTML inside feeds (RSS description and content:encoded, Atom content and
 * summary, JSON Feed content_html), are parsed and walked; every text file is also checked byte
 * by byte for characters HTML and XML forbid and for Unicode direction overrides. Pagefind's own
 * index files (binary) are skipped.
 */
export function findUnsafeOutput(files: ReadonlyMap<string, string | Uint8Array>): string[] {
  const problems: string[] = [];
  for (const [file, body] of files) {
    // Pagefind's index is binary; the marker is Gazette's own note that it wrote the folder.
    if (file.startsWith("pagefind/") || file === ".gazette-output") continue;
    const text = decodeUtf8(body);
    if (text === null) {
      problems.push(`${file}: not valid UTF-8`);
      continue;
    }
    problems.push(...findForbiddenCharacters(text).map((problem) => `${file}: ${problem}`));
    if (file.endsWith(".html")) problems.push(...findUnsafeHtml(text, { document: true }).map((problem) => `${file}: ${problem}`));
    else if (file.endsWith(".xml")) problems.push(...findUnsafeXml(text).map((problem) => `${file}: ${problem}`));
    else if (file.endsWith(".json")) problems.push(...findUnsafeJsonFeed(text).map((problem) => `${file}: ${problem}`));
    else if (!/\.(css|js|txt)$/.test(file)) problems.push(`${file}: a file type a Gazette site never publishes`);
  }
  return problems;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(body: string | Uint8Array): string | null {
  if (typeof body === "string") return body;
  try {
    return decoder.decode(body);
  } catch {
    return null;
  }
}

// Controls other than tab, LF and CR; noncharacters; lone surrogates (a string that never went
// through UTF-8). HTML calls all of them parse errors, XML 1.0 forbids most of them.
const FORBIDDEN_CHARACTER =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Embeddings, overrides and isolates: they can make a headline read as something it is not.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

export function findForbiddenCharacters(text: string): string[] {
  const problems: string[] = [];
  const forbidden = FORBIDDEN_CHARACTER.exec(text);
  if (forbidden) problems.push(`forbidden character U+${codePoint(forbidden[0])} near ${JSON.stringify(around(text, forbidden.index))}`);
  const bidi = BIDI_CONTROL.exec(text);
  if (bidi) problems.push(`direction control U+${codePoint(bidi[0])} near ${JSON.stringify(around(text, bidi.index))}`);
  return problems;
}

function codePoint(char: string): string {
  return char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
}

function around(text: string, index: number): string {
  return text.slice(Math.max(0, index - 30), index + 30);
}

/** Elements that must never come out of content: they run script, load documents, or submit data. */
const FORBIDDEN_ELEMENTS = new Set([
  "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "input", "button", "textarea", "select",
  "option", "style", "template", "math", "foreignobject", "animate", "set", "animatemotion", "animatetransform", "portal",
  "fencedframe", "xmp", "plaintext", "listing", "noembed", "noframes", "svg",
]);
/** Attributes that hold a URL the browser may follow or load. */
const URL_ATTRIBUTES = ["href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "cite", "ping", "longdesc", "lowsrc", "dynsrc", "codebase", "manifest", "icon", "usemap"];
const UNSAFE_SCHEME = /^(?:javascript|vbscript|livescript|mocha|data|file):/;
// What a browser strips before reading a scheme: ASCII whitespace and C0 controls anywhere.
const IGNORED_IN_SCHEME = /[\u0000-\u0020\u007F]/g;
const LINK_RELS = new Set(["stylesheet", "canonical", "alternate", "icon", "preload", "author", "tag", "noopener", "prev", "next", "nofollow", "noreferrer", "ugc", "license"]);

export interface HtmlScanOptions {
  /** A whole page (our layout: its own scripts and noscript are allowed) or a fragment from a feed. */
  document: boolean;
}

/**
 * Unsafe markup in HTML. A page may carry JSON-LD, our own scripts (fingerprinted assets and
 * Pagefind's UI) and a <noscript> notice; a feed fragment may carry no script at all.
 */
export function findUnsafeHtml(html: string, options: HtmlScanOptions): string[] {
  const problems: string[] = [];
  if (html.includes("<!--")) problems.push(`an HTML comment near ${JSON.stringify(around(html, html.indexOf("<!--")))}`);
  const { document } = parseHTML(options.document ? html : `<!doctype html><html><body>${html}</body></html>`);
  let allowedScripts = 0;
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName.toLowerCase();
    if (tag === "script") {
      const problem = options.document ? checkOwnScript(element) : "a <script> in feed content";
      if (problem) problems.push(problem);
      else allowedScripts++;
      continue;
    }
    if (FORBIDDEN_ELEMENTS.has(tag)) problems.push(`a <${tag}> element: ${JSON.stringify(element.outerHTML.slice(0, 120))}`);
    if (tag === "noscript" && !(options.document && element.querySelectorAll("*").length === element.querySelectorAll("p, a").length)) {
      problems.push(`a <noscript> with more than our notice: ${JSON.stringify(element.outerHTML.slice(0, 120))}`);
    }
    if (tag === "meta" && element.hasAttribute("http-equiv")) problems.push(`<meta http-equiv="${element.getAttribute("http-equiv")}">`);
    if (tag === "link") {
      const rels: string[] = String(element.getAttribute("rel") ?? "").toLowerCase().split(/\s+/).filter((rel) => rel !== "");
      if (!options.document || rels.some((rel) => !LINK_RELS.has(rel))) problems.push(`<link rel="${element.getAttribute("rel")}">`);
    }
    for (const name of element.getAttributeNames()) {
      const lower = name.toLowerCase();
      const value = element.getAttribute(name) ?? "";
      if (lower.startsWith("on")) problems.push(`an event handler ${name}="${value.slice(0, 60)}" on <${tag}>`);
      if (lower === "style") problems.push(`a style attribute on <${tag}>: ${JSON.stringify(value.slice(0, 60))}`);
      if (lower === "srcdoc") problems.push(`srcdoc on <${tag}>`);
      if (URL_ATTRIBUTES.includes(lower) && isUnsafeUrl(value)) problems.push(`${name}="${value.slice(0, 80)}" on <${tag}>`);
      if (lower === "srcset" || lower === "imagesrcset") {
        for (const candidate of value.split(",")) if (isUnsafeUrl(candidate.trim().split(/\s+/)[0] ?? "")) problems.push(`${name}="${value.slice(0, 80)}" on <${tag}>`);
      }
    }
  }
  // A second opinion that does not depend on the parser: every "<script" in the source is one we allowed.
  const rawScripts = html.match(/<script\b/gi)?.length ?? 0;
  if (rawScripts !== allowedScripts && problems.length === 0) problems.push(`${rawScripts} "<script" in the source, but ${allowedScripts} script elements parsed`);
  return problems;
}

export function isUnsafeUrl(value: string): boolean {
  return UNSAFE_SCHEME.test(value.replace(IGNORED_IN_SCHEME, "").toLowerCase());
}

/** JSON-LD whose text cannot end its element, or one of our own script files. */
function checkOwnScript(script: HtmlElement): string | null {
  const type = script.getAttribute("type");
  if (type === "application/ld+json") {
    const source = script.textContent ?? "";
    if (/<\/script|<!--|<script/i.test(source)) return `JSON-LD that could end its <script>: ${JSON.stringify(source.slice(0, 120))}`;
    try {
      JSON.parse(source);
    } catch {
      return `JSON-LD that does not parse: ${JSON.stringify(source.slice(0, 120))}`;
    }
    return null;
  }
  const src = script.getAttribute("src");
  if (type === null && src !== null && script.textContent === "" && /\/(?:assets\/[\w-]+\.[0-9a-f]{8}\.js|pagefind\/pagefind-ui\.js)$/.test(src)) return null;
  return `a script that is not ours: ${JSON.stringify(script.outerHTML.slice(0, 160))}`;
}

type HtmlElement = ReturnType<ReturnType<typeof parseHTML>["document"]["createElement"]>;

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", textNodeName: "#text", parseTagValue: false });

/** Well-formed XML; feed content that is HTML must be safe HTML. */
export function findUnsafeXml(text: string): string[] {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return [`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`];
  const problems: string[] = [];
  const data = xml.parse(text) as Record<string, unknown>;
  const rss = data.rss as { channel?: { item?: unknown } } | undefined;
  if (rss) {
    for (const item of asArray(rss.channel?.item) as Record<string, unknown>[]) {
      for (const field of ["description", "content:encoded"]) {
        const html = textOf(item[field]);
        if (html) problems.push(...findUnsafeHtml(html, { document: false }).map((problem) => `RSS ${field}: ${problem}`));
      }
    }
  }
  const feed = data.feed as { entry?: unknown } | undefined;
  if (feed) {
    for (const entry of asArray(feed.entry) as Record<string, unknown>[]) {
      for (const field of ["content", "summary", "title"]) {
        const node = entry[field] as Record<string, unknown> | string | undefined;
        const type = typeof node === "object" && node !== null ? node["@type"] : "text";
        const html = textOf(node);
        if (html && (type === "html" || type === "xhtml")) problems.push(...findUnsafeHtml(html, { document: false }).map((problem) => `Atom ${field}: ${problem}`));
      }
    }
  }
  return problems;
}

/** JSON that parses; a JSON Feed's content_html must be safe HTML. */
export function findUnsafeJsonFeed(text: string): string[] {
  let data: { items?: { content_html?: unknown; summary?: unknown }[] };
  try {
    data = JSON.parse(text) as typeof data;
  } catch (error) {
    return [`JSON that does not parse: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  for (const item of data.items ?? []) {
    if (typeof item.content_html === "string") problems.push(...findUnsafeHtml(item.content_html, { document: false }).map((problem) => `content_html: ${problem}`));
  }
  return problems;
}

function asArray(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function textOf(node: unknown): string {
  if (typeof node === "string") return node;
  if (typeof node === "object" && node !== null) {
    const text = (node as Record<string, unknown>)["#text"];
    return typeof text === "string" ? text : "";
  }
  return "";
}
