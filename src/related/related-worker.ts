/** Worker entry of the related lists' helper thread (see related-on-cores.ts): its blocks of lists, encoded as numbers. */
import { parentPort } from "node:worker_threads";
import { computeBlocks, MICRO } from "./compute-related.js";
import { COUNTER, indexFromWire, joins, type HelperTask } from "./related-on-cores.js";

parentPort!.once("message", (task: HelperTask) => {
  const slots = new Int32Array(task.counter);
  const encoded: number[] = [];
  const index = indexFromWire(task.index);
  const numberOf = new Map(index.docs.map((doc, d) => [doc.id, d]));
  // Not once the main thread has done every block (and closed the task): nothing is waited for then.
  if (!joins(slots)) return void parentPort!.postMessage(Int32Array.from(encoded));
  computeBlocks(index, task.positions, task.blockSize, () => Atomics.add(slots, COUNTER, 1), (slot, entries) => {
    encoded.push(slot, entries.length);
    // Scores are millionths over MICRO (see entryOf): rounding gives back the integer exactly.
    for (const entry of entries) encoded.push(numberOf.get(entry.id)!, Math.round(entry.score * MICRO), entry.pinned ? 1 : 0);
  });
  const lists = Int32Array.from(encoded);
  parentPort!.postMessage(lists, [lists.buffer]);
});
