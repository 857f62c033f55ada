/**
 * What a delta build checks before it trusts the site snapshot: which content files changed
 * since (without listing 10,000 story folders), and whether every output file is still as the
 * last build wrote it. Tens of thousands of stat calls: each check on a thread of its own, which
 * reads its section of the snapshot itself (the main thread neither parses nor copies them).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { readSnapshotSection, type SnapshotFiles } from "../cache/site-snapshot.js";
import { changedContent } from "../content/scan-content.js";
import { firstChangedFile } from "../output/scan-output.js";

export type CheckTask =
  | { kind: "content"; root: string; buildId: string; contentDir: string; listedAt: number; include: string[] }
  | { kind: "output"; root: string; buildId: string; outDir: string; committedAt: number };

/**
 * The content files to read again (changed since, or in `include`), with their number, path and
 * hash then; "list" when the story folders cannot tell (the caller lists the content); "unreadable":
 * the snapshot's section is gone or corrupt (or the thread was stopped).
 */
export type ContentResult = { edited: [index: number, file: string, hash: string][] } | "list" | "unreadable";
/** The first output file changed since the commit, or null. */
export type OutputResult = { changed: string | null } | "unreadable";

/** One check (the worker's side: see check-worker.ts). */
export function runCheck(task: CheckTask): ContentResult | OutputResult {
  if (task.kind === "output") {
    const outputs = readSnapshotSection(task.root, task.buildId, "outputs") as string[] | null;
    return outputs ? { changed: firstChangedFile(task.outDir, outputs, task.committedAt) } : "unreadable";
  }
  const files = readSnapshotSection(task.root, task.buildId, "files") as SnapshotFiles | null;
  if (!files) return "unreadable";
  const changed = changedContent({ root: task.root, contentDir: task.contentDir, files, listedAt: task.listedAt });
  if (changed === null) return "list";
  const include = new Set(task.include);
  const indexes = new Set([...changed.map(([index]) => index), ...files.flatMap(([file], i) => (include.has(file) ? [i] : []))]);
  return { edited: [...indexes].sort((a, b) => a - b).map((i) => [i, files[i]![0], files[i]![2]]) };
}

/** Both checks under way, and a way to stop them (a delta that misses need not wait for them, nor share the cores with them). */
export interface RunningChecks {
  content: Promise<ContentResult>;
  output: Promise<OutputResult>;
  stop(): void;
}

export function startChecks(content: Omit<Extract<CheckTask, { kind: "content" }>, "kind">, output: Omit<Extract<CheckTask, { kind: "output" }>, "kind">): RunningChecks {
  const threads = [runInThread({ ...content, kind: "content" }), runInThread({ ...output, kind: "output" })] as const;
  return {
    content: threads[0].result as Promise<ContentResult>,
    output: threads[1].result as Promise<OutputResult>,
    stop: () => threads.forEach((thread) => thread.stop()),
  };
}

const WORKER_FILE = new URL("./check-worker.js", import.meta.url);

/** A check on a worker thread (on this one where no compiled worker file exists: running from the TypeScript sources). */
function runInThread(task: CheckTask): { result: Promise<ContentResult | OutputResult>; stop(): void } {
  if (!existsSync(fileURLToPath(WORKER_FILE))) return { result: Promise.resolve(runCheck(task)), stop: () => undefined };
  let worker: Worker | null = new Worker(WORKER_FILE, { workerData: task });
  const result = new Promise<ContentResult | OutputResult>((resolve) => {
    worker!.once("message", resolve);
    // A thread that could not run, or was stopped: "unreadable", and the delta misses.
    worker!.once("error", () => resolve("unreadable"));
    worker!.once("exit", () => resolve("unreadable"));
  });
  return {
    result,
    stop() {
      void worker?.terminate();
      worker = null;
    },
  };
}
