import type { RelatedDoc } from "./extract-features.js";
import { FNV_OFFSET, FNV_PRIME } from "../util/fnv.js";
import { equalsRange } from "../util/text.js";

/**
 * Every document's related-articles features interned once: a table of features (signal, key,
 * language) and a row of feature numbers with their count weights per document. The index
 * (compute-related.ts) is built from these rows; the cache keeps them (cache/related-features.ts),
 * so that a delta build puts an edited document's row in instead of interning 20,000 documents'
 * ~800,000 strings again. Feature numbers follow first sight and decide nothing: scores sum in
 * row order.
 */
export interface FeatureRows {
  /** Per feature: its signal (ENTITIES, TOPICS, TEXT), key (entity id, topic id, term), and language (a term's; "" for entities and topics). */
  readonly signals: number[];
  readonly keys: string[];
  readonly langs: string[];
  /** Per document, in the documents' order: its features (CSR: `offsets[d]..offsets[d+1]`), each once, in the document's order (entities, topics, terms), and their count weights. */
  readonly offsets: Int32Array;
  readonly ids: Int32Array;
  readonly weights: Float64Array;
}

export const ENTITIES = 0;
export const TOPICS = 1;
export const TEXT = 2;

/** The rows of `docs`, in their order. */
export function internFeatures(docs: readonly RelatedDoc[]): FeatureRows {
  const interner = new Interner({ signals: [], keys: [], langs: [] });
  let total = 0;
  for (const doc of docs) total += doc.entities.length + doc.topics.length + doc.termCounts.length;
  const offsets = new Int32Array(docs.length + 1);
  const ids = new Int32Array(total);
  const weights = new Float64Array(total);
  let used = 0;
  for (let d = 0; d < docs.length; d++) {
    used = interner.row(docs[d]!, ids, weights, used);
    offsets[d + 1] = used;
  }
  return { ...interner.table, offsets, ids: ids.slice(0, used), weights: weights.slice(0, used) };
}

/**
 * `rows` with the rows of some documents (by number) made from new features: features new to the
 * table are added to a copy of it. The table of a large site is not hashed again: one pass over it
 * finds the features the new rows name.
 */
export function replaceRows(rows: FeatureRows, replacements: ReadonlyMap<number, RelatedDoc>): FeatureRows {
  const table = { signals: [...rows.signals], keys: [...rows.keys], langs: [...rows.langs] };
  // The features the new rows name, as the rows name them: interned on their own first.
  const named = internFeatures([...replacements.values()]);
  const wanted = new Set(named.keys.map((key, f) => featureName(named.signals[f]!, key, named.langs[f]!)));
  const wantedKeys = new Set(named.keys);
  const known: number[] = [];
  for (let f = 0; f < table.keys.length; f++) {
    if (wantedKeys.has(table.keys[f]!) && wanted.has(featureName(table.signals[f]!, table.keys[f]!, table.langs[f]!))) known.push(f);
  }
  const interner = new Interner(table, known);
  const n = rows.offsets.length - 1;
  let total = rows.ids.length;
  for (const [d, doc] of replacements) total += doc.entities.length + doc.topics.length + doc.termCounts.length - (rows.offsets[d + 1]! - rows.offsets[d]!);
  const offsets = new Int32Array(n + 1);
  const ids = new Int32Array(Math.max(total, rows.ids.length));
  const weights = new Float64Array(ids.length);
  let used = 0;
  // The rows between two replaced ones are copied at once, their offsets shifted.
  let from = 0;
  const copyUpTo = (end: number) => {
    const [start, stop] = [rows.offsets[from]!, rows.offsets[end]!];
    ids.set(rows.ids.subarray(start, stop), used);
    weights.set(rows.weights.subarray(start, stop), used);
    for (let d = from; d < end; d++) offsets[d + 1] = rows.offsets[d + 1]! - start + used;
    used += stop - start;
  };
  for (const d of [...replacements.keys()].sort((a, b) => a - b)) {
    if (!(d >= 0 && d < n)) throw new Error(`Internal: no related-articles features row ${d}`);
    copyUpTo(d);
    used = interner.row(replacements.get(d)!, ids, weights, used);
    offsets[d + 1] = used;
    from = d + 1;
  }
  copyUpTo(n);
  // Most often the rows fill the arrays exactly (a feature listed twice in a new row leaves room): no second copy of ~12 MB.
  return { ...table, offsets, ids: used === ids.length ? ids : ids.slice(0, used), weights: used === weights.length ? weights : weights.slice(0, used) };
}

/** Whether document `a` of `rowsA` and `b` of `rowsB` have the same features with the same weights, in the same order. */
export function sameRow(rowsA: FeatureRows, a: number, rowsB: FeatureRows, b: number): boolean {
  const [startA, endA, startB] = [rowsA.offsets[a]!, rowsA.offsets[a + 1]!, rowsB.offsets[b]!];
  if (endA - startA !== rowsB.offsets[b + 1]! - startB) return false;
  for (let k = 0; k < endA - startA; k++) {
    const [f, g] = [rowsA.ids[startA + k]!, rowsB.ids[startB + k]!];
    if (rowsA.weights[startA + k] !== rowsB.weights[startB + k] || rowsA.signals[f] !== rowsB.signals[g] || rowsA.keys[f] !== rowsB.keys[g] || rowsA.langs[f] !== rowsB.langs[g]) return false;
  }
  return true;
}

/** 1 + ln(count): a feature said ten times is not ten times the evidence. */
export function countWeight(count: number | undefined): number {
  const c = count !== undefined && count > 1 ? Math.floor(count) : 1;
  return c < LOG_TABLE.length ? LOG_TABLE[c]! : 1 + Math.log(c);
}

