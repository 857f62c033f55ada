/**
 * Markdown article bodies -> safe, valid HTML for the article page.
 *
 *   renderMarkdown('# Lage\n\nEr sagte: "Nein" -- [mehr](javascript:alert(1))', { lang: "de" })
 *   -> { html: '<h2 id="lage">Lage</h2>\n<p>Er sagte: „Nein“ – mehr</p>\n',
 *        headings: [{ level: 2, id: "lage", text: "Lage" }] }
 *
 * One Marked instance (GFM) with our renderer. Per-call state (heading ids, language, passages, raw
 * HTML left open) lives in one object that `renderMarkdown` sets before parsing and clears after:
 * Marked's parser is synchronous, so no two documents ever share it.
 *
 * - Headings shift so the body's smallest level is h2 and never skip a level; ids are unique slugs.
 * - Links and images keep only allowed URLs (else their text); external links get rel="noopener"
 *   (not "noreferrer": sources see where their readers come from, and there is no target=_blank).
 * - Raw HTML goes through `sanitize-html.ts`; inline runs holding raw tags are re-balanced.
 * - Typography (quotes, apostrophes, dashes, ellipses) in text only, never in code, URLs or attributes.
 * - Text is escaped where it holds `&` or `<` (a lone `>` is plain text in HTML and stays as is).
 *   Raw control characters are cleanBody's job (normalize/); those that Marked decodes from
 *   references (`&#x1B;`) are dropped here.
 * - Nesting is capped (see `capNesting`): Marked takes seconds on 500 nested lists and overflows the
 *   stack on ~2,000 nested quotes.
 */
import { Marked, Renderer, type Parser, type Token, type Tokens } from "marked";
import { slugify } from "../util/slugify.js";
import {
  DROP_CONTENT_START,
  balanceInlineHtml,
  checkUrl,
  closeElements,
  decodeCharRefs,
  escapeAttribute,
  escapeLiteral,
  escapeText,
  hostOf,
  isExternalUrl,
  sanitizeHtmlBlock,
  sanitizeInlineTag,
  type OpenElement,
  type SanitizeContext,
} from "./sanitize-html.js";
import { quoteStyleFor, smartenDashes, smartenQuotes, type QuoteStyle } from "./typography.js";

export interface MarkdownOptions {
  /** BCP 47 language of the page: smart typography (quotes) follows it. */
  lang: string;
  /** Blocks written in another language: raw Markdown of the block (trimmed) -> BCP 47 tag. The renderer puts lang="…" on the matching top-level block. */
  passages?: ReadonlyMap<string, string>;
  /** Site origin (e.g. "https://news.example"), to tell internal from external links. */
  siteOrigin?: string;
}

export interface RenderedMarkdown {
  html: string;
  headings: { level: number; id: string; text: string }[];
}

interface RenderState {
  lang: string;
  quotes: QuoteStyle;
  sanitize: SanitizeContext;
  headings: RenderedMarkdown["headings"];
  /** Added to a Markdown heading depth so the smallest one becomes 2. */
  shift: number;
  /** Level of the last heading written (the page title is 1). */
  lastLevel: number;
  /** Top-level tokens written in another language -> their tag. */
  passageOf: Map<Token, string> | null;
  /** Raw-HTML elements left open in the current container (`<details>` … Markdown … `</details>`). */
  openHtml: OpenElement[];
  tables: number;
  /** Heading slug -> the suffix to try next for it. */
  nextSuffix: Map<string, number>;
  /**
   * Whether the document holds `&` or `<` / `--` or `...` / a straight quote at all. Checked once per
   * document with includes() (memchr speed), so that the text of most documents is never scanned again.
   */
  mayEscape: boolean;
  mayDash: boolean;
  mayQuote: boolean;
}

let current: RenderState | null = null;

function state(): RenderState {
  if (current === null) throw new Error("Internal: the Markdown renderer ran outside renderMarkdown");
  return current;
}

export function renderMarkdown(markdown: string, options: MarkdownOptions): RenderedMarkdown {
  const source = capNesting(markdown);
  let st = newState(markdown, options);
  try {
    current = st;
    let html: string;
    try {
      html = renderTokens(markdownParser.lexer(source), st, options.passages);
    } catch (error) {
      // Marked recurses per nesting level of inline markup too (`**a **b …` ten thousand deep): a
      // stack overflow there costs that one block its formatting, never the build or the words.
      if (!(error instanceof RangeError)) throw error;
      current = st = newState(markdown, options);
      html = renderBlockByBlock(source, st, options.passages);
    }
    return { html: html + closeElements(st.openHtml, 0), headings: st.headings };
  } finally {
    current = null;
  }
}

