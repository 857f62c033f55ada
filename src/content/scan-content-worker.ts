/** Worker entry of the content scan (see scan-content.ts): lists and stats the content folder it is given, and posts the result. */
import { parentPort, workerData } from "node:worker_threads";
import { scanForWorker } from "./scan-content.js";

parentPort!.postMessage(await scanForWorker(workerData as Parameters<typeof scanForWorker>[0]));
