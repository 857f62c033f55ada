import { compareStrings } from "./extract-features.js";
import { background, idfOf, MICRO, unitScales, type ListMargins, type RelatedIndex } from "./compute-related.js";
import { TEXT, type FeatureRows } from "./feature-rows.js";

/**
 * Which related lists an edit can change, so that a delta build computes only those (see
 * delta/relist-related.ts); every other list is what it was. A list reads (see `CandidateSearch`
 * in compute-related.ts): its article's features and their weights, the postings of its strongest
 * features that generate candidates near its own place (all of them when a feature has at most
 * `2 · window`), the weights those postings carry, and the exact scores of the candidates found,
 * which read both articles' weights; pins read the scores of a pinned story's versions.
 */

/**
 * The documents whose list can differ once some moved in time alone (`moves`: each one's id and its
 * time before; the index has it at its new time, with the same features), all others' lists being
 * what they were: the moved ones; each document that reads a moved one's postings, which a list
 * reads only of its own features that generate candidates, and, of a feature with more than
 * `2 · window` postings, only within `window` postings of its own place (see `gather`), so only the
 * documents near a moved one's old or new place there; and every document of a story with pins (the
 * version of a pinned story it shows may be scored). Scores, weights and the order of every other
 * pair are as they were: a feature's weight counts the documents that have it, not when.
 */
export function affectedByMoves(index: RelatedIndex, moves: readonly { id: string; time: number }[]): Set<string> {
  const affected = new Marks(index.n);
  const numberOf = new Map(index.docs.map((doc, d) => [doc.id, d]));
  for (const move of moves) {
    const x = numberOf.get(move.id);
    if (x === undefined) throw new Error(`Internal: no related document ${move.id}`);
    markMove(index, x, move.time, affected);
  }
  markPinnedStories(index, affected);
  return affected.ids(index);
}

/** An edited document: its id, and its time and features (numbers of the index's feature table) before the edit. */
export interface FeatureChange {
  id: string;
  time: number;
  features: ReadonlySet<number>;
}

/**
 * The documents whose list can differ once some documents' features changed (`changes`: the index
 * has their new features), all others' lists being what they were; null when that is more than
 * `limit` of them (computing them all is then about as quick). A feature's weight depends on how
 * many documents (stories, for entities and topics) have it, and a document's weights on all of
 * its features' (they are scaled to unit length): so the weights that change are the edited
 * documents' and those of every document with a feature an edited one gained or lost (`changed`).
 * A list can change if it is of a changed document, if it reads a changed document's postings
 * (their weights make the candidates, and exact scores read them), or if its story has pins (a
 * pinned story's version may be scored); the postings of a feature gained or lost are read only by
 * documents that have it, changed themselves; an edited document that also moved in time is read
 * near its old place too (`affectedByMoves`).
 *
 * With `base` (the last full build's rows and its lists' margins), of the lists that read a
 * document reweighted but not edited only those whose margins its weights' shifts can cross
 * (`markCrossed`): a new summary at 10,000 stories reweighted ~7,200 documents, read by nearly
 * every list; ~1,000 lists were computed, and 5 changed. The edited documents must be those of the last full build
 * but for their features, time, pins and excludes (same language and story).
 */
export function affectedByFeatures(index: RelatedIndex, changes: readonly FeatureChange[], limit: number, base?: BaseLists): Set<string> | null {
  const affected = new Marks(index.n);
  const edits = featureEdits(index, changes);
  [...edits.before.keys()].forEach((x, k) => {
    const before = Number.isFinite(changes[k]!.time) ? changes[k]!.time : 0;
    if (before !== index.docTime[x]) markMove(index, x, changes[k]!.time, affected);
    // Its story's versions show the pins and excludes of all (see `storyLists`): its own may have changed.
    for (let j = index.storyOffsets[index.docStory[x]!]!; j < index.storyOffsets[index.docStory[x]! + 1]!; j++) affected.mark(index.storyDocs[j]!);
  });
  if (base) return affectedWithMargins(index, edits, base, affected, limit);
  const changed = [...edits.before.keys(), ...edits.reweighted];
  if (changed.length > limit) return null;
  for (const b of changed) {
    affected.mark(b);
    markReaders(index, b, affected);
    if (affected.count > limit) return null;
  }
  markPinnedStories(index, affected);
  return affected.count > limit ? null : affected.ids(index);
}

