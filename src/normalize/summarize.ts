import type { TextBlock } from "../util/markdown-text.js";

export const SUMMARY_MAX_CHARS = 200;

/**
 * Abbreviations after which a full stop does not end a sentence. Lowercased, without the dot.
 * Ordinals ("13. Februar") are caught by the digit rule instead.
 */
const ABBREVIATIONS = new Set([
  // de
  "bzw", "ca", "dr", "prof", "nr", "st", "usw", "vgl", "z", "b", "u", "a", "d", "h", "inkl", "ggf", "evtl", "jh", "mio", "mrd", "abs", "str",
  // en
  "mr", "mrs", "ms", "jr", "sr", "vs", "etc", "e", "g", "i", "no", "gen", "gov", "sen", "rep", "lt", "col", "inc", "ltd", "co", "corp", "dept",
  // fr / es
  "m", "mme", "mlle", "sr", "sra", "av", "p", "env",
]);

/**
 * The first paragraph cut at a sentence boundary, at most SUMMARY_MAX_CHARS characters:
 * as many whole sentences as fit; a first sentence longer than that is cut at a word, with "…".
 */
export function summarize(blocks: readonly TextBlock[]): string {
  const first = blocks.find((block) => block.kind === "paragraph" && block.text.length >= 20) ?? blocks.find((b) => b.text !== "");
  if (!first) return "";
  return cutAtSentence(first.text, SUMMARY_MAX_CHARS);
}

export function cutAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  let best = -1;
  for (const end of sentenceEnds(text)) {
    if (end > max) break;
    best = end;
  }
  if (best > 0) return text.slice(0, best).trim();
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:–—-]+$/, "") + "…";
}

/** Offsets just after each sentence-final punctuation (and closing quotes). */
export function* sentenceEnds(text: string): Generator<number> {
  const pattern = /[.!?…]+["“”»«‘’)]*(?=\s+["„“«‘(]?[\p{Lu}\p{N}]|\s*$)/gu;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const at = match.index;
    if (match[0].startsWith(".") && !isSentenceStop(text, at)) continue;
    yield at + match[0].length;
  }
}

function isSentenceStop(text: string, dot: number): boolean {
  const before = text.slice(Math.max(0, dot - 12), dot);
  const word = /([\p{L}\p{N}]+)$/u.exec(before)?.[1];
  if (!word) return true;
  if (/^\p{N}{1,2}$/u.test(word)) return false; // ordinals: "13. Februar", "2. Runde" (but "2017." ends one)
  if (word.length === 1) return false; // initials: "Donald J. Trump", "U.S."
  return !ABBREVIATIONS.has(word.toLowerCase());
}
