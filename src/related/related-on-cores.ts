/**
 * Related lists on two cores: this thread and a helper thread, started before the index is built
 * (its start-up, ~40-60 ms, overlaps that), each taking blocks of lists from one shared counter
 * until none are left, so that a helper that starts late, or shares its core with other work, just
 * takes fewer. The helper runs the same search (`computeBlocks`) over the same index, so every list
 * is the one computeRelated makes; the map comes out in index order, as computeRelated's does. The
 * index's largest arrays are shared with it when built for a helper (`buildRelatedIndex(…, shared)`;
 * copied otherwise: ~45 MB at 30,000 stories), its small ones and the documents' ids copied.
 * Only lists without reasons are computed so (pages show none): the helper's index has no feature keys.
 *
 * Used where the lists are the wait: a delta build whose edit changed features, and `gazette dev`
 * settling its lists. Not in a full build: there they are ~1-3 % of the time (0.3-0.7 s of ~26 s
 * at 10,000 stories), and at 30,000 stories the peak memory was higher with a helper in every run
 * (1,488,384-1,534,964 KiB; 1,454,892 and 1,498,456 without), close to the 1.5 GB target.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { RelatedEntry, RelatedMap } from "../types.js";
import { computeBlocks, computeRelated, entryOf, type RelatedIndex, type RelatedOptions } from "./compute-related.js";
import type { RelatedDoc } from "./extract-features.js";

const WORKER_FILE = new URL("./related-worker.js", import.meta.url);

/**
 * Below this many lists (~16 µs each) the helper's start (~40-60 ms of a core, often one the main
 * thread needs on a busy machine) is most of what it saves: measured with its start and the index,
 * 20,025 lists 468 -> 441 ms (in `bench:related` and whole deltas: no difference), 60,071 lists
 * 1,231 -> 957 ms.
 */
export const MIN_PARALLEL_LISTS = 25_000;
/** Lists per block: ~4 ms of work, so that neither thread waits long for the other's last block. */
const BLOCK_SIZE = 256;

/**
 * What the helper is sent: the index without its feature keys, the documents' numbers to list, and
 * two shared Int32 slots: the next block (COUNTER) and whether the helper joined (STATE, see `joins`).
 */
export interface HelperTask {
  index: IndexWire;
  positions: Int32Array;
  blockSize: number;
  counter: SharedArrayBuffer;
}

export const COUNTER = 0;
export const STATE = 1;
const [OPEN, JOINED, CLOSED] = [0, 1, 2];

