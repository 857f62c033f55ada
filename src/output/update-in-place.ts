/**
 * Updating the output in place, for builds that change few pages (the page cache reused the
 * rest): the changed files are written into a staging folder, then renamed over the old ones,
 * and pages gone from the site deleted. Replacing the whole output instead (write-output.ts)
 * means a new folder tree with a link per unchanged page: at 10,000 stories, 32,000 `mkdir` and
 * 34,000 `link` calls, and as many deletions of the old tree afterwards, for one edited article.
 *
 * What readers see: each file whole, always (a rename replaces a file at once), but for the few
 * milliseconds of the commit a mix of old and new pages. A build killed during the commit leaves
 * its journal beside the output; the next build finishes it (`finishInterruptedUpdates`) before
 * anything else, so an update is never left half done.
 */
import { mkdirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { isAlive } from "../util/process.js";

/** What a commit does, written down before it starts. */
export interface UpdateJournal {
  outDir: string;
  staging: string;
  /** Files of the old output no longer in the site. */
  deletes: string[];
  /** Files written into `staging`, each renamed to the same path in `outDir`; the marker last. */
  moves: string[];
}

/** Where the build `pid` keeps the journal of its update of `<parent>/<name>`. */
export function journalPath(parent: string, name: string, pid: number): string {
  return path.join(parent, `.gazette-update-${name}-${pid}.json`);
}

/** Writes the journal (atomically: a killed write leaves no journal, and nothing was changed yet), then applies it. */
export function commitUpdate(journal: UpdateJournal): void {
  const parent = path.dirname(journal.outDir);
  const name = path.basename(journal.outDir);
  const file = journalPath(parent, name, process.pid);
  writeFileSync(`${file}.tmp`, JSON.stringify(journal));
  renameSync(`${file}.tmp`, file);
  applyJournal(journal);
  rmSync(journal.staging, { recursive: true, force: true });
  unlinkSync(file);
}

/**
 * Deletions first (a file may give way to a folder of the same name, or the reverse), then the
 * moves. Every step can run again after a kill: a file already deleted or moved is skipped.
 */
function applyJournal({ outDir, staging, deletes, moves }: UpdateJournal): void {
  const emptied = new Set<string>();
  for (const relative of deletes) {
    rmSync(path.join(outDir, relative), { force: true });
    for (let dir = path.posix.dirname(relative); dir !== "."; dir = path.posix.dirname(dir)) emptied.add(dir);
  }
  // Deepest first; a folder that still holds files stays.
  const depth = (dir: string) => dir.split("/").length;
  for (const dir of [...emptied].sort((a, b) => depth(b) - depth(a))) {
    try {
      rmdirSync(path.join(outDir, dir));
    } catch {
      // not empty, not a folder (any more), or gone
    }
  }
  const made = new Set<string>();
  for (const relative of moves) {
    const dir = path.posix.dirname(relative);
    if (dir !== "." && !made.has(dir)) {
      mkdirSync(path.join(outDir, dir), { recursive: true });
      made.add(dir);
    }
    try {
      renameSync(path.join(staging, relative), path.join(outDir, relative));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error; // moved before a kill
    }
  }
}

/**
 * Journals left by killed builds of the output `name` in `parent`: finished now, so the output is
 * the new site whole. Journals of running builds are left alone. Returns how many were finished.
 */
export function finishInterruptedUpdates(parent: string, name: string, siblings: readonly string[]): number {
  const prefix = `.gazette-update-${name}-`;
  let finished = 0;
  for (const sibling of siblings) {
    if (!sibling.startsWith(prefix)) continue;
    const file = path.join(parent, sibling);
    const pid = Number(sibling.slice(prefix.length).split(".")[0]);
    if (isAlive(pid)) continue;
    if (!sibling.endsWith(".json")) {
      rmSync(file, { force: true }); // a journal whose own write was cut short: nothing was changed
      continue;
    }
    const journal = JSON.parse(readFileSync(file, "utf8")) as UpdateJournal;
    checkJournal(journal, path.join(parent, name));
    applyJournal(journal);
    rmSync(journal.staging, { recursive: true, force: true });
    unlinkSync(file);
    finished++;
  }
  return finished;
}

/** A journal only ever moves files between this output and its own staging folder. */
function checkJournal(journal: UpdateJournal, outDir: string): void {
  const stagingPrefix = path.join(path.dirname(outDir), `.gazette-tmp-${path.basename(outDir)}-`);
  const plain = (relative: unknown) => typeof relative === "string" && relative !== "" && !path.isAbsolute(relative) && !relative.split("/").some((part) => part === ".." || part === "." || part === "");
  const valid =
    journal.outDir === outDir &&
    typeof journal.staging === "string" &&
    journal.staging.startsWith(stagingPrefix) &&
    !journal.staging.slice(stagingPrefix.length).includes("/") &&
    Array.isArray(journal.deletes) &&
    Array.isArray(journal.moves) &&
    [...journal.deletes, ...journal.moves].every(plain);
  if (!valid) throw new Error(`the journal of an interrupted update of ${outDir} is not one Gazette wrote`);
}