/** What edits of features changed in the index (see `featureEdits`). */
export interface FeatureEdits {
  /** The edited documents (in the order of the changes), with their features of before. */
  before: Map<number, ReadonlySet<number>>;
  /** Per feature, 1 if an edit gained or lost it. */
  gainedOrLost: Uint8Array;
  /** Of each feature gained or lost, the documents that have it now (edited ones included). */
  holders: Map<number, number[]>;
  /** The documents not edited with a feature gained or lost: their weights changed (none when only counts changed). */
  reweighted: number[];
}

export function featureEdits(index: RelatedIndex, changes: readonly FeatureChange[]): FeatureEdits {
  const { n, docs, featOffsets, featIds } = index;
  const numberOf = new Map(docs.map((doc, d) => [doc.id, d]));
  const gainedOrLost = new Uint8Array(index.featureKey.length);
  const before = new Map<number, ReadonlySet<number>>();
  for (const change of changes) {
    const x = numberOf.get(change.id);
    if (x === undefined) throw new Error(`Internal: no related document ${change.id}`);
    before.set(x, change.features);
    const now = new Set(featIds.subarray(featOffsets[x]!, featOffsets[x + 1]!));
    for (const f of change.features) if (!now.has(f)) gainedOrLost[f] = 1;
    for (const f of now) if (!change.features.has(f)) gainedOrLost[f] = 1;
  }
  const holders = new Map<number, number[]>();
  const reweighted: number[] = [];
  if (!gainedOrLost.includes(1)) return { before, gainedOrLost, holders, reweighted };
  for (let d = 0; d < n; d++) {
    let has = false;
    for (let i = featOffsets[d]!; i < featOffsets[d + 1]!; i++) {
      const f = featIds[i]!;
      if (!gainedOrLost[f]) continue;
      (holders.get(f) ?? holders.set(f, []).get(f)!).push(d);
      has = true;
    }
    if (has && !before.has(d)) reweighted.push(d);
  }
  return { before, gainedOrLost, holders, reweighted };
}

/** What the last full build computed its lists from, for `affectedByFeatures` to bound how far new weights move them: its rows (the index's, but for the edited documents) and its lists' margins, in the rows' order. */
export interface BaseLists {
  rows: FeatureRows;
  margins: ListMargins;
}

/**
 * `affectedByFeatures` with the last full build's margins: the edited documents and their readers
 * are marked (`affected` has their stories and moves already); the documents reweighted and their
 * readers only where a feature's postings changed more than by an edited document's place in them
 * (`markPostingChanges`), or where the weights' shifts can cross a list's margins (`markCrossed`).
 */
function affectedWithMargins(index: RelatedIndex, edits: FeatureEdits, base: BaseLists, affected: Marks, limit: number): Set<string> | null {
  for (const x of edits.before.keys()) {
    affected.mark(x);
    markReaders(index, x, affected);
  }
  const counts = countsBefore(index, edits);
  markPostingChanges(index, edits, counts, affected);
  if (affected.count > limit) return null;
  const shifts = weightShifts(index, counts.idf, edits.reweighted, base.rows);
  const inReweighted = new Uint8Array(index.n);
  for (const b of edits.reweighted) inReweighted[b] = 1;
  markCrossed(index, shifts, inReweighted, base.margins, affected);
  markPinnedStories(index, affected);
  return affected.count > limit ? null : affected.ids(index);
}

/** Of each feature an edit gained or lost, before the edits: how many documents had it (`df`), the count its IDF is made of (`frequency`) and the count that is of (`scope`); every feature's IDF of before (`idf`). */
export interface CountsBefore {
  df: Map<number, number>;
  frequency: Map<number, number>;
  scope: Map<number, number>;
  idf: Float64Array;
}

