/**
 * Worker entry of the write thread (see write-thread.ts): writes each page it is sent, with
 * synchronous calls, and answers with its id (and the error code when it failed).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parentPort } from "node:worker_threads";
import type { WriteReply, WriteRequest } from "./write-thread.js";

const madeDirs = new Set<string>();
const port = parentPort!;

port.on("message", ({ id, target, body }: WriteRequest) => {
  let reply: WriteReply = { id };
  try {
    const dir = path.dirname(target);
    if (!madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    writeFileSync(target, body);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    reply = { id, code: failure.code ?? "EIO", message: failure.message };
  }
  port.postMessage(reply);
});
