import type { RelatedConfig } from "../config/site-config.js";
import type { RelatedEntry, RelatedMap, RelatedReason } from "../types.js";
import { compareStrings, type RelatedDoc } from "./extract-features.js";
import { ENTITIES, internFeatures, TEXT, TOPICS, type FeatureRows } from "./feature-rows.js";

/**
 * Related articles for every version, explained.
 *
 * Score of a candidate b for an article a, in 0..1 (weights w normalized to sum 1):
 *
 *   score(a, b) = w.entities · sim(E_a, E_b) + w.topics · sim(T_a, T_b) + w.text · sim(X_a, X_b) + w.time · 2^(−days(a, b) / halfLifeDays)
 *
 *   E: entity vectors, (1 + ln count) · idf;  T: topic (tag) vectors, idf;  X: term vectors, (1 + ln tf) · idf
 *   idf(f) = ln(1 + N / df(f)), N and df counted in stories for entities and topics (their ids are canonical
 *   across languages; a translation is no new evidence) and in a's language's versions for terms.
 *   sim(A, B) = A·B / (√(|A|² + c) · √(|B|² + c)): a cosine in which every vector also has one unshared
 *   background feature of weight √c, c = idf(1 % of N)², so that one shared common feature ("Hamburg",
 *   "Europa") is weak evidence, while several shared rare ones score close to their cosine.
 *
 * A content signal that cannot apply to a pair (text across languages; entities or topics when either article
 * has none) passes its weight on to the content signals that do (see `pairWeights`).
 *
 * Each sim is of non-negative vectors, so each signal lies in 0..1. Every contribution is rounded to
 * millionths and summed as integers, so no float summation order can reorder a list.
 *
 * Scale (never all pairs): one inverted index, feature -> postings sorted by date. A feature in more than
 * `maxShare` of its stories ("Deutschland", "sagte") or in one story only generates no candidates, though
 * it still counts in scores. For each article, its `queryFeatures` strongest features each read at most
 * `window` postings on either side of the article's date, accumulating a partial score; the best
 * `candidateFactor · limit` candidates per language group are then scored exactly. Work per article is
 * bounded, so time grows linearly with the number of articles.
 *
 * Lists: pins first (story keys from frontmatter, unioned over the story's versions), then own-language
 * candidates whose shared part (the score without time) reaches the threshold, then, only if the list is
 * still short, versions in other languages (one per story, marked `fallbackLang`). Never the article's
 * story, never an excluded story, at most `limit` entries. Order: score desc, date desc, id asc.
 */
export interface RelatedOptions extends RelatedConfig {
  /** Article ids to compute lists for (`gazette related KEY`, a dev rebuild); default: every document. */
  only?: readonly string[];
  /**
   * Itemize each entry's reasons (shared entities, topics, terms, days apart). Default true. Pages only need
   * the ids: a build of 200,000 versions saves a million small reason lists by passing false (reasons: [],
   * one shared frozen array).
   */
  explain?: boolean;
  tuning?: Partial<RelatedTuning>;
}

export interface RelatedTuning {
  /**
   * A feature in more than this share of its scope (stories for entities and topics, the language's
   * versions for terms) generates no candidates. Default 0.2.
   */
  maxShare: number;
  /** ... but only once it is in more than this many, so that small sites keep every feature. Default 50. */
  minCommon: number;
  /** Rarity (share of the scope) of the background feature that discounts weak evidence (see `background`). Default 0.01. */
  evidenceShare: number;
  /** Features of an article that look for candidates: its strongest non-common ones, by weighted weight. Default 12. */
  queryFeatures: number;
  /** Postings read per query feature on either side of the article's date. Default 12. */
  window: number;
  /** Candidates scored exactly, per language group, as a multiple of `limit` (at least 8). Default 2. */
  candidateFactor: number;
}

export const defaultTuning = {
  maxShare: 0.2,
  minCommon: 50,
  evidenceShare: 0.01,
  queryFeatures: 12,
  window: 12,
  candidateFactor: 2,
} satisfies RelatedTuning;

const SIGNAL_NAMES = ["entities", "topics", "text", "time"] as const;
export const MICRO = 1_000_000;
const DAY_MS = 86_400_000;
/** Details listed per signal in a reason. */
const MAX_DETAILS = 8;

/**
 * `margins`, when given (arrays of the documents' length, in `docs`' order): each list's margins
 * (see `ListMargins`), for a later delta build to tell which lists new weights cannot change.
 */
export function computeRelated(docs: readonly RelatedDoc[], options: RelatedOptions, index: RelatedIndex = buildRelatedIndex(docs, options), margins?: ListMargins): RelatedMap {
  const result = new Map<string, readonly RelatedEntry[]>();
  const search = new CandidateSearch(index);
  const only = options.only ? new Set(options.only) : null;
  // Articles in index order (date, then id): neighbouring articles read neighbouring postings, which stay in cache.
  for (let doc = 0; doc < index.n; doc++) {
    if (only && !only.has(index.docs[doc]!.id)) continue;
    result.set(index.docs[doc]!.id, search.relatedOf(doc));
    if (margins) {
      margins.query[index.inputOf[doc]!] = search.queryGap;
      margins.heap[index.inputOf[doc]!] = search.heapGap;
      margins.score[index.inputOf[doc]!] = search.scoreGap;
    }
  }
  return result;
}