function newState(markdown: string, options: MarkdownOptions): RenderState {
  const origin = options.siteOrigin ?? "";
  return {
    lang: options.lang,
    quotes: quoteStyleFor(options.lang),
    sanitize: {
      siteHost: origin === "" ? null : hostOf(origin.includes("//") ? origin.slice(origin.indexOf("//") + 2) : origin),
      usedIds: new Set(),
    },
    headings: [],
    shift: 0,
    lastLevel: 1,
    passageOf: null,
    openHtml: [],
    tables: 0,
    nextSuffix: new Map(),
    mayEscape: markdown.includes("&") || markdown.includes("<"),
    mayDash: markdown.includes("--") || markdown.includes("..."),
    mayQuote: markdown.includes('"') || markdown.includes("'"),
  };
}

function renderTokens(tokens: Token[], st: RenderState, passages: ReadonlyMap<string, string> | undefined): string {
  prepare(tokens, st, passages);
  return markdownParser.parser(tokens);
}

/**
 * The slow, safe path after a stack overflow: each blank-line-separated block on its own, and a
 * block that still overflows becomes a paragraph of its plain, escaped text.
 */
function renderBlockByBlock(source: string, st: RenderState, passages: ReadonlyMap<string, string> | undefined): string {
  let html = "";
  const blocks = source.split(/\n[ \t]*\n/).filter((block) => block.trim() !== "");
  for (const block of blocks) {
    try {
      // One block is the one that overflowed: lexing it again would only overflow again.
      if (blocks.length === 1) throw new RangeError("nested too deeply");
      html += renderTokens(markdownParser.lexer(block), st, passages);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      html += `<p>${escapeText(collapseWhitespace(block))}</p>\n`;
    }
  }
  return html;
}

/** Heading shift from the smallest heading depth; passages matched to top-level blocks. */
function prepare(tokens: Token[], st: RenderState, passages: ReadonlyMap<string, string> | undefined): void {
  const min = minHeadingDepth(tokens, 7);
  st.shift = min === 7 ? 0 : 2 - min;
  if (passages === undefined || passages.size === 0) return;
  st.passageOf = new Map();
  for (const t of tokens) {
    if (t.type === "space" || t.type === "def") continue;
    const tag = passages.get(t.raw.trim());
    if (tag !== undefined && tag !== "") st.passageOf.set(t, tag);
  }
}

function minHeadingDepth(tokens: Token[], min: number): number {
  for (const t of tokens) {
    if (t.type === "heading") min = Math.min(min, (t as Tokens.Heading).depth);
    else if (t.type === "blockquote") min = minHeadingDepth((t as Tokens.Blockquote).tokens, min);
    else if (t.type === "list") for (const item of (t as Tokens.List).items) min = minHeadingDepth(item.tokens, min);
  }
  return min;
}

// ---------------------------------------------------------------------------------------------
// Renderer

const RTL_LANGUAGES = new Set(["ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"]);
const TABLE_LABELS: Record<string, string> = { de: "Tabelle", en: "Table", fr: "Tableau", es: "Tabla", it: "Tabella", pt: "Tabela", nl: "Tabel", pl: "Tabela" };
const CODE_LANGUAGE = /[^a-z0-9_+-]/g;

function langAttributes(tag: string): string {
  const dash = tag.indexOf("-");
  const primary = (dash === -1 ? tag : tag.slice(0, dash)).toLowerCase();
  return ` lang="${escapeAttribute(tag)}"${RTL_LANGUAGES.has(primary) ? ' dir="rtl"' : ""}`;
}

function passageAttributes(token: Token): string {
  const tag = current?.passageOf?.get(token);
  return tag === undefined ? "" : langAttributes(tag);
}

function primaryLanguage(lang: string): string {
  const dash = lang.indexOf("-");
  return (dash === -1 ? lang : lang.slice(0, dash)).toLowerCase();
}