/** The counts of before of the features gained or lost (see buildRelatedIndex): terms are counted per version, entities and topics per story. */
export function countsBefore(index: RelatedIndex, { before, gainedOrLost, holders }: FeatureEdits): CountsBefore {
  const { featOffsets, featIds, featureSignal, docLang, storyOffsets, storyDocs, docStory } = index;
  const weighting = index.weighting ?? fail("the related index was made without its weighting");
  const nowOf = (d: number): Iterable<number> => featIds.subarray(featOffsets[d]!, featOffsets[d + 1]!);
  const [df, frequency, scope] = [new Map<number, number>(), new Map<number, number>(), new Map<number, number>()];
  for (const [x, features] of before) {
    for (const [list, by] of [[features, 1], [nowOf(x), -1]] as const) {
      for (const f of list) {
        if (!gainedOrLost[f]) continue;
        const text = featureSignal[f] === TEXT;
        if (!df.has(f)) {
          df.set(f, holders.get(f)?.length ?? 0);
          frequency.set(f, weighting.frequency[f]!);
          // A term is of its documents' language.
          scope.set(f, text ? weighting.scopeByLang[docLang[x]!]! : weighting.scopeAll);
        }
        df.set(f, df.get(f)! + by);
        if (text) frequency.set(f, frequency.get(f)! + by);
      }
    }
  }
  for (const story of new Set([...before.keys()].map((x) => docStory[x]!))) {
    const [had, has] = [new Set<number>(), new Set<number>()];
    for (let k = storyOffsets[story]!; k < storyOffsets[story + 1]!; k++) {
      for (const f of before.get(storyDocs[k]!) ?? nowOf(storyDocs[k]!)) had.add(f);
      for (const f of nowOf(storyDocs[k]!)) has.add(f);
    }
    for (const f of had) if (featureSignal[f] !== TEXT && !has.has(f)) frequency.set(f, frequency.get(f)! + 1);
    for (const f of has) if (featureSignal[f] !== TEXT && !had.has(f)) frequency.set(f, frequency.get(f)! - 1);
  }
  const idf = weighting.idf.slice();
  for (const [f, was] of frequency) idf[f] = idfOf(scope.get(f)!, was);
  return { df, frequency, scope, idf };
}

/**
 * Marks the readers of the postings an edit changed beyond an edited document's place in them (its
 * place now is `markReaders`'): of a feature that generates candidates now and did not, or the other
 * way round, or whose postings are all read now and were not (or the other way round), every
 * document that has it; of one whose postings are all read, every one too; of one read within a
 * window, the documents near an edited document's place of before, where it lost the feature.
 */
function markPostingChanges(index: RelatedIndex, { before, holders }: FeatureEdits, counts: CountsBefore, affected: Marks): void {
  const { featureSearched, postOffsets, postDocs, tuning } = index;
  const { window, margin } = marginOf(index);
  for (const [f, dfBefore] of counts.df) {
    const [frequency, scope] = [counts.frequency.get(f)!, counts.scope.get(f)!];
    const searchedBefore = frequency > 1 && frequency <= Math.max(tuning.maxShare * scope, tuning.minCommon);
    const [lo, hi] = [postOffsets[f]!, postOffsets[f + 1]!];
    const allReadBefore = dfBefore <= 2 * window;
    if (searchedBefore !== (featureSearched[f] === 1) || (searchedBefore && (allReadBefore || hi - lo <= 2 * window))) {
      for (const d of holders.get(f) ?? []) affected.mark(d);
      continue;
    }
    if (!searchedBefore) continue;
    // Read within a window before and now: near the place of each edited document that lost it.
    for (const [x, features] of before) {
      if (!features.has(f)) continue;
      const place = placeIn(postDocs, lo, hi, x);
      if (place < hi && postDocs[place] === x) continue;
      for (let p = Math.max(lo, place - margin); p < Math.min(hi, place + margin + 1); p++) affected.mark(postDocs[p]!);
    }
  }
}

/**
 * Per feature, how far its weight moved at most in a document reweighted but not edited
 * (`reweighted`), whose features are those of the last full build: the index's weight against the
 * weight the same computation gives with the IDFs of before (`idfBefore`). Only the features the
 * edits gained or lost changed how many documents (stories) have them, and so their IDF; every
 * other weight of such a document moved with the scale of its signal.
 */
export function weightShifts(index: RelatedIndex, idfBefore: Float64Array, reweighted: readonly number[], rows: FeatureRows): Float64Array {
  const { featOffsets, featWeights, featureSignal, docLang, inputOf, tuning } = index;
  const weighting = index.weighting ?? fail("the related index was made without its weighting");
  const shifts = new Float64Array(idfBefore.length);
  const scales = new Float64Array(3);
  const backgroundAll = background(weighting.scopeAll, tuning);
  for (const b of reweighted) {
    const row = inputOf[b]!;
    const [start, end] = [rows.offsets[row]!, rows.offsets[row + 1]!];
    if (end - start !== featOffsets[b + 1]! - featOffsets[b]!) throw new Error("Internal: the related rows are not the index's");
    unitScales(rows.weights, rows.ids, featureSignal, idfBefore, start, end, backgroundAll, background(weighting.scopeByLang[docLang[b]!]!, tuning), scales);
    for (let k = start, i = featOffsets[b]!; k < end; k++, i++) {
      const f = rows.ids[k]!;
      const shift = Math.abs(featWeights[i]! - Math.fround(rows.weights[k]! * idfBefore[f]! * scales[featureSignal[f]!]!));
      if (shift > shifts[f]!) shifts[f] = shift;
    }
  }
  return shifts;
}

