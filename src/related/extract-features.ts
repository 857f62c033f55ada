import type { Article } from "../types.js";
import { markdownOf } from "../util/article-markdown.js";
import { splitBlocks } from "../util/markdown-text.js";
import { hashText } from "../util/hash.js";
import { FNV_OFFSET, FNV_PRIME } from "../util/fnv.js";
import { vocabularyFor, type Vocabulary } from "./stem.js";

/**
 * What `computeRelated` needs of one article version, and nothing else: no body, so that 200,000
 * versions fit in little memory. Made by `extractRelatedFeatures`, which is pure and cheap enough to
 * run inside the normalize workers. Arrays are short (at most `MAX_TERMS` terms) and parallel.
 *
 *   { id: "trump-putin-telefonat/de", storyKey: "trump-putin-telefonat", lang: "de", time: 1747…,
 *     entities: ["donald-trump", "vladimir-putin"], entityNames: ["Donald Trump", "Wladimir Putin"], entityCounts: [7, 5],
 *     topics: ["ukraine-krieg"], topicNames: ["Ukraine-Krieg"],
 *     terms: "telefonat waffenruh …", termCounts: [9, 6, …], pins: [], exclude: [] }
 */
export interface RelatedDoc {
  /** Article id, `<storyKey>/<lang>`. */
  readonly id: string;
  readonly storyKey: string;
  readonly lang: string;
  /** Publication instant, ms since the epoch. */
  readonly time: number;
  /** Canonical entity ids (the same in every language), sorted, with their names in this language and counts. */
  readonly entities: readonly string[];
  readonly entityNames: readonly string[];
  readonly entityCounts: readonly number[];
  /** Tag ids (entity id or folded tag text), sorted, with display names in this language. */
  readonly topics: readonly string[];
  readonly topicNames: readonly string[];
  /**
   * The document's most frequent index terms (folded stems, never containing a space), most frequent first,
   * joined by spaces: one string instead of 32 keeps 200,000 documents light for the garbage collector.
   * `termsOf(doc)` splits them; `termCounts` holds their frequencies in the same order.
   */
  readonly terms: string;
  readonly termCounts: readonly number[];
  /** Story keys pinned to the top of the related list, and story keys never to list (from frontmatter). */
  readonly pins: readonly string[];
  readonly exclude: readonly string[];
}

/** Terms kept per document: enough for the vocabulary of a story, few enough to keep 200,000 documents small. */
export const MAX_TERMS = 32;
/** Headline words say most about a story: they count this many times. */
const TITLE_WEIGHT = 3;

/**
 * `bodyText`: the body as plain text, when the caller has it already (normalize computes it);
 * otherwise it is derived from the Markdown with `splitBlocks`.
 */
export function extractRelatedFeatures(article: Article, bodyText?: string): RelatedDoc {
  const vocabulary = vocabularyFor(article.lang);
  const counter = new TermCounter(vocabulary);
  counter.add(article.title, TITLE_WEIGHT);
  counter.add(article.summary, 1);
  if (bodyText !== undefined) counter.add(bodyText, 1);
  else for (const block of splitBlocks(markdownOf(article))) counter.add(block.text, 1);
  const top = counter.top(MAX_TERMS);

  const entities = [...article.entities].sort((a, b) => compareStrings(a.id, b.id));
  const topics = new Map<string, string>();
  for (const tag of article.tags) if (!topics.has(tag.id)) topics.set(tag.id, tag.name);
  const topicIds = [...topics.keys()].sort(compareStrings);

  return {
    id: article.id,
    storyKey: article.storyKey,
    lang: article.lang,
    time: Date.parse(article.date),
    entities: entities.map((entity) => entity.id),
    entityNames: entities.map((entity) => entity.name),
    entityCounts: entities.map((entity) => Math.max(1, entity.count)),
    topics: topicIds,
    topicNames: topicIds.map((id) => topics.get(id)!),
    terms: top.terms.join(" "),
    termCounts: top.counts,
    pins: article.relatedPins,
    exclude: article.relatedExclude,
  };
}

