/**
 * The related lists computed on two threads (src/related/related-on-cores.ts) must be exactly those of
 * one: the compiled module is loaded, so that its helper's worker file exists beside it.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RelatedDoc } from "../../../src/related/extract-features.js";
import type { RelatedEntry, RelatedMap } from "../../../src/types.js";
import { REPO_ROOT } from "../../helpers/temp-site.js";
import { DEFAULT_OPTIONS } from "./make-article.js";
import { corpus } from "./make-corpus.js";

type Cores = typeof import("../../../src/related/related-on-cores.js");
type Compute = typeof import("../../../src/related/compute-related.js");

const OPTIONS = { ...DEFAULT_OPTIONS, explain: false };
/** The helper for any number of lists. */
const FORCED = { GAZETTE_RELATED_THREAD: "1" };

async function compiled(): Promise<{ cores: Cores; compute: Compute }> {
  const file = path.join(REPO_ROOT, "dist/related/related-on-cores.js");
  if (!existsSync(file)) throw new Error("dist/ is missing: `npm test` compiles it first (npm run compile)");
  expect(existsSync(path.join(REPO_ROOT, "dist/related/related-worker.js"))).toBe(true); // else no helper starts
  return { cores: (await import(file)) as Cores, compute: (await import(path.join(REPO_ROOT, "dist/related/compute-related.js"))) as Compute };
}

/** Lists as comparable values, in the map's order. */
const entriesOf = (lists: RelatedMap) => [...lists];

/** The corpus, with every 40th document excluding the story its list would show first (so that excludes change lists). */
async function withExcludes(): Promise<RelatedDoc[]> {
  const { compute } = await compiled();
  const plain = corpus(1500, 3);
  const lists = compute.computeRelated(plain, OPTIONS);
  return plain.map((doc, i) => {
    const first = lists.get(doc.id)?.find((entry) => !entry.pinned);
    return i % 40 === 0 && first ? { ...doc, exclude: [first.id.slice(0, first.id.lastIndexOf("/"))] } : doc;
  });
}

