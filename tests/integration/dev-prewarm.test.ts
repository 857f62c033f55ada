/**
 * A `gazette dev` session's first load on several threads (workers/dev-prewarm.ts) must change
 * nothing but the time: the same pages, errors and warnings as loading on one thread, and edits
 * afterwards still re-read one file (the quick path) with the same result. Runs the compiled
 * session, whose worker file exists (GAZETTE_WORKERS sets the threads).
 */
import { spawnSync } from "node:child_process";
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CACHE_DIR } from "../../src/cache/record-cache.js";
import type { Change, summarizeChanges as Summarize } from "../../src/dev/classify-change.js";
import type { RebuildReport, SiteSession as Session } from "../../src/dev/site-session.js";
import { REPO_ROOT, article, copyProject, makeTempSite, removeTempSite, text } from "../helpers/temp-site.js";

const DIST = path.join(REPO_ROOT, "dist");
let root: string;
let SiteSession: typeof Session;
let summarizeChanges: typeof Summarize;

beforeAll(async () => {
  if (!existsSync(path.join(DIST, "workers/dev-prewarm-worker.js"))) throw new Error("dist/ is missing: `npm test` compiles it first (npm run compile)");
  ({ SiteSession } = (await import(path.join(DIST, "dev/site-session.js"))) as { SiteSession: typeof Session });
  ({ summarizeChanges } = (await import(path.join(DIST, "dev/classify-change.js"))) as { summarizeChanges: typeof Summarize });
  // The real articles, and a story with a warning (a slug taken).
  root = await makeTempSite({
    "articles/gleicher-titel-eins/de.md": article({ title: "Gleicher Titel", date: "2025-02-13" }),
    "articles/gleicher-titel-zwei/de.md": article({ title: "Gleicher Titel", date: "2025-02-14" }),
  });
  await copyProject(root);
  process.env.SOURCE_DATE_EPOCH = "1755734400";
});

afterAll(async () => {
  delete process.env.SOURCE_DATE_EPOCH;
  delete process.env.GAZETTE_WORKERS;
  await removeTempSite(root);
});

/** `run` with `workers` loading threads. */
async function withWorkers<T>(workers: number, run: () => Promise<T>): Promise<T> {
  process.env.GAZETTE_WORKERS = String(workers);
  try {
    return await run();
  } finally {
    delete process.env.GAZETTE_WORKERS;
  }
}

interface Run {
  session: Session;
  report: RebuildReport;
}

function expectSameSession(actual: Run, expected: Run): void {
  const describe = (report: RebuildReport) => ({ ok: report.ok, errors: report.errors.map((error) => [error.name, error.message, error.location, error.hint]), warnings: report.warnings });
  expect(describe(actual.report)).toEqual(describe(expected.report));
  expect([...actual.session.files.keys()].sort()).toEqual([...expected.session.files.keys()].sort());
  for (const [file, body] of expected.session.files) expect(text(actual.session.files.get(file)!), file).toBe(text(body));
}

const change = (file: string, kind: Change["kind"] = "content", event: Change["event"] = "change"): Change => ({ kind, path: path.join(root, file), event });