/**
 * How far a list is from changing, per document: when each of its article's query weights (see
 * `selectQuery`) moves by less than half its `query` margin, every candidate's partial score by
 * less than half its `heap` margin and every exact score (in millionths) by less than half its
 * `score` margin, its query features, its candidates, their order and which reach the threshold
 * stay as they are, so the list does (see related/affected-lists.ts). Infinity: no such bound
 * (too few features or candidates); 0: any change can change the list (ties, pins).
 */
export interface ListMargins {
  readonly query: Float64Array;
  readonly heap: Float64Array;
  readonly score: Float64Array;
}

/**
 * The lists of the documents at `positions` (document numbers, rising), a block of `blockSize` at a
 * time as `claim` hands out block numbers (rising; past the last block: done), each given to
 * `put(slot, entries)` for `positions[slot]`: what each thread runs when the lists are computed on
 * several (see related-on-cores.ts). A thread's blocks rise, so its search's cursors only move forward.
 */
export function computeBlocks(index: RelatedIndex, positions: Int32Array, blockSize: number, claim: () => number, put: (slot: number, entries: RelatedEntry[]) => void): void {
  const search = new CandidateSearch(index);
  for (let block = claim(); block * blockSize < positions.length; block = claim()) {
    const end = Math.min(positions.length, (block + 1) * blockSize);
    for (let slot = block * blockSize; slot < end; slot++) put(slot, search.relatedOf(positions[slot]!));
  }
}

/** An entry for document b in a's list, `micro` its score in millionths: the one shape every list's entries have. */
export function entryOf(index: RelatedIndex, a: number, b: number, micro: number, pinned: boolean, reasons: RelatedReason[] = NO_REASONS): RelatedEntry {
  const entry: RelatedEntry = { id: index.docs[b]!.id, score: micro / MICRO, reasons };
  if (pinned) entry.pinned = true;
  if (index.docLang[b] !== index.docLang[a]) entry.fallbackLang = index.docs[b]!.lang;
  return entry;
}

/**
 * The index over all documents, numbered in date order, then id: a canonical order, so that input order
 * never matters, in which postings are date-sorted by construction.
 */
export interface RelatedIndex {
  readonly n: number;
  readonly docs: readonly RelatedDoc[];
  readonly options: RelatedOptions;
  readonly tuning: RelatedTuning;
  /** Normalized weights: entities, topics, text, time. */
  readonly weights: readonly [number, number, number, number];
  /** Per document, which content signals it has (bits ENTITIES, TOPICS, TEXT). */
  readonly docSignals: Uint8Array;
  /** Content weights (entities, topics, text) by the bits of the signals that apply to a pair; see `pairWeights`. */
  readonly pairWeights: Float64Array;
  readonly thresholdMicro: number;
  readonly docLang: Int32Array;
  readonly docStory: Int32Array;
  readonly docTime: Float64Array;
  /** Per document, its features (CSR: `featOffsets[d]..featOffsets[d+1]`), weights smoothed-unit per signal. */
  readonly featOffsets: Int32Array;
  readonly featIds: Int32Array;
  readonly featWeights: Float32Array;
  /**
   * Per feature: signal, key (entity id, topic id or term), and whether it generates candidates: not when in
   * too many stories, nor when in one story only (an article's rarest features are often its story's alone).
   */
  readonly featureSignal: Uint8Array;
  /** (Empty in a helper thread's index, see related-on-cores.ts: keys are read only when explaining.) */
  readonly featureKey: readonly string[];
  readonly featureSearched: Uint8Array;
  /** Per feature, its documents in index (= date) order, with their weights (common features have none). */
  readonly postOffsets: Int32Array;
  readonly postDocs: Int32Array;
  readonly postWeights: Float32Array;
  readonly storyIndex: ReadonlyMap<string, number>;
  /** Per story, its documents (CSR). */
  readonly storyOffsets: Int32Array;
  readonly storyDocs: Int32Array;
  /** Per document, its place in the input (and the rows): index order is date order. */
  readonly inputOf: Int32Array;
  /**
   * How the weights were made, for a delta build to make a document's weights as they were before
   * an edit changed how common some features are (see related/affected-lists.ts). Per feature: its
   * IDF and the count it is made from (stories for entities and topics, the language's versions for
   * terms); the counts those are of: the stories, and each language's versions (by `docLang`
   * number). (Not in a helper thread's index.)
   */
  readonly weighting?: {
    readonly idf: Float64Array;
    readonly frequency: Int32Array;
    readonly scopeAll: number;
    readonly scopeByLang: readonly number[];
  };
}

/**
 * `rows`: the documents' features, interned (see feature-rows.ts), in `input`'s order; made here
 * when not given. Documents given with their rows need no features of their own but when explaining.
 * `shared`: the largest arrays on SharedArrayBuffers, for a helper thread to read without a copy.
 */