/** Overrides every Renderer method: nothing of Marked's own (unsanitized) HTML output remains. */
class SafeRenderer extends Renderer {
  override space(): string {
    return "";
  }

  override def(): string {
    return "";
  }

  override hr(): string {
    return "<hr>\n";
  }

  override br(): string {
    return "<br>";
  }

  /** Not a form control: a news page has nothing to submit, and an unlabeled checkbox fails axe. */
  override checkbox({ checked }: Tokens.Checkbox): string {
    return checked ? "☑ " : "☐ ";
  }

  override code(token: Tokens.Code): string {
    const language = (token.lang ?? "").toLowerCase().replace(CODE_LANGUAGE, "");
    const text = token.text;
    const body = text === "" ? "" : `${text.endsWith("\n") ? text.slice(0, -1) : text}\n`;
    const cls = language === "" ? "" : ` class="language-${language}"`;
    return `<pre${passageAttributes(token)}><code${cls}>${escapeLiteral(body)}</code></pre>\n`;
  }

  override blockquote(token: Tokens.Blockquote): string {
    return `<blockquote${passageAttributes(token)}>\n${renderContainer(this.parser, token.tokens)}</blockquote>\n`;
  }

  override html(token: Tokens.HTML | Tokens.Tag): string {
    const st = state();
    if ((token as Tokens.HTML).block) {
      const out = sanitizeHtmlBlock(token.text, st.openHtml, st.sanitize);
      return out === "" || out.endsWith("\n") ? out : `${out}\n`;
    }
    return sanitizeInlineTag(token.text, st.sanitize);
  }

  override heading(token: Tokens.Heading): string {
    const st = state();
    const inner = renderRun(this.parser, token.tokens, token.text);
    const only = token.tokens.length === 1 ? (token.tokens[0] as Tokens.Text) : undefined;
    // Most headings are one plain text token: its text needs no decoding or dashes unless the document has any.
    const text =
      only?.type === "text" && only.tokens === undefined && !st.mayEscape && !st.mayDash
        ? collapseWhitespace(only.text)
        : collapseWhitespace(plainText(token.tokens));
    const level = Math.max(2, Math.min(token.depth + st.shift, st.lastLevel + 1, 6));
    st.lastLevel = level;
    const passage = st.passageOf?.get(token);
    const id = uniqueId(headingSlug(text, passage ?? st.lang), st.sanitize.usedIds, st.nextSuffix);
    st.headings.push({ level, id, text });
    return `<h${level} id="${id}"${passage === undefined ? "" : langAttributes(passage)}>${inner}</h${level}>\n`;
  }

  override list(token: Tokens.List): string {
    let body = "";
    for (const item of token.items) body += this.listitem(item);
    const tag = token.ordered ? "ol" : "ul";
    const start = token.ordered && token.start !== 1 && token.start !== "" ? ` start="${token.start}"` : "";
    return `<${tag}${start}${passageAttributes(token)}>\n${body}</${tag}>\n`;
  }

  override listitem(item: Tokens.ListItem): string {
    return `<li>${renderContainer(this.parser, item.tokens)}</li>\n`;
  }

  override paragraph(token: Tokens.Paragraph): string {
    const inner = renderRun(this.parser, token.tokens, token.text);
    // A paragraph of dropped raw HTML (`<svg>…</svg>`) leaves nothing worth an empty <p>.
    return inner === "" ? "" : `<p${passageAttributes(token)}>${inner}</p>\n`;
  }

  override table(token: Tokens.Table): string {
    const st = state();
    let head = "<tr>\n";
    for (const cell of token.header) head += this.tablecell(cell);
    let body = "";
    for (const row of token.rows) {
      body += "<tr>\n";
      for (const cell of row) body += this.tablecell(cell);
      body += "</tr>\n";
    }
    st.tables++;
    const label = (TABLE_LABELS[primaryLanguage(st.lang)] ?? "Table") + (st.tables === 1 ? "" : ` ${st.tables}`);
    return (
      `<div class="table-scroll" role="region" tabindex="0" aria-label="${label}">` +
      `<table${passageAttributes(token)}>\n<thead>\n${head}</tr>\n</thead>\n` +
      (body === "" ? "" : `<tbody>\n${body}</tbody>\n`) +
      "</table></div>\n"
    );
  }

  override tablerow({ text }: Tokens.TableRow): string {
    return `<tr>\n${text}</tr>\n`; // not called by table() above; kept for completeness
  }

