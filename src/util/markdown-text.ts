/**
 * Cheap Markdown -> plain text, for language detection, summaries, word counts and related-article
 * terms. marked lexes ~24 MB/s, a large part of a whole build's budget at 10,000 stories, so only the
 * renderer runs it; everything else works on these blocks (~35 MB/s on news prose, and without
 * building a token tree).
 *
 *   splitBlocks("## Title\n\nSome *text* [link](u).\n\n- a\n- b")
 *   -> [{kind:"heading", text:"Title"}, {kind:"paragraph", text:"Some text link."}, {kind:"list", text:"a b"}]
 */
export type BlockKind = "heading" | "paragraph" | "list" | "quote" | "code" | "html" | "table";

export interface TextBlock {
  readonly kind: BlockKind;
  /** The block's Markdown source, trimmed: also the key a renderer uses to find the block again. */
  readonly raw: string;
  /** Plain text without Markdown syntax, whitespace collapsed. */
  readonly text: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The last body split and its blocks: normalization splits an article's body, and the related
 * features, made right after it on the same thread, split the same string again (~0.1 ms per article).
 */
let last: { markdown: string; blocks: readonly TextBlock[] } | null = null;

export function splitBlocks(markdown: string): readonly TextBlock[] {
  if (last !== null && last.markdown === markdown) return last.blocks;
  const blocks = split(markdown);
  last = { markdown, blocks };
  return blocks;
}

function split(markdown: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  const lines = markdown.split("\n");
  let current: string[] = [];
  let fence: string | null = null;

  const flush = () => {
    if (current.length === 0) return;
    const raw = current.join("\n").trim();
    current = [];
    if (raw !== "") blocks.push(toBlock(raw));
  };

  for (const line of lines) {
    if (fence !== null) {
      current.push(line);
      if (line.trimStart().startsWith(fence)) {
        fence = null;
        flush();
      }
      continue;
    }
    const open = FENCE.exec(line);
    if (open) {
      flush();
      fence = open[1]!.slice(0, 3);
      current.push(line);
      continue;
    }
    if (line.trim() === "") {
      flush();
      continue;
    }
    // ATX headings are blocks of their own even without blank lines around them.
    if (/^ {0,3}#{1,6}(\s|$)/.test(line)) {
      flush();
      current.push(line);
      flush();
      continue;
    }
    current.push(line);
  }
  flush();
  return blocks;
}

function toBlock(raw: string): TextBlock {
  const first = raw.trimStart();
  let kind: BlockKind = "paragraph";
  if (FENCE.test(raw) || /^( {4}|\t)/.test(raw)) kind = "code";
  else if (first.startsWith("#")) kind = "heading";
  else if (first.startsWith(">")) kind = "quote";
  else if (/^([-*+]|\d{1,9}[.)])\s/.test(first)) kind = "list";
  else if (/^\|.*\|\s*$/m.test(first) && /^\|?\s*:?-{3,}/m.test(raw)) kind = "table";
  else if (/^<[a-zA-Z!/]/.test(first)) kind = "html";
  return { kind, raw, text: kind === "code" ? "" : inlineText(stripBlockSyntax(raw, kind)) };
}

function stripBlockSyntax(raw: string, kind: BlockKind): string {
  switch (kind) {
    case "heading":
      return raw.replace(/^\s*#{1,6}\s*/, "").replace(/\s#+\s*$/, "");
    case "quote":
      return raw.replace(/^\s*>\s?/gm, "");
    case "list":
      return raw.replace(/^\s*([-*+]|\d{1,9}[.)])\s+/gm, "");
    case "table":
      return raw.replace(/^\s*\|?\s*:?-{3,}.*$/gm, "").replace(/\|/g, " ");
    default:
      return raw;
  }
}

/** Inline Markdown and HTML to text: links keep their text, images their alt text. */
export function inlineText(markdown: string): string {
  // Each rule runs only when its marker character occurs: most blocks are plain prose, and these
  // passes (one string copy each) were a large share of normalizing.
  let text = markdown;
  const has = (marker: string) => text.includes(marker);
  if (has("<")) text = text.replace(/<!--[\s\S]*?-->/g, " ");
  if (has("[")) {
    text = text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/\[([^\]]*)\]\[[^\]]*\]/g, "$1");
  }
  if (has("<")) text = text.replace(/<[^>]{0,2000}>/g, " ");
  if (has("*") || has("_") || has("~")) {
    text = text.replace(/(\*\*|__|~~)(?=\S)([\s\S]*?\S)\1/g, "$2").replace(/(^|[\s(])([*_])(?=\S)([^*_]*?\S)\2(?=[\s).,;:!?]|$)/g, "$1$3");
  }
  if (has("`")) text = text.replace(/`+([^`]*)`+/g, "$1");
  if (has("\\")) text = text.replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, "$1");
  if (has("&")) text = text.replace(/&nbsp;/g, " ");
  return collapseSpaces(text).trim();
}

/** Runs of spaces, tabs, line breaks and no-break spaces as one space; the text itself (no copy) when it has none. */
function collapseSpaces(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20 ? text.charCodeAt(i + 1) === 0x20 : code === 0x0a || code === 0x09 || code === 0x0d || code === 0xa0) {
      return text.replace(/[ \t\r\n\u00a0]+/g, " ");
    }
  }
  return text;
}

/** Words of a plain text: letters/digits runs, counting hyphenated and apostrophe words once. */
export function countWords(text: string): number {
  // The number of matches of /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu, without building them:
  // runs of letters and digits, less one for each single joiner between two of them.
  let words = 0;
  let previous = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const word = isWordChar(text, i, code);
    if (word && !previous) {
      words++;
      const joiner = i >= 2 ? text.charCodeAt(i - 1) : 0;
      if ((joiner === 0x27 || joiner === 0x2019 || joiner === 0x2d) && isWordChar(text, i - 2, text.charCodeAt(i - 2))) words--;
    }
    previous = word;
    if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) i++; // the pair was judged as one character
  }
  return words;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Letter or digit (\p{L}\p{N}) at i; ASCII directly, the rest of the BMP through a lazily filled table. */
const WORD_TABLE = new Uint8Array(0x10000); // 0 unknown, 1 word, 2 not
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

function isWordChar(text: string, i: number, code: number): boolean {
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
  if (code >= 0xd800 && code <= 0xdfff) {
    // A surrogate pair (astral letters and digits) is one character; a lone half is none.
    const high = code <= 0xdbff ? i : i - 1;
    const point = text.codePointAt(high);
    return point !== undefined && point > 0xffff && LETTER_OR_DIGIT.test(String.fromCodePoint(point));
  }
  let known = WORD_TABLE[code]!;
  if (known === 0) {
    known = LETTER_OR_DIGIT.test(String.fromCharCode(code)) ? 1 : 2;
    WORD_TABLE[code] = known;
  }
  return known === 1;
}