export function buildRelatedIndex(input: readonly RelatedDoc[], options: RelatedOptions, rows: FeatureRows = internFeatures(input), shared = false): RelatedIndex {
  // The four arrays the size of every feature of every document, on memory a helper thread can share (see related-on-cores.ts).
  const int32 = (length: number) => (shared ? new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT)) : new Int32Array(length));
  const float32 = (length: number) => (shared ? new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT)) : new Float32Array(length));
  const tuning: RelatedTuning = { ...defaultTuning, ...options.tuning };
  const n = input.length;

  // Canonical order: by date, then id. Everything below is numbered in it, so input order never matters.
  const inputTime = new Float64Array(n);
  for (let i = 0; i < n; i++) inputTime[i] = Number.isFinite(input[i]!.time) ? input[i]!.time : 0;
  const order = new Int32Array(n);
  for (let d = 0; d < n; d++) order[d] = d;
  order.sort((x, y) => inputTime[x]! - inputTime[y]! || compareStrings(input[x]!.id, input[y]!.id));
  const docs = Array.from(order, (i) => input[i]!);
  const docTime = Float64Array.from(order, (i) => inputTime[i]!);

  const langIndex = new Map<string, number>();
  const storyIndex = new Map<string, number>();
  const docLang = new Int32Array(n);
  const docStory = new Int32Array(n);
  const langDocs: number[] = [];
  for (let d = 0; d < n; d++) {
    const doc = docs[d]!;
    docLang[d] = intern(langIndex, doc.lang);
    docStory[d] = intern(storyIndex, doc.storyKey);
    langDocs[docLang[d]!] = (langDocs[docLang[d]!] ?? 0) + 1;
  }

  // Stories: their documents (CSR); one version per language, or the ids repeat.
  const stories = storyIndex.size;
  const storyOffsets = new Int32Array(stories + 1);
  for (let d = 0; d < n; d++) storyOffsets[docStory[d]! + 1]!++;
  for (let s = 0; s < stories; s++) storyOffsets[s + 1]! += storyOffsets[s]!;
  const storyDocs = new Int32Array(n);
  const storyCursor = storyOffsets.slice(0, stories);
  for (let d = 0; d < n; d++) storyDocs[storyCursor[docStory[d]!]!++] = d;
  for (let s = 0; s < stories; s++) {
    for (let i = storyOffsets[s]! + 1; i < storyOffsets[s + 1]!; i++) {
      for (let j = storyOffsets[s]!; j < i; j++) {
        if (docLang[storyDocs[i]!] === docLang[storyDocs[j]!]) throw new Error(`Internal: two related documents have the id "${docs[storyDocs[i]!]!.id}".`);
      }
    }
  }

  // Rows, read in input order (memory order), land in canonical order; document frequencies on the way.
  if (rows.offsets.length !== n + 1) throw new Error("Internal: related-articles features are not one row per document");
  const features = rows.keys.length;
  const featureKey = rows.keys;
  const featureSignal = Uint8Array.from(rows.signals);
  const featureLang = Int32Array.from(rows.langs, (lang, f) => (featureSignal[f] === TEXT ? (langIndex.get(lang) ?? -1) : -1));
  const positionOf = new Int32Array(n);
  for (let d = 0; d < n; d++) positionOf[order[d]!] = d;
  const featOffsets = new Int32Array(n + 1);
  for (let d = 0; d < n; d++) featOffsets[d + 1] = featOffsets[d]! + rows.offsets[order[d]! + 1]! - rows.offsets[order[d]!]!;
  const used = featOffsets[n]!;
  const featIds = int32(used);
  const rawWeights = new Float64Array(used);
  const df = new Int32Array(features);
  for (let i = 0; i < n; i++) {
    for (let k = rows.offsets[i]!, to = featOffsets[positionOf[i]!]!; k < rows.offsets[i + 1]!; k++, to++) {
      const f = rows.ids[k]!;
      featIds[to] = f;
      rawWeights[to] = rows.weights[k]!;
      df[f]!++;
    }
  }

  // Entities and topics are counted per story: a story told in three languages is one piece of evidence.
  // (Terms are per language, where a story has one version at most.)
  const storyDf = new Int32Array(features);
  const lastDoc = new Int32Array(features).fill(-1);
  for (let s = 0; s < stories; s++) {
    for (let k = storyOffsets[s]!; k < storyOffsets[s + 1]!; k++) {
      const d = storyDocs[k]!;
      for (let i = featOffsets[d]!; i < featOffsets[d + 1]!; i++) {
        const f = featIds[i]!;
        if (featureSignal[f] === TEXT || lastDoc[f] === s) continue;
        lastDoc[f] = s;
        storyDf[f]!++;
      }
    }
  }

  // IDF, commonness, and whether a feature can find another story at all; then weights times IDF,
  // smoothed unit length per signal per document.
  const idf = new Float64Array(features);
  const featureCommon = new Uint8Array(features);
  const featureShared = new Uint8Array(features);
  const frequencies = new Int32Array(features);
  for (let f = 0; f < features; f++) {
    const text = featureSignal[f] === TEXT;
    const scope = text ? langDocs[featureLang[f]!]! : stories;
    const frequency = (frequencies[f] = text ? df[f]! : storyDf[f]!);
    idf[f] = idfOf(scope, frequency);
    featureCommon[f] = frequency > Math.max(tuning.maxShare * scope, tuning.minCommon) ? 1 : 0;
    featureShared[f] = frequency > 1 ? 1 : 0;
  }
  const featWeights = float32(used);
  const scopeByLang = Array.from(langDocs, (count) => count ?? 0);
  const backgroundAll = background(stories, tuning);
  const backgroundByLang = scopeByLang.map((count) => background(count, tuning));
  const scales = new Float64Array(3);
  for (let d = 0; d < n; d++) {
    unitScales(rawWeights, featIds, featureSignal, idf, featOffsets[d]!, featOffsets[d + 1]!, backgroundAll, backgroundByLang[docLang[d]!]!, scales);
    for (let i = featOffsets[d]!; i < featOffsets[d + 1]!; i++) featWeights[i] = rawWeights[i]! * idf[featIds[i]!]! * scales[featureSignal[featIds[i]!]!]!;
  }

  // Postings of the features that may generate candidates, filled in index (= date) order.
  const featureSearched = new Uint8Array(features);
  for (let f = 0; f < features; f++) featureSearched[f] = featureShared[f] && !featureCommon[f] ? 1 : 0;
  const postOffsets = new Int32Array(features + 1);
  for (let f = 0; f < features; f++) postOffsets[f + 1] = postOffsets[f]! + (featureSearched[f] ? df[f]! : 0);
  const postDocs = int32(postOffsets[features]!);
  const postWeights = float32(postOffsets[features]!);
  const cursor = postOffsets.slice(0, features);
  for (let d = 0; d < n; d++) {
    for (let i = featOffsets[d]!; i < featOffsets[d + 1]!; i++) {
      const f = featIds[i]!;
      if (!featureSearched[f]) continue;
      postDocs[cursor[f]!] = d;
      postWeights[cursor[f]!++] = featWeights[i]!;
    }
  }

  const weights = normalizeWeights(options.weights);
  const docSignals = new Uint8Array(n);
  for (let d = 0; d < n; d++) {
    for (let i = featOffsets[d]!; i < featOffsets[d + 1]!; i++) docSignals[d]! |= 1 << featureSignal[featIds[i]!]!;
  }

  return {
    n,
    docs,
    options,
    tuning,
    weights,
    docSignals,
    pairWeights: pairWeights(weights),
    thresholdMicro: Math.round(options.threshold * MICRO),
    docLang,
    docStory,
    docTime,
    featOffsets,
    featIds,
    featWeights,
    featureSignal,
    featureKey,
    featureSearched,
    postOffsets,
    postDocs,
    postWeights,
    storyIndex,
    storyOffsets,
    storyDocs,
    inputOf: order,
    weighting: { idf, frequency: frequencies, scopeAll: stories, scopeByLang },
  };
}

