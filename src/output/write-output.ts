import { constants, existsSync, linkSync, lstatSync } from "node:fs";
import { access, copyFile, lstat, mkdir, readdir, rename, rm, stat, writeFile, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import type { RenderedPage } from "../types.js";
import { OutputError, PathEscapeError } from "../errors/site-error.js";
import { isInside } from "../util/paths.js";
import { isAlive } from "../util/process.js";
import { dirMaker } from "./make-dirs.js";
import { commitUpdate, finishInterruptedUpdates, journalPath } from "./update-in-place.js";
import { scanOutput, unchangedInScan, type OutputScan } from "./scan-output.js";

/** Written into every output folder Gazette owns: only such folders are ever replaced. */
export const OUTPUT_MARKER = ".gazette-output";

export interface OutputWriter {
  write(page: RenderedPage): Promise<void>;
  /**
   * Puts the previous output's file at `outputPath` into the new output unchanged (a hard link,
   * else a copy); false when there is none to reuse (the caller renders the page instead).
   * `writtenBefore` (ms): the file must be a regular file last modified before then, the time
   * the last build committed; anything edited, replaced or symlinked since is rendered again.
   */
  reuse?(outputPath: string, writtenBefore: number): Promise<boolean>;
  /** Whether `reuse` would find the previous output's file at `outputPath` as the last build wrote it (before `writtenBefore`). */
  unchanged?(outputPath: string, writtenBefore: number): boolean;
  /** Every file written or reused so far (disk writers), in no particular order. */
  outputPaths?(): string[];
  /** Makes the written site the output (disk: atomic swap). */
  commit(): Promise<void>;
  /** Drops everything written (a failed build leaves the previous site untouched). */
  abort(): Promise<void>;
  readonly count: number;
}

/** For tests and `gazette dev` previews: the site as a map of output paths. */
export class MemoryWriter implements OutputWriter {
  readonly files = new Map<string, string | Uint8Array>();
  async write(page: RenderedPage): Promise<void> {
    if (this.files.has(page.outputPath)) throw new Error(`Internal: ${page.outputPath} written twice`);
    this.files.set(page.outputPath, page.body);
  }
  async commit(): Promise<void> {}
  async abort(): Promise<void> {
    this.files.clear();
  }
  get count(): number {
    return this.files.size;
  }
}

export interface DiskWriterOptions {

  /** Absolute output folder (`--out`). */
  outDir: string;
  /** Folders that must never be the output or inside it: project root, content, templates, data. */
  protectedDirs: { root: string; others: string[] };
  /**
   * Asked for at commit and written into the output's marker, so that the next build can tell
   * the output is still the one it cached. Derived from the content: the same site, the same id.
   */
  buildId?: () => string;
  /** Write pages from a thread of their own (see write-thread.ts): pays for its start-up on large sites. */
  thread?: boolean;
  /**
   * Few pages change (the page cache reuses the rest): update the output in place rather than
   * replace it (see update-in-place.ts), if it holds nothing but folders and regular files.
   */
  update?: boolean;
  /**
   * What `outDir` held when the build started (see scan-output.ts): `reuse` and the update trust
   * it instead of looking at each file. Scanned again if finishing an interrupted build changed
   * the output since; without it, files are looked at one by one.
   */
  scan?: Promise<OutputScan | null>;
  /**
   * A delta build (src/delta/): the written files replace theirs in place, and every other
   * file stays as it is (the caller has checked them), but for the files in `deletes`.
   */
  patch?: boolean;
  /** With `patch`: files of the output to delete on commit (search index files the delta made again under new names). */
  deletes?: readonly string[];
}

/**
 * Writes into a temporary folder beside `outDir` and swaps it in on commit: readers (and a
 * running static server) never see a half-written site, and an interrupted build leaves the
 * previous one untouched. With `update` (and an output of plain files), the temporary folder
 * stages only the changed files, and the commit renames them into `outDir` (update-in-place.ts).
 * Refuses an `outDir` that holds files Gazette did not write.
 */
export async function createDiskWriter(options: DiskWriterOptions): Promise<OutputWriter> {
  const outDir = path.resolve(options.outDir);
  await assertSafeOutDir(outDir, options.protectedDirs);
  const parent = path.dirname(outDir);
  const name = path.basename(outDir);
  const tempDir = path.join(parent, `.gazette-tmp-${name}-${process.pid}-${Date.now().toString(36)}`);
  let recovered = false;
  try {
    await mkdir(parent, { recursive: true });
    recovered = await recoverInterruptedSwap(parent, name, outDir);
    await mkdir(tempDir);
  } catch (cause) {
    if (cause instanceof OutputError) throw cause; // an interrupted update that could not be finished says so itself
    // The new site is prepared beside the output folder: its parent must be writable.
    throw new OutputError(`cannot create a folder in ${parent} (${errorCode(cause)}), where the new site is prepared before it replaces ${name}/.`, {
      hint: errorCode(cause) === "ENOSPC" ? DISK_FULL : "Make that folder writable, or choose another output folder with --out.",
      cause,
    });
  }
  // Files to delete come from the cache: none may lead out of the output.
  const escaping = options.deletes?.find((file) => !isInside(outDir, path.join(outDir, file)) || path.join(outDir, file) === outDir);
  if (escaping !== undefined) {
    await rm(tempDir, { recursive: true, force: true });
    throw new PathEscapeError(`refusing to delete "${escaping}": it is outside the output folder.`);
  }
  const ensureDirSync = dirMaker([tempDir]);
  const thread = options.thread ? (await import("./write-thread.js")).startWriteThread() : null;
  let scan = options.scan ? await options.scan : undefined;
  // Made before an interrupted build was finished above, a scan no longer says what the output holds.
  if (recovered && scan !== undefined) scan = scanOutput(outDir);
  if (scan === undefined && options.update) scan = scanOutput(outDir);
  // In place: the old output's files; `tempDir` then only stages the files that change.
  const existing = options.patch ? new Map<string, number>() : options.update && scan?.plain && scan.files.has(OUTPUT_MARKER) ? scan.files : null;
  const written = new Set<string>();
  const kept = new Set<string>();
  /** Every file of the new output (written, kept or linked) but the marker. */
  const outputs: string[] = [];
  /** An update whose commit failed after its journal was written: staging stays for the next build. */
  let stagingKept = false;
  let count = 0;
  let closed = false;
  const unchanged = (outputPath: string, writtenBefore: number): boolean => {
    // The scan holds only paths found inside the output: a path leading out is not among them.
    if (scan) return unchangedInScan(scan, outputPath, writtenBefore);
    const source = path.join(outDir, outputPath);
    return isInside(outDir, source) && unchangedSince(source, writtenBefore);
  };

  return {
    get count() {
      return count;
    },
    unchanged,
    async write(page) {
      if (closed) throw new Error("Internal: write after commit/abort");
      const target = path.join(tempDir, page.outputPath);
      if (!isInside(tempDir, target) || target === tempDir) {
        throw new PathEscapeError(`refusing to write "${page.outputPath}": it is outside the output folder.`);
      }
      try {
        if (thread) await thread.write(target, page.body, page.movable);
        else {
          ensureDirSync(path.dirname(target));
          await writeFile(target, page.body);
        }
      } catch (cause) {
        throw writeFailed(page.outputPath, cause);
      }
      if (existing) written.add(page.outputPath);
      outputs.push(page.outputPath);
      count++;
    },
    async reuse(outputPath, writtenBefore) {
      if (closed) throw new Error("Internal: reuse after commit/abort");
      if (!unchanged(outputPath, writtenBefore)) return false;
      if (existing) {
        // Updating in place: the file stays where it is.
        kept.add(outputPath);
        outputs.push(outputPath);
        count++;
        return true;
      }
      const target = path.join(tempDir, outputPath);
      const source = path.join(outDir, outputPath);
      if (!isInside(tempDir, target) || target === tempDir) return false;
      try {
        ensureDirSync(path.dirname(target));
      } catch (cause) {
        throw writeFailed(outputPath, cause);
      }
      try {
        // A new name for the same bytes: the old output is renamed away, never written into.
        // Synchronous, like the lstat above: a link is one short metadata call, and tens of
        // thousands of them through the thread pool cost more in wake-ups than in the calls.
        linkSync(source, target);
      } catch (error) {
        const code = errorCode(error);
        if (code === "ENOENT") return false; // deleted by hand since: render it
        if (!["EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK", "ENOSYS"].includes(code)) throw writeFailed(outputPath, error);
        try {
          await copyFile(source, target); // file systems without hard links
        } catch (cause) {
          if (errorCode(cause) === "ENOENT") return false;
          throw writeFailed(outputPath, cause);
        }
      }
      outputs.push(outputPath);
      count++;
      return true;
    },
    outputPaths() {
      return outputs.slice();
    },
    async commit() {
      closed = true;
      await thread?.close(); // every write has been answered: the caller waited for them
      try {
        await writeMarker(path.join(tempDir, OUTPUT_MARKER), JSON.stringify({ generator: "gazette", ...(options.buildId ? { build: options.buildId() } : {}) }) + "\n");
      } catch (cause) {
        await rm(tempDir, { recursive: true, force: true }).catch(() => undefined);
        throw writeFailed(OUTPUT_MARKER, cause);
      }
      if (existing) {
        const deletes = options.patch ? [...(options.deletes ?? [])].sort() : [...existing.keys()].filter((file) => file !== OUTPUT_MARKER && !written.has(file) && !kept.has(file)).sort();
        try {
          commitUpdate({ outDir, staging: tempDir, deletes, moves: [...[...written].sort(), OUTPUT_MARKER] });
        } catch (cause) {
          // Once the journal is written, its staged files are what the next build needs to finish it.
          if (existsSync(journalPath(parent, name, process.pid))) stagingKept = true;
          throw new OutputError(`updating ${outDir} in place stopped half way (${errorCode(cause)}).`, {
            hint: "Fix the cause and build again: the next build finishes the update first.",
            cause,
          });
        }
        return;
      }
      const old = path.join(parent, `.gazette-old-${name}-${process.pid}`);
      let hadOld = false;
      try {
        await rename(outDir, old);
        hadOld = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
          await rm(tempDir, { recursive: true, force: true });
          throw new OutputError(`cannot replace ${outDir} (${(error as NodeJS.ErrnoException).code}).`, { hint: "Is it open in another program, or read-only?", cause: error });
        }
      }
      try {
        await rename(tempDir, outDir);
      } catch (error) {
        if (hadOld) await rename(old, outDir).catch(() => undefined);
        await rm(tempDir, { recursive: true, force: true });
        throw new OutputError(`cannot move the new site into ${outDir} (${(error as NodeJS.ErrnoException).code}).`, { cause: error });
      }
      if (hadOld) await removeOldSite(old);
    },
    async abort() {
      closed = true;
      await thread?.close();
      if (!stagingKept) await rm(tempDir, { recursive: true, force: true });
    },
  };
}