/** Slots for a task's `counter`. */
export function helperSlots(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/**
 * The helper's claim to take part, before its first block: false once this thread, done with every
 * block, has closed the task, which it then does not wait for (a helper still starting when a few
 * thousand lists are done, or when a delta's lists turned out few).
 */
export function joins(slots: Int32Array): boolean {
  return Atomics.compareExchange(slots, STATE, OPEN, JOINED) === OPEN;
}

/** The index's typed arrays, all a search reads of it but the documents (and the feature keys, when explaining). */
const ARRAY_FIELDS = ["docSignals", "pairWeights", "docLang", "docStory", "docTime", "featOffsets", "featIds", "featWeights", "featureSignal", "featureSearched", "postOffsets", "postDocs", "postWeights", "storyOffsets", "storyDocs", "inputOf"] as const;
type IndexArrays = Pick<RelatedIndex, (typeof ARRAY_FIELDS)[number]>;

/** A RelatedIndex as the helper gets it: its typed arrays, and of each document what a search reads (id, story, language, pins, excludes). */
export interface IndexWire extends IndexArrays, Pick<RelatedIndex, "n" | "tuning" | "weights" | "thresholdMicro"> {
  options: RelatedOptions;
  ids: string[];
  storyKeys: string[];
  langs: string[];
  /** The documents with pins or excludes: [number, pins, excludes]. */
  lists: [number, readonly string[], readonly string[]][];
}

/**
 * A helper thread for the related lists, started now (null when it would not pay: one core, a
 * site of fewer than MIN_PARALLEL_LISTS lists, no compiled worker file when running from the
 * TypeScript sources). GAZETTE_RELATED_THREAD=1 starts one for any number of lists (tests), 0 never.
 */
export function startRelatedHelper(lists: number, env: NodeJS.ProcessEnv = process.env): RelatedHelper | null {
  const configured = env.GAZETTE_RELATED_THREAD;
  if (configured === "0" || !existsSync(fileURLToPath(WORKER_FILE))) return null;
  if (configured !== "1" && (lists < MIN_PARALLEL_LISTS || availableParallelism() < 2)) return null;
  return new RelatedHelper();
}

/** What computes the other share of the lists: its answer encoded (see `readAnswer`), or an Error, never a rejection. */
export interface ListHelper {
  run(task: HelperTask): Promise<Int32Array | Error>;
  close(): void;
}

/** A worker thread that computes one share of lists; an error or an exit before its answer is reported as an Error. */
export class RelatedHelper implements ListHelper {
  private readonly worker: Worker;
  private readonly answer: Promise<Int32Array | Error>;
  private closed = false;

  constructor() {
    this.worker = new Worker(WORKER_FILE);
    this.worker.unref();
    this.answer = new Promise((resolve) => {
      this.worker.once("message", (lists: Int32Array) => resolve(lists));
      this.worker.once("error", (error) => resolve(error));
      this.worker.once("exit", (code) => resolve(new Error(`the related-lists thread exited with code ${code}`)));
    });
  }

  /** Hands the helper its task; its lists come back encoded (see related-worker.ts). */
  run(task: HelperTask): Promise<Int32Array | Error> {
    this.worker.postMessage(task);
    return this.answer;
  }

  /** Stops the thread (again: nothing). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.worker.terminate();
  }
}

/** The lists, and how many of them the helper made (0 without one). */
export interface ListsOnCores {
  lists: RelatedMap;
  helped: number;
}

/**
 * computeRelated(docs, options, index), the lists shared with `helper` when it is given, reasons
 * are off, and there are enough of them; else all on this thread. The helper is closed either way.
 * Should it fail, this thread computes the lists it had taken.
 */
export async function computeRelatedOnCores(docs: readonly RelatedDoc[], options: RelatedOptions, index: RelatedIndex, helper: ListHelper | null, env: NodeJS.ProcessEnv = process.env): Promise<ListsOnCores> {
  const only = options.only ? new Set(options.only) : null;
  const positions = new Int32Array(only ? only.size : index.n);
  let count = 0;
  for (let d = 0; d < index.n && count < positions.length; d++) if (!only || only.has(index.docs[d]!.id)) positions[count++] = d;
  if (!helper || options.explain !== false || (count < MIN_PARALLEL_LISTS && env.GAZETTE_RELATED_THREAD !== "1")) {
    helper?.close();
    return { lists: computeRelated(docs, options, index), helped: 0 };
  }
  const mine = positions.subarray(0, count);
  const slots = helperSlots();
  const theirs = helper.run({ index: wireOf(index), positions: mine, blockSize: BLOCK_SIZE, counter: slots.buffer as SharedArrayBuffer });
  const lists = new Array<RelatedEntry[] | undefined>(count);
  computeBlocks(index, mine, BLOCK_SIZE, () => Atomics.add(slots, COUNTER, 1), (slot, entries) => (lists[slot] = entries));
  // Waited for only if it joined (then its blocks are under way, or it has none left to take).
  const joined = Atomics.compareExchange(slots, STATE, OPEN, CLOSED) === JOINED;
  const answer = joined ? await theirs : null;
  helper.close();
  const helped = answer && !(answer instanceof Error) ? readAnswer(index, mine, answer, lists) : 0;
  // The lists a failed helper had taken (none otherwise).
  const missing = Int32Array.from(lists.keys()).filter((slot) => lists[slot] === undefined);
  if (missing.length > 0) {
    let once = 0;
    computeBlocks(index, missing.map((slot) => mine[slot]!), missing.length, () => once++, (k, entries) => (lists[missing[k]!] = entries));
  }
  const result = new Map<string, readonly RelatedEntry[]>();
  for (let slot = 0; slot < count; slot++) result.set(index.docs[mine[slot]!]!.id, lists[slot]!);
  return { lists: result, helped };
}

/**
 * The helper's lists, each `slot, count`, then `document, score in millionths, pinned (0 or 1)` per
 * entry, made entries as this thread makes them; returns how many lists it made.
 */
export function readAnswer(index: RelatedIndex, positions: Int32Array, answer: Int32Array, lists: (RelatedEntry[] | undefined)[]): number {
  let made = 0;
  for (let at = 0; at < answer.length; made++) {
    const slot = answer[at++]!;
    const length = answer[at++]!;
    const entries = new Array<RelatedEntry>(length);
    for (let k = 0; k < length; k++, at += 3) entries[k] = entryOf(index, positions[slot]!, answer[at]!, answer[at + 1]!, answer[at + 2] === 1);
    lists[slot] = entries;
  }
  return made;
}

/** The index as a helper gets it (see IndexWire). */
export function wireOf(index: RelatedIndex): IndexWire {
  const { n, tuning, weights, thresholdMicro, docs } = index;
  const arrays = {} as Record<(typeof ARRAY_FIELDS)[number], unknown>;
  for (const field of ARRAY_FIELDS) arrays[field] = index[field];
  const lists: IndexWire["lists"] = [];
  docs.forEach((doc, d) => {
    if (doc.pins.length > 0 || doc.exclude.length > 0) lists.push([d, doc.pins, doc.exclude]);
  });
  const { only: _all, ...options } = index.options;
  return {
    n,
    tuning,
    weights,
    thresholdMicro,
    options: { ...options, explain: false },
    ...(arrays as IndexArrays),
    ids: docs.map((doc) => doc.id),
    storyKeys: docs.map((doc) => doc.storyKey),
    langs: docs.map((doc) => doc.lang),
    lists,
  };
}

const NONE: readonly never[] = Object.freeze([]);

/** The helper's index: documents with what a search reads (no features: their rows are in the arrays), and no feature keys (read only when explaining). */
export function indexFromWire(wire: IndexWire): RelatedIndex {
  const { ids, storyKeys, langs, lists, ...rest } = wire;
  const pinsOf = new Map(lists.map(([d, pins, exclude]) => [d, { pins, exclude }]));
  // One literal of one shape for every document (spreading made each a slow object of its own: ~15 µs apiece).
  const docs = ids.map((id, d): RelatedDoc => {
    const { pins, exclude } = pinsOf.get(d) ?? { pins: NONE, exclude: NONE };
    return { id, storyKey: storyKeys[d]!, lang: langs[d]!, time: wire.docTime[d]!, entities: NONE, entityNames: NONE, entityCounts: NONE, topics: NONE, topicNames: NONE, terms: "", termCounts: NONE, pins, exclude };
  });
  const storyIndex = new Map<string, number>();
  docs.forEach((doc, d) => storyIndex.set(doc.storyKey, wire.docStory[d]!));
  return { ...rest, docs, storyIndex, featureKey: NONE };
}