/** The IDF of a feature in `frequency` of `scope` stories or versions. */
export function idfOf(scope: number, frequency: number): number {
  return Math.log(1 + scope / frequency);
}

/**
 * A document's scales per signal (into `scales`: ENTITIES, TOPICS, TEXT), from its features
 * `start..end` with count weights `raw` and IDFs `idf`: a feature's weight is raw · idf · scale, and
 * each signal's weights have unit length with the background feature (`backgroundAll` for entities
 * and topics, `backgroundText` for terms). The one computation of weights, in feature order.
 */
export function unitScales(raw: Float64Array, ids: Int32Array, signals: Uint8Array, idf: Float64Array, start: number, end: number, backgroundAll: number, backgroundText: number, scales: Float64Array): void {
  scales.fill(0);
  for (let i = start; i < end; i++) {
    const w = raw[i]! * idf[ids[i]!]!;
    scales[signals[ids[i]!]!]! += w * w;
  }
  scales[ENTITIES] = 1 / Math.sqrt(scales[ENTITIES]! + backgroundAll);
  scales[TOPICS] = 1 / Math.sqrt(scales[TOPICS]! + backgroundAll);
  scales[TEXT] = 1 / Math.sqrt(scales[TEXT]! + backgroundText);
}

/**
 * The squared weight of the unshared background feature every vector gets: an IDF of a feature in
 * `evidenceShare` of the scope's documents. It makes weak evidence count less: two articles whose only
 * entity is "Hamburg" (in 10 % of the documents) have a cosine of 1, but a smoothed similarity of 0.2.
 */
export function background(scope: number, tuning: RelatedTuning): number {
  const idf = Math.log(1 + scope / Math.max(1, tuning.evidenceShare * scope));
  return idf * idf;
}

/** Weights -> shares of 1 (entities, topics, text, time). All zero means only pins are listed. */
export function normalizeWeights(weights: RelatedConfig["weights"]): [number, number, number, number] {
  const list = [weights.entities, weights.topics, weights.text, weights.time].map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  const sum = list[0]! + list[1]! + list[2]! + list[3]!;
  return sum > 0 ? [list[0]! / sum, list[1]! / sum, list[2]! / sum, list[3]! / sum] : [0, 0, 0, 0];
}

/**
 * Content weights per pair, by which signals apply (bit 1 << signal): a signal applies when both articles
 * have features of it, and text only within one language. One that does not apply passes its weight on to
 * those that do, so that missing metadata, or a comparison that cannot be made, is not read as dissimilarity;
 * time keeps its own weight. Index: mask * 3 + signal.
 *
 *   weights .35/.2/.35/.1, a German and an English article with entities and no topics: entities .9, topics 0, text 0
 */
function pairWeights(weights: readonly number[]): Float64Array {
  const table = new Float64Array(8 * 3);
  const content = weights[ENTITIES]! + weights[TOPICS]! + weights[TEXT]!;
  for (let mask = 0; mask < 8; mask++) {
    let applicable = 0;
    for (let signal = 0; signal < 3; signal++) if (mask & (1 << signal)) applicable += weights[signal]!;
    if (applicable <= 0) continue;
    for (let signal = 0; signal < 3; signal++) if (mask & (1 << signal)) table[mask * 3 + signal] = (weights[signal]! * content) / applicable;
  }
  return table;
}

/** 1 on the same instant, 1/2 after `halfLifeDays`, 1/4 after twice that. */
export function timeCloseness(a: number, b: number, halfLifeDays: number): number {
  if (!(halfLifeDays > 0)) return a === b ? 1 : 0;
  return Math.exp((-Math.LN2 * Math.abs(a - b)) / (DAY_MS * halfLifeDays));
}

const NO_STORIES: readonly number[] = [];
/** The reasons of every entry when not explaining: one shared, frozen empty list instead of a million. */
const NO_REASONS = Object.freeze([]) as unknown as RelatedReason[];

