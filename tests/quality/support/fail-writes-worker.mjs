// The write thread's entry under fail-writes.mjs: its failing writes first, then the real entry.
import { workerData } from "node:worker_threads";

await import("./fail-writes.mjs");
await import(workerData.entry);
