/**
 * Unicode and whitespace hygiene for text from scraped sources.
 * Input:  "\uFEFFTrump\u200B und  Putin\r\n"   Output: "Trump und Putin\n"
 */
import { quoteStyleFor } from "../util/quote-styles.js";
import { wellFormed } from "../util/text.js";

/** Zero-width and invisible formatting characters that only ever cause trouble in news text. */
const INVISIBLE = /[\u200B\u200C\u200D\u2060\uFEFF\u00AD]/g;
/** Bidi embeddings/overrides/isolates: they can make a headline display as something it is not. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** C0/C1 control characters except tab and newline, and Unicode noncharacters: HTML and XML forbid them. */
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]/g;

export interface CleanResult {
  text: string;
  /** Bidi override characters were present (worth a warning: they can disguise text). */
  hadBidiControls: boolean;
}

/** For bodies: line structure kept (Markdown needs it), everything invisible removed. */
export function cleanBody(text: string): CleanResult {
  // Most bodies need none of the passes below; one search tells (each pass scanned the whole
  // text: ~0.5 s of each loading thread at 10,000 stories).
  const dirty = TO_REMOVE.test(text);
  const hadBidiControls = dirty && BIDI_CONTROL.test(text);
  let cleaned = wellFormed(text);
  if (dirty) cleaned = cleaned.replace(/\r\n?/g, "\n").replace(INVISIBLE, "").replace(BIDI_CONTROLS, "").replace(CONTROLS, "");
  cleaned = cleaned.normalize("NFC");
  // Runs of no-break spaces come from HTML `&nbsp;&nbsp;` layout: one space. A single one is
  // deliberate typography (French « guillemets », "10 km") and stays.
  if (cleaned.indexOf("\u00A0") !== cleaned.lastIndexOf("\u00A0")) {
    cleaned = cleaned.replace(SPACE_RUN, (run) => (run.indexOf("\u00A0") !== run.lastIndexOf("\u00A0") ? " " : run));
  }
  // The last line's trailing spaces go with trimEnd() below.
  if (LINE_END_SPACE.test(cleaned)) cleaned = trimLineEnds(cleaned);
  if (cleaned.includes("\n\n\n")) cleaned = cleaned.replace(/\n{3,}/g, "\n\n");
  return { text: cleaned.replace(/^\n+/, "").trimEnd() + "\n", hadBidiControls };
}

/** What cleanBody removes or replaces: a carriage return, or a character INVISIBLE, BIDI_CONTROLS or CONTROLS match. */
const TO_REMOVE = /[\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069\uFDD0-\uFDEF\uFFFE\uFFFF]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const LINE_END_SPACE = /[ \t]\n/;

/**
 * Spaces, no-break spaces and narrow no-break spaces, two or more. Written so that no pattern here
 * backtracks: `[ \u00A0]*\u00A0…` or `[ \t]+$` take quadratic time on a line indented by thousands of
 * spaces (a hostile list took 80 s), so runs are matched whole and judged in code.
 */
const SPACE_RUN = /[ \u00A0\u202F]{2,}/g;

/**
 * Trailing spaces and tabs cut from every line, except a plain two-or-more-space run, which is a
 * Markdown hard line break and becomes exactly two spaces.
 */
function trimLineEnds(text: string): string {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let end = line.length;
    while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--;
    if (end === line.length) continue;
    const trailing = line.slice(end);
    lines[i] = line.slice(0, end) + (trailing.length >= 2 && !trailing.includes("\t") ? "  " : "");
  }
  return lines.join("\n");
}

/** For one-line values (title, names, dateline): single spaces, no line breaks. */
export function cleanLine(text: string): CleanResult {
  const hadBidiControls = BIDI_CONTROLS.test(text);
  BIDI_CONTROLS.lastIndex = 0;
  const cleaned = wellFormed(text)
    .replace(INVISIBLE, "")
    .replace(BIDI_CONTROLS, "")
    .replace(CONTROLS, " ")
    .normalize("NFC")
    .replace(/[\s\u00A0]{2,}/g, " ")
    .replace(/[\r\n\t]/g, " ")
    .trim();
  return { text: cleaned, hadBidiControls };
}

/**
 * Straight quotes to the language's typographic ones; apostrophes to ’. Quotes already typographic
 * are left alone, and an unpaired straight quote stays straight rather than guess.
 *   de: He said "yes" -> He said „yes“;  en: it's -> it’s;  fr: "oui" -> « oui »
 */
export function typographicQuotes(text: string, lang: string): string {
  if (!text.includes('"') && !text.includes("'")) return text;
  const style = quoteStyleFor(lang);
  let out = text.replace(/(\p{L})'(\p{L})/gu, "$1’$2").replace(/(\p{L}s)'(?=\s|$)/gu, "$1’");
  out = replacePairs(out, '"', style.open, style.close);
  out = replacePairs(out, "'", style.innerOpen, style.innerClose);
  return out;
}

/** Pairs up straight quotes left to right: an opening one follows start/space/bracket. */
function replacePairs(text: string, quote: string, open: string, close: string): string {
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === quote) positions.push(i);
  if (positions.length === 0 || positions.length % 2 !== 0) return text;
  let out = "";
  let last = 0;
  for (let k = 0; k < positions.length; k += 2) {
    const a = positions[k]!;
    const b = positions[k + 1]!;
    const before = a === 0 ? " " : text[a - 1]!;
    const after = b + 1 >= text.length ? " " : text[b + 1]!;
    if (!/[\s([{\-–—/]/.test(before) || /\p{L}|\p{N}/u.test(after)) return text;
    out += text.slice(last, a) + open + text.slice(a + 1, b).trim() + close;
    last = b + 1;
  }
  return out + text.slice(last);
}