  override tablecell(cell: Tokens.TableCell): string {
    const tag = cell.header ? "th" : "td";
    const attrs = (cell.header ? ' scope="col"' : "") + (cell.align === null ? "" : ` class="align-${cell.align}"`);
    return `<${tag}${attrs}>${renderRun(this.parser, cell.tokens, cell.text)}</${tag}>\n`;
  }

  override strong(token: Tokens.Strong): string {
    return `<strong>${renderInline(this.parser, token.tokens)}</strong>`;
  }

  override em(token: Tokens.Em): string {
    return `<em>${renderInline(this.parser, token.tokens)}</em>`;
  }

  override del(token: Tokens.Del): string {
    return `<del>${renderInline(this.parser, token.tokens)}</del>`;
  }

  override codespan({ text }: Tokens.Codespan): string {
    return `<code>${escapeLiteral(text)}</code>`;
  }

  override link(token: Tokens.Link): string {
    const st = state();
    const href = checkUrl(token.autolink === true ? token.href : decodeCharRefs(token.href), "link");
    const withHtml = token.autolink !== true && hasHtml(token.tokens);
    let inner: string;
    if (token.autolink === true) inner = escapeLiteral(token.text); // the URL as written, no typography
    else inner = this.parser.parseInline(withHtml ? dropRawContent(token.tokens) : token.tokens);
    if (href === null) return withHtml ? balanceInlineHtml(inner) : inner;
    if (inner.trim() === "") inner = escapeLiteral(href); // a link needs a name
    let open = `<a href="${escapeAttribute(href)}"`;
    if (token.title) open += ` title="${escapeAttribute(decodeCharRefs(token.title))}"`;
    if (isExternalUrl(href, st.sanitize.siteHost)) open += ' rel="noopener"';
    const out = `${open}>${inner}</a>`;
    // Balanced as a whole, so a raw <a> inside the link text is dropped rather than nested.
    return withHtml ? balanceInlineHtml(out) : out;
  }

  override image(token: Tokens.Image): string {
    const alt = collapseWhitespace(plainText(token.tokens ?? []));
    const src = checkUrl(decodeCharRefs(token.href), "image");
    if (src === null) return escapeLiteral(alt);
    const title = token.title ? ` title="${escapeAttribute(decodeCharRefs(token.title))}"` : "";
    return `<img src="${escapeAttribute(src)}" alt="${escapeAttribute(alt)}"${title} loading="lazy" decoding="async">`;
  }

  override text(token: Tokens.Text | Tokens.Escape): string {
    if (token.type === "escape") return escapeLiteral(token.text);
    if ("tokens" in token && token.tokens !== undefined) return renderRun(this.parser, token.tokens, token.text);
    // Text between raw <code>/<pre>/<kbd> tags: no typography.
    if ((token as Tokens.Text).escaped === true) return escapeText(token.text);
    const st = state();
    let text = token.text;
    if (st.mayDash && (text.includes("--") || text.includes("..."))) text = smartenDashes(text);
    // Without "&" and "<" in the document there is nothing to escape (a lone ">" is plain text in
    // HTML). With them, Marked has decoded references such as `&#x1B;` to characters HTML forbids.
    return st.mayEscape ? escapeText(text) : text;
  }
}

/** Set once through setOptions, so Marked calls our methods directly (use() would wrap each one). */
const markdownParser = new Marked().setOptions({ gfm: true, breaks: false, renderer: new SafeRenderer() });

const WHITESPACE_RUN = /\s+/g;
/** Whitespace other than single plain spaces. */
const ODD_WHITESPACE = /\s\s|[^\S ]/;

function collapseWhitespace(text: string): string {
  return (ODD_WHITESPACE.test(text) ? text.replace(WHITESPACE_RUN, " ") : text).trim();
}

/** Block children of a blockquote or list item: raw HTML left open inside is closed at its end. */
function renderContainer(parser: Parser, tokens: Token[]): string {
  if (!hasHtml(tokens)) return parser.parse(tokens); // no raw-HTML block of its own to keep open
  const st = state();
  const outer = st.openHtml;
  st.openHtml = [];
  try {
    return parser.parse(tokens) + closeElements(st.openHtml, 0);
  } finally {
    st.openHtml = outer;
  }
}

