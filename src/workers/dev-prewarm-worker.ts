/** Worker entry: one share of a dev session's first load (see dev-prewarm.ts), posted a batch at a time. */
import { parentPort, workerData } from "node:worker_threads";
import { loadDevShare, type DevShareTask } from "./dev-prewarm.js";

// The bodies' bytes are moved, not copied.
await loadDevShare(workerData as DevShareTask, undefined, (entries) => parentPort?.postMessage({ entries }, entries.flatMap((entry) => (entry.body ? [entry.body.buffer as ArrayBuffer] : []))));
parentPort?.postMessage({ done: true });
