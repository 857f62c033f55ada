/**
 * The content folder's listing, and each listed file's stat key: what a build with the
 * persistent cache needs before it knows which files to read again. At 10,000 stories that is
 * 10,000 `readdir` and 20,000 `stat` calls (~0.8 s of the main thread); for a large folder a
 * worker thread makes them while the main thread reads the cache.
 */
import { existsSync, lstatSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Diagnostic } from "../types.js";
import { DiagnosticSink } from "../errors/diagnostics.js";
import { reviveError, serializeError, type SerializedError } from "../errors/serialize.js";
import type { SiteError } from "../errors/site-error.js";
import { listContent, statKey, type ContentFile, type LoadContentOptions } from "./load-content.js";

export interface ContentScan {
  files: ContentFile[];
  /** Each file's stat key (see `statKey`), in `files` order; null where it could not be taken (reading it reports why). */
  stats: (string | null)[];
  errors: SiteError[];
  warnings: Diagnostic[];
  /** When the listing started (ms since the epoch): a folder last modified before then was listed as it is. */
  listedAt: number;
}

/** What crosses from the worker: the same, with the errors as plain data. */
type ScanMessage = Omit<ContentScan, "errors"> & { errors: SerializedError[] };

type ScanOptions = Pick<LoadContentOptions, "root" | "contentDir">;

/** Lists the content and stats every file, on this thread. */
export async function scanContent(options: ScanOptions): Promise<ContentScan> {
  const sink = new DiagnosticSink();
  const listedAt = Date.now();
  const files = await listContent(options, sink);
  const stats = files.map((file) => {
    try {
      const info = statSync(file.absolute, { bigint: true, throwIfNoEntry: false });
      return info ? statKey(info) : null;
    } catch {
      return null;
    }
  });
  return { files, stats, errors: sink.errors, warnings: sink.warnings, listedAt };
}

/** What a delta build knows of the content: the files of the last full build, with their stat keys, and when it listed them. */
export interface KnownContent {
  root: string;
  contentDir: string;
  files: readonly (readonly [file: string, stat: string, ...rest: string[]])[];
  listedAt: number;
}

/**
 * File times come from a coarse clock that can lag `Date.now()` by a few ms: a folder changed
 * just after a listing started could carry an earlier time. Folders changed this close to the
 * listing are taken as changed.
 */
const LISTING_CLOCK_MARGIN_MS = 2000;

/**
 * The listed files whose stat key changed since `known` (index, stat key now; null: gone), without
 * listing the content again: a story folder last modified before the listing still holds what it
 * listed, so only the content folder itself is read, each story folder and file stat'ed (half the
 * time of a scan, which reads 10,000 folders at 10,000 stories). null when that cannot tell: a
 * story added or removed, a file added, removed or renamed in a story folder, a linked folder.
 * `onChanged` hears of each changed file as soon as it is found (the files are stat'ed before the
 * folders, so that a caller can start on an edit early: the answer may still be null), the files
 * last modified before `known` was taken first, before the content folder is even read: an editor
 * mostly goes back to what was written or edited last (the newest stories), wherever it comes in
 * the listing. The answer is in listing order.
 */
export function changedContent(known: KnownContent, onChanged?: (index: number) => void): [index: number, stat: string | null][] | null {
  const contentDir = path.resolve(known.contentDir);
  const before = known.listedAt - LISTING_CLOCK_MARGIN_MS;
  // Project paths are `<content folder>/<story>/<name>.md`: joined by hand, 20,000 path.resolve calls are a tenth of the time.
  const relative = path.relative(path.resolve(known.root), contentDir).split(path.sep).join("/");
  const prefix = relative === "" ? "" : `${relative}/`;
  /** A listed file's story folder and name, or null for a path of another shape (the listing cannot tell then). */
  const split = (file: string): [story: string, name: string] | null => {
    const tail = file.slice(prefix.length);
    const slash = tail.indexOf("/");
    return !file.startsWith(prefix) || slash <= 0 || tail.indexOf("/", slash + 1) !== -1 ? null : [tail.slice(0, slash), tail.slice(slash + 1)];
  };
  const changed: [number, string | null][] = [];
  const check = (i: number, story: string, name: string): void => {
    let now: string | null;
    try {
      const info = statSync(`${contentDir}${path.sep}${story}${path.sep}${name}`, { bigint: true, throwIfNoEntry: false });
      now = info ? statKey(info) : null;
    } catch {
      now = null;
    }
    if (now !== known.files[i]![1]) {
      changed.push([i, now]);
      onChanged?.(i);
    }
  };
  // The newest files first, before the folders are read (~60 ms at 10,000 stories): the edit a
  // caller starts on is found at once.
  const recent = newestFiles(known.files);
  for (const i of recent) {
    const parts = split(known.files[i]![0]);
    if (!parts) return null;
    check(i, ...parts);
  }
  /** Story folder -> the names of its files, as listed. */
  const stories = new Map<string, string[]>();
  const parts: [story: string, name: string][] = [];
  for (const [file] of known.files) {
    const each = split(file);
    if (!each) return null;
    const names = stories.get(each[0]);
    if (names) names.push(each[1]);
    else stories.set(each[0], [each[1]]);
    parts.push(each);
  }
  try {
    const names = readdirSync(contentDir).filter((name) => !name.startsWith("."));
    if (names.length !== stories.size || names.some((name) => !stories.has(name))) return null;
  } catch {
    return null;
  }
  const done = new Set(recent);
  for (let i = 0; i < parts.length; i++) if (!done.has(i)) check(i, ...parts[i]!);
  changed.sort(([a], [b]) => a - b);
  try {
    for (const [story, listed] of stories) {
      const folder = `${contentDir}${path.sep}${story}`;
      const info = lstatSync(folder);
      if (!info.isDirectory()) return null;
      // Changed since the listing (an editor that saves by renaming a new file over the old one
      // does that): still as listed if it holds exactly the same Markdown files and nothing else.
      if (info.mtimeMs >= before && !holdsExactly(folder, listed)) return null;
    }
  } catch {
    return null;
  }
  return changed;
}

