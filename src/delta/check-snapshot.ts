/**
 * What a delta build checks before it trusts the site snapshot: which content files changed
 * since (without listing 10,000 story folders), and whether every output file is still as the
 * last build wrote it. Tens of thousands of stat calls on two cores: one worker thread checks the
 * content, then joins this thread, which takes its share of the output files between its own
 * tasks; the two claim the output files in slices from a shared counter, so that neither waits
 * for the other (a second worker would cost its start-up, and three threads share two cores).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { readSnapshotSection, type SnapshotFiles } from "../cache/site-snapshot.js";
import { changedContent } from "../content/scan-content.js";
import { firstChangedFile } from "../output/scan-output.js";

export interface ContentTask {
  root: string;
  buildId: string;
  contentDir: string;
  listedAt: number;
  include: string[];
}

export interface OutputTask {
  root: string;
  buildId: string;
  outDir: string;
  committedAt: number;
  /** Files of the last full build that delta builds since deleted, and files they added (search index files, pages moved: see move-pages.ts). */
  removed: string[];
  added: string[];
}

/**
 * The content files to read again (changed since, or in `include`), with their number, path and
 * hash then; "list" when the story folders cannot tell (the caller lists the content); "unreadable":
 * the snapshot's section is gone or corrupt (or the thread was stopped).
 */
export type ContentResult = { edited: EditedFile[] } | "list" | "unreadable";
/** A content file to read again: its number in the snapshot, path and hash then. */
export type EditedFile = [index: number, file: string, hash: string];
/** The first output file found changed since the commit, or null. */
export type OutputResult = { changed: string | null } | "unreadable";

/** The worker's task (see check-worker.ts): the content, then its share of the output. */
export interface CheckTask {
  content: ContentTask;
  output: OutputTask;
  /** `SLOTS` Int32s shared by both threads (see `OutputShare`). */
  shared: SharedArrayBuffer;
}

/** Messages from the worker, in this order (a guess only if a file changed). */
export type CheckMessage = { guess: EditedFile[] } | { content: ContentResult } | { output: OutputResult };

/**
 * The content check (the worker's first task). `onGuess` hears, as soon as the first changed
 * file is found, the files to read again if it were the only one: it and those in `include`.
 */
export function checkContent(task: ContentTask, onGuess?: (edited: EditedFile[]) => void): ContentResult {
  const files = readSnapshotSection(task.root, task.buildId, "files") as SnapshotFiles | null;
  if (!files) return "unreadable";
  const indexes = new Set<number>();
  if (task.include.length > 0) {
    const include = new Set(task.include);
    files.forEach(([file], i) => include.has(file) && indexes.add(i));
  }
  const entries = (numbers: Iterable<number>): EditedFile[] => [...numbers].sort((a, b) => a - b).map((i) => [i, files[i]![0], files[i]![2]]);
  let guessed = false;
  const changed = changedContent({ root: task.root, contentDir: task.contentDir, files, listedAt: task.listedAt }, (index) => {
    if (guessed) return;
    guessed = true;
    onGuess?.(entries(new Set([...indexes, index])));
  });
  if (changed === null) return "list";
  for (const [index] of changed) indexes.add(index);
  return { edited: entries(indexes) };
}

// The shared slots: the next output file to claim, and whether a changed one was found (then both stop).
const NEXT = 0;
const FOUND = 1;
const SLOTS = 2;
/** Output files claimed at a time: ~2 ms of lstat calls, between which this thread takes up its other work. */
const SLICE = 256;

/** One thread's part of the output check: slices claimed from the shared counter until none is left. */
export class OutputShare {
  private readonly slots: Int32Array;
  private outputs: readonly string[] | null | undefined;

  constructor(
    private readonly task: OutputTask,
    shared: SharedArrayBuffer,
  ) {
    this.slots = new Int32Array(shared);
  }

  /** Checks the next slice: its changed file, null when it had none, "done" when no slice is left (or the other thread found one), "unreadable". */
  next(): string | null | "done" | "unreadable" {
    this.outputs ??= outputsNow(readSnapshotSection(this.task.root, this.task.buildId, "outputs") as string[] | null, this.task);
    if (!this.outputs) return "unreadable";
    if (Atomics.load(this.slots, FOUND) !== 0) return "done";
    const start = Atomics.add(this.slots, NEXT, SLICE);
    if (start >= this.outputs.length) return "done";
    const changed = firstChangedFile(this.task.outDir, this.outputs.slice(start, start + SLICE), this.task.committedAt);
    if (changed !== null) Atomics.store(this.slots, FOUND, 1);
    return changed;
  }

