/**
 * A thread that writes the output's files. Rendering keeps the main thread busy while the second
 * core idles after loading; each write through Node's thread pool also costs the main thread a
 * round trip (an open, a write, a close: each wakes a pool thread). Pages are posted here instead
 * (strings are copied, and turned into UTF-8 on this thread) and written with synchronous calls.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

export interface WriteRequest {
  id: number;
  /** Absolute path inside the build's temporary output folder. */
  target: string;
  body: string | Uint8Array;
}

export interface WriteReply {
  id: number;
  /** Set when the write failed: the error's code (ENOSPC, EACCES…) and message. */
  code?: string;
  message?: string;
}

export interface WriteThread {
  /** Resolves once the file is written; rejects with an error carrying the system's code. */
  /** `movable`: the bytes are the caller's to give away (see `RenderedPage.movable`). */
  write(target: string, body: string | Uint8Array, movable?: boolean): Promise<void>;
  close(): Promise<void>;
}

const WORKER_FILE = new URL("./write-worker.js", import.meta.url);
const utf8 = new TextEncoder();
/** Strings at least this long (UTF-16 units) are encoded here and their bytes moved to the thread. */
const ENCODE_HERE_FROM = 1 << 20;

/** The write thread; null where no compiled worker file exists (running from TypeScript sources, in tests). */
export function startWriteThread(): WriteThread | null {
  if (!existsSync(fileURLToPath(WORKER_FILE))) return null;
  const worker = new Worker(WORKER_FILE);
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let broken: Error | null = null;
  const failAll = (error: Error): void => {
    broken ??= error;
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  };
  worker.on("message", (reply: WriteReply) => {
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if (reply.code === undefined) pending.resolve();
    else pending.reject(Object.assign(new Error(reply.message ?? reply.code), { code: reply.code }));
  });
  worker.once("error", failAll);
  worker.once("exit", (code) => failAll(new Error(`Internal: the write thread exited (code ${code})`)));
  return {
    write(target, body, movable = false) {
      if (broken) return Promise.reject(broken);
      return new Promise<void>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        if (typeof body === "string" && body.length >= ENCODE_HERE_FROM) {
          // A large file (a sitemap part: tens of MB) is sent as its UTF-8 bytes, moved, not copied:
          // a copy of the string in the message and another in the thread were the build's peak.
          const bytes = utf8.encode(body);
          worker.postMessage({ id, target, body: bytes } satisfies WriteRequest, [bytes.buffer as ArrayBuffer]);
        } else if (movable && typeof body !== "string" && body.byteLength >= ENCODE_HERE_FROM && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength) {
          // Bytes that large and the caller's to give away (a sitemap part) are moved too; others
          // (a theme asset the theme still holds, a view into a larger buffer) are copied.
          worker.postMessage({ id, target, body } satisfies WriteRequest, [body.buffer as ArrayBuffer]);
        } else worker.postMessage({ id, target, body } satisfies WriteRequest);
      });
    },
    async close() {
      broken ??= new Error("Internal: write after the write thread closed");
      await worker.terminate();
    },
  };
}
