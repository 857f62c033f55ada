/**
 * Allowlist sanitizer for raw HTML found in scraped article bodies, plus the escaping and URL rules
 * that the Markdown renderer shares with it.
 *
 *   sanitizeHtml('<p onclick="x()">Hi <script>alert(1)</script><b>there', "block")
 *   -> '<p>Hi <b>there</b></p>'
 *
 * Safety comes from re-serialising, never from patching the input: the output holds only escaped
 * text and allowlisted tags whose attributes were decoded, checked and re-escaped, so however a
 * browser would have parsed the original, it parses our output exactly as we wrote it. The
 * tokenizer follows the HTML tokenizer closely (attribute syntax, comments, raw-text elements, a tag
 * cut off by the end of input is dropped with the rest) so that what survives is what the author saw.
 */

export type SanitizeMode = "block" | "inline";

/** Per-document settings shared with the Markdown renderer. */
export interface SanitizeContext {
  /** Host of the site ("news.example"); links to other hosts get rel="noopener". Null: all absolute links are external. */
  siteHost: string | null;
  /** Ids already used in the document: a raw-HTML id that repeats one is dropped (ids must be unique). */
  usedIds: Set<string>;
}

/** An element left open by one raw-HTML block, to be closed by a later one (`<details>` … Markdown … `</details>`). */
export interface OpenElement {
  name: string;
  /** `details` only: a child was written already, so a `summary` may not follow. */
  hasContent: boolean;
}

/** Sanitizes an HTML fragment to the allowlist; "inline" keeps phrasing elements only. Output is balanced. */
export function sanitizeHtml(html: string, mode: SanitizeMode): string {
  const writer = new HtmlWriter(mode === "inline", true, [], { siteHost: null, usedIds: new Set() });
  tokenizeHtml(html, writer);
  return writer.out + closeElements(writer.stack, 0);
}

/**
 * One raw-HTML block of a Markdown document. Elements that hold flow content (`div`, `details`, …) may
 * stay open in `stack` so the Markdown blocks that follow end up inside them; everything else is
 * closed at the end of the block. The caller closes what is left at the end of the container.
 */
export function sanitizeHtmlBlock(html: string, stack: OpenElement[], ctx: SanitizeContext): string {
  const writer = new HtmlWriter(false, true, stack, ctx);
  tokenizeHtml(html, writer);
  let out = writer.out;
  while (stack.length > 0 && !CARRY_OPEN.has(stack[stack.length - 1]!.name)) out += `</${stack.pop()!.name}>`;
  return out;
}

/**
 * One inline HTML token as Marked emits them (a single tag, comment or declaration): sanitized to
 * phrasing elements but not balanced. The caller balances the rendered inline run with `balanceInlineHtml`.
 */
export function sanitizeInlineTag(html: string, ctx: SanitizeContext): string {
  const writer = new HtmlWriter(true, false, [], ctx);
  tokenizeHtml(html, writer);
  return writer.out;
}

/** Closing tags for `stack[from..]`, innermost first; shortens the stack. */
export function closeElements(stack: OpenElement[], from: number): string {
  let out = "";
  while (stack.length > from) out += `</${stack.pop()!.name}>`;
  return out;
}

/** Raw-HTML tags whose content is dropped with them (matched against one inline tag token). */
export const DROP_CONTENT_START =
  /^<(script|style|textarea|title|noscript|xmp|noembed|noframes|iframe|plaintext|template|svg|math|object|applet|audio|video|select|datalist|canvas|frameset)(?=[\s/>])/i;

const OUR_TAG = /<(\/?)([a-z][a-z0-9]*)[^>]*>/g;

/**
 * Balances rendered inline HTML (our own well-formed output: attribute values never hold `<` or `>`):
 * closes what is left open, drops closing tags without an opener and an `<a>` nested in an `<a>`.
 *   '<span lang="en">a <em>b</span> c</em>' -> '<span lang="en">a <em>b</em></span> c'
 */