  /** Every slice left, at once (the worker's way). */
  rest(): OutputResult {
    for (;;) {
      const slice = this.next();
      if (slice === "unreadable") return slice;
      if (slice === "done") return { changed: null };
      if (slice !== null) return { changed: slice };
    }
  }

  /** Stops both threads' shares. */
  stop(): void {
    Atomics.store(this.slots, FOUND, 1);
  }
}

/** The last full build's output files, as the delta builds since left them. */
export function outputsNow(outputs: string[] | null, { removed, added }: Pick<OutputTask, "removed" | "added">): string[] | null {
  if (!outputs || (removed.length === 0 && added.length === 0)) return outputs;
  const gone = new Set(removed);
  return [...outputs.filter((file) => !gone.has(file)), ...added];
}

/** Both checks under way, and a way to stop them (a delta that misses need not wait for them, nor share the cores with them). */
export interface RunningChecks {
  /** The files to read again if the first changed file were the only one, as soon as it is found; null when none changed (or the check could not tell). */
  guess: Promise<EditedFile[] | null>;
  content: Promise<ContentResult>;
  /** Every output file checked (by both threads, once `shareOutputCheck` was called, or by the worker alone). */
  output: Promise<OutputResult>;
  /** This thread takes its share of the output check too, a slice per turn of the event loop. */
  shareOutputCheck(): void;
  stop(): void;
  /** Whether a worker thread checks (else this one did, at the start). */
  onWorker: boolean;
}

const WORKER_FILE = new URL("./check-worker.js", import.meta.url);

/**
 * Starts both checks. `inline`: a small site's, done here at once (a few hundred stat calls
 * take less than a thread's start: on the five-story site the answer came ~100 ms sooner).
 */
export function startChecks(content: ContentTask, output: OutputTask, inline = false): RunningChecks {
  const shared = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
  const share = new OutputShare(output, shared);
  // Inline, or without a compiled worker file (running from the TypeScript sources): both checks here, at once.
  if (inline || !existsSync(fileURLToPath(WORKER_FILE))) {
    let guess: EditedFile[] | null = null;
    const results = { content: checkContent(content, (edited) => (guess = edited)), output: share.rest() };
    return { guess: Promise.resolve(guess), content: Promise.resolve(results.content), output: Promise.resolve(results.output), shareOutputCheck: () => undefined, stop: () => undefined, onWorker: false };
  }
  let worker: Worker | null = new Worker(WORKER_FILE, { workerData: { content, output, shared } satisfies CheckTask });
  let resolveGuess!: (guess: EditedFile[] | null) => void;
  let resolveContent!: (result: ContentResult) => void;
  let resolveWorkerShare!: (result: OutputResult) => void;
  const guess = new Promise<EditedFile[] | null>((resolve) => (resolveGuess = resolve));
  const contentResult = new Promise<ContentResult>((resolve) => (resolveContent = resolve));
  const workerShare = new Promise<OutputResult>((resolve) => (resolveWorkerShare = resolve));
  worker.on("message", (message: CheckMessage) => {
    if ("guess" in message) resolveGuess(message.guess);
    else if ("content" in message) {
      resolveGuess(null); // no file changed: no guess came (a no-op if one did)
      resolveContent(message.content);
    } else resolveWorkerShare(message.output);
  });
  // A thread that could not run, or was stopped: "unreadable", and the delta misses (no-ops once resolved).
  const failed = (): void => {
    resolveGuess(null);
    resolveContent("unreadable");
    resolveWorkerShare("unreadable");
  };
  worker.once("error", failed);
  worker.once("exit", failed);

  // This thread's share: nothing, if the worker claimed every slice before it was started.
  let resolveOwnShare!: (result: OutputResult) => void;
  const ownShare = new Promise<OutputResult>((resolve) => (resolveOwnShare = resolve));
  void workerShare.then(() => resolveOwnShare({ changed: null }));
  let sharing = false;
  return {
    guess,
    content: contentResult,
    output: Promise.all([workerShare, ownShare]).then(([theirs, ours]): OutputResult => {
      if (theirs === "unreadable" || ours === "unreadable") return "unreadable";
      return { changed: theirs.changed ?? ours.changed };
    }),
    shareOutputCheck() {
      if (sharing) return;
      sharing = true;
      const turn = (): void => {
        const slice = share.next();
        if (slice === "done") resolveOwnShare({ changed: null });
        else if (slice === "unreadable") resolveOwnShare(slice);
        else if (slice !== null) resolveOwnShare({ changed: slice });
        else setImmediate(turn);
      };
      setImmediate(turn);
    },
    stop() {
      share.stop();
      void worker?.terminate();
      worker = null;
    },
    onWorker: true,
  };
}
