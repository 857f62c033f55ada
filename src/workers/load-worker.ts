/**
 * Worker entry: loads one share of the content files (see load-shard.ts), posting each batch of
 * articles as it is done (their body HTML bytes moved, not copied: a batch's bodies view one
 * buffer) and then the rest of the result.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadShard, type LoadTask } from "./load-shard.js";

const result = await loadShard(workerData as LoadTask, undefined, (chunk) => {
  parentPort?.postMessage({ chunk }, [...new Set(chunk.bodies.map((body) => body.buffer as ArrayBuffer))]);
});
parentPort?.postMessage({ result });