describe("related lists on two threads", () => {
  // Pins (every 97th story), excludes, and translations listed as fallbacks.
  let docs: RelatedDoc[] = [];
  beforeAll(async () => {
    docs = await withExcludes();
    expect(docs.filter((doc) => doc.exclude.length > 0).length).toBeGreaterThan(20);
  });

  it("the helper alone makes every list as one thread does, pins, excludes and other languages' versions included", async () => {
    const { cores, compute } = await compiled();
    for (const shared of [false, true]) {
      const index = compute.buildRelatedIndex(docs, OPTIONS, undefined, shared);
      const expected = compute.computeRelated(docs, OPTIONS, index);
      const entries = [...expected.values()].flat();
      expect(entries.some((entry) => entry.pinned)).toBe(true);
      expect(entries.some((entry) => entry.fallbackLang)).toBe(true);
      const helper = cores.startRelatedHelper(docs.length, FORCED)!;
      expect(helper).not.toBeNull();
      // This thread takes no block: the helper lists every document.
      const positions = Int32Array.from({ length: index.n }, (_, d) => d);
      const answer = await helper.run({ index: cores.wireOf(index), positions, blockSize: 100, counter: cores.helperSlots().buffer as SharedArrayBuffer });
      helper.close();
      if (answer instanceof Error) throw answer;
      const lists = new Array<RelatedEntry[] | undefined>(index.n);
      expect(cores.readAnswer(index, positions, answer, lists)).toBe(index.n);
      expect(new Map(lists.map((list, d) => [index.docs[d]!.id, list]))).toEqual(expected);
    }
  });

  it("shared between the threads, gives computeRelated's map, in its order, for every document or some", async () => {
    const { cores, compute } = await compiled();
    const some = docs.filter((_, i) => i % 3 === 1).map((doc) => doc.id);
    for (const options of [OPTIONS, { ...OPTIONS, only: some }]) {
      const index = compute.buildRelatedIndex(docs, options, undefined, true);
      const helper = cores.startRelatedHelper(docs.length, FORCED);
      const { lists, helped } = await cores.computeRelatedOnCores(docs, options, index, helper, FORCED);
      expect(entriesOf(lists)).toEqual(entriesOf(compute.computeRelated(docs, options, index)));
      expect(helped).toBeLessThanOrEqual(lists.size);
    }
  });

  it("puts the helper's lists among this thread's, in index order, once it has taken a block", async () => {
    const { cores, compute } = await compiled();
    const index = compute.buildRelatedIndex(docs, OPTIONS, undefined, true);
    const helper = cores.startRelatedHelper(docs.length, FORCED)!;
    // This thread starts its blocks only once the helper has taken the first one (256 lists).
    const late = {
      run: (task: Parameters<typeof helper.run>[0]) => {
        const answer = helper.run(task);
        const slots = new Int32Array(task.counter);
        for (const deadline = Date.now() + 20_000; Atomics.load(slots, cores.COUNTER) === 0 && Date.now() < deadline; ) Atomics.wait(slots, cores.STATE, Atomics.load(slots, cores.STATE), 1);
        return answer;
      },
      close: () => helper.close(),
    };
    const { lists, helped } = await cores.computeRelatedOnCores(docs, OPTIONS, index, late, FORCED);
    expect(helped).toBeGreaterThanOrEqual(256);
    expect(entriesOf(lists)).toEqual(entriesOf(compute.computeRelated(docs, OPTIONS, index)));
  });

  it("makes the lists a failed helper had taken on this thread", async () => {
    const { cores, compute } = await compiled();
    const index = compute.buildRelatedIndex(docs, OPTIONS);
    const claimed: number[] = [];
    let closed = false;
    // A helper that joins, takes the first two blocks, then fails.
    const failing = {
      run: async (task: { counter: SharedArrayBuffer }) => {
        const slots = new Int32Array(task.counter);
        expect(cores.joins(slots)).toBe(true);
        claimed.push(Atomics.add(slots, cores.COUNTER, 1), Atomics.add(slots, cores.COUNTER, 1));
        return new Error("the helper failed");
      },
      close: () => void (closed = true),
    };
    const { lists, helped } = await cores.computeRelatedOnCores(docs, OPTIONS, index, failing, FORCED);
    expect(claimed).toEqual([0, 1]);
    expect([closed, helped]).toEqual([true, 0]);
    expect(entriesOf(lists)).toEqual(entriesOf(compute.computeRelated(docs, OPTIONS, index)));
  });

  it("does not wait for a helper that had not joined when this thread was done, and closes it", async () => {
    const { cores, compute } = await compiled();
    const index = compute.buildRelatedIndex(docs, OPTIONS);
    let task: { counter: SharedArrayBuffer } | null = null;
    let closed = false;
    // A helper still starting: it never answers.
    const starting = { run: (sent: { counter: SharedArrayBuffer }) => ((task = sent), new Promise<Error>(() => {})), close: () => void (closed = true) };
    const { lists, helped } = await cores.computeRelatedOnCores(docs, OPTIONS, index, starting, FORCED);
    expect([closed, helped]).toEqual([true, 0]);
    expect(entriesOf(lists)).toEqual(entriesOf(compute.computeRelated(docs, OPTIONS, index)));
    // Were it to start now, it would find the task closed.
    expect(cores.joins(new Int32Array(task!.counter))).toBe(false);
  });

  it("starts no helper for a small site, nor when told not to, and explained lists stay on this thread", async () => {
    const { cores, compute } = await compiled();
    expect(cores.startRelatedHelper(cores.MIN_PARALLEL_LISTS - 1, {})).toBeNull();
    expect(cores.startRelatedHelper(100_000, { GAZETTE_RELATED_THREAD: "0" })).toBeNull();
    let ran = false;
    let closed = false;
    const watching = { run: async () => ((ran = true), new Error("not expected")), close: () => void (closed = true) };
    const explained = { ...DEFAULT_OPTIONS, explain: true };
    const index = compute.buildRelatedIndex(docs, explained);
    const { lists } = await cores.computeRelatedOnCores(docs, explained, index, watching, FORCED);
    expect([ran, closed]).toEqual([false, true]);
    expect(entriesOf(lists)).toEqual(entriesOf(compute.computeRelated(docs, explained, index)));
    expect([...lists.values()].flat().some((entry) => entry.reasons.length > 0)).toBe(true);
  });
});
