/**
 * What the last build's output holds now: every regular file and when it was last modified. The
 * page cache reuses a file only if it was not modified since the last build committed, and an
 * update in place deletes the files the new site no longer has. Reading that with one `lstat` per
 * file and one `readdir` per folder as the pages are reused cost the main thread ~1.3 s at 10,000
 * stories (34,000 files in 20,000 folders); a large output is scanned on a thread of its own,
 * on the second core, while the build plans.
 */
import { existsSync, lstatSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

export interface OutputScan {
  /** Path relative to the output (`/`-separated) -> modification time (ms), for every regular file. */
  files: Map<string, number>;
  /** False when the output also holds something else (a symlink, a socket) or an unreadable folder: it is then never updated in place. */
  plain: boolean;
}

/** Scans `outDir` on this thread; null when it does not exist or cannot be read. */
export function scanOutput(outDir: string): OutputScan | null {
  const files = new Map<string, number>();
  let plain = true;
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix + entry.name;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        try {
          walk(full, `${relative}/`);
        } catch {
          plain = false; // unreadable now: none of its files is reused, and the output is replaced
        }
      } else if (entry.isFile()) {
        const info = lstatSync(full, { throwIfNoEntry: false });
        if (info?.isFile()) files.set(relative, info.mtimeMs);
        // A symlink could lead an update out of the output; a device, socket or FIFO is no page.
      } else plain = false;
    }
  };
  try {
    walk(outDir, "");
  } catch {
    return null;
  }
  return { files, plain };
}

const WORKER_FILE = new URL("./scan-worker.js", import.meta.url);

/**
 * Scans `outDir` on a worker thread; this thread goes on meanwhile. On this thread instead where
 * no compiled worker file exists (running from the TypeScript sources, in tests).
 */
export function scanOutputInBackground(outDir: string): Promise<OutputScan | null> {
  if (!existsSync(fileURLToPath(WORKER_FILE))) return Promise.resolve(scanOutput(outDir));
  return startOutputScan(outDir)!.take();
}

/** A scan started on a thread that does not keep Node running until it is taken. */
export interface StartedScan {
  /** The scan; from now on its thread keeps Node running until it is done. */
  take(): Promise<OutputScan | null>;
}

/**
 * Starts scanning `outDir` on a worker thread before the caller knows whether it will need the
 * scan (a build, before it reads its cache): if it never takes it, the thread does not hold up
 * the process's exit (a build that fails on its content exits at once). Null without a compiled
 * worker file.
 */
export function startOutputScan(outDir: string): StartedScan | null {
  if (!existsSync(fileURLToPath(WORKER_FILE))) return null;
  const worker = new Worker(WORKER_FILE, { workerData: outDir });
  worker.unref();
  const scan = new Promise<OutputScan | null>((resolve) => {
    let settled = false;
    const settle = (result: OutputScan | null): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    worker.once("message", settle);
    // A thread that could not run: the scan is made on this thread after all.
    const fallBack = (): void => {
      if (!settled) settle(scanOutput(outDir));
    };
    worker.once("error", fallBack);
    worker.once("exit", fallBack);
  });
  return {
    take() {
      // Awaited now: the thread may be all that keeps Node running.
      worker.ref();
      return scan;
    },
  };
}

/**
 * The first of `files` (relative to `outDir`) that is no longer a regular file last modified
 * before `time` (ms), or null: what a delta build (src/delta/) checks of the pages it does not
 * write. One lstat per file, no listing: half the time of a scan (files added by hand beside the
 * site's go unseen; the next full build deletes them).
 */
export function firstChangedFile(outDir: string, files: readonly string[], time: number): string | null {
  for (const file of files) {
    try {
      // Output paths are plain relative paths (checked when written): joined by hand, path.join is a fifth of the time.
      const info = lstatSync(`${outDir}${path.sep}${file}`, { throwIfNoEntry: false });
      if (!info?.isFile() || info.mtimeMs >= time) return file;
    } catch {
      return file;
    }
  }
  return null;
}

/** Whether the scan found a regular file at `relative` last modified before `time` (ms). */
export function unchangedInScan(scan: OutputScan, relative: string, time: number): boolean {
  const modified = scan.files.get(relative);
  return modified !== undefined && modified < time;
}