/** Files stat'ed first, newest first (see `changedContent`): enough for an editor's last few stories, few enough to find in one pass. */
const RECENT_FIRST = 32;

/**
 * The numbers of the RECENT_FIRST files last modified (by the stat keys' times, see `statKey`),
 * newest first. One pass and no sort: a sort of 20,000 keys delayed a delta's content check.
 */
function newestFiles(files: KnownContent["files"]): number[] {
  const recent: { index: number; mtime: string }[] = [];
  // Nanoseconds as decimal digits: compared as numbers by length, then digit by digit.
  const newer = (x: string, y: string): boolean => x.length > y.length || (x.length === y.length && x > y);
  files.forEach(([, stat], index) => {
    const from = stat.indexOf(":") + 1;
    const mtime = stat.slice(from, stat.indexOf(":", from));
    if (recent.length === RECENT_FIRST && !newer(mtime, recent[RECENT_FIRST - 1]!.mtime)) return;
    let at = recent.length;
    while (at > 0 && newer(mtime, recent[at - 1]!.mtime)) at--;
    recent.splice(at, 0, { index, mtime });
    if (recent.length > RECENT_FIRST) recent.pop();
  });
  return recent.map((entry) => entry.index);
}

/** Whether a story folder's entries (but hidden ones) are plain files with exactly these names, as `listContent` would list them without a warning. */
function holdsExactly(folder: string, names: readonly string[]): boolean {
  const entries = readdirSync(folder, { withFileTypes: true }).filter((entry) => !entry.name.startsWith("."));
  const expected = new Set(names);
  return entries.length === expected.size && entries.every((entry) => entry.isFile() && entry.name.endsWith(".md") && expected.has(entry.name));
}

/** From this many story folders, the scan runs on a worker thread (its start-up, ~40 ms, then pays). */
const THREAD_MIN_FOLDERS = 500;

const WORKER_FILE = new URL("./scan-content-worker.js", import.meta.url);

/**
 * Starts the scan: on a worker thread for a large content folder (where a compiled worker file
 * exists: not when running from the TypeScript sources, in tests), else on this thread.
 */
export function scanContentSoon(options: ScanOptions, env: NodeJS.ProcessEnv = process.env): Promise<ContentScan> {
  if (!existsSync(fileURLToPath(WORKER_FILE)) || !useThread(options.contentDir, env)) return scanContent(options);
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_FILE, { workerData: options });
    let settled = false;
    worker.once("message", (message: ScanMessage) => {
      settled = true;
      resolve({ ...message, errors: message.errors.map(reviveError) });
    });
    // A thread that could not run: the scan is made on this thread after all.
    const fallBack = (): void => {
      if (settled) return;
      settled = true;
      resolve(scanContent(options));
    };
    worker.once("error", fallBack);
    worker.once("exit", fallBack);
  });
}

/** GAZETTE_SCAN_THREAD=1 or 0 when set (tests run both ways), else by the number of story folders. */
function useThread(contentDir: string, env: NodeJS.ProcessEnv): boolean {
  const configured = env.GAZETTE_SCAN_THREAD;
  if (configured === "1" || configured === "0") return configured === "1";
  try {
    return readdirSync(contentDir).length >= THREAD_MIN_FOLDERS;
  } catch {
    return false; // the scan on this thread reports why
  }
}

/** The worker's side (scan-content-worker.ts). */
export async function scanForWorker(options: ScanOptions): Promise<ScanMessage> {
  const scan = await scanContent(options);
  return { ...scan, errors: scan.errors.map(serializeError) };
}
