/**
 * Faults around the output folder, through the real CLI (`gazette build`, a child process):
 *   - a build killed (SIGKILL) at random points leaves the previous public/ byte-identical, and the
 *     next build succeeds and leaves no temporary folder behind;
 *   - a read-only output folder, or a read-only folder around it;
 *   - a full disk (writes that throw ENOSPC, injected with a `node --import` preload);
 *   - a missing templates folder (a broken install, or a templates path the config names).
 * Each gives a clear error (no stack trace, no "Internal error"), exit code 1, and leaves the
 * previous site as it was. Builds use a fixed SOURCE_DATE_EPOCH, so every good build of the same
 * input is byte-identical to the first one.
 */
import { execFile, spawn } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SNAPSHOT_FILE } from "../../src/cache/site-snapshot.js";
import { REPO_ROOT, copyProject } from "../helpers/temp-site.js";
import { killRunning, runGazette, userFacingProblems, type CliRun } from "./support/cli.js";
import { diffTrees, exists, snapshotTree } from "./support/tree.js";
import { seededRandom } from "../helpers/random.js";

const exec = promisify(execFile);
const FAIL_WRITES = path.join(REPO_ROOT, "tests/quality/support/fail-writes.mjs");
const KILL_IN_UPDATE = path.join(REPO_ROOT, "tests/quality/support/kill-in-update.mjs");
/** Seed of the kill points and the failing write; set GAZETTE_FAULT_SEED to explore others. */
const SEED = Number(process.env.GAZETTE_FAULT_SEED ?? 20250821);
const BUILD_TIMEOUT = 120_000;