/**
 * The marker's modification time is when the output was committed (see `unchangedSince`): it
 * must be later than every file of the build, and file times come from a coarse clock (a few
 * ms), so the last pages written can share the marker's first time. Rewritten until the clock
 * has moved on: every file of the build is then strictly older, every later edit not.
 */
async function writeMarker(file: string, content: string): Promise<void> {
  await writeFile(file, content);
  const lastWrite = (await lstat(file)).mtimeMs;
  for (let tries = 0; tries < 1000; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    await writeFile(file, content);
    if ((await lstat(file)).mtimeMs > lastWrite) return;
  }
  // A clock that does not move: the next build renders the files it cannot trust; no harm done.
}

const DISK_FULL = "The disk is full: free some space and build again.";

/**
 * Entries (in the old site's top two levels) from which it is deleted by a detached process. A
 * site has ~5 files and folders per entry there, each ~0.15 ms to unlink on the benchmark machine
 * (a 1,000-story site: 2,039 entries, 9,791 paths, 1.5 s), while starting the process costs the
 * build ~10 ms: from 500 entries on (~0.4 s of unlinking), the build does not wait.
 */
const BACKGROUND_DELETE_MIN_ENTRIES = 500;

/**
 * The previous site, moved aside by the swap (or a folder a killed build left). A large one (a
 * 10,000-story site has 30,000+ files: seconds of unlinking) is deleted by a detached process, so
 * the build does not wait for it; if that process is interrupted, the next build removes the
 * leftover `.gazette-old-*` folder.
 */