const LOG_TABLE = Float64Array.from({ length: 256 }, (_, c) => 1 + Math.log(Math.max(1, c)));

function featureName(signal: number, key: string, lang: string): string {
  return `${signal}\u0000${lang}\u0000${key}`;
}

type FeatureTable = Pick<FeatureRows, "signals" | "keys" | "langs">;

/** Interns documents' features into a table, a row at a time. */
class Interner {
  private readonly entityIds = new Map<string, number>();
  private readonly topicIds = new Map<string, number>();
  private readonly termIds: TermTable;
  private readonly langNumbers = new Map<string, number>();
  /** Per feature: its language's number, for terms entered in `termIds` (else -1). */
  private readonly langOf: number[];
  /** Per feature, the last row that had it: a feature listed twice in one document counts once. */
  private lastRow = new Int32Array(1024).fill(-1);
  private rowNumber = 0;

  /** `known`: the features of `table` to look up (the first of equal ones; any others are not found again). */
  constructor(
    readonly table: FeatureTable,
    known: readonly number[] = [],
  ) {
    this.langOf = new Array<number>(table.keys.length).fill(-1);
    this.termIds = new TermTable(table.keys, this.langOf);
    for (const f of known) {
      const key = table.keys[f]!;
      const signal = table.signals[f]!;
      if (signal === ENTITIES && !this.entityIds.has(key)) this.entityIds.set(key, f);
      else if (signal === TOPICS && !this.topicIds.has(key)) this.topicIds.set(key, f);
      else if (signal === TEXT) {
        const lang = this.langNumber(table.langs[f]!);
        if (this.termIds.find(lang, key, 0, key.length) >= 0) continue;
        this.langOf[f] = lang;
        this.termIds.add(lang, key, 0, key.length, f);
      }
    }
  }

  /** Writes the row of `doc` from `at`; returns where it ends. */
  row(doc: RelatedDoc, ids: Int32Array, weights: Float64Array, at: number): number {
    const row = this.rowNumber++;
    let used = at;
    const put = (f: number, weight: number) => {
      if (f >= this.lastRow.length) {
        const grown = new Int32Array(Math.max(f + 1, this.lastRow.length * 2)).fill(-1);
        grown.set(this.lastRow);
        this.lastRow = grown;
      }
      if (this.lastRow[f] === row) return;
      this.lastRow[f] = row;
      ids[used] = f;
      weights[used++] = weight;
    };
    for (let k = 0; k < doc.entities.length; k++) {
      let f = this.entityIds.get(doc.entities[k]!);
      if (f === undefined) this.entityIds.set(doc.entities[k]!, (f = this.add(ENTITIES, doc.entities[k]!, "")));
      put(f, countWeight(doc.entityCounts[k]));
    }
    for (const topic of doc.topics) {
      let f = this.topicIds.get(topic);
      if (f === undefined) this.topicIds.set(topic, (f = this.add(TOPICS, topic, "")));
      put(f, 1);
    }
    // Terms: read in place from the space-separated string, no substring unless the term is new.
    const lang = this.langNumber(doc.lang);
    const text = doc.terms;
    let count = 0;
    for (let from = 0; from < text.length && count < doc.termCounts.length; ) {
      let to = text.indexOf(" ", from);
      if (to < 0) to = text.length;
      if (to > from) {
        let f = this.termIds.find(lang, text, from, to);
        if (f < 0) this.termIds.add(lang, text, from, to, (f = this.add(TEXT, text.slice(from, to), doc.lang)));
        put(f, countWeight(doc.termCounts[count++]));
      }
      from = to + 1;
    }
    return used;
  }

  private add(signal: number, key: string, lang: string): number {
    this.table.signals.push(signal);
    this.table.keys.push(key);
    this.table.langs.push(lang);
    this.langOf.push(signal === TEXT ? this.langNumber(lang) : -1);
    return this.table.keys.length - 1;
  }

  private langNumber(lang: string): number {
    let number = this.langNumbers.get(lang);
    if (number === undefined) this.langNumbers.set(lang, (number = this.langNumbers.size));
    return number;
  }
}

/**
 * (language, term) -> feature number, looked up straight in a document's space-separated `terms`:
 * hashing the characters in place spares a substring and a Map lookup per term (8 million at
 * 200,000 documents).
 */
class TermTable {
  private slots = new Int32Array(1 << 12).fill(-1);
  private hashes = new Int32Array(1 << 12);
  private size = 0;

  constructor(
    private readonly keys: readonly string[],
    private readonly langs: readonly number[],
  ) {}

  find(lang: number, text: string, start: number, end: number): number {
    const hash = hashRange(lang, text, start, end);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id < 0) return -1;
      if (this.hashes[slot] === hash && this.langs[id] === lang && equalsRange(this.keys[id]!, text, start, end)) return id;
    }
  }

  add(lang: number, text: string, start: number, end: number, id: number): void {
    if (2 * (this.size + 1) > this.slots.length) this.rehash();
    this.place(hashRange(lang, text, start, end), id);
    this.size++;
  }

  private place(hash: number, id: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot]! >= 0) slot = (slot + 1) & mask;
    this.slots[slot] = id;
    this.hashes[slot] = hash;
  }

  private rehash(): void {
    const { slots, hashes } = this;
    this.slots = new Int32Array(slots.length * 2).fill(-1);
    this.hashes = new Int32Array(slots.length * 2);
    for (let slot = 0; slot < slots.length; slot++) if (slots[slot]! >= 0) this.place(hashes[slot]!, slots[slot]!);
  }
}

/** FNV-1a over the language and the characters text[start..end). */
function hashRange(lang: number, text: string, start: number, end: number): number {
  let hash = Math.imul(FNV_OFFSET ^ lang, FNV_PRIME);
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash & 0x7fffffff;
}