/** Per-article search. Its buffers are reused from one article to the next: no allocation per candidate. */
class CandidateSearch {
  private readonly acc: Float64Array;
  private readonly stamp: Int32Array;
  private readonly touched: Int32Array;
  /** The current article's feature weights: exact scores read candidates against it. */
  private readonly current = new FeatureTable();
  /** Per feature, the first posting after the last article searched: articles come in index order, so it only moves forward. */
  private readonly cursor: Int32Array;
  private readonly own: TopK;
  private readonly other: TopK;
  private readonly limit: number;
  private readonly explain: boolean;
  private readonly queryPos: Int32Array;
  private readonly queryQ: Float64Array;
  private readonly parts = new Int32Array(4);
  private readonly candDoc: Int32Array;
  private readonly candMicro: Int32Array;
  /** Contributions of each scored candidate, 4 per candidate (for reasons). */
  private readonly candParts: Int32Array;
  private readonly explainer: Explainer;
  private readonly order: number[] = [];
  private readonly storyHasLists: Uint8Array;
  /** The last list's margins (see `ListMargins`): of its query weights, of its candidates' partial scores, and of their exact scores in millionths. */
  queryGap = Infinity;
  heapGap = Infinity;
  scoreGap = Infinity;

  constructor(private readonly index: RelatedIndex) {
    this.acc = new Float64Array(index.n);
    this.stamp = new Int32Array(index.n).fill(-1);
    this.touched = new Int32Array(index.n);
    this.cursor = index.postOffsets.slice(0, index.featureSignal.length);
    this.limit = Math.max(0, Math.floor(index.options.limit));
    this.explain = index.options.explain ?? true;
    const candidates = Math.max(8, Math.ceil(index.tuning.candidateFactor * this.limit));
    this.own = new TopK(candidates);
    this.other = new TopK(candidates);
    this.candDoc = new Int32Array(candidates);
    this.candMicro = new Int32Array(candidates);
    this.candParts = new Int32Array(4 * candidates);
    this.explainer = new Explainer(index);
    const queryFeatures = Math.max(1, Math.floor(index.tuning.queryFeatures));
    this.queryPos = new Int32Array(queryFeatures);
    this.queryQ = new Float64Array(queryFeatures);
    this.storyHasLists = new Uint8Array(index.storyOffsets.length - 1);
    for (let d = 0; d < index.n; d++) {
      if (index.docs[d]!.pins.length > 0 || index.docs[d]!.exclude.length > 0) this.storyHasLists[index.docStory[d]!] = 1;
    }
  }

  relatedOf(a: number): RelatedEntry[] {
    this.queryGap = Infinity;
    this.heapGap = Infinity;
    this.scoreGap = Infinity;
    if (this.limit === 0) return [];
    const index = this.index;
    const { featOffsets, featIds, featWeights } = index;
    this.current.load(featIds, featWeights, featOffsets[a]!, featOffsets[a + 1]!);
    return this.listFor(a);
  }

  private listFor(a: number): RelatedEntry[] {
    const index = this.index;
    const story = index.docStory[a]!;
    let pinned = NO_STORIES;
    let excluded = NO_STORIES;
    if (this.storyHasLists[story]) ({ pinned, excluded } = this.storyLists(story));
    const entries: RelatedEntry[] = [];

    // Pinned versions are chosen by score, and may tie: no margin.
    if (pinned.length > 0) this.scoreGap = 0;
    for (const pin of pinned) {
      if (entries.length >= this.limit) return entries;
      const b = this.bestVersion(a, pin);
      entries.push(this.toEntry(a, b, this.scoreInto(a, b), this.parts, true));
    }
    if (entries.length >= this.limit) return entries;

    this.gather(a, pinned, excluded);
    let count = this.scoreHeap(a, this.own);
    const taken = Math.min(count, this.limit - entries.length);
    for (let k = 0; k < taken; k++) {
      const c = this.order[k]!;
      entries.push(this.toEntry(a, this.candDoc[c]!, this.candMicro[c]!, this.candParts.subarray(4 * c, 4 * c + 4), false));
    }
    // The order of those taken, and of the last of them and the next.
    this.orderGaps(Math.min(taken, count - 1));
    this.heapGap = this.own.gap();
    if (entries.length >= this.limit) return entries;

    // Other languages: one version per story, and no story already listed.
    const listed = entries.map((entry) => index.storyIndex.get(entry.id.slice(0, entry.id.lastIndexOf("/")))!);
    count = this.scoreHeap(a, this.other);
    // Which stories are skipped decides which are taken: the whole order counts.
    this.orderGaps(count - 1);
    this.heapGap = Math.min(this.heapGap, this.other.gap());
    for (let k = 0; k < count && entries.length < this.limit; k++) {
      const c = this.order[k]!;
      const s = index.docStory[this.candDoc[c]!]!;
      if (listed.includes(s)) continue;
      listed.push(s);
      entries.push(this.toEntry(a, this.candDoc[c]!, this.candMicro[c]!, this.candParts.subarray(4 * c, 4 * c + 4), false));
    }
    return entries;
  }

  /** Pins and excludes of a story, as story indices: union over its versions, in version order; excludes win. */
  private storyLists(story: number): { pinned: number[]; excluded: number[] } {
    const index = this.index;
    const excluded: number[] = [];
    const pinned: number[] = [];
    const start = index.storyOffsets[story]!;
    const end = index.storyOffsets[story + 1]!;
    for (let i = start; i < end; i++) {
      for (const key of index.docs[index.storyDocs[i]!]!.exclude) {
        const s = index.storyIndex.get(key);
        if (s !== undefined && !excluded.includes(s)) excluded.push(s);
      }
    }
    for (let i = start; i < end; i++) {
      for (const key of index.docs[index.storyDocs[i]!]!.pins) {
        const s = index.storyIndex.get(key);
        if (s !== undefined && s !== story && !excluded.includes(s) && !pinned.includes(s)) pinned.push(s);
      }
    }
    return { pinned, excluded };
  }