describe("a dev session's first load on several threads", () => {
  test("gives the pages, errors and warnings of one thread; edits then re-read one file, to the same pages", async () => {
    const sessions = [new SiteSession({ root }), new SiteSession({ root })] as const;
    /** The same rebuild of both sessions, the second with two loading threads. */
    const both = async (changes: Change[] | null): Promise<[Run, Run]> => {
      const summary = changes === null ? null : summarizeChanges(changes);
      const one = await withWorkers(1, () => sessions[0].rebuild(summary));
      const two = await withWorkers(2, () => sessions[1].rebuild(summary));
      return [{ session: sessions[0], report: one }, { session: sessions[1], report: two }];
    };
    const loadDetail = (run: Run) => run.report.timings.find((timing) => timing.stage === "load")?.detail;

    const [one, two] = await both(null);
    expect([loadDetail(one), loadDetail(two)]).toEqual(["14 files", "14 files, 2 threads"]);
    expect(one.report.warnings.some((warning) => /already used/.test(warning.message))).toBe(true);
    expectSameSession(two, one);

    const broken = "articles/kaputtes-datum/de.md";
    const edited = path.join(root, "articles/trump-putin-telefonat-ohne-fortschritte/de.md");
    const editedText = await readFile(edited, "utf8");
    try {
      // A file with an error, added; then a config edit loads everything again (on two threads), the error included.
      await mkdir(path.join(root, "articles/kaputtes-datum"));
      await writeFile(path.join(root, broken), article({ title: "Ein kaputtes Datum", date: "31/02/2025" }));
      let [a, b] = await both([change(broken, "content", "add")]);
      expect(a.report.errors.map((error) => error.location?.file)).toEqual([broken]);
      expectSameSession(b, a);
      [a, b] = await both([change("gazette.config.yml", "config")]);
      expect(b.report.errors.map((error) => error.location?.file)).toEqual([broken]);
      expectSameSession(b, a);

      // Fixed (an article appears: the full path), then a body edit: the quick path in both.
      await writeFile(path.join(root, broken), article({ title: "Ein kaputtes Datum", date: "28/02/2025" }));
      [a, b] = await both([change(broken)]);
      expect([a.report.ok, b.report.ok]).toEqual([true, true]);
      expectSameSession(b, a);
      await writeFile(edited, `${editedText}\nEin Absatz, erst in der Sitzung geschrieben.\n`);
      [a, b] = await both([change("articles/trump-putin-telefonat-ohne-fortschritte/de.md")]);
      expect([a.report.quick, b.report.quick]).toEqual([true, true]);
      expect(b.report.written.some((file) => text(b.session.files.get(file)!).includes("erst in der Sitzung geschrieben"))).toBe(true);
      expectSameSession(b, a);
    } finally {
      await rm(path.join(root, "articles/kaputtes-datum"), { recursive: true, force: true });
      await writeFile(edited, editedText);
    }
  });
});

/** A copy of the test site built by the compiled CLI (with its cache), and one without a cache; `remove` deletes both. */
async function builtAndPlainCopies(): Promise<{ cached: string; plain: string; remove(): Promise<void> }> {
  const [cached, plain] = [await makeTempSite({}), await makeTempSite({})];
  const remove = async () => {
    await removeTempSite(cached);
    await removeTempSite(plain);
  };
  for (const site of [cached, plain]) await copyProject(site, root);
  const built = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin/gazette.js"), "build"], { cwd: cached, encoding: "utf8" });
  if (built.status !== 0) {
    await remove();
    throw new Error(`gazette build failed: ${built.stderr}`);
  }
  return { cached, plain, remove };
}