/**
 * Marks each list not marked yet whose margins the weight shifts can cross. A pair's product of
 * weights for a shared feature, wa · wb, moves by at most sa · (wb + s) + (wa + sa) · s + sa · s,
 * s its shift in any reweighted document and sa in the list's own (s when reweighted, else 0), wb
 * at most the feature's largest weight (`largestWeight`). A candidate's partial score is such
 * products over the list's query features times their signals' weights (see `gather`): bounded
 * here by all its features that generate candidates. An exact score's content part of a signal
 * is the pair weight times the sum of the products, rounded to millionths: it moves by at most the
 * largest pair weight times the sum of the bounds, plus one. A reweighted document's own query
 * features stay the same while its weights move by less than half the query margin. A list none
 * of whose features shifted reads the very same numbers.
 */
function markCrossed(index: RelatedIndex, shifts: Float64Array, inReweighted: Uint8Array, margins: ListMargins, affected: Marks): void {
  const boundOf = shiftBounds(index, shifts);
  for (let a = 0; a < index.n; a++) {
    if (affected.has(a)) continue;
    const bound = boundOf(a, inReweighted[a] === 1);
    if (bound === null) continue;
    const at = index.inputOf[a]!;
    if (!(2 * bound.partial < margins.heap[at]! && 2 * bound.micro < margins.score[at]! && 2 * bound.query < margins.query[at]!)) affected.mark(a);
  }
}

/** How far a list's numbers can move at most (see `markCrossed`): its candidates' partial scores, their exact scores in millionths, its own query weights. */
export interface ShiftBound {
  partial: number;
  micro: number;
  query: number;
}

/**
 * The bounds of `markCrossed` for document a of the index, given the features' weight shifts:
 * `own` when a is reweighted itself; null when none of its features shifted (its lists read the
 * very same numbers).
 */
export function shiftBounds(index: RelatedIndex, shifts: Float64Array): (a: number, own: boolean) => ShiftBound | null {
  const { featOffsets, featIds, featWeights, featureSignal, featureSearched, weights, pairWeights } = index;
  const largestPair = [0, 0, 0];
  for (let k = 0; k < pairWeights.length; k++) largestPair[k % 3] = Math.max(largestPair[k % 3]!, pairWeights[k]!);
  const largestWeight = new Float64Array(shifts.length);
  for (let i = 0; i < featIds.length; i++) if (shifts[featIds[i]!]! > 0 && featWeights[i]! > largestWeight[featIds[i]!]!) largestWeight[featIds[i]!] = featWeights[i]!;
  const sums = new Float64Array(3);
  return (a, own) => {
    let partial = 0;
    let query = 0;
    sums.fill(0);
    for (let i = featOffsets[a]!; i < featOffsets[a + 1]!; i++) {
      const f = featIds[i]!;
      const s = shifts[f]!;
      if (s === 0) continue;
      const signal = featureSignal[f]!;
      const product = own ? s * (largestWeight[f]! + featWeights[i]! + 3 * s) : featWeights[i]! * s;
      sums[signal]! += product;
      if (!featureSearched[f]) continue;
      partial += weights[signal]! * product;
      if (own) query = Math.max(query, weights[signal]! * s);
    }
    if (partial === 0 && sums[0] === 0 && sums[1] === 0 && sums[2] === 0) return null;
    let micro = 0;
    for (let signal = 0; signal < 3; signal++) if (sums[signal]! > 0) micro += Math.ceil(largestPair[signal]! * sums[signal]! * MICRO + 1e-6) + 1;
    // Slack for the order floating-point sums are made in.
    return { partial: partial > 0 ? partial * (1 + 1e-9) + 1e-12 : 0, micro, query: query * (1 + 1e-9) };
  };
}

