/** Worker entry of the content scan (see scan-content.ts): lists and stats the content folder it is given (or checks what is known of it), and posts the result. */
import { parentPort, workerData } from "node:worker_threads";
import { changedContent, scanForWorker, type KnownContent } from "./scan-content.js";

const task = workerData as Parameters<typeof scanForWorker>[0] | { known: KnownContent };
parentPort!.postMessage("known" in task ? changedContent(task.known) : await scanForWorker(task));