/** An inline run that starts a block (paragraph, heading, cell, tight list item): quotes are paired here. */
function renderRun(parser: Parser, tokens: Token[], source: string): string {
  const st = state();
  if (st.mayQuote && (source.includes('"') || source.includes("'"))) smartenRunQuotes(tokens, st.quotes);
  return renderInline(parser, tokens);
}

function hasHtml(tokens: Token[]): boolean {
  for (const t of tokens) if (t.type === "html") return true;
  return false;
}

/** Inline tokens; raw tags in them are re-balanced, so every element opened inside also closes inside. */
function renderInline(parser: Parser, tokens: Token[]): string {
  if (!hasHtml(tokens)) return parser.parseInline(tokens);
  return balanceInlineHtml(parser.parseInline(dropRawContent(tokens)));
}

const SELF_CLOSING = /\/\s*>$/;

/** Inline `<script>…</script>` and the like arrive as tag, text, tag: the text between goes too. */
function dropRawContent(tokens: Token[]): Token[] {
  let kept: Token[] | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const m = t.type === "html" ? DROP_CONTENT_START.exec((t as Tokens.HTML).text) : null;
    if (m !== null && !SELF_CLOSING.test((t as Tokens.HTML).text)) {
      kept ??= tokens.slice(0, i);
      const closer = `</${m[1]!.toLowerCase()}`;
      let j = i + 1;
      while (j < tokens.length && !(tokens[j]!.type === "html" && (tokens[j] as Tokens.HTML).text.toLowerCase().startsWith(closer))) j++;
      i = j;
      continue;
    }
    kept?.push(t);
  }
  return kept ?? tokens;
}

/** Pairs quotes across the text tokens of one inline run and writes the result back into them. */
function smartenRunQuotes(tokens: Token[], style: QuoteStyle): void {
  const segments: string[] = [];
  const convert: boolean[] = [];
  const targets: Tokens.Text[] = [];
  const collect = (list: Token[]): void => {
    for (const t of list) {
      switch (t.type) {
        case "text": {
          const text = t as Tokens.Text;
          if (text.tokens !== undefined) collect(text.tokens);
          else if (text.escaped === true) {
            segments.push("x");
            convert.push(false);
          } else {
            segments.push(text.text);
            convert.push(true);
            targets.push(text);
          }
          break;
        }
        case "strong":
        case "em":
        case "del":
          collect((t as Tokens.Strong).tokens);
          break;
        case "link":
          if ((t as Tokens.Link).autolink === true) {
            segments.push("x");
            convert.push(false);
          } else collect((t as Tokens.Link).tokens);
          break;
        case "br":
          segments.push(" ");
          convert.push(false);
          break;
        case "html":
          break; // transparent: <span>"Hi"</span> pairs the quotes around Hi
        default:
          segments.push("x"); // code span, image, escaped character: a word character as context
          convert.push(false);
      }
    }
  };
  collect(tokens);
  if (targets.length === 0) return;
  const result = smartenQuotes(segments, convert, style);
  let k = 0;
  for (let s = 0; s < segments.length; s++) if (convert[s]) targets[k++]!.text = result[s]!;
}

