/** Worker entry of a delta build's checks (see check-snapshot.ts): runs the check it is given and posts the result. */
import { parentPort, workerData } from "node:worker_threads";
import { runCheck, type CheckTask } from "./check-snapshot.js";

parentPort!.postMessage(runCheck(workerData as CheckTask));