describe("a dev session's first load from the last build's cache", () => {
  test("takes the build's related lists when nothing changed since, and settles edits as a session without the cache", async () => {
    const { cached, plain, remove } = await builtAndPlainCopies();
    try {
      const sessions = [new SiteSession({ root: cached }), new SiteSession({ root: plain })] as const;
      const related = (report: RebuildReport) => report.timings.find((timing) => timing.stage === "related")?.detail;
      let reports = await withWorkers(1, async () => [await sessions[0].rebuild(null), await sessions[1].rebuild(null)]);
      expect(related(reports[0]!)).toMatch(/from the cache/);
      expect(related(reports[1]!)).not.toMatch(/from the cache/);
      expectSameSession({ session: sessions[0], report: reports[0]! }, { session: sessions[1], report: reports[1]! });
      // A body edit in words of its own changes its features: settling computes every list again, from the features the records gave.
      const file = "articles/trump-putin-telefonat-ohne-fortschritte/de.md";
      for (const site of [cached, plain]) await appendFile(path.join(site, file), "\nWindkraft, Solarstrom und Wärmepumpen: die Energiewende im Gespräch.\n");
      reports = await withWorkers(1, async () => Promise.all(sessions.map(async (session, i) => {
        const report = await session.rebuild(summarizeChanges([{ kind: "content", path: path.join([cached, plain][i]!, file), event: "change" }]));
        expect(report.quick).toBe(true);
        await session.settle();
        return report;
      })));
      expectSameSession({ session: sessions[0], report: reports[0]! }, { session: sessions[1], report: reports[1]! });
    } finally {
      await remove();
    }
  });

  test("a record shard that does not read back is left out: its files are read, the pages are the same", async () => {
    const { cached, plain, remove } = await builtAndPlainCopies();
    try {
      // A flipped byte in the records of the largest shard: its header reads, its checksum fails.
      const dir = path.join(cached, CACHE_DIR, "records-v1");
      const shards = await Promise.all((await readdir(dir)).filter((name) => name.endsWith(".bin")).map(async (name) => ({ file: path.join(dir, name), bytes: await readFile(path.join(dir, name)) })));
      const largest = shards.sort((a, b) => b.bytes.length - a.bytes.length)[0]!;
      largest.bytes[largest.bytes.length - 1]! ^= 0xff;
      await writeFile(largest.file, largest.bytes);
      const [a, b] = [new SiteSession({ root: cached }), new SiteSession({ root: plain })];
      const reports = await withWorkers(1, async () => [await a.rebuild(null), await b.rebuild(null)]);
      const taken = Number(/(\d+) from the cache/.exec(reports[0]!.timings.find((timing) => timing.stage === "load")?.detail ?? "")?.[1]);
      expect(taken).toBeGreaterThan(0);
      expect(taken).toBeLessThan(14);
      expectSameSession({ session: a, report: reports[0]! }, { session: b, report: reports[1]! });
    } finally {
      await remove();
    }
  });

  test("takes every unchanged file's record, gives the pages of a session without a cache, and edits re-read their files only", async () => {
    // Two copies of one site: `cached` after a `gazette build` (the compiled CLI's cache), `plain` without one.
    const { cached, plain, remove } = await builtAndPlainCopies();
    try {
      const sessions = [new SiteSession({ root: cached }), new SiteSession({ root: plain })] as const;
      /** The same edit in both copies, then the same rebuild of both sessions (on one thread: the cache is what differs). */
      const both = async (edit: ((site: string) => Promise<void>) | null, changes: ((site: string) => Change[]) | null): Promise<[Run, Run]> => {
        for (const site of [cached, plain]) await edit?.(site);
        const reports = await withWorkers(1, async () => [await sessions[0].rebuild(changes ? summarizeChanges(changes(cached)) : null), await sessions[1].rebuild(changes ? summarizeChanges(changes(plain)) : null)]);
        return [{ session: sessions[0], report: reports[0]! }, { session: sessions[1], report: reports[1]! }];
      };
      const at = (site: string, file: string, kind: Change["kind"] = "content"): Change => ({ kind, path: path.join(site, file), event: "change" });
      const loadDetail = (run: Run) => run.report.timings.find((timing) => timing.stage === "load")?.detail;

      // A file edited between the build and the session is read, not taken from the cache.
      const before = "articles/diplomatische-bemuehungen-trump-putin-stagnieren/de.md";
      let [a, b] = await both((site) => appendFile(path.join(site, before), "\nEin Absatz, nach dem Bau geschrieben.\n"), null);
      expect([loadDetail(a), loadDetail(b)]).toEqual(["14 files, 13 from the cache", "14 files"]);
      expect([...a.session.files.values()].some((page) => text(page).includes("nach dem Bau geschrieben"))).toBe(true);
      expectSameSession(a, b);

      // A body edit and a source edit (the quick path), a translation mark removed (the full path: one file normalized, the others still the records').
      const body = "articles/trump-putin-telefonat-ohne-fortschritte/de.md";
      const sourced = "articles/trump-putin-alaska-gipfel-ohne-waffenstillstand/en.md";
      [a, b] = await both((site) => appendFile(path.join(site, body), "\nEin Absatz, erst in der Sitzung geschrieben.\n"), (site) => [at(site, body)]);
      expect([a.report.quick, b.report.quick]).toEqual([true, true]);
      expectSameSession(a, b);
      [a, b] = await both(async (site) => writeFile(path.join(site, sourced), (await readFile(path.join(site, sourced), "utf8")).replace(/^source: Cookie News$/m, "source: Cookie Nachrichten")), (site) => [at(site, sourced)]);
      expect([a.report.quick, b.report.quick]).toEqual([true, true]);
      expectSameSession(a, b);
      [a, b] = await both(async (site) => writeFile(path.join(site, sourced), (await readFile(path.join(site, sourced), "utf8")).replace(/^translated_from: de\n/m, "")), (site) => [at(site, sourced)]);
      expect([a.report.quick, a.report.ok]).toEqual([false, true]);
      expect(loadDetail(a)).toBe("14 files");
      expectSameSession(a, b);

      // A config edit empties the caches: the build's records no longer fit (another time zone, another engine key), everything is read.
      const config = async (site: string) => writeFile(path.join(site, "gazette.config.yml"), (await readFile(path.join(site, "gazette.config.yml"), "utf8")).replace("timeZone: Europe/Berlin", "timeZone: America/New_York"));
      [a, b] = await both(config, (site) => [at(site, "gazette.config.yml", "config")]);
      expect(loadDetail(a)).toBe("14 files, 0 from the cache");
      expectSameSession(a, b);
    } finally {
      await remove();
    }
  });
});
