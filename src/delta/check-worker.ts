/** Worker entry of a delta build's checks (see check-snapshot.ts): runs its share and posts each result. */
import { parentPort, workerData } from "node:worker_threads";
import { runShare, type CheckTask } from "./check-snapshot.js";
import type { Share } from "../content/scan-content.js";

const { task, part } = workerData as { task: CheckTask; part: Share };
runShare(task, part, (message) => parentPort!.postMessage(message));
