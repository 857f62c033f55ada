/** Worker entry: one share of a dev session's first load (see dev-prewarm.ts), posted a batch at a time. */
import { parentPort, workerData } from "node:worker_threads";
import { loadDevShare, type DevShareTask } from "./dev-prewarm.js";

await loadDevShare(workerData as DevShareTask, undefined, (entries) => parentPort?.postMessage({ entries }));
parentPort?.postMessage({ done: true });
