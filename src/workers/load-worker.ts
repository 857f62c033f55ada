/** Worker entry: loads one share of the content files (see load-shard.ts) and posts the result. */
import { parentPort, workerData } from "node:worker_threads";
import { loadShard, type LoadTask } from "./load-shard.js";

parentPort?.postMessage(await loadShard(workerData as LoadTask));