async function removeOldSite(old: string): Promise<void> {
  if (await hasManyEntries(old)) {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["-e", "require('fs').rmSync(process.argv[1], { recursive: true, force: true })", old], { detached: true, stdio: "ignore" });
    child.on("error", () => undefined);
    child.unref();
    return;
  }
  await rm(old, { recursive: true, force: true }).catch((cause: unknown) => {
    throw new OutputError(`the new site is in place, but the previous one could not be deleted from ${old} (${errorCode(cause)}).`, {
      hint: "Delete that folder yourself; it is not part of the site.",
      cause,
    });
  });
}

async function hasManyEntries(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  let count = entries.length;
  for (const entry of entries) {
    if (count >= BACKGROUND_DELETE_MIN_ENTRIES) return true;
    count += (await readdir(path.join(dir, entry)).catch(() => [] as string[])).length;
  }
  return count >= BACKGROUND_DELETE_MIN_ENTRIES;
}

/**
 * Whether the file at `file` is still the one a build wrote before `time` (ms): a regular file
 * (not a symlink or folder put there since) whose content was last modified before it. File
 * times come from the same clock as the marker's; strictly before, because a coarse clock gives
 * a file edited right after a build the marker's own time. Synchronous: one lstat of a file the
 * last build touched costs less than a thread-pool round trip.
 */
