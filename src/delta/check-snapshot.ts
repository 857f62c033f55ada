/**
 * What a delta build checks before it trusts the site snapshot: which content files changed
 * since (without listing 10,000 story folders), then whether every output file is still as the
 * last build wrote it. Tens of thousands of stat calls: split between two threads, each reading
 * its sections of the snapshot itself (the main thread neither parses nor copies them), the
 * content first, so that a delta that cannot apply the edit knows it early and stops them.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { readSnapshotSection, type SnapshotFiles } from "../cache/site-snapshot.js";
import { changedContent, type Share } from "../content/scan-content.js";
import { firstChangedFile } from "../output/scan-output.js";

export interface CheckTask {
  root: string;
  /** The snapshot's build: a snapshot replaced meanwhile is not read. */
  buildId: string;
  contentDir: string;
  listedAt: number;
  /** Content files to read again whatever their stat (those deltas applied before). */
  include: string[];
  outDir: string;
  committedAt: number;
}

/**
 * The content files to read again (changed since, or included), with their number, path and hash
 * then; "list" when the story folders cannot tell (the caller lists the content); "unreadable":
 * the snapshot's section is gone or corrupt.
 */
export type ContentResult = { edited: [index: number, file: string, hash: string][] } | "list" | "unreadable";
/** The first output file changed since the commit, or null. */
export type OutputResult = { changed: string | null } | "unreadable";

type Message = { content: ContentResult } | { output: OutputResult };

/** One thread's share of both checks, posted as each is done (the worker's side: see check-worker.ts). */
export function runShare(task: CheckTask, part: Share, post: (message: Message) => void): void {
  const files = readSnapshotSection(task.root, task.buildId, "files") as SnapshotFiles | null;
  if (!files) post({ content: "unreadable" });
  else {
    const changed = changedContent({ root: task.root, contentDir: task.contentDir, files, listedAt: task.listedAt }, part);
    const include = new Set(task.include);
    const edited = changed?.map(([i]) => i) ?? [];
    // Included files are reported by the first share only.
    if (part.index === 0) files.forEach(([file], i) => include.has(file) && edited.push(i));
    post({ content: changed === null ? "list" : { edited: edited.map((i) => [i, files[i]![0], files[i]![2]]) } });
  }
  const outputs = readSnapshotSection(task.root, task.buildId, "outputs") as string[] | null;
  post({ output: outputs ? { changed: firstChangedFile(task.outDir, outputs, task.committedAt, part) } : "unreadable" });
}

/** Both checks under way: their results (the shares merged), and a way to stop them (a delta that misses need not wait for them, nor share the cores with them). */
export interface RunningChecks {
  content: Promise<ContentResult>;
  output: Promise<OutputResult>;
  stop(): void;
}

const WORKER_FILE = new URL("./check-worker.js", import.meta.url);
const THREADS = 2;

export function startChecks(task: CheckTask): RunningChecks {
  const shares = Array.from({ length: THREADS }, (_, index) => runInThread(task, { index, count: THREADS }));
  return {
    content: Promise.all(shares.map((share) => share.content)).then(mergeContent),
    output: Promise.all(shares.map((share) => share.output)).then((results) => results.find((result) => result === "unreadable") ?? results.find((result) => result !== "unreadable" && result.changed !== null) ?? { changed: null }),
    stop: () => shares.forEach((share) => share.stop()),
  };
}

function mergeContent(results: ContentResult[]): ContentResult {
  if (results.includes("unreadable")) return "unreadable";
  if (results.includes("list")) return "list";
  const edited = results.flatMap((result) => (typeof result === "string" ? [] : result.edited));
  return { edited: [...new Map(edited.map((entry) => [entry[0], entry])).values()].sort((a, b) => a[0] - b[0]) };
}

/** One share on a worker thread (on this one where no compiled worker file exists: running from the TypeScript sources). */
function runInThread(task: CheckTask, part: Share): { content: Promise<ContentResult>; output: Promise<OutputResult>; stop(): void } {
  let content!: (result: ContentResult) => void;
  let output!: (result: OutputResult) => void;
  const results = { content: new Promise<ContentResult>((resolve) => (content = resolve)), output: new Promise<OutputResult>((resolve) => (output = resolve)) };
  const receive = (message: Message): void => ("content" in message ? content(message.content) : output(message.output));
  if (!existsSync(fileURLToPath(WORKER_FILE))) {
    runShare(task, part, receive);
    return { ...results, stop: () => undefined };
  }
  let worker: Worker | null = new Worker(WORKER_FILE, { workerData: { task, part } });
  worker.on("message", receive);
  // A thread that could not run (or was stopped): what it did not answer reads as unreadable, and the delta misses.
  const fail = (): void => {
    content("unreadable");
    output("unreadable");
  };
  worker.once("error", fail);
  worker.once("exit", fail);
  return {
    ...results,
    stop() {
      void worker?.terminate();
      worker = null;
    },
  };
}