const next = seededRandom(SEED);

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  killRunning();
  // Undo read-only marks first: an immutable folder cannot be deleted.
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function sandbox(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The real articles plus `extra` generated stories (more pages, so a kill lands mid-build). */
async function makeProject(dir: string, extra: number): Promise<string> {
  const project = path.join(dir, "project");
  await mkdir(project, { recursive: true });
  await copyProject(project);
  const words = "Verhandlungen Regierung Wirtschaft Hafen Berlin Gespräche Haushalt Kommission Wahl Parlament Energie Verkehr Gericht Urteil Bericht".split(" ");
  for (let i = 0; i < extra; i++) {
    const topic = words[i % words.length]!;
    const sentences = Array.from({ length: 12 }, (_, j) => `Die ${words[(i + j) % words.length]} in Meldung ${i} wurde am Abend von den Beteiligten in Berlin ausführlich besprochen.`);
    await mkdir(path.join(project, "articles", `meldung-${i}`), { recursive: true });
    await writeFile(
      path.join(project, "articles", `meldung-${i}`, "de.md"),
      `---\ntitle: Meldung ${i} über ${topic}\nauthor: Redaktion\ndate: 2025-03-${String((i % 28) + 1).padStart(2, "0")}\ntags: [${topic}, Meldungen]\n---\n\n${sentences.join(" ")}\n`,
    );
  }
  return project;
}

/** Gazette's own leftovers beside the output folder: temporary and previous sites (the build cache is meant to stay). */
async function leftovers(project: string): Promise<string[]> {
  return (await readdir(project)).filter((name) => name.startsWith(".gazette-") && name !== ".gazette-cache").sort();
}

function expectCleanFailure(run: CliRun, message: RegExp): void {
  expect(userFacingProblems(run)).toEqual([]);
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toMatch(message);
}

/** Makes a folder read-only for the build: chattr +i as root (permissions do not stop root), chmod otherwise. */
async function makeReadOnly(dir: string): Promise<() => Promise<void>> {
  if (process.getuid?.() === 0) {
    await exec("chattr", ["+i", dir]);
    const undo = async () => void (await exec("chattr", ["-i", dir]));
    cleanups.push(undo);
    return undo;
  }
  await chmod(dir, 0o555);
  const undo = () => chmod(dir, 0o755);
  cleanups.push(undo);
  return undo;
}

describe("a build killed at a random point", () => {
  let project: string;
  let baseline: Map<string, string>;
  /** How long a whole build took here: kill points are drawn from it. */
  let buildMs: number;

  beforeAll(async () => {
    project = await makeProject(await sandbox("gazette-kill-"), 300);
    const started = performance.now();
    const first = await runGazette(["build"], { cwd: project });
    buildMs = performance.now() - started;
    expect(first.code, first.stderr).toBe(0);
    baseline = await snapshotTree(path.join(project, "public"));
  }, BUILD_TIMEOUT);

  /** A kill point: resolves when the build should die; gives up once `ended()` says it is over. */
  type Trigger = (ended: () => boolean) => Promise<void>;

  /** Starts a build, kills it when `trigger` resolves, and returns how it ended. */
  async function killBuild(trigger: Trigger): Promise<CliRun> {
    let over = false;
    const run = runGazette(["build"], { cwd: project, onSpawn: (child) => void trigger(() => over).then(() => child.kill("SIGKILL")) });
    const result = await run;
    over = true;
    return result;
  }

  const afterDelay =
    (fraction: number): Trigger =>
    () =>
      new Promise<void>((resolve) => setTimeout(resolve, fraction * buildMs));
  /** Resolves once the build has made its temporary output folder (writing has begun). */
  const onceWriting: Trigger = async (ended) => {
    while (!ended() && !(await readdir(project)).some((name) => name.startsWith(".gazette-tmp-"))) await new Promise((resolve) => setTimeout(resolve, 2));
  };
  const points = [
    { name: "as soon as it starts writing", trigger: onceWriting },
    ...Array.from({ length: 4 }, () => next()).map((fraction) => ({ name: `after ${(fraction * 100).toFixed(0)} % of a build's time (seed ${SEED})`, trigger: afterDelay(fraction) })),
  ];

  test.for(points)("killed $name: public/ stays byte-identical, and the next build succeeds and cleans up", { timeout: BUILD_TIMEOUT }, async ({ trigger }) => {
    const killed = await killBuild(trigger);
    const publicDir = path.join(project, "public");
    if (await exists(publicDir)) {
      // Killed before the swap (the old site) or after it (the same site again: builds are reproducible).
      expect(diffTrees(baseline, await snapshotTree(publicDir))).toEqual([]);
    } else {
      // Killed between the two renames of the swap: the previous site waits under .gazette-old-*.
      const old = (await leftovers(project)).find((name) => name.startsWith(".gazette-old-public-"));
      expect(old, `public/ is gone and no previous site is kept (exit ${killed.code}, ${killed.signal})`).toBeDefined();
      expect(diffTrees(baseline, await snapshotTree(path.join(project, old!)))).toEqual([]);
    }
    const again = await runGazette(["build"], { cwd: project });
    expect(userFacingProblems(again)).toEqual([]);
    expect(again.code, again.stderr).toBe(0);
    expect(diffTrees(baseline, await snapshotTree(publicDir))).toEqual([]);
    expect(await leftovers(project)).toEqual([]);
  });

  test("killed between the two renames of the swap: the next build puts the previous site back, then replaces it", { timeout: BUILD_TIMEOUT }, async () => {
    // The state a kill at exactly that moment leaves: public/ moved aside by a process that is gone.
    await rename(path.join(project, "public"), path.join(project, ".gazette-old-public-999999999"));
    const again = await runGazette(["build"], { cwd: project });
    expect(userFacingProblems(again)).toEqual([]);
    expect(again.code, again.stderr).toBe(0);
    expect(diffTrees(baseline, await snapshotTree(path.join(project, "public")))).toEqual([]);
    expect(await leftovers(project)).toEqual([]);
  });
});

/** A project of 125 stories built with the cache, then one article edited: the next build updates public/ in place. */
async function builtThenEdited(prefix: string): Promise<string> {
  const project = await makeProject(await sandbox(prefix), 120);
  const first = await runGazette(["build"], { cwd: project });
  expect(first.code, first.stderr).toBe(0);
  const article = path.join(project, "articles/meldung-3/de.md");
  await writeFile(article, (await readFile(article, "utf8")) + "\nEin Nachtrag zur Meldung.\n");
  return project;
}

/** A sentence added to a seed article's body: the next build with the cache is a delta build with pages to write. */
async function editABody(project: string): Promise<void> {
  const article = path.join(project, "articles", (await readdir(path.join(project, "articles"))).sort()[0]!, "de.md");
  await writeFile(article, `${await readFile(article, "utf8")}\nEin Nachtrag, Fassung ${Date.now()}.\n`);
}

/** The build after an interrupted update: it finishes it, leaves nothing behind, and equals a full build. */
async function expectNextBuildFinishesUpdate(project: string): Promise<void> {
  const again = await runGazette(["build"], { cwd: project });
  expect(userFacingProblems(again)).toEqual([]);
  expect(again.code, again.stderr).toBe(0);
  expect(await leftovers(project)).toEqual([]);
  const full = await runGazette(["build", "--no-cache", "--out", "full"], { cwd: project });
  expect(full.code, full.stderr).toBe(0);
  const marker = ".gazette-output";
  expect(diffTrees(await snapshotTree(path.join(project, "full"), [marker]), await snapshotTree(path.join(project, "public"), [marker]))).toEqual([]);
}

describe("a build killed while it updates public/ in place", () => {
  test.for([1, 3])("killed after %i files were moved in: the next build finishes the update, and the site equals a full build", { timeout: BUILD_TIMEOUT }, async (killAt) => {
    const project = await builtThenEdited("gazette-update-kill-");
    const folder = (await stat(path.join(project, "public"))).ino;
    const killed = await runGazette(["build"], { cwd: project, nodeArgs: ["--import", KILL_IN_UPDATE], env: { GAZETTE_TEST_KILL_AT_MOVE: String(killAt) } });
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    // Killed in the commit of an update: the same folder, its journal and staging folder beside it.
    expect((await stat(path.join(project, "public"))).ino).toBe(folder);
    const left = await leftovers(project);
    expect(left.filter((name) => /^\.gazette-update-public-\d+\.json$/.test(name))).toHaveLength(1);
    expect(left.filter((name) => name.startsWith(".gazette-tmp-public-"))).toHaveLength(1);
    await expectNextBuildFinishesUpdate(project);
  });
});

describe("a rename that fails while a build updates public/ in place", () => {
  test("a clear error; the staged files stay, and the next build finishes the update", { timeout: BUILD_TIMEOUT }, async () => {
    const project = await builtThenEdited("gazette-update-fail-");
    const failed = await runGazette(["build"], { cwd: project, nodeArgs: ["--import", KILL_IN_UPDATE], env: { GAZETTE_TEST_FAIL_AT_MOVE: "2" } });
    expectCleanFailure(failed, /OutputError: updating .*public in place stopped half way \(EIO\)\. Fix the cause and build again: the next build finishes the update first\./);
    const left = await leftovers(project);
    expect(left.filter((name) => /^\.gazette-update-public-\d+\.json$/.test(name))).toHaveLength(1);
    expect(left.filter((name) => name.startsWith(".gazette-tmp-public-"))).toHaveLength(1);
    await expectNextBuildFinishesUpdate(project);
  });
});

describe("an output folder that cannot be written", () => {
  let project: string;
  let baseline: Map<string, string>;

  beforeAll(async () => {
    project = await makeProject(await sandbox("gazette-readonly-"), 0);
    const first = await runGazette(["build"], { cwd: project });
    expect(first.code, first.stderr).toBe(0);
    baseline = await snapshotTree(path.join(project, "public"));
  }, BUILD_TIMEOUT);

  test("a read-only public/: a clear error before building, and the site stays", { timeout: BUILD_TIMEOUT }, async () => {
    const publicDir = path.join(project, "public");
    await editABody(project); // a page to write
    const undo = await makeReadOnly(publicDir);
    const run = await runGazette(["build"], { cwd: project });
    await undo();
    expectCleanFailure(run, /OutputError: the output folder .*public is read-only \((EACCES|EPERM)\)/);
    expect(diffTrees(baseline, await snapshotTree(publicDir))).toEqual([]);
    expect(await leftovers(project)).toEqual([]);
    const again = await runGazette(["build"], { cwd: project });
    expect(again.code, again.stderr).toBe(0);
  });

  test("a read-only folder around public/ (where the new site is prepared): a clear error, and the site stays", { timeout: BUILD_TIMEOUT }, async () => {
    baseline = await snapshotTree(path.join(project, "public")); // as the test before left it
    await editABody(project); // a page to write
    const undo = await makeReadOnly(project);
    const run = await runGazette(["build"], { cwd: project });
    await undo();
    expectCleanFailure(run, /OutputError: cannot create a folder in .*project \((EACCES|EPERM)\)/);
    expect(run.stderr).toMatch(/Make that folder writable, or choose another output folder with --out\./);
    expect(diffTrees(baseline, await snapshotTree(path.join(project, "public")))).toEqual([]);
    expect(await leftovers(project)).toEqual([]);
  });

  test("--out inside a read-only folder: a clear error, nothing written", { timeout: BUILD_TIMEOUT }, async () => {
    const locked = path.join(path.dirname(project), "locked");
    await mkdir(locked);
    const undo = await makeReadOnly(locked);
    const run = await runGazette(["build", "--out", path.join(locked, "site")], { cwd: project });
    await undo();
    expectCleanFailure(run, /OutputError: cannot create a folder in .*locked \((EACCES|EPERM)\)/);
    expect(await readdir(locked)).toEqual([]);
  });
});

describe("a full disk", () => {
  let project: string;
  let baseline: Map<string, string>;
  let fileCount: number;

  beforeAll(async () => {
    project = await makeProject(await sandbox("gazette-full-"), 0);
    const first = await runGazette(["build"], { cwd: project });
    expect(first.code, first.stderr).toBe(0);
    baseline = await snapshotTree(path.join(project, "public"));
    fileCount = [...baseline.values()].filter((value) => value !== "dir").length;
  }, BUILD_TIMEOUT);

  const failAt = () => String(1 + Math.floor(next() * (fileCount - 1)));
  // Without the cache a build writes every page into a new output (failing at a random one);
  // with it, after a body edit, a delta build stages the page, its feeds and the marker, and a
  // full one (without the site snapshot a delta starts from) updates the output in place.
  test.for([
    { name: "at a random page (seeded)", at: () => failAt(), cache: false },
    { name: "at the first page", at: () => "1", cache: false },
    { name: "at the first file staged for a delta build", at: () => "1", cache: true },
    { name: "at the first file staged for a full build's update in place", at: () => "1", cache: true, full: true },
    { name: "at the output marker, the last write before the swap", at: () => "marker", cache: false },
    { name: "at the output marker, the last write of a delta build", at: () => "marker", cache: true },
    { name: "at the output marker, the last write before a full build's update in place", at: () => "marker", cache: true, full: true },
    // Large sites write from a thread of their own: its failure must come back the same way.
    { name: "at a random page written by the write thread (seeded)", at: () => failAt(), cache: false, thread: true },
  ])("a write that fails with ENOSPC $name: a clear error, the previous site stays, nothing is left behind", { timeout: BUILD_TIMEOUT }, async ({ at, cache, full, thread }) => {
    const where = at();
    if (cache) await editABody(project);
    if (full) await rm(path.join(project, ".gazette-cache", SNAPSHOT_FILE), { force: true });
    const args = cache ? ["build"] : ["build", "--no-cache"];
    const env = { GAZETTE_TEST_FAIL_WRITE_AT: where, ...(thread ? { GAZETTE_WRITE_THREAD: "1" } : {}) };
    const run = await runGazette(args, { cwd: project, nodeArgs: ["--import", FAIL_WRITES], env });
    expectCleanFailure(run, /OutputError: writing \S+ failed \(ENOSPC\)\. The disk is full: free some space and build again\./);
    expect(diffTrees(baseline, await snapshotTree(path.join(project, "public")))).toEqual([]);
    expect(await leftovers(project), `write ${where}`).toEqual([]);
  });
});

describe("a missing templates folder", () => {
  test("a broken install without its templates/: a clear error, and the previous site stays", { timeout: BUILD_TIMEOUT }, async () => {
    const dir = await sandbox("gazette-notemplates-");
    const project = await makeProject(dir, 0);
    const first = await runGazette(["build"], { cwd: project });
    expect(first.code, first.stderr).toBe(0);
    const baseline = await snapshotTree(path.join(project, "public"));

    // A copy of Gazette as npm would install it, minus templates/.
    const install = path.join(dir, "gazette");
    await mkdir(install);
    for (const entry of ["bin", "dist", "package.json"]) await cp(path.join(REPO_ROOT, entry), path.join(install, entry), { recursive: true });
    await symlink(path.join(REPO_ROOT, "node_modules"), path.join(install, "node_modules"));
    const run = await new Promise<CliRun>((resolve) => {
      const child = spawn(process.execPath, [path.join(install, "bin/gazette.js"), "build"], { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
      child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    expectCleanFailure(run, /TemplateError: no templates were found in .*templates/);
    expect(run.stderr).toMatch(/Restore the templates folder/);
    expect(diffTrees(baseline, await snapshotTree(path.join(project, "public")))).toEqual([]);
  });

  test("paths.templates naming a folder that does not exist: a clear error, not the built-in theme in silence", { timeout: BUILD_TIMEOUT }, async () => {
    const project = await makeProject(await sandbox("gazette-notheme-"), 0);
    const config = await readFile(path.join(project, "gazette.config.yml"), "utf8");
    await writeFile(path.join(project, "gazette.config.yml"), `${config}\npaths:\n  templates: theme\n`);
    const run = await runGazette(["build"], { cwd: project });
    expectCleanFailure(run, /^gazette\.config\.yml TemplateError: the templates folder theme\/ named in gazette\.config\.yml does not exist\./m);
    expect(await exists(path.join(project, "public"))).toBe(false);
  });
});