/** A digest of a document: equal digests, equal features (a RelatedDoc's key order is fixed). The build cache keeps one per article (see cache/related-cache.ts). */
export function featuresDigest(doc: RelatedDoc): string {
  return hashText(JSON.stringify(doc), 24);
}

/** The terms of a document as a list. */
export function termsOf(doc: Pick<RelatedDoc, "terms">): string[] {
  return doc.terms === "" ? [] : doc.terms.split(" ");
}

/** Term frequencies of one document, by vocabulary id: a reused array instead of a Map per word. */
class TermCounter {
  private static counts = new Int32Array(1 << 16);
  private readonly touched: number[] = [];

  constructor(private readonly vocabulary: Vocabulary) {}

  add(text: string, weight: number): void {
    scanWords(text, (start, end, hash) => this.count(this.vocabulary.idOfRange(text, start, end, hash), weight));
  }

  private count(id: number, weight: number): void {
    if (id < 0) return;
    let counts = TermCounter.counts;
    if (id >= counts.length) {
      counts = new Int32Array(Math.max(id + 1, counts.length * 2));
      counts.set(TermCounter.counts);
      TermCounter.counts = counts;
    }
    if (counts[id] === 0) this.touched.push(id);
    counts[id]! += weight;
  }

  /** The `k` most frequent terms, ties in term order (never by id, which depends on what was read before); clears the counts. */
  top(k: number): { terms: string[]; counts: number[] } {
    const counts = TermCounter.counts;
    const terms = this.vocabulary.terms;
    let selected = this.touched;
    if (selected.length > k) {
      // The k-th largest count, from a histogram; then only the terms at or above it are sorted.
      const histogram = new Int32Array(HISTOGRAM_SIZE);
      for (const id of selected) histogram[Math.min(counts[id]!, HISTOGRAM_SIZE - 1)]!++;
      let bucket = HISTOGRAM_SIZE - 1;
      for (let seen = histogram[bucket]!; seen < k; seen += histogram[bucket]!) bucket--;
      selected = selected.filter((id) => counts[id]! >= bucket);
    }
    selected = selected.sort((x, y) => counts[y]! - counts[x]! || compareStrings(terms[x]!, terms[y]!)).slice(0, k);
    const result = { terms: selected.map((id) => terms[id]!), counts: selected.map((id) => counts[id]!) };
    for (const id of this.touched) counts[id] = 0;
    return result;
  }
}

const HISTOGRAM_SIZE = 256;

/**
 * Calls `visit` with each word of `text`: runs of letters, marks and digits ("G7", "Ukraine-Krieg" -> "Ukraine",
 * "Krieg", "l’accord" -> "l", "accord"). A hand-written scan: a Unicode-class regex costs four times as much.
 * Non-ASCII code units count as letters except the punctuation and symbol blocks that separate words.
 */
export function forEachWord(text: string, visit: (word: string) => void): void {
  scanWords(text, (start, end) => visit(text.slice(start, end)));
}

/** The scan behind `forEachWord`: word bounds and the FNV-1a hash of the word's code units, with no substring. */
export function scanWords(text: string, visit: (start: number, end: number, hash: number) => void): void {
  let start = -1;
  let hash = FNV_OFFSET;
  const length = text.length;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? text.charCodeAt(i) : 32;
    if (code < 128 ? ASCII_WORD[code] === 1 : !isSeparator(code)) {
      if (start < 0) {
        start = i;
        hash = FNV_OFFSET;
      }
      hash = Math.imul(hash ^ code, FNV_PRIME);
    } else if (start >= 0) {
      visit(start, i, hash);
      start = -1;
    }
  }
}

const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII_WORD[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;
}

/** Latin-1 punctuation and symbols, ×, ÷, general punctuation (dashes, quotes, spaces), CJK and full-width punctuation. */
function isSeparator(code: number): boolean {
  return (
    (code >= 0x80 && code <= 0xbf) ||
    code === 0xd7 ||
    code === 0xf7 ||
    (code >= 0x2000 && code <= 0x206f) ||
    (code >= 0x20a0 && code <= 0x20cf) ||
    (code >= 0x2190 && code <= 0x2bff) ||
    (code >= 0x3000 && code <= 0x303f) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff0f) ||
    (code >= 0xff1a && code <= 0xff20)
  );
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
