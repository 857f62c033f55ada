import { compareStrings } from "./extract-features.js";
import type { RelatedIndex } from "./compute-related.js";

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
 */
export function affectedByFeatures(index: RelatedIndex, changes: readonly FeatureChange[], limit: number): Set<string> | null {
  const { n, docs, featOffsets, featIds, docTime } = index;
  const affected = new Marks(n);
  const numberOf = new Map(docs.map((doc, d) => [doc.id, d]));
  const gainedOrLost = new Uint8Array(index.featureKey.length);
  const changed: number[] = [];
  for (const change of changes) {
    const x = numberOf.get(change.id);
    if (x === undefined) throw new Error(`Internal: no related document ${change.id}`);
    changed.push(x);
    const now = new Set(featIds.subarray(featOffsets[x]!, featOffsets[x + 1]!));
    for (const f of change.features) if (!now.has(f)) gainedOrLost[f] = 1;
    for (const f of now) if (!change.features.has(f)) gainedOrLost[f] = 1;
    const before = Number.isFinite(change.time) ? change.time : 0;
    if (before !== docTime[x]) markMove(index, x, change.time, affected);
    // Its story's versions show the pins and excludes of all (see `storyLists`): its own may have changed.
    for (let k = index.storyOffsets[index.docStory[x]!]!; k < index.storyOffsets[index.docStory[x]! + 1]!; k++) affected.mark(index.storyDocs[k]!);
  }
  const inChanged = new Uint8Array(n);
  for (const x of changed) inChanged[x] = 1;
  // The documents with a feature gained or lost (none when only counts changed).
  const anyGainedOrLost = gainedOrLost.includes(1);
  for (let d = 0; anyGainedOrLost && d < n; d++) {
    for (let i = featOffsets[d]!; i < featOffsets[d + 1]! && !inChanged[d]; i++) {
      if (gainedOrLost[featIds[i]!]) {
        inChanged[d] = 1;
        changed.push(d);
      }
    }
  }
  if (changed.length > limit) return null;
  for (const b of changed) {
    affected.mark(b);
    markReaders(index, b, affected);
    if (affected.count > limit) return null;
  }
  markPinnedStories(index, affected);
  return affected.count > limit ? null : affected.ids(index);
}

/** Document numbers marked, with their count. */
class Marks {
  private readonly marked: Uint8Array;
  count = 0;

  constructor(n: number) {
    this.marked = new Uint8Array(n);
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