/** Document numbers marked, with their count. */
class Marks {
  private readonly marked: Uint8Array;
  count = 0;

  constructor(n: number) {
    this.marked = new Uint8Array(n);
  }

  has(d: number): boolean {
    return this.marked[d] === 1;
  }

  mark(d: number): void {
    if (this.marked[d]) return;
    this.marked[d] = 1;
    this.count++;
  }

  ids(index: RelatedIndex): Set<string> {
    const ids = new Set<string>();
    for (let d = 0; d < this.marked.length; d++) if (this.marked[d]) ids.add(index.docs[d]!.id);
    return ids;
  }
}

/** A document's window ends at `after ± window`, `after` its place plus one: two more on either side. */
function marginOf(index: RelatedIndex): { window: number; margin: number } {
  const window = Math.max(1, Math.floor(index.tuning.window));
  return { window, margin: window + 2 };
}

/** The place of document `x` in the postings `lo..hi` (sorted by document), or where it would go. */
function placeIn(postDocs: Int32Array, lo: number, hi: number, x: number): number {
  let [low, high] = [lo, hi];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (postDocs[middle]! < x) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Marks every document whose search can read document `b`'s postings: near its place in each of its features that generate candidates. */
function markReaders(index: RelatedIndex, b: number, affected: Marks): void {
  const { postOffsets, postDocs, featOffsets, featIds, featureSearched } = index;
  const { window, margin } = marginOf(index);
  for (let i = featOffsets[b]!; i < featOffsets[b + 1]!; i++) {
    const f = featIds[i]!;
    if (!featureSearched[f]) continue;
    const [lo, hi] = [postOffsets[f]!, postOffsets[f + 1]!];
    if (hi - lo <= 2 * window) {
      for (let p = lo; p < hi; p++) affected.mark(postDocs[p]!);
      continue;
    }
    const place = placeIn(postDocs, lo, hi, b);
    for (let p = Math.max(lo, place - margin); p < Math.min(hi, place + margin + 1); p++) affected.mark(postDocs[p]!);
  }
}

/** Marks a document moved in time (`time`: before) and the documents that read its postings near its new place or its old one. */
function markMove(index: RelatedIndex, x: number, time: number, affected: Marks): void {
  const { postOffsets, postDocs, featOffsets, featIds, featureSearched, docTime, docs } = index;
  const { window, margin } = marginOf(index);
  const id = docs[x]!.id;
  affected.mark(x);
  const before = Number.isFinite(time) ? time : 0;
  /** Whether document d stands after the moved one at its old time, in index order (date, then id). */
  const afterOld = (d: number) => docTime[d]! > before || (docTime[d]! === before && compareStrings(docs[d]!.id, id) > 0);
  for (let i = featOffsets[x]!; i < featOffsets[x + 1]!; i++) {
    const f = featIds[i]!;
    if (!featureSearched[f]) continue;
    const [lo, hi] = [postOffsets[f]!, postOffsets[f + 1]!];
    const near = (at: number) => {
      for (let p = Math.max(lo, at - margin); p < Math.min(hi, at + margin + 1); p++) affected.mark(postDocs[p]!);
    };
    if (hi - lo <= 2 * window) {
      for (let p = lo; p < hi; p++) affected.mark(postDocs[p]!);
      continue;
    }
    // Postings are in index order: its place now, and where its old time would put it among the others.
    const place = placeIn(postDocs, lo, hi, x);
    near(place);
    const others = (v: number) => lo + v + (lo + v >= place ? 1 : 0);
    let [low, high] = [0, hi - lo - 1];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (!afterOld(postDocs[others(middle)]!)) low = middle + 1;
      else high = middle;
    }
    near(low < hi - lo - 1 ? others(low) : hi);
  }
}

/** Marks every document of a story one of whose versions pins stories: each version's list shows the pins of all (see `storyLists`). */
function markPinnedStories(index: RelatedIndex, affected: Marks): void {
  const { storyOffsets, storyDocs, docStory, docs } = index;
  for (let d = 0; d < index.n; d++) {
    if (docs[d]!.pins.length === 0) continue;
    const story = docStory[d]!;
    for (let k = storyOffsets[story]!; k < storyOffsets[story + 1]!; k++) affected.mark(storyDocs[k]!);
  }
}

function fail(message: string): never {
  throw new Error(`Internal: ${message}`);
}
