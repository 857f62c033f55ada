/**
 * A language's vocabulary in every slice of its search index (see search-slices.ts), so that the
 * slices answer a query as one index would.
 *
 * Pagefind matches a term against the indexed words that start with its stem, and when no word
 * does, against the longest indexed word the stem starts with ("Anleihen" finds "an"). Each
 * merged slice decides that alone: a word that only one slice holds found its pages there and
 * loose matches in every other slice (10,000 German pages in 8 slices: 7,930 results for
 * "Anleihen" instead of 1). With a record in every slice that holds every word of the language's
 * indexed text, each slice has the words one index has, so no slice falls back unless one index
 * would: results are one index's, slice by slice. The article pages carry the filter `gazette:
 * article` and the search page searches only those (templates/assets/search.js), so the record,
 * which has no filter, is never a result. (It has none rather than a value of its own: Pagefind
 * writes a filter's values in hash-map order, so two values would give different bytes from
 * build to build.)
 *
 * The record must be the same in a warm build as in a cold one: a slice is reused from the last
 * build only while its language's vocabulary is unchanged (output/search-reuse.ts); an edit that
 * adds or removes a word of the language indexes every slice of it again.
 */
import { decodeCharRefs } from "../render/sanitize-html.js";

/** The filter that tells articles from the vocabulary records (templates/assets/search.js searches `gazette: article`). */
const ARTICLE_FILTER = "gazette:article";

/** Words by language code (a page's `<html lang>`, as Pagefind splits its index). */
export type WordsByLanguage = Map<string, Set<string>>;
/** A slice's words by language code, as collected or as the page state keeps them (sorted lists). */
export type SliceWords = ReadonlyMap<string, Iterable<string>>;

/** Elements Pagefind leaves out of what it indexes (with their content). */
const EXCLUDED = /<(footer|nav|form|label|svg|script|style|noscript|iframe|template)\b[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;
/** Blocks Pagefind reads as sentences, and <br>: a space for their tags. The text on both sides of any other tag is joined ("<em>Bundes</em>regierung" is one word to it). */
const SPACED_TAG = /<\/?(?:h[1-6]|p|td|div|ul|li|article|section|br)\b[^>]*>/gi;
const ANY_TAG = /<[^>]*>/g;
const WHITESPACE = /\s+/;
/**
 * Characters at a word's ends that Pagefind drops too: it removes every character but Rust's
 * `\w` (letters, marks, digits, connectors) before stemming, so "Alaska." and "(Alaska" are
 * "alaska" to it. Dropping them here keeps a sentence's punctuation from changing the
 * vocabulary; inside a word they stay (Pagefind splits "Ukraine-Krieg" into parts itself).
 */
const EDGE_PUNCTUATION = /^[^\p{L}\p{M}\p{N}\p{Pc}\u200c\u200d]+|[^\p{L}\p{M}\p{N}\p{Pc}\u200c\u200d]+$/gu;

/**
 * The words of the text Pagefind indexes in a page, read as Pagefind reads it: the
 * `data-pagefind-body` element (or the body) without the elements it leaves out, tags removed
 * (a space for a block's, none for an inline element's), with the attributes a theme has it
 * index, split at whitespace, lowercased, without punctuation at their ends. A word Pagefind indexes that is missing here would let a
 * slice fall back to loose matches for it; one too many costs only size.
 */
export function indexedWords(html: string, into: Set<string> = new Set()): Set<string> {
  const region = indexedRegion(html).replace(EXCLUDED, " ");
  const text = decodeCharRefs(`${region.replace(SPACED_TAG, " ").replace(ANY_TAG, "")} ${indexedAttributes(region)}`);
  // Each distinct token once (a page repeats most of its words).
  for (const token of new Set(text.split(WHITESPACE))) {
    if (token === "") continue;
    let word = token.toLowerCase();
    if (!plainEnd(word.charCodeAt(0)) || !plainEnd(word.charCodeAt(word.length - 1))) word = word.replace(EDGE_PUNCTUATION, "");
    if (word !== "") into.add(word);
  }
  return into;
}

/** The values of the attributes a theme asks Pagefind to index (`data-pagefind-index-attrs="title,alt"`), one space apart. */
function indexedAttributes(region: string): string {
  if (!region.includes("data-pagefind-index-attrs")) return "";
  const values: string[] = [];
  for (const [tag, names] of region.matchAll(/<[^>]*\sdata-pagefind-index-attrs="([^"]*)"[^>]*>/gi)) {
    for (const name of names!.split(",").map((each) => each.trim().replace(/[^\w-]/g, ""))) {
      const value = name === "" ? undefined : new RegExp(`\\s${name}="([^"]*)"`, "i").exec(tag)?.[1];
      if (value) values.push(value);
    }
  }
  return values.join(" ");
}

