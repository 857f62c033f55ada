import { appendFileSync, existsSync, mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeSiteSnapshot, type SnapshotContent } from "../../../src/cache/site-snapshot.js";
import { statKey } from "../../../src/content/load-content.js";
import { makeTempSite, removeTempSite, REPO_ROOT } from "../../helpers/temp-site.js";

type CheckModule = typeof import("../../../src/delta/check-snapshot.js");

let root: string | null = null;

afterEach(async () => {
  if (root) await removeTempSite(root);
  root = null;
});

const STORIES = 20;
/** Output files: several of the slices the two threads claim (256 each), and a last short one. */
const OUTPUTS = 700;
const outputPath = (i: number): string => `de/story-${i}/index.html`;

/** A site with content, output and a snapshot of both, "committed" a minute from now (every file is older). */
async function siteWithSnapshot(options: { modified?: (story: number) => Date } = {}): Promise<{ root: string; committedAt: number; files: SnapshotContent["files"] }> {
  const files: Record<string, string> = {};
  for (let i = 0; i < STORIES; i++) files[`articles/story-${i}/de.md`] = `---\ntitle: Story ${i}\n---\nText ${i}.\n`;
  for (let i = 0; i < OUTPUTS; i++) files[`public/${outputPath(i)}`] = `<p>${i}</p>`;
  const site = await makeTempSite(files);
  const { modified } = options;
  if (modified) for (let i = 0; i < STORIES; i++) utimesSync(path.join(site, `articles/story-${i}/de.md`), modified(i), modified(i));
  const contentFiles = Object.keys(files)
    .filter((file) => file.startsWith("articles/"))
    .map((file): [string, string, string] => [file, statKey(statSync(path.join(site, file), { bigint: true })), `hash-${file}`]);
  const content: SnapshotContent = {
    head: { key: "key", buildId: "build", buildDate: "2025-12-01T00:00:00.000Z", nextDue: null, newsOldest: null, emptyFeed: false, relatedKey: null, pageOrder: "", year: "2025", pages: { total: OUTPUTS, byKind: {} }, languages: ["de"], warnings: [], feeds: [], news: [], groups: [], relocated: [], unpublished: [] },
    listedAt: Date.now(),
    files: contentFiles,
    outputs: Array.from({ length: OUTPUTS }, (_, i) => outputPath(i)),
    pages: [],
    listings: [],
    dates: [],
    groups: [],
  };
  expect(await writeSiteSnapshot(site, content)).toBeNull();
  return { root: site, committedAt: Date.now() + 60_000, files: contentFiles };
}

/** share: when this thread takes its share of the output check: at once (while the worker starts, it claims most), after the content check, never. */
type Share = "at once" | "after the content" | "never";

async function check(module: CheckModule, site: { root: string; committedAt: number }, options: { share: Share; include?: string[]; removed?: string[]; added?: string[] }) {
  const running = module.startChecks(
    { root: site.root, buildId: "build", contentDir: path.join(site.root, "articles"), listedAt: Date.now(), include: options.include ?? [] },
    { root: site.root, buildId: "build", outDir: path.join(site.root, "public"), committedAt: site.committedAt, removed: options.removed ?? [], added: options.added ?? [] },
  );
  if (options.share === "at once") running.shareOutputCheck();
  const content = await running.content;
  if (options.share === "after the content") running.shareOutputCheck();
  return { guess: await running.guess, content, output: await running.output };
}

const compiled = async (): Promise<CheckModule> => {
  const file = path.join(REPO_ROOT, "dist/delta/check-snapshot.js");
  if (!existsSync(file)) throw new Error("dist/ is missing: `npm test` compiles it first (npm run compile)");
  expect(existsSync(path.join(REPO_ROOT, "dist/delta/check-worker.js"))).toBe(true); // else it would run on this thread
  return (await import(file)) as CheckModule;
};