  /** The version of a pinned story to show: the article's language if it has one, else the best scoring. */
  private bestVersion(a: number, story: number): number {
    const index = this.index;
    let best = -1;
    let bestMicro = 0;
    for (let i = index.storyOffsets[story]!; i < index.storyOffsets[story + 1]!; i++) {
      const b = index.storyDocs[i]!;
      if (index.docLang[b] === index.docLang[a]) return b;
      const micro = this.scoreInto(a, b);
      if (best < 0 || compareCandidates(index, micro, b, bestMicro, best) < 0) {
        best = b;
        bestMicro = micro;
      }
    }
    return best;
  }

  /**
   * Candidate generation: the article's strongest features each read the postings within `window` of its
   * date, adding their share of the score; the best candidates per language group land in the two heaps.
   */
  private gather(a: number, pinned: readonly number[], excluded: readonly number[]): void {
    const index = this.index;
    const { acc, stamp, touched, queryPos, queryQ } = this;
    const { postOffsets, postDocs, postWeights, featIds, docStory, docLang } = index;
    const window = Math.max(1, Math.floor(index.tuning.window));
    const features = this.selectQuery(a);
    let count = 0;
    for (let k = 0; k < features; k++) {
      const f = featIds[queryPos[k]!]!;
      const q = queryQ[k]!;
      let lo = postOffsets[f]!;
      let hi = postOffsets[f + 1]!;
      if (hi - lo > 2 * window) {
        // First posting after the article (index order is date order), then `window` postings on either side.
        const after = this.advance(f, a, hi);
        lo = Math.max(lo, after - window);
        hi = Math.min(hi, after + window);
      }
      for (let p = lo; p < hi; p++) {
        const b = postDocs[p]!;
        if (stamp[b] !== a) {
          stamp[b] = a;
          acc[b] = 0;
          touched[count++] = b;
        }
        acc[b]! += q * postWeights[p]!;
      }
    }
    this.own.clear();
    this.other.clear();
    const story = docStory[a]!;
    const lang = docLang[a];
    const lists = pinned.length > 0 || excluded.length > 0;
    for (let t = 0; t < count; t++) {
      const b = touched[t]!;
      const s = docStory[b]!;
      if (s === story || (lists && (excluded.includes(s) || pinned.includes(s)))) continue;
      (docLang[b] === lang ? this.own : this.other).offer(acc[b]!, b);
    }
  }

  /** Moves feature f's cursor to its first posting after article a, and returns it: a few steps, or a binary search for long jumps. */
  private advance(f: number, a: number, hi: number): number {
    const postDocs = this.index.postDocs;
    let p = this.cursor[f]!;
    for (let steps = 0; steps < 8 && p < hi && postDocs[p]! <= a; steps++) p++;
    if (p < hi && postDocs[p]! <= a) {
      let h = hi;
      while (p < h) {
        const mid = (p + h) >>> 1;
        if (postDocs[mid]! <= a) p = mid + 1;
        else h = mid;
      }
    }
    this.cursor[f] = p;
    return p;
  }

  /** The article's `queryFeatures` strongest features that may generate candidates, by weighted weight; returns how many. */
  private selectQuery(a: number): number {
    const index = this.index;
    const { queryPos, queryQ } = this;
    const capacity = queryPos.length;
    let size = 0;
    /** The strongest weight left out. */
    let out = 0;
    for (let i = index.featOffsets[a]!; i < index.featOffsets[a + 1]!; i++) {
      const f = index.featIds[i]!;
      if (!index.featureSearched[f]) continue;
      const q = index.featWeights[i]! * index.weights[index.featureSignal[f]!]!;
      if (q <= 0) continue;
      if (size === capacity && q <= queryQ[size - 1]!) {
        out = Math.max(out, q);
        continue;
      }
      if (size === capacity) out = Math.max(out, queryQ[size - 1]!);
      // Insertion into the sorted (desc) top list; equal weights keep feature order, which is canonical.
      let at = size < capacity ? size++ : size - 1;
      while (at > 0 && queryQ[at - 1]! < q) {
        queryQ[at] = queryQ[at - 1]!;
        queryPos[at] = queryPos[at - 1]!;
        at--;
      }
      queryQ[at] = q;
      queryPos[at] = i;
    }
    this.queryGap = out > 0 ? queryQ[size - 1]! - out : Infinity;
    return size;
  }

  /** Lowers `scoreGap` to the score differences of the first `pairs` neighbours in `order`. */
  private orderGaps(pairs: number): void {
    const { candMicro, order } = this;
    for (let k = 0; k < pairs; k++) this.scoreGap = Math.min(this.scoreGap, candMicro[order[k]!]! - candMicro[order[k + 1]!]!);
  }