export function balanceInlineHtml(html: string): string {
  const stack: string[] = [];
  const open = new Map<string, number>(); // name -> how many are on the stack: no stack scans
  let out = "";
  let last = 0;
  let skippedAnchors = 0;
  OUR_TAG.lastIndex = 0;
  for (let m = OUR_TAG.exec(html); m !== null; m = OUR_TAG.exec(html)) {
    const name = m[2]!;
    if (VOID.has(name)) continue;
    let replacement: string | null = null;
    if (m[1] === "") {
      if (name === "a" && (open.get("a") ?? 0) > 0) {
        skippedAnchors++;
        replacement = "";
      } else {
        stack.push(name);
        open.set(name, (open.get(name) ?? 0) + 1);
      }
    } else if (name === "a" && skippedAnchors > 0) {
      skippedAnchors--;
      replacement = "";
    } else if ((open.get(name) ?? 0) === 0) {
      replacement = "";
    } else {
      replacement = "";
      for (;;) {
        const top = stack.pop()!;
        open.set(top, open.get(top)! - 1);
        replacement += `</${top}>`;
        if (top === name) break;
      }
    }
    if (replacement !== null) {
      out += html.slice(last, m.index) + replacement;
      last = m.index + m[0].length;
    }
  }
  out += html.slice(last);
  while (stack.length > 0) out += `</${stack.pop()!}>`;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Element and attribute rules

const PHRASING = new Set(
  "a abbr b bdi bdo br cite code del dfn em i img ins kbd mark q s samp small span strong sub sup time u var wbr".split(" "),
);
const BLOCK_ONLY =
  "blockquote caption dd details div dl dt figcaption figure h2 h3 h4 h5 h6 hr li ol p pre summary table tbody td tfoot th thead tr ul";
const ALLOWED = new Set([...PHRASING, ...BLOCK_ONLY.split(" ")]);
const VOID = new Set(["br", "hr", "img", "wbr"]);
/** Elements whose content must be phrasing (`a`, `ins`, `del` are transparent: treated as phrasing). */
const PHRASING_ONLY = new Set([...PHRASING, "p", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "summary"]);
/** Elements that may only hold the children listed in REQUIRED_PARENT (and whitespace). */
const LISTED_CHILDREN_ONLY = new Set(["ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"]);
const REQUIRED_PARENT: Record<string, readonly string[]> = {
  li: ["ul", "ol"],
  dt: ["dl"],
  dd: ["dl"],
  tr: ["table", "thead", "tbody", "tfoot"],
  td: ["tr"],
  th: ["tr"],
  thead: ["table"],
  tbody: ["table"],
  tfoot: ["table"],
  caption: ["table"],
  summary: ["details"],
  figcaption: ["figure"],
};
/** Open elements a new start tag may close implicitly, as browsers do (`<p>a<p>b`, `<li>a<li>b`). */
const AUTO_CLOSE = new Set(["p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "summary"]);
/** Flow containers that may stay open across Markdown blocks. */
const CARRY_OPEN = new Set(["div", "details", "blockquote", "figure", "li", "dd", "td", "th"]);

/** Raw-text elements: content is skipped to the matching end tag, as the browser would read it. */
const RAW_TEXT_END: Record<string, RegExp> = Object.fromEntries(
  "script style textarea title noscript xmp noembed noframes iframe".split(" ").map((n) => [n, new RegExp(`</${n}[\\t\\n\\f\\r />]`, "ig")]),
);
/** Elements dropped with their whole subtree (nested ones counted). */
const DROP_SUBTREE = new Set("template svg math object applet audio video select datalist canvas frameset".split(" "));

const GLOBAL_ATTRS = new Set(["lang", "dir", "title", "id", "class"]);
const ELEMENT_ATTRS: Record<string, ReadonlySet<string>> = {
  a: new Set(["href", "hreflang"]),
  img: new Set(["src", "alt", "width", "height"]),
  time: new Set(["datetime"]),
  td: new Set(["colspan", "rowspan"]),
  th: new Set(["colspan", "rowspan", "scope"]),
  ol: new Set(["start", "reversed", "type"]),
  q: new Set(["cite"]),
  blockquote: new Set(["cite"]),
  del: new Set(["cite", "datetime"]),
  ins: new Set(["cite", "datetime"]),
  details: new Set(["open"]),
};

const LANG_TAG = /^[a-zA-Z]{2,8}(?:-[a-zA-Z0-9]{1,8})*$/;
const ID_TOKEN = /^[\w.:-]{1,64}$/;
const CLASS_TOKEN = /^[\w-]{1,64}$/;
const DIGITS = /^\d{1,5}$/;
const INTEGER = /^-?\d{1,9}$/;
/** Valid HTML date/time strings, loosely: year..datetime with offset, yearless date, time, week, duration. */
const DATETIME =
  /^(?:\d{4,6}(?:-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?|\d{4}-W\d{2}|\d{2}-\d{2}|\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?|P(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,3})?S)?)?|Z|[+-]\d{2}:?\d{2})$/;

/** Prefix for ids from raw HTML, so they cannot clobber the page's own ids. */
export const RAW_ID_PREFIX = "user-content-";

/** The attribute string for an allowed element, or null to drop the tag (keeping its content). */
function renderAttributes(name: string, attrs: readonly Attr[], ctx: SanitizeContext): string | null {
  const own = ELEMENT_ATTRS[name];
  let out = "";
  let href: string | null = null;
  let src: string | null = null;
  let alt: string | null = null;
  let datetime = false;
  let dir = false;
  for (const [key, raw] of attrs) {
    if (!GLOBAL_ATTRS.has(key) && !(own?.has(key) ?? false)) continue;
    const value = raw.includes("&") ? decodeCharRefs(raw) : raw;
    switch (key) {
      case "lang":
      case "hreflang":
        if (LANG_TAG.test(value)) out += ` ${key}="${value}"`;
        break;
      case "dir": {
        const d = value.toLowerCase();
        if (d === "ltr" || d === "rtl" || (d === "auto" && name !== "bdo")) {
          out += ` dir="${d}"`;
          dir = true;
        }
        break;
      }
      case "title":
        out += ` title="${escapeAttribute(value)}"`;
        break;
      case "alt":
        alt = value;
        break;
      case "id": {
        const id = RAW_ID_PREFIX + value;
        if (ID_TOKEN.test(value) && !ctx.usedIds.has(id)) {
          ctx.usedIds.add(id);
          out += ` id="${id}"`;
        }
        break;
      }
      case "class": {
        const tokens = value.split(/\s+/).filter((t) => CLASS_TOKEN.test(t));
        if (tokens.length > 0) out += ` class="${tokens.join(" ")}"`;
        break;
      }
      case "href":
        href = checkUrl(value, "link");
        if (href !== null) out += ` href="${escapeAttribute(href)}"`;
        break;
      case "cite": {
        const url = checkUrl(value, "link");
        if (url !== null) out += ` cite="${escapeAttribute(url)}"`;
        break;
      }
      case "src":
        src = checkUrl(value, "image");
        if (src !== null) out += ` src="${escapeAttribute(src)}"`;
        break;
      case "width":
      case "height":
      case "rowspan":
        if (DIGITS.test(value)) out += ` ${key}="${Number(value)}"`;
        break;
      case "colspan":
        if (DIGITS.test(value) && Number(value) >= 1 && Number(value) <= 1000) out += ` colspan="${Number(value)}"`;
        break;
      case "start":
        if (INTEGER.test(value)) out += ` start="${Number(value)}"`;
        break;
      case "type":
        if (/^[1aAiI]$/.test(value)) out += ` type="${value}"`;
        break;
      case "scope": {
        const s = value.toLowerCase();
        if (s === "row" || s === "col" || s === "rowgroup" || s === "colgroup") out += ` scope="${s}"`;
        break;
      }
      case "datetime":
        if (DATETIME.test(value)) {
          out += ` datetime="${value}"`;
          datetime = true;
        }
        break;
      case "reversed":
      case "open":
        out += ` ${key}`;
        break;
    }
  }
  switch (name) {
    case "a":
      if (href === null) return null;
      return isExternalUrl(href, ctx.siteHost) ? `${out} rel="noopener"` : out;
    case "img":
      if (src === null) return null;
      return `${out} alt="${escapeAttribute(alt ?? "")}" loading="lazy" decoding="async"`;
    case "time":
      return datetime ? out : null;
    case "bdo":
      return dir ? out : null;
    default:
      return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Tree building: content model and balance

type Attr = [name: string, value: string];

interface TokenSink {
  text(raw: string): void;
  start(name: string, attrs: readonly Attr[]): void;
  end(name: string): void;
}

const NON_SPACE = /[^\t\n\f\r ]/;

class HtmlWriter implements TokenSink {
  out = "";
  /** Element name -> how many are open, so that end tags and `<a>` checks never scan the stack. */
  private readonly open = new Map<string, number>();

  constructor(
    private readonly inline: boolean,
    /** false: tags written one by one, no stack (inline tokens; the caller balances). */
    private readonly balance: boolean,
    readonly stack: OpenElement[],
    private readonly ctx: SanitizeContext,
  ) {
    for (const e of stack) this.count(e.name, 1);
  }

  private count(name: string, delta: number): void {
    this.open.set(name, (this.open.get(name) ?? 0) + delta);
  }

  /** Closes stack[k..], innermost first. */
  private closeTo(k: number): void {
    while (this.stack.length > k) {
      const name = this.stack.pop()!.name;
      this.count(name, -1);
      this.out += `</${name}>`;
    }
  }

  /** `literal`: decoded text (every `&` escaped), not source text (character references kept). */
  text(raw: string, literal = false): void {
    if (this.balance && this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1]!;
      if (LISTED_CHILDREN_ONLY.has(top.name)) {
        // Text is not allowed directly in lists and tables: keep the layout whitespace only.
        if (NON_SPACE.test(raw)) return;
      } else if (top.name === "details" && NON_SPACE.test(raw)) top.hasContent = true;
    }
    this.out += literal ? escapeLiteral(raw) : escapeText(raw);
  }

  start(tagName: string, attrs: readonly Attr[]): void {
    const name = tagName === "h1" ? "h2" : tagName;
    if (!(this.inline ? PHRASING : ALLOWED).has(name)) return;
    const attributes = renderAttributes(name, attrs, this.ctx);
    if (attributes === null) {
      // An image whose source is not allowed stands in as its alt text.
      const alt = name === "img" ? attrs.find((a) => a[0] === "alt") : undefined;
      if (alt !== undefined) this.text(decodeCharRefs(alt[1]), true);
      return;
    }
    if (this.balance && !this.fit(name)) return;
    this.out += `<${name}${attributes}>`;
    if (this.balance && !VOID.has(name)) {
      this.stack.push({ name, hasContent: false });
      this.count(name, 1);
    }
  }

  end(tagName: string): void {
    const name = tagName === "h1" ? "h2" : tagName;
    if (!(this.inline ? PHRASING : ALLOWED).has(name) || VOID.has(name)) return;
    if (!this.balance) {
      this.out += `</${name}>`;
      return;
    }
    if ((this.open.get(name) ?? 0) === 0) return;
    for (let k = this.stack.length - 1; k >= 0; k--) {
      if (this.stack[k]!.name === name) {
        this.closeTo(k);
        return;
      }
    }
  }

  /** Makes room for `name` under the current element (closing implied ends), or says it cannot go here. */
  private fit(name: string): boolean {
    const stack = this.stack;
    let k = stack.length;
    while (!this.accepts(k, name)) {
      const parent = stack[k - 1];
      if (parent === undefined || !AUTO_CLOSE.has(parent.name)) {
        // A cell straight under a table or row group: the browser implies the row; so do we.
        const top = stack[stack.length - 1];
        if ((name === "td" || name === "th") && top !== undefined && REQUIRED_PARENT.tr!.includes(top.name)) {
          this.out += "<tr>";
          stack.push({ name: "tr", hasContent: false });
          this.count("tr", 1);
          return true;
        }
        return false;
      }
      k--;
    }
    this.closeTo(k);
    const parent = stack[k - 1];
    if (parent?.name === "details") parent.hasContent = true;
    return true;
  }

  /** May `child` be a child of `stack[k - 1]` (the root when k is 0)? */
  private accepts(k: number, child: string): boolean {
    const parent = k === 0 ? undefined : this.stack[k - 1]!;
    const required = REQUIRED_PARENT[child];
    if (required !== undefined) {
      if (parent === undefined || !required.includes(parent.name)) return false;
      return child !== "summary" || !parent.hasContent;
    }
    if (parent === undefined) return true;
    if (LISTED_CHILDREN_ONLY.has(parent.name)) return false;
    if (PHRASING_ONLY.has(parent.name)) {
      if (!PHRASING.has(child)) return false;
      // No link in a link. (fit() only pops AUTO_CLOSE elements, never an `a`, so "open anywhere" will do.)
      if (child === "a" && (this.open.get("a") ?? 0) > 0) return false;
    }
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Tokenizer (HTML Living Standard §13.2.5, reduced to what decides where tags start and end)

function isAsciiAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isTagSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

interface ParsedTag {
  name: string;
  attrs: Attr[];
  selfClosing: boolean;
  end: number;
}

/** Reads a tag from the first character of its name; null when the input ends inside it. */
function readTag(html: string, from: number): ParsedTag | null {
  const n = html.length;
  let i = from;
  while (i < n) {
    const c = html.charCodeAt(i);
    if (isTagSpace(c) || c === 0x2f || c === 0x3e) break;
    i++;
  }
  const name = html.slice(from, i).toLowerCase();
  const attrs: Attr[] = [];
  let selfClosing = false;
  for (;;) {
    while (i < n && (isTagSpace(html.charCodeAt(i)) || html.charCodeAt(i) === 0x2f)) {
      selfClosing = html.charCodeAt(i) === 0x2f;
      i++;
    }
    if (i >= n) return null;
    if (html.charCodeAt(i) === 0x3e) return { name, attrs, selfClosing, end: i + 1 };
    selfClosing = false;
    const nameStart = i;
    i++; // the first character belongs to the name even when it is "="
    while (i < n) {
      const c = html.charCodeAt(i);
      if (isTagSpace(c) || c === 0x2f || c === 0x3e || c === 0x3d) break;
      i++;
    }
    const attrName = html.slice(nameStart, i).toLowerCase();
    while (i < n && isTagSpace(html.charCodeAt(i))) i++;
    let value = "";
    if (i < n && html.charCodeAt(i) === 0x3d) {
      i++;
      while (i < n && isTagSpace(html.charCodeAt(i))) i++;
      if (i >= n) return null;
      const q = html.charCodeAt(i);
      if (q === 0x22 || q === 0x27) {
        const close = html.indexOf(q === 0x22 ? '"' : "'", i + 1);
        if (close === -1) return null;
        value = html.slice(i + 1, close);
        i = close + 1;
      } else {
        const start = i;
        while (i < n && !isTagSpace(html.charCodeAt(i)) && html.charCodeAt(i) !== 0x3e) i++;
        value = html.slice(start, i);
      }
    }
    // The first of duplicate attributes wins; past 64 the rest are read but ignored (no quadratic scan).
    if (attrs.length < 64 && !attrs.some((a) => a[0] === attrName)) attrs.push([attrName, value]);
  }
}

/** Index after the end tag that closes raw text opened by `name`; the end of input when there is none. */
function skipRawText(html: string, from: number, name: string): number {
  if (name === "plaintext") return html.length;
  const end = RAW_TEXT_END[name]!;
  end.lastIndex = from;
  const m = end.exec(html);
  if (m === null) return html.length;
  const gt = html.indexOf(">", m.index);
  return gt === -1 ? html.length : gt + 1;
}

function skipPast(html: string, from: number, marker: string): number {
  const at = html.indexOf(marker, from);
  return at === -1 ? html.length : at + marker.length;
}

const COMMENT_END = /--!?>/g;

/** `<!…`: comments (ended by `-->`, `--!>`, or the abrupt `<!-->` / `<!--->`), doctype, CDATA: all dropped. */
function skipMarkupDeclaration(html: string, at: number): number {
  if (!html.startsWith("<!--", at)) return skipPast(html, at + 2, ">");
  if (html.startsWith("<!-->", at)) return at + 5;
  if (html.startsWith("<!--->", at)) return at + 6;
  COMMENT_END.lastIndex = at + 4;
  const end = COMMENT_END.exec(html);
  return end === null ? html.length : end.index + end[0].length;
}

function tokenizeHtml(html: string, sink: TokenSink): void {
  const n = html.length;
  let i = 0;
  let dropping: string | null = null;
  let dropDepth = 0;
  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt === -1) {
      if (dropping === null) sink.text(html.slice(i));
      return;
    }
    if (lt > i && dropping === null) sink.text(html.slice(i, lt));
    i = lt;
    const c = html.charCodeAt(i + 1);
    if (c === 0x21) {
      i = skipMarkupDeclaration(html, i);
    } else if (c === 0x3f) {
      i = skipPast(html, i + 2, ">");
    } else if (c === 0x2f) {
      const c2 = html.charCodeAt(i + 2);
      if (isAsciiAlpha(c2)) {
        const tag = readTag(html, i + 2);
        if (tag === null) return;
        i = tag.end;
        if (dropping === null) sink.end(tag.name);
        else if (tag.name === dropping && --dropDepth === 0) dropping = null;
      } else if (c2 === 0x3e) {
        i += 3;
      } else if (i + 2 >= n) {
        if (dropping === null) sink.text("</");
        return;
      } else {
        i = skipPast(html, i + 2, ">");
      }
    } else if (isAsciiAlpha(c)) {
      const tag = readTag(html, i + 1);
      if (tag === null) return;
      i = tag.end;
      const name = tag.name;
      if (dropping !== null) {
        if (name === dropping && !tag.selfClosing) dropDepth++;
      } else if (name in RAW_TEXT_END || name === "plaintext") {
        i = skipRawText(html, i, name);
      } else if (DROP_SUBTREE.has(name)) {
        if (!tag.selfClosing) {
          dropping = name;
          dropDepth = 1;
        }
      } else sink.start(name, tag.attrs);
    } else {
      if (dropping === null) sink.text("<");
      i++;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Escaping, character references, URLs

const TEXT_SPECIAL = /[&<>\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]/;
const TEXT_REPLACE =
  /&(?:#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)?|[<>\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]/g;

/**
 * Text content: `<` `>` escaped, valid character references kept, any other `&` escaped,
 * control characters and noncharacters removed.   'a &amp; b & c &bogus; <x>' -> 'a &amp; b &amp; c &amp;bogus; &lt;x&gt;'
 */
export function escapeText(text: string): string {
  if (!TEXT_SPECIAL.test(text)) return text;
  return text.replace(TEXT_REPLACE, replaceTextSpecial);
}

function replaceTextSpecial(m: string): string {
  if (m === "<") return "&lt;";
  if (m === ">") return "&gt;";
  if (m.charCodeAt(0) !== 0x26) return "";
  if (m.length === 1) return "&amp;";
  return decodeReference(m) === null ? "&amp;" + m.slice(1) : m;
}

const LITERAL_SPECIAL = /[&<>\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]/g;

/** Literal text (code, autolink text): every `&`, `<`, `>` escaped, control characters removed. */
export function escapeLiteral(text: string): string {
  if (!TEXT_SPECIAL.test(text)) return text;
  return text.replace(LITERAL_SPECIAL, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : ""));
}

const ATTR_SPECIAL = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]/;
const ATTR_REPLACE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]/g;
const ATTR_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** A decoded attribute value for a double-quoted attribute. */
export function escapeAttribute(value: string): string {
  if (!ATTR_SPECIAL.test(value)) return value;
  return value.replace(ATTR_REPLACE, (c) => ATTR_ENTITIES[c] ?? "");
}

const REFERENCE = /&(?:#(\d{1,7});?|#[xX]([0-9a-fA-F]{1,6});?|([A-Za-z][A-Za-z0-9]{1,31});)/g;

/** Decodes character references (numeric, and the HTML 4 named set): what a browser reads in an attribute. */
export function decodeCharRefs(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(REFERENCE, (m) => decodeReference(m) ?? (m.startsWith("&#") ? "\uFFFD" : m));
}

/** The character a reference stands for; null when it is not a valid reference (unknown name, bad code point). */
function decodeReference(ref: string): string | null {
  if (ref.charCodeAt(1) === 0x23) {
    const hex = ref.charCodeAt(2) === 0x78 || ref.charCodeAt(2) === 0x58;
    const cp = Number.parseInt(ref.slice(hex ? 3 : 2), hex ? 16 : 10);
    return isAllowedCodePoint(cp) ? String.fromCodePoint(cp) : null;
  }
  const cp = namedEntities().get(ref.slice(1, ref.endsWith(";") ? -1 : undefined));
  return cp === undefined ? null : String.fromCodePoint(cp);
}

/** Code points a document may contain (no NUL, surrogates, noncharacters or C0/C1 controls but whitespace). */
function isAllowedCodePoint(cp: number): boolean {
  if (cp === 0x09 || cp === 0x0a) return true;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return false;
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
  if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return false;
  return true;
}

/** Latin-1 names for U+00A0..U+00FF, in code point order. */
const LATIN1 =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";
/** Greek letters from U+0391 and U+03B1 ("-" marks the unassigned U+03A2). */
const GREEK_UPPER = "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho - Sigma Tau Upsilon Phi Chi Psi Omega";
const GREEK_LOWER = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega";
/** The rest of HTML 4's named references (plus apos), as name:decimal code point. */
const OTHER_ENTITIES =
  "quot:34 amp:38 apos:39 lt:60 gt:62 OElig:338 oelig:339 Scaron:352 scaron:353 Yuml:376 fnof:402 circ:710 tilde:732 thetasym:977 upsih:978 piv:982 ensp:8194 emsp:8195 thinsp:8201 zwnj:8204 zwj:8205 lrm:8206 rlm:8207 ndash:8211 mdash:8212 lsquo:8216 rsquo:8217 sbquo:8218 ldquo:8220 rdquo:8221 bdquo:8222 dagger:8224 Dagger:8225 bull:8226 hellip:8230 permil:8240 prime:8242 Prime:8243 lsaquo:8249 rsaquo:8250 oline:8254 frasl:8260 euro:8364 image:8465 weierp:8472 real:8476 trade:8482 alefsym:8501 larr:8592 uarr:8593 rarr:8594 darr:8595 harr:8596 crarr:8629 lArr:8656 uArr:8657 rArr:8658 dArr:8659 hArr:8660 forall:8704 part:8706 exist:8707 empty:8709 nabla:8711 isin:8712 notin:8713 ni:8715 prod:8719 sum:8721 minus:8722 lowast:8727 radic:8730 prop:8733 infin:8734 ang:8736 and:8743 or:8744 cap:8745 cup:8746 int:8747 there4:8756 sim:8764 cong:8773 asymp:8776 ne:8800 equiv:8801 le:8804 ge:8805 sub:8834 sup:8835 nsub:8836 sube:8838 supe:8839 oplus:8853 otimes:8855 perp:8869 sdot:8901 lceil:8968 rceil:8969 lfloor:8970 rfloor:8971 lang:10216 rang:10217 loz:9674 spades:9824 clubs:9827 hearts:9829 diams:9830";

let entityTable: Map<string, number> | null = null;

/** Built on first use: most bodies hold no named reference. */
function namedEntities(): Map<string, number> {
  if (entityTable !== null) return entityTable;
  const table = new Map<string, number>();
  LATIN1.split(" ").forEach((name, k) => table.set(name, 0xa0 + k));
  GREEK_UPPER.split(" ").forEach((name, k) => name !== "-" && table.set(name, 0x391 + k));
  GREEK_LOWER.split(" ").forEach((name, k) => table.set(name, 0x3b1 + k));
  for (const pair of OTHER_ENTITIES.split(" ")) {
    const [name, cp] = pair.split(":");
    table.set(name!, Number(cp));
  }
  entityTable = table;
  return table;
}

export type UrlKind = "link" | "image";

const LINK_SCHEMES = new Set(["http", "https", "mailto", "tel"]);
const IMAGE_SCHEMES = new Set(["http", "https"]);
const URL_TABS = /[\t\n\r]/g;
const URL_DELIMITER = /[/?#]/;
const URL_EDGES = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
const URL_CONTROL = /[\u0000-\u001F\u007F]/;
const URL_PLAIN = /^[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]*$/;
const URL_ENCODE = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]/gu;

/**
 * A decoded URL checked against the allowed schemes (links: http, https, mailto, tel; images: http,
 * https) or relative/fragment/protocol-relative, with what browsers ignore (tabs, newlines, leading
 * and trailing controls) removed first; percent-encoded where needed. Null when not allowed.
 *   checkUrl(" JaVa\tScRiPt:alert(1)", "link") -> null;  checkUrl("/a b", "link") -> "/a%20b"
 */
export function checkUrl(value: string, kind: UrlKind): string | null {
  // Plain URLs (most) hold no whitespace or controls and need no encoding.
  const plain = URL_PLAIN.test(value);
  let url = value;
  if (!plain) {
    if (url.includes("\t") || url.includes("\n") || url.includes("\r")) url = url.replace(URL_TABS, "");
    if (url.length > 0 && (url.charCodeAt(0) <= 0x20 || url.charCodeAt(url.length - 1) <= 0x20)) url = url.replace(URL_EDGES, "");
    if (URL_CONTROL.test(url)) return null;
  }
  if (url === "") return null;
  const colon = url.indexOf(":");
  if (colon !== -1) {
    const slash = url.search(URL_DELIMITER);
    if (slash === -1 || colon < slash) {
      const scheme = url.slice(0, colon).toLowerCase();
      if (!(kind === "link" ? LINK_SCHEMES : IMAGE_SCHEMES).has(scheme)) return null;
    }
  }
  if (plain || URL_PLAIN.test(url)) return url;
  try {
    return url.replace(URL_ENCODE, encodeURIComponent);
  } catch {
    return null; // a lone surrogate cannot be encoded
  }
}

/** Absolute http(s) or protocol-relative URL to a host other than `siteHost`. */
export function isExternalUrl(url: string, siteHost: string | null): boolean {
  let rest: string;
  if (url.startsWith("//")) rest = url.slice(2);
  else {
    const lower = url.slice(0, 8).toLowerCase();
    if (lower.startsWith("https://")) rest = url.slice(8);
    else if (lower.startsWith("http://")) rest = url.slice(7);
    else return false;
  }
  if (siteHost === null) return true;
  return hostOf(rest) !== siteHost;
}

/** Lower-cased host of "user@host:port/path…" (one pass over the authority: runs for every link). */
export function hostOf(authorityAndPath: string): string {
  let start = 0;
  let end = authorityAndPath.length;
  let colon = -1;
  for (let i = 0; i < end; i++) {
    const c = authorityAndPath.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) end = i; // / ? #
    else if (c === 0x40) {
      start = i + 1; // @: what came before was userinfo
      colon = -1;
    } else if (c === 0x3a) colon = i;
    else if (c === 0x5d) colon = -1; // ]: the colons were inside an IPv6 literal
  }
  let host = authorityAndPath.slice(start, colon === -1 ? end : colon);
  if (host.endsWith(".")) host = host.slice(0, -1);
  return host.toLowerCase();
}
