/** Worker entry of the related lists' helper thread (see related-on-cores.ts): its blocks of lists, encoded as numbers. */
import { parentPort } from "node:worker_threads";
import { computeBlocks, MICRO } from "./compute-related.js";
import { indexFromWire, type HelperTask } from "./related-on-cores.js";

parentPort!.once("message", (task: HelperTask) => {
  const index = indexFromWire(task.index);
  const counter = new Int32Array(task.counter);
  const numberOf = new Map(index.docs.map((doc, d) => [doc.id, d]));
  const encoded: number[] = [];
  computeBlocks(index, task.positions, task.blockSize, () => Atomics.add(counter, 0, 1), (slot, entries) => {
    encoded.push(slot, entries.length);
    // Scores are millionths over MICRO (see entryOf): rounding gives back the integer exactly.
    for (const entry of entries) encoded.push(numberOf.get(entry.id)!, Math.round(entry.score * MICRO), entry.pinned ? 1 : 0);
  });
  const lists = Int32Array.from(encoded);
  parentPort!.postMessage(lists, [lists.buffer]);
});
