import { foldText } from "../util/text.js";

/**
 * Tokens for entity matching: runs of letters, digits and combining marks; everything else
 * (spaces, hyphens, apostrophes, dots, dashes) separates words. The same tokenizer reads aliases
 * and text, so "Saudi-Arabien" ~ "Saudi Arabien", "Washington, D.C." -> "washington d c",
 * and "l’OTAN" yields "l", "OTAN".
 *   Input: "Trump’s NATO-Gipfel"  Output: raws ["Trump", "s", "NATO", "Gipfel"], keys ["trump", "s", "nato", "gipfel"]
 * U+00AD (soft hyphen) stays inside a token and folds away, so "Selen\u00ADskyj" ~ "Selenskyj".
 */
const TOKEN = /[\p{L}\p{N}\p{M}\u00ad]+/gu;

export interface Tokens {
  /** Folded tokens (`foldText` semantics): what aliases are looked up by. */
  readonly keys: string[];
  /** Tokens as written: case-sensitive aliases (`EU`, `X`) compare these. */
  readonly raws: string[];
}

/** Splits text into tokens, folded and as written (one pass, linear in the text). */
export function tokenize(text: string): Tokens {
  const keys: string[] = [];
  const raws: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    raws.push(raw);
    keys.push(foldToken(raw));
  }
  return { keys, raws };
}

/** Position of one token in a text: `[start, end)`, and whether it is plain ASCII. */
export interface TokenCursor {
  start: number;
  end: number;
  ascii: boolean;
}

/**
 * The matcher's hot loop: finds the next token of `lower` (the text after `toLowerCase()`, same
 * length as the text) at or after `from`, without building arrays. Same token rule as `tokenize`.
 * Returns false when there is none.
 */
export function nextToken(lower: string, from: number, cursor: TokenCursor): boolean {
  const classes = charClasses();
  const length = lower.length;
  let i = from;
  // Skip separators.
  while (i < length) {
    const code = lower.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff) {
      if (classes[code] === 1) break;
      i++;
    } else if (isAstralWordChar(lower, i)) break;
    else i += (lower.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  }
  if (i >= length) return false;
  cursor.start = i;
  let ascii = true;
  while (i < length) {
    const code = lower.charCodeAt(i);
    if (code < 128) {
      if (classes[code] !== 1) break;
      i++;
    } else if (code < 0xd800 || code > 0xdbff) {
      if (classes[code] !== 1) break;
      ascii = false;
      i++;
    } else if (isAstralWordChar(lower, i)) {
      ascii = false;
      i += 2;
    } else break;
  }
  cursor.end = i;
  cursor.ascii = ascii;
  return true;
}

/** Folded key of the token at `cursor` in the lowercased text. */
export function keyAt(lower: string, cursor: TokenCursor): string {
  const token = lower.slice(cursor.start, cursor.end);
  return cursor.ascii ? token : foldNonAscii(token);
}

function isAstralWordChar(text: string, index: number): boolean {
  const codePoint = text.codePointAt(index)!;
  return codePoint > 0xffff && WORD_CHAR.test(String.fromCodePoint(codePoint));
}

const WORD_CHAR = /^[\p{L}\p{N}\p{M}\u00ad]$/u;
let CHAR_CLASSES: Uint8Array | undefined;

/** 1 for BMP characters that belong to tokens (`TOKEN`), else 0. Built once, on first use. */
function charClasses(): Uint8Array {
  if (CHAR_CLASSES) return CHAR_CLASSES;
  const classes = new Uint8Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    if (WORD_CHAR.test(String.fromCharCode(code))) classes[code] = 1;
  }
  CHAR_CLASSES = classes;
  return classes;
}

/** The lookup key of an alias or label: folded tokens joined by one space ("Weißes Haus" -> "weisses haus"). */
export function aliasKey(text: string): string {
  return tokenize(text).keys.join(" ");
}

/**
 * Short all-caps aliases (`X`, `EU`, `USA`, `CIA`, `U.S.`, `G20`) are matched case-sensitively:
 * folded, they would be ordinary words ("x", French "eu", Spanish "usa").
 */
export function isCaseSensitiveAlias(alias: string): boolean {
  const letters = alias.replace(/[^\p{L}\p{N}]/gu, "");
  return letters.length > 0 && letters.length <= 4 && /\p{Lu}/u.test(letters) && !/\p{Ll}/u.test(letters);
}

/**
 * `foldText` for one token, fast: ASCII is only lowercased, other letters up to U+052F
 * (Latin, Greek, Cyrillic) use a table built from `foldText` itself; anything else falls back
 * to `foldText`. Results equal `foldText(token)` except Greek final sigma, which is excluded
 * from the table and so also goes through `foldText`.
 */
export function foldToken(token: string): string {
  for (let i = 0; i < token.length; i++) {
    if (token.charCodeAt(i) > 127) return foldNonAscii(token);
  }
  return token.toLowerCase();
}

function foldNonAscii(token: string): string {
  const table = foldTable();
  let out = "";
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code < 128) {
      out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : token[i];
      continue;
    }
    const folded = code < table.length ? table[code] : undefined;
    if (folded === undefined) return foldText(token).replace(/\u00ad/g, "");
    out += folded;
  }
  return out;
}

const TABLE_END = 0x0530;
let FOLD_TABLE: readonly (string | undefined)[] | undefined;

/** Built once, on first use, then never changed. */
function foldTable(): readonly (string | undefined)[] {
  if (FOLD_TABLE) return FOLD_TABLE;
  const table: (string | undefined)[] = new Array<string | undefined>(TABLE_END).fill(undefined);
  for (let code = 128; code < TABLE_END; code++) table[code] = foldText(String.fromCharCode(code));
  table[0x00ad] = "";
  // Σ lowercases by context (σ or word-final ς): leave it to foldText on the whole token.
  table[0x03a3] = undefined;
  FOLD_TABLE = table;
  return table;
}