  /**
   * Exact scores of a heap's candidates; those reaching the threshold end up in `order`, best first. Returns how many.
   * `scoreGap` comes down to twice the distance of each one's shared part from the threshold's other side.
   */
  private scoreHeap(a: number, heap: TopK): number {
    const index = this.index;
    const { candDoc, candMicro, order } = this;
    const threshold = Math.max(1, index.thresholdMicro);
    order.length = 0;
    for (let k = 0; k < heap.size; k++) {
      const b = heap.docs[k]!;
      const micro = this.scoreInto(a, b);
      // The threshold is for what the articles share: closeness in time orders candidates but never admits one.
      const shared = micro - this.parts[3]!;
      this.scoreGap = Math.min(this.scoreGap, 2 * (shared >= threshold ? shared - threshold + 1 : threshold - shared));
      if (shared < threshold) continue;
      candDoc[order.length] = b;
      candMicro[order.length] = micro;
      this.candParts.set(this.parts, 4 * order.length);
      order.push(order.length);
    }
    order.sort((x, y) => compareCandidates(index, candMicro[x]!, candDoc[x]!, candMicro[y]!, candDoc[y]!));
    return order.length;
  }

  /** Exact score of b for the current article a (loaded in `current`): contributions in millionths into `parts`, returns their sum. */
  private scoreInto(a: number, b: number): number {
    const { featOffsets, featIds, featWeights, featureSignal, weights, docTime, docSignals, docLang, pairWeights } = this.index;
    const current = this.current;
    let entities = 0;
    let topics = 0;
    let text = 0;
    // b's features in their stored order: a fixed summation order.
    for (let j = featOffsets[b]!; j < featOffsets[b + 1]!; j++) {
      const f = featIds[j]!;
      const wa = current.get(f);
      if (wa === 0) continue;
      const product = wa * featWeights[j]!;
      const signal = featureSignal[f];
      if (signal === TEXT) text += product;
      else if (signal === TOPICS) topics += product;
      else entities += product;
    }
    const parts = this.parts;
    const mask = docSignals[a]! & docSignals[b]! & (docLang[a] === docLang[b] ? 7 : 7 & ~(1 << TEXT));
    parts[0] = Math.round(pairWeights[mask * 3 + ENTITIES]! * Math.min(1, entities) * MICRO);
    parts[1] = Math.round(pairWeights[mask * 3 + TOPICS]! * Math.min(1, topics) * MICRO);
    parts[2] = Math.round(pairWeights[mask * 3 + TEXT]! * Math.min(1, text) * MICRO);
    parts[3] = weights[3] > 0 ? Math.round(weights[3] * timeCloseness(docTime[a]!, docTime[b]!, this.index.options.halfLifeDays) * MICRO) : 0;
    return parts[0]! + parts[1]! + parts[2]! + parts[3]!;
  }

  /** An entry for b, with reasons from `parts` (b's contributions in millionths). */
  private toEntry(a: number, b: number, micro: number, parts: Int32Array, pinned: boolean): RelatedEntry {
    const index = this.index;
    let reasons = NO_REASONS;
    if (this.explain) {
      reasons = this.explainer.explain(a, b, this.current, parts);
      if (pinned) reasons.unshift({ signal: "pinned", score: 0, details: ["pinned in the frontmatter"] });
    }
    return entryOf(index, a, b, micro, pinned, reasons);
  }
}

/** Score desc, date desc, id asc (on one date, index order is id order). */
function compareCandidates(index: RelatedIndex, microX: number, x: number, microY: number, y: number): number {
  return microY - microX || index.docTime[y]! - index.docTime[x]! || x - y;
}

/**
 * Reasons for one listed pair: each signal's contribution with what was shared, strongest first,
 * named in the article's own language (`Wladimir Putin` for a German article). Its buffers are reused:
 * a build lists a million entries, and garbage per entry costs more than the arithmetic.
 */
class Explainer {
  private feature = new Int32Array(64);
  private weight = new Float64Array(64);
  private readonly days: string[] = [];

  constructor(private readonly index: RelatedIndex) {}

  /** `current`: a's weights by feature; `parts`: the pair's contributions in millionths. */
  explain(a: number, b: number, current: FeatureTable, parts: Int32Array): RelatedReason[] {
    const index = this.index;
    const { featOffsets, featIds, featWeights, featureSignal } = index;
    const length = featOffsets[b + 1]! - featOffsets[b]!;
    if (length > this.feature.length) {
      this.feature = new Int32Array(2 * length);
      this.weight = new Float64Array(2 * length);
    }
    // Shared features, grouped by signal: entities from the front, then topics, then terms.
    const counts = [0, 0, 0];
    let shared = 0;
    for (let j = featOffsets[b]!; j < featOffsets[b + 1]!; j++) {
      const f = featIds[j]!;
      const wa = current.get(f);
      if (wa === 0) continue;
      this.feature[shared] = f;
      this.weight[shared++] = wa * featWeights[j]!;
      counts[featureSignal[f]!]!++;
    }
    // Arrays of their final size: a pushed-to array keeps spare capacity, and a million lists keep a lot of it.
    let size = 0;
    for (let signal = 0; signal < 4; signal++) if (parts[signal]! > 0) size++;
    const reasons = new Array<RelatedReason>(size);
    size = 0;
    let start = 0;
    for (let signal = ENTITIES; signal <= TEXT; signal++) {
      if (parts[signal]! > 0) {
        reasons[size++] = { signal: SIGNAL_NAMES[signal]!, score: parts[signal]! / MICRO, details: this.strongest(a, b, signal, start, shared) };
      }
      start += counts[signal]!;
    }
    if (parts[3]! > 0) reasons[size] = { signal: "time", score: parts[3]! / MICRO, details: [this.daysApart(index.docTime[a]!, index.docTime[b]!)] };
    return reasons;
  }

