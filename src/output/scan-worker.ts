/** Worker entry of the output scan (see scan-output.ts): scans the folder it is given and posts the result. */
import { parentPort, workerData } from "node:worker_threads";
import { scanOutput } from "./scan-output.js";

parentPort!.postMessage(scanOutput(workerData as string));