/** A lowercase letter or digit of Latin-1, which no punctuation test needs to look at (the common case, checked quickly). */
function plainEnd(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0xdf && code <= 0xff && code !== 0xf7);
}

/** The element marked `data-pagefind-body`, to its end tag (or to the end of the body: Pagefind indexes the body without one). */
function indexedRegion(html: string): string {
  const [start, end] = indexedRegionBounds(html);
  return html.slice(start, end);
}

/** Where `indexedRegion` starts and ends in the page. */
function indexedRegionBounds(html: string): [start: number, end: number] {
  const marker = html.indexOf("data-pagefind-body");
  const bodyEnd = html.lastIndexOf("</body");
  const end = bodyEnd >= 0 ? bodyEnd : html.length;
  if (marker < 0) return [Math.max(html.search(/<body\b/i), 0), end];
  const start = html.lastIndexOf("<", marker);
  const name = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(start, start + 40))?.[1]?.toLowerCase();
  if (!name) return [start, end];
  // Its end tag: the first one that closes as many of its kind as were opened since.
  const kind = new RegExp(`<(/?)${name}\\b`, "gi");
  kind.lastIndex = start + 1;
  let depth = 1;
  for (let match = kind.exec(html); match !== null && match.index < end; match = kind.exec(html)) {
    depth += match[1] === "/" ? -1 : 1;
    if (depth === 0) return [start, match.index];
  }
  return [start, end];
}

/**
 * What Pagefind makes a page's part of the index from, to tell whether it changed: the start tag
 * of the html element (the language), the <title>, and the region it indexes; the whole page when
 * a `data-pagefind-` attribute outside that region (metadata or filters, which Pagefind takes from
 * anywhere, or a second body) could change it too. A page whose related list or navigation changed
 * gives Pagefind the same input (the same index files: tests compare with a build without the cache).
 */
export function indexedInput(html: string): string {
  const [start, end] = indexedRegionBounds(html);
  const before = html.slice(0, start);
  const after = html.slice(end);
  // The region's own marker is before `start + 1`; any other one counts.
  if (before.includes("data-pagefind-") || after.includes("data-pagefind-")) return html;
  const htmlTag = /<html\b[^>]*>/i.exec(before)?.[0] ?? "";
  const title = /<title\b[^>]*>[\s\S]*?<\/title\s*>/i.exec(before)?.[0] ?? "";
  return `${htmlTag}\u0000${title}\u0000${html.slice(start, end)}`;
}

/** A language's words by code: the union of its slices' words. */
export function languageWords(slices: Iterable<SliceWords>): WordsByLanguage {
  const union: WordsByLanguage = new Map();
  for (const slice of slices) {
    for (const [code, words] of slice) {
      let set = union.get(code);
      if (!set) union.set(code, (set = new Set()));
      for (const word of words) set.add(word);
    }
  }
  return union;
}

/** Whether two languages' words are the same, code by code. */
export function sameWords(a: WordsByLanguage, b: WordsByLanguage): boolean {
  if (a.size !== b.size) return false;
  for (const [code, words] of a) {
    const other = b.get(code);
    if (other?.size !== words.size) return false;
    for (const word of words) if (!other.has(word)) return false;
  }
  return true;
}

/** The vocabulary record of each language code: its words in code unit order, one space apart (the same words give the same bytes). */
export function vocabularyRecords(words: WordsByLanguage): Map<string, string> {
  const records = new Map<string, string>();
  // sort() without a comparer orders strings by UTF-16 code units, whatever the locale.
  for (const code of [...words.keys()].sort()) records.set(code, [...words.get(code)!].sort().join(" "));
  return records;
}

/**
 * The page as Pagefind is given it: with the filter that marks it an article, as an empty element
 * at the start of what Pagefind indexes (the written page is not changed).
 */
export function withArticleFilter(html: string): string {
  const marker = html.indexOf("data-pagefind-body");
  const at = marker >= 0 ? marker : html.search(/<body\b/i);
  const tagEnd = at >= 0 ? html.indexOf(">", at) : -1;
  const element = `<span data-pagefind-filter="${ARTICLE_FILTER}"></span>`;
  return tagEnd < 0 ? element + html : html.slice(0, tagEnd + 1) + element + html.slice(tagEnd + 1);
}

/** Sets of words as sorted lists, for the page state. */
export function wordsForState(words: WordsByLanguage | undefined): Record<string, string[]> {
  const state: Record<string, string[]> = {};
  for (const code of [...(words?.keys() ?? [])].sort()) state[code] = [...words!.get(code)!].sort();
  return state;
}
