/**
 * Worker entry of the write thread (see write-thread.ts): writes each page it is sent, with
 * synchronous calls, and answers with its id (and the error code when it failed).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parentPort } from "node:worker_threads";
import { dirMaker } from "./make-dirs.js";
import type { WriteReply, WriteRequest } from "./write-thread.js";

const ensureDir = dirMaker();
const port = parentPort!;

port.on("message", ({ id, target, body }: WriteRequest) => {
  let reply: WriteReply = { id };
  try {
    ensureDir(path.dirname(target));
    writeFileSync(target, body);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    reply = { id, code: failure.code ?? "EIO", message: failure.message };
  }
  port.postMessage(reply);
});