/** Plain text of inline tokens, for heading ids and the outline, and image alt text. */
function plainText(tokens: Token[]): string {
  let out = "";
  for (const t of tokens) {
    switch (t.type) {
      case "text": {
        const text = t as Tokens.Text;
        if (text.tokens !== undefined) out += plainText(text.tokens);
        else out += text.escaped === true ? decodeCharRefs(text.text) : decodeCharRefs(smartenDashes(text.text));
        break;
      }
      case "escape":
      case "codespan":
        out += (t as Tokens.Codespan).text;
        break;
      case "link":
        out += (t as Tokens.Link).autolink === true ? (t as Tokens.Link).text : plainText((t as Tokens.Link).tokens);
        break;
      case "strong":
      case "em":
      case "del":
      case "image":
        out += plainText((t as Tokens.Strong).tokens ?? []);
        break;
      case "br":
        out += " ";
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Heading slugs

/**
 * What slugify makes of each character that headings are mostly made of: ASCII (but `&` and
 * apostrophes, which slugify spells out or treats per language), Latin-1 letters, typographic quotes
 * and dashes. "-" separates words. German umlauts depend on the language and are handled apart.
 */
const SLUG_CHARS: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (let c = 0x20; c < 0x7f; c++) {
    const ch = String.fromCharCode(c);
    map.set(ch, /[a-z0-9]/.test(ch) ? ch : /[A-Z]/.test(ch) ? ch.toLowerCase() : "-");
  }
  for (const ch of "&'`") map.delete(ch);
  const letters: Record<string, string> = {
    a: "ÀÁÂÃÅàáâãå", ae: "Ææ", c: "Çç", e: "ÈÉÊËèéêë", i: "ÌÍÎÏìíîï", d: "Ðð", n: "Ññ", o: "ÒÓÔÕØòóôõø",
    u: "ÙÚÛùúû", y: "Ýýÿ", th: "Þþ", ss: "ß",
  };
  for (const [ascii, chars] of Object.entries(letters)) for (const ch of chars) map.set(ch, ascii);
  for (const ch of "\u00A0«»·×÷–—„“”‚‹›…") map.set(ch, "-");
  return map;
})();
const UMLAUTS: Readonly<Record<string, readonly [german: string, other: string]>> = {
  Ä: ["ae", "a"], ä: ["ae", "a"], Ö: ["oe", "o"], ö: ["oe", "o"], Ü: ["ue", "u"], ü: ["ue", "u"],
};

/** slugify's result in one pass over SLUG_CHARS; null for other characters, an empty slug or one to shorten. */
function fastSlug(text: string, lang: string): string | null {
  const german = lang === "de";
  let slug = "";
  for (const ch of text) {
    const umlaut = UMLAUTS[ch];
    const part = umlaut === undefined ? SLUG_CHARS.get(ch) : umlaut[german ? 0 : 1];
    if (part === undefined) return null;
    if (part !== "-") slug += part;
    else if (slug !== "" && !slug.endsWith("-")) slug += "-";
  }
  if (slug.endsWith("-")) slug = slug.slice(0, -1);
  return slug === "" || slug.length > 80 ? null : slug;
}

/**
 * Whether fastSlug agrees with slugify on every character of the table for a language, checked
 * with a few probes the first time a heading of that language is slugged (not at load: ~5 ms of
 * a five-story build for eight languages): if slugify changes, the fast path switches off instead
 * of disagreeing.
 */
const fastSlugAgrees = new Map<string, boolean>();
const FAST_SLUG_CANDIDATES: ReadonlySet<string> = new Set(["de", "en", "fr", "es", "it", "pt", "nl", "pl"]);

function hasFastSlug(lang: string): boolean {
  let agrees = fastSlugAgrees.get(lang);
  if (agrees === undefined) {
    agrees = FAST_SLUG_CANDIDATES.has(lang) && slugProbes().every((p) => fastSlug(p, lang) === slugify(p, lang, 80, "section"));
    fastSlugAgrees.set(lang, agrees);
  }
  return agrees;
}

function slugProbes(): string[] {
  const groups = [...SLUG_CHARS.keys(), ...Object.keys(UMLAUTS)].map((ch) => `x${ch}Y`);
  const probes = [" -Lead, trail- ", "a  b", "Ä-ä ö/Ü"];
  for (let k = 0; k < groups.length; k += 12) probes.push(groups.slice(k, k + 12).join(" "));
  return probes;
}

/**
 * Heading id: `slugify(text, lang, 80, "section")`. slugify's Unicode passes cost ~4 % of a whole
 * render, so plain headings in the site's languages take the one-pass fast path (same result).
 */
export function headingSlug(text: string, lang: string): string {
  const fast = hasFastSlug(lang) ? fastSlug(text, lang) : null;
  return fast ?? slugify(text, lang, 80, "section");
}

/** `slug`, or `slug-2`, `slug-3`, … the first one not used yet (`next` remembers where to go on: linear, not quadratic). */
function uniqueId(slug: string, used: Set<string>, next: Map<string, number>): string {
  let id = slug;
  let n = next.get(slug) ?? 2;
  while (used.has(id)) id = `${slug}-${n++}`;
  next.set(slug, n);
  used.add(id);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Nesting cap

/** Container markers (`>`, list bullets) kept on one line. */
const MAX_MARKERS = 32;
/** Columns of indentation kept before a container marker (~32 levels of nested lists). */
const MAX_INDENT = 64;

/**
 * Caps how deeply blockquotes and lists can nest before Marked sees the text: markers past the 32nd
 * on a line are dropped, and indentation before a marker is cut to 64 columns (deeper items become
 * siblings at that depth). Lines inside fenced code are left alone. Returns the input itself when
 * nothing is that deep (the common case: one look at each line's first character).
 */
export function capNesting(markdown: string): string {
  let out: string | null = null;
  let copied = 0;
  let fence = "";
  const n = markdown.length;
  for (let start = 0; start < n; ) {
    let end = markdown.indexOf("\n", start);
    if (end === -1) end = n;
    const c = markdown.charCodeAt(start);
    if (fence !== "") {
      if (markdown.startsWith(fence, start + leadingSpaces(markdown, start, end, 3))) fence = "";
    } else if (c === 0x20 || c === 0x09 || c === 0x3e || c === 0x2d || c === 0x2a || c === 0x2b || (c >= 0x30 && c <= 0x39) || c === 0x60 || c === 0x7e) {
      const at = start + leadingSpaces(markdown, start, end, 3);
      if (markdown.startsWith("```", at) || markdown.startsWith("~~~", at)) fence = markdown.slice(at, at + 3);
      else {
        const capped = capLine(markdown, start, end);
        if (capped !== null) {
          out = (out ?? "") + markdown.slice(copied, start) + capped;
          copied = end;
        }
      }
    }
    start = end + 1;
  }
  return out === null ? markdown : out + markdown.slice(copied);
}

function leadingSpaces(text: string, start: number, end: number, max: number): number {
  let k = 0;
  while (k < max && start + k < end && text.charCodeAt(start + k) === 0x20) k++;
  return k;
}

/** The line with its container prefix capped, or null when it is within the limits. */
function capLine(text: string, start: number, end: number): string | null {
  if (!exceedsNesting(text, start, end)) return null;
  let out = "";
  let markers = 0;
  let i = start;
  for (;;) {
    const j = skipIndent(text, i, end);
    const markerEnd = markerEndAt(text, j, end);
    if (markerEnd === -1) break;
    if (++markers <= MAX_MARKERS) out += (indentWidth(text, i, j) > MAX_INDENT ? " ".repeat(MAX_INDENT) : text.slice(i, j)) + text.slice(j, markerEnd);
    i = markerEnd;
  }
  const rest = text.slice(i, end);
  return out + (markers > MAX_MARKERS ? ` ${rest.trimStart()}` : rest);
}

/** More than MAX_MARKERS container markers, or an indentation wider than MAX_INDENT before one. */
function exceedsNesting(text: string, start: number, end: number): boolean {
  let markers = 0;
  for (let i = start; ; ) {
    const j = skipIndent(text, i, end);
    const markerEnd = markerEndAt(text, j, end);
    if (markerEnd === -1) return false;
    if (++markers > MAX_MARKERS || (j - i > MAX_INDENT / 4 && indentWidth(text, i, j) > MAX_INDENT)) return true;
    i = markerEnd;
  }
}

function skipIndent(text: string, at: number, end: number): number {
  let j = at;
  while (j < end && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j++;
  return j;
}

/** Columns of the spaces and tabs in text[from, to) (a tab advances to the next multiple of 4). */
function indentWidth(text: string, from: number, to: number): number {
  let width = 0;
  for (let k = from; k < to; k++) width += text.charCodeAt(k) === 0x09 ? 4 - (width % 4) : 1;
  return width;
}

/** End of a container marker at `at` (`>`, `-`, `*`, `+`, `1.`, `1)` followed by space or line end); -1 if none. */
function markerEndAt(text: string, at: number, end: number): number {
  if (at >= end) return -1;
  const c = text.charCodeAt(at);
  if (c === 0x3e) return at + 1;
  let k = at;
  if (c === 0x2d || c === 0x2a || c === 0x2b) k = at + 1;
  else {
    while (k < end && k - at < 9 && text.charCodeAt(k) >= 0x30 && text.charCodeAt(k) <= 0x39) k++;
    if (k === at || k >= end || (text.charCodeAt(k) !== 0x2e && text.charCodeAt(k) !== 0x29)) return -1;
    k++;
  }
  if (k < end && text.charCodeAt(k) !== 0x20 && text.charCodeAt(k) !== 0x09) return -1;
  return k;
}