export function unchangedSince(file: string, time: number): boolean {
  try {
    const info = lstatSync(file, { throwIfNoEntry: false });
    return info !== undefined && info.isFile() && info.mtimeMs < time;
  } catch {
    return false;
  }
}

/** The system's code (`ENOSPC`), else the error's own message. */
function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? (error instanceof Error ? error.message : String(error));
}

function writeFailed(outputPath: string, cause: unknown): OutputError {
  return new OutputError(`writing ${outputPath} failed (${errorCode(cause)}).`, {
    hint: errorCode(cause) === "ENOSPC" ? DISK_FULL : "Check the permissions of the output folder's parent.",
    cause,
  });
}

async function assertSafeOutDir(outDir: string, protectedDirs: DiskWriterOptions["protectedDirs"]): Promise<void> {
  const root = path.resolve(protectedDirs.root);
  const refuse = (why: string, hint = "Use a dedicated folder such as public/.") => {
    throw new OutputError(`refusing to use ${outDir} as the output folder: ${why}.`, { hint });
  };
  if (outDir === path.parse(outDir).root) refuse("it is the filesystem root");
  if (outDir === homedir()) refuse("it is your home folder");
  if (isInside(outDir, root)) refuse("it is the project folder or contains it");
  for (const other of protectedDirs.others) {
    const resolved = path.resolve(other);
    if (isInside(outDir, resolved) || isInside(resolved, outDir)) refuse(`it overlaps ${path.relative(root, resolved) || resolved}/, which holds your sources`);
  }
  let entries: string[];
  try {
    const info = await stat(outDir);
    if (!info.isDirectory()) refuse("it is a file");
    entries = await readdir(outDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    if (error instanceof OutputError) throw error;
    throw new OutputError(`cannot read the output folder ${outDir} (${(error as NodeJS.ErrnoException).code}).`, { cause: error });
  }
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    refuse("it is not empty and was not written by Gazette, so replacing it could delete your files", "Empty it yourself, or choose another folder with --out.");
  }
  if (entries.includes(OUTPUT_MARKER)) {
    const marker = await readFile(path.join(outDir, OUTPUT_MARKER), "utf8").catch(() => "");
    if (!marker.includes("gazette")) refuse(`its ${OUTPUT_MARKER} file is not Gazette's`);
  }
  // Replacing it means moving it aside and deleting it: find out now, before the whole build runs.
  try {
    await access(outDir, constants.W_OK);
  } catch (cause) {
    throw new OutputError(`the output folder ${outDir} is read-only (${errorCode(cause)}), so the new site cannot replace it.`, {
      hint: "Make it writable (chmod -R u+w), or choose another folder with --out.",
      cause,
    });
  }
}

/**
 * A build killed between the two renames of a swap leaves `.gazette-old-<name>-<pid>` and no
 * output: put the old site back. Temp folders of killed builds are removed. True when the output
 * changed (an update finished, an old site put back).
 */
async function recoverInterruptedSwap(parent: string, name: string, outDir: string): Promise<boolean> {
  let siblings: string[];
  try {
    siblings = await readdir(parent);
  } catch {
    return false;
  }
  const outExists = siblings.includes(name);
  let changed = false;
  // First, since it needs the staging folder of the killed build.
  try {
    changed = finishInterruptedUpdates(parent, name, siblings) > 0;
  } catch (cause) {
    throw new OutputError(`a build killed while it updated ${outDir} in place left it half done, and finishing that update failed (${errorCode(cause)}).`, {
      hint: `Delete ${outDir} and the .gazette-update-${name}-* and .gazette-tmp-${name}-* files beside it, then build again.`,
      cause,
    });
  }
  for (const sibling of siblings.sort()) {
    const full = path.join(parent, sibling);
    if (sibling.startsWith(`.gazette-tmp-${name}-`)) {
      // Another build of the same site may be running: only clear folders of dead processes.
      const pid = Number(sibling.slice(`.gazette-tmp-${name}-`.length).split("-")[0]);
      // A killed cold build's staging can hold a whole site: deleted like an old one, not waited for.
      if (!isAlive(pid)) await removeOldSite(full).catch(() => undefined);
    } else if (sibling.startsWith(`.gazette-old-${name}-`)) {
      if (!outExists) changed = (await rename(full, outDir).then(() => true, () => false)) || changed;
      // Usually the last build's old site, its detached deletion still at work when a build follows
      // soon after a large one: deleted the same way, not waited for (10,000 stories: ~3 s).
      else await removeOldSite(full).catch(() => undefined);
    }
  }
  return changed;
}