  /**
   * Names of the `MAX_DETAILS` strongest shared features of a signal (weight desc, key asc), by selection
   * among buffer positions from..end (the lists are short). Features of other signals are skipped.
   */
  private strongest(a: number, b: number, signal: number, from: number, end: number): string[] {
    const { featureKey, featureSignal, docs } = this.index;
    // Move this signal's features to the front of the range first.
    let count = from;
    for (let i = from; i < end; i++) {
      if (featureSignal[this.feature[i]!] !== signal) continue;
      this.swap(i, count++);
    }
    const details = new Array<string>(Math.min(count - from, MAX_DETAILS));
    for (let k = from; k - from < details.length; k++) {
      let best = k;
      for (let i = k + 1; i < count; i++) {
        const dw = this.weight[i]! - this.weight[best]!;
        if (dw > 0 || (dw === 0 && compareStrings(featureKey[this.feature[i]!]!, featureKey[this.feature[best]!]!) < 0)) best = i;
      }
      this.swap(best, k);
      const f = this.feature[k]!;
      details[k - from] = signal === TEXT ? featureKey[f]! : nameOf(docs[a]!, docs[b]!, signal, featureKey[f]!);
    }
    return details;
  }

  private swap(i: number, j: number): void {
    const f = this.feature[i]!;
    const w = this.weight[i]!;
    this.feature[i] = this.feature[j]!;
    this.weight[i] = this.weight[j]!;
    this.feature[j] = f;
    this.weight[j] = w;
  }

  private daysApart(x: number, y: number): string {
    const days = Math.round(Math.abs(x - y) / DAY_MS);
    if (days >= 1000) return `${days} days apart`;
    return (this.days[days] ??= days === 0 ? "same day" : days === 1 ? "1 day apart" : `${days} days apart`);
  }
}

/** Display name of an entity or topic id: the article's own name for it, else the candidate's, else the id. */
function nameOf(docA: RelatedDoc, docB: RelatedDoc, signal: number, key: string): string {
  for (const doc of [docA, docB]) {
    const ids = signal === ENTITIES ? doc.entities : doc.topics;
    const names = signal === ENTITIES ? doc.entityNames : doc.topicNames;
    const at = ids.indexOf(key);
    if (at >= 0 && names[at]) return names[at]!;
  }
  return key;
}

/**
 * One article's features, feature id -> weight, in a small open-addressing table: unlike an array over all
 * features, it stays in the CPU cache while candidates are scored against it.
 */
class FeatureTable {
  private keys = new Int32Array(64).fill(-1);
  private values = new Float64Array(64);
  private shift = 26;

  load(ids: Int32Array, weights: Float32Array, start: number, end: number): void {
    let size = this.keys.length;
    while (size < 4 * (end - start)) size *= 2;
    if (size !== this.keys.length) {
      this.keys = new Int32Array(size);
      this.values = new Float64Array(size);
      this.shift = 32 - Math.log2(size);
    }
    this.keys.fill(-1);
    const mask = size - 1;
    for (let i = start; i < end; i++) {
      let slot = Math.imul(ids[i]!, 0x9e3779b1) >>> this.shift;
      while (this.keys[slot] !== -1) slot = (slot + 1) & mask;
      this.keys[slot] = ids[i]!;
      this.values[slot] = weights[i]!;
    }
  }

  /** The weight of feature f, 0 if the article does not have it. */
  get(f: number): number {
    const mask = this.keys.length - 1;
    let slot = Math.imul(f, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const key = this.keys[slot]!;
      if (key === f) return this.values[slot]!;
      if (key === -1) return 0;
      slot = (slot + 1) & mask;
    }
  }
}

/** The best `capacity` (score, doc) pairs offered, higher score first and lower doc on ties. A bounded min-heap. */
class TopK {
  readonly scores: Float64Array;
  readonly docs: Int32Array;
  size = 0;

  constructor(readonly capacity: number) {
    this.scores = new Float64Array(capacity);
    this.docs = new Int32Array(capacity);
  }

  /** The best score offered and not kept (or put out since), -Infinity if none. */
  bestOut = -Infinity;

  clear(): void {
    this.size = 0;
    this.bestOut = -Infinity;
  }

  /** How much the worst score kept is above the best not kept: Infinity when nothing was left out. */
  gap(): number {
    return this.bestOut === -Infinity ? Infinity : this.scores[0]! - this.bestOut;
  }

  offer(score: number, doc: number): void {
    if (this.size < this.capacity) {
      let at = this.size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(score, doc, this.scores[parent]!, this.docs[parent]!)) break;
        this.scores[at] = this.scores[parent]!;
        this.docs[at] = this.docs[parent]!;
        at = parent;
      }
      this.scores[at] = score;
      this.docs[at] = doc;
      return;
    }
    if (!worse(this.scores[0]!, this.docs[0]!, score, doc)) {
      if (score > this.bestOut) this.bestOut = score;
      return;
    }
    if (this.scores[0]! > this.bestOut) this.bestOut = this.scores[0]!;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && worse(this.scores[right]!, this.docs[right]!, this.scores[left]!, this.docs[left]!) ? right : left;
      if (!worse(this.scores[child]!, this.docs[child]!, score, doc)) break;
      this.scores[at] = this.scores[child]!;
      this.docs[at] = this.docs[child]!;
      at = child;
    }
    this.scores[at] = score;
    this.docs[at] = doc;
  }
}

function worse(scoreA: number, docA: number, scoreB: number, docB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && docA > docB);
}

function intern(map: Map<string, number>, key: string): number {
  let id = map.get(key);
  if (id === undefined) map.set(key, (id = map.size));
  return id;
}