describe.each([
  ["compiled, this thread's share of the output taken at once", compiled, "at once"],
  ["compiled, this thread's share taken after the content check", compiled, "after the content"],
  ["compiled, the worker alone", compiled, "never"],
  ["from the sources: all on this thread", () => import("../../../src/delta/check-snapshot.js"), "at once"],
] as const)("the delta's checks (%s)", (_, load, share) => {
  it("find nothing changed in an untouched site", async () => {
    const site = await siteWithSnapshot();
    root = site.root;
    expect(await check(await load(), site, { share })).toEqual({ guess: null, content: { edited: [] }, output: { changed: null } });
  });

  it.each([0, 255, 256, 300, OUTPUTS - 1])("find an output file modified since the commit, wherever it is in the list (number %i)", async (number) => {
    const site = await siteWithSnapshot();
    root = site.root;
    const later = new Date(site.committedAt + 1000);
    utimesSync(path.join(site.root, "public", outputPath(number)), later, later);
    expect((await check(await load(), site, { share })).output).toEqual({ changed: outputPath(number) });
  });

  it("expect the files earlier deltas removed to be gone and those they added to be there", async () => {
    const site = await siteWithSnapshot();
    root = site.root;
    rmSync(path.join(site.root, "public", outputPath(300)));
    expect((await check(await load(), site, { share })).output).toEqual({ changed: outputPath(300) });
    const added = "pagefind/fragment/de_new.pf_fragment";
    expect((await check(await load(), site, { share, removed: [outputPath(300)], added: [added] })).output).toEqual({ changed: added });
    mkdirSync(path.join(site.root, "public/pagefind/fragment"), { recursive: true });
    writeFileSync(path.join(site.root, "public", added), "new");
    expect((await check(await load(), site, { share, removed: [outputPath(300)], added: [added] })).output).toEqual({ changed: null });
  });

  it("find an edited content file, and list the files an earlier delta applied", async () => {
    const site = await siteWithSnapshot();
    root = site.root;
    appendFileSync(path.join(site.root, "articles/story-7/de.md"), "More.\n");
    const { guess, content } = await check(await load(), site, { share, include: ["articles/story-3/de.md"] });
    const number = (file: string): number => site.files.findIndex(([each]) => each === file);
    const edited = [
      [number("articles/story-3/de.md"), "articles/story-3/de.md", "hash-articles/story-3/de.md"],
      [number("articles/story-7/de.md"), "articles/story-7/de.md", "hash-articles/story-7/de.md"],
    ].sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(content).toEqual({ edited });
    expect(guess).toEqual(edited); // one file changed: the first guess is the answer
  });

  it("guess from the first changed file found, the one modified last before the snapshot first, before the others", async () => {
    // Modified in listing order, a day apart, but story 12 last of all: an editor's latest story.
    const site = await siteWithSnapshot({ modified: (story) => new Date(Date.UTC(2025, 0, story === 12 ? 28 : 1 + story)) });
    root = site.root;
    for (const story of [4, 12]) appendFileSync(path.join(site.root, `articles/story-${story}/de.md`), "More.\n");
    const { guess, content } = await check(await load(), site, { share });
    const latest = site.files.findIndex(([file]) => file === "articles/story-12/de.md");
    expect(site.files.findIndex(([file]) => file === "articles/story-4/de.md")).toBeLessThan(latest);
    expect(guess).toEqual([[latest, site.files[latest]![0], site.files[latest]![2]]]);
    expect(content !== "list" && content !== "unreadable" && content.edited.map(([, file]) => file).sort()).toEqual(["articles/story-12/de.md", "articles/story-4/de.md"]);
  });
});

describe("the delta's checks, stopped", () => {
  it("settle at once (the delta missed: nobody waits for them)", async () => {
    const site = await siteWithSnapshot();
    root = site.root;
    const module = await compiled();
    const running = module.startChecks(
      { root: site.root, buildId: "build", contentDir: path.join(site.root, "articles"), listedAt: Date.now(), include: [] },
      { root: site.root, buildId: "build", outDir: path.join(site.root, "public"), committedAt: site.committedAt, removed: [], added: [] },
    );
    running.shareOutputCheck();
    running.stop();
    const [content, output] = await Promise.all([running.content, running.output]);
    // Stopped before it finished, a check says it could not tell; one that finished first stands.
    expect(["unreadable", JSON.stringify({ edited: [] })]).toContain(typeof content === "string" ? content : JSON.stringify(content));
    expect(["unreadable", JSON.stringify({ changed: null })]).toContain(typeof output === "string" ? output : JSON.stringify(output));
  });
});
