/** Worker entry of the output scan and check (see scan-output.ts): does what it is given and posts the result. */
import { parentPort, workerData } from "node:worker_threads";
import { firstChangedFile, scanOutput } from "./scan-output.js";

const task = workerData as string | { outDir: string; files: string[]; time: number };
parentPort!.postMessage(typeof task === "string" ? scanOutput(task) : firstChangedFile(task.outDir, task.files, task.time));
