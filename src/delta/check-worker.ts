/** Worker entry of a delta build's checks (see check-snapshot.ts): the content (a first guess as soon as a file changed), then its share of the output, each result posted when known. */
import { parentPort, workerData } from "node:worker_threads";
import { checkContent, OutputShare, type CheckMessage, type CheckTask } from "./check-snapshot.js";

const task = workerData as CheckTask;
const post = (message: CheckMessage): void => parentPort!.postMessage(message);
post({ content: checkContent(task.content, (guess) => post({ guess })) });
post({ output: new OutputShare(task.output, task.shared).rest() });
