/**
 * Smart typography for rendered Markdown text, per page language.
 *
 * `typographicQuotes` in normalize/clean-text.ts works on one whole string (titles). A Markdown block
 * reaches the renderer as several text tokens split by emphasis, links, code and inline HTML, and a
 * quote often opens in one token and closes in another (`"**Wir** gehen"`), so quotes are paired over
 * the block's text segments together, with the segments that must not change (code, autolinks,
 * escaped characters) standing in as opaque word characters:
 *
 *   smartenQuotes(['"', "Wir", ' gehen", sagte er.'], [true, true, true], "de")
 *   -> ["„", "Wir", " gehen“, sagte er."]
 *
 * Dashes and ellipses are local to a token: `smartenDashes("a -- b... c---d")` -> "a – b… c—d".
 */
import type { QuoteStyle } from "../util/quote-styles.js";

export { quoteStyleFor, type QuoteStyle } from "../util/quote-styles.js";

const DASHES = /-{2,3}|\.\.\./g;

/** `---` -> em dash, `--` -> en dash, `...` -> ellipsis (longer runs of hyphens are left alone). */
export function smartenDashes(text: string): string {
  if (!text.includes("--") && !text.includes("...")) return text;
  return text.replace(DASHES, (m, offset: number, whole: string) => {
    if (m[0] === "-" && (whole[offset - 1] === "-" || whole[offset + m.length] === "-")) return m;
    return m === "..." ? "…" : m === "---" ? "—" : "–";
  });
}

const QUOTE_CHARS = /["']/g;
const SPACE = /\s/u;
const WORD = /[\p{L}\p{N}]/u;
/** Characters after which a quote opens: space, opening brackets, dashes, slash, other quotes. */
const OPENING_CONTEXT = /[\s([{\-–—/„“‘‚«‹"']/u;

/**
 * Straight quotes in a run of text segments to the language's typographic quotes, apostrophes to ’.
 * Segments with `convert[k]` false only give context and come back unchanged: pass a stand-in for
 * them (a letter for code or an image, a space for a line break). A double quote that finds no
 * partner stays straight (a wrong guess is worse); a lone single quote is an apostrophe (’90s).
 */
export function smartenQuotes(segments: readonly string[], convert: readonly boolean[], style: QuoteStyle): string[] {
  let joined = "";
  const starts: number[] = [];
  for (let k = 0; k < segments.length; k++) {
    starts.push(joined.length);
    joined += segments[k]!;
  }
  const at = (i: number): string => (i < 0 || i >= joined.length ? " " : joined[i]!);
  const isSpace = (c: string): boolean => SPACE.test(c);
  const isFrenchSpace = (c: string): boolean => c === " " || c === "\u00A0";
  const french = style.open.endsWith("\u00A0");
  let segment = 0; // quotes come in order: the segment index only moves forward
  const convertible = (i: number): boolean => {
    while (segment + 1 < starts.length && starts[segment + 1]! <= i) segment++;
    return convert[segment] === true;
  };
  /** Position in `joined` -> replacement ("" removes a space inside French guillemets). */
  const replace = new Map<number, string>();
  const doubles: number[] = [];
  const singles: number[] = [];

  QUOTE_CHARS.lastIndex = 0;
  for (let m = QUOTE_CHARS.exec(joined); m !== null; m = QUOTE_CHARS.exec(joined)) {
    const i = m.index;
    if (!convertible(i)) continue;
    const single = m[0] === "'";
    const prev = at(i - 1);
    const after = at(i + 1);
    if (single && WORD.test(prev) && WORD.test(after)) {
      replace.set(i, "’"); // it's, l'homme, don't
      continue;
    }
    // French typists often put spaces inside the quotes: look past one.
    const next = french && isFrenchSpace(after) && !isSpace(at(i + 2)) ? at(i + 2) : after;
    const before = french && isFrenchSpace(prev) && i >= 2 && !isSpace(at(i - 2)) ? at(i - 2) : prev;
    const canOpen = OPENING_CONTEXT.test(prev) && !isSpace(next);
    const canClose = !isSpace(before) && !WORD.test(after);
    const stack = single ? singles : doubles;
    if (canClose && stack.length > 0) {
      const open = stack.pop()!;
      const inner = single || stack.length % 2 === 1;
      replace.set(open, inner ? style.innerOpen : style.open);
      replace.set(i, inner ? style.innerClose : style.close);
      if (french && !inner) {
        if (isFrenchSpace(at(open + 1))) replace.set(open + 1, "");
        if (isFrenchSpace(prev)) replace.set(i - 1, "");
      }
    } else if (canOpen) {
      stack.push(i);
    } else if (single) {
      replace.set(i, "’");
    }
  }
  for (const open of singles) replace.set(open, "’");
  if (replace.size === 0) return segments.slice();

  const edits = [...replace.keys()].sort((a, b) => a - b);
  const out: string[] = [];
  let e = 0;
  for (let k = 0; k < segments.length; k++) {
    const text = segments[k]!;
    const base = starts[k]!;
    const end = base + text.length;
    if (!convert[k] || e >= edits.length || edits[e]! >= end) {
      while (e < edits.length && edits[e]! < end) e++; // a space removal that fell on a stand-in
      out.push(text);
      continue;
    }
    let result = "";
    let last = 0;
    for (; e < edits.length && edits[e]! < end; e++) {
      const j = edits[e]! - base;
      result += text.slice(last, j) + replace.get(edits[e]!)!;
      last = j + 1;
    }
    out.push(result + text.slice(last));
  }
  return out;
}
