/**
 * A seeded random walk of edits (dates, titles, bodies, topics, bylines, added and removed stories) on a
 * site with two stories per page, so that pagination, counts and topic names move too: after each
 * step the dev session (quick or full path, then settled) and a cached `gazette build` must both
 * equal a cold build, byte for byte. Catches dependencies the route signatures miss.
 */
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../../src/build.js";
import { summarizeChanges, type Change } from "../../src/dev/classify-change.js";
import type { SiteSession } from "../../src/dev/site-session.js";
import { OUTPUT_MARKER } from "../../src/output/write-output.js";
import { seededRandom } from "../helpers/random.js";
import { endSession, startSession } from "../helpers/dev-session.js";
import { REPO_ROOT, buildToMemory, makeTempSite, text } from "../helpers/temp-site.js";
import { readTree } from "../quality/support/tree.js";

const EPOCH = "1755734400";
const STEPS = 24;
let root: string;
let session: SiteSession;


beforeAll(async () => {
  root = await makeTempSite({});
  for (const entry of ["articles", "data"]) await cp(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  const config = await readFile(path.join(REPO_ROOT, "gazette.config.yml"), "utf8");
  await writeFile(path.join(root, "gazette.config.yml"), config.replace(/^perPage: .*$/m, "perPage: 2").replace(/^feedSize: .*$/m, "feedSize: 3"));
  session = await startSession(root, EPOCH);
});

afterAll(() => endSession(root));

const TOPICS = ["Wladimir Putin", "Donald Trump", "Ukraine", "Alaska", "Berlin", "Energie"];
// Two spell one page's slug ("anna-mueller"): those merge.
const AUTHORS = ["Erika Muster", "Max Beispiel", "Anna Müller", "Anna Mueller"];
const SENTENCES = ["Wladimir Putin äußerte sich dazu. Wladimir Putin blieb vage.", "Die Gespräche gehen weiter, sagten Diplomaten.", "Donald Trump sprach von Fortschritten. Donald Trump lobte Putin."];

async function articleFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const story of (await readdir(path.join(root, "articles"))).sort()) {
    for (const file of (await readdir(path.join(root, "articles", story))).sort()) files.push(`articles/${story}/${file}`);
  }
  return files;
}

/** One random edit; returns the changes the watcher would report. */
async function randomEdit(next: () => number, step: number, addStory = false): Promise<Change[]> {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const files = await articleFiles();
  const drawn = pick(["date", "title", "body", "topics", "byline", "add", "remove"] as const);
  const kind = addStory ? "add" : drawn;
  const abs = (relative: string) => path.join(root, relative);
  const change = (relative: string, event: Change["event"] = "change"): Change => ({ kind: "content", path: abs(relative), event });
  if (kind === "add" || (kind === "remove" && !files.some((file) => file.includes("/zufall-")))) {
    const story = `articles/zufall-${step}`;
    await mkdir(abs(story), { recursive: true });
    const day = String(1 + Math.floor(next() * 27)).padStart(2, "0");
    const month = String(1 + Math.floor(next() * 8)).padStart(2, "0");
    await writeFile(abs(`${story}/de.md`), `---\ntitle: Zufall ${step} über ${pick(TOPICS)}\ndate: 2025-${month}-${day}\nauthor: ${pick(AUTHORS)}\ntags: [${pick(TOPICS)}, ${pick(TOPICS)}]\n---\n\n${pick(SENTENCES)} ${pick(SENTENCES)}\n`);
    return [change(`${story}/de.md`, "add")];
  }
  if (kind === "remove") {
    const story = pick(files.filter((file) => file.includes("/zufall-"))).split("/").slice(0, 2).join("/");
    await rm(abs(story), { recursive: true });
    return [change(story, "unlink")];
  }
  const file = pick(files);
  const source = await readFile(abs(file), "utf8");
  let edited = source;
  if (kind === "date" && /^date: \d{4}-\d{2}-\d{2}$/m.test(source)) {
    edited = source.replace(/^date: \d{4}-(\d{2})-\d{2}$/m, () => `date: 2025-0${1 + Math.floor(next() * 8)}-${String(1 + Math.floor(next() * 27)).padStart(2, "0")}`);
  } else if (kind === "title") {
    edited = source.replace(/^title: .*$/m, `title: Neuer Titel ${step} zu ${pick(TOPICS)}`);
  } else if (kind === "topics" && /^tags: /m.test(source)) {
    edited = source.replace(/^tags: .*$/m, next() < 0.5 ? `tags: [${pick(TOPICS)}]` : `tags: [${pick(TOPICS)}, ${pick(TOPICS)}]`);
  } else if (kind === "byline" && /^author: /m.test(source)) {
    edited = source.replace(/^author: .*$/m, `author: ${pick(AUTHORS)}`);
  } else {
    edited = `${source.trimEnd()}\n\n${pick(SENTENCES)}\n`;
  }
  await writeFile(abs(file), edited);
  return [change(file)];
}

describe("random edits", () => {
  test(`${STEPS} seeded steps: dev session and cached build equal a cold build after each`, async () => {
    const next = seededRandom(Number(process.env.GAZETTE_TEST_SEED ?? 20251205));
    let quick = 0;
    for (let step = 1; step <= STEPS; step++) {
      // A walk whose every step so far took the quick path ends with a story added (the full path), whatever the seed.
      const changes = await randomEdit(next, step, step === STEPS && quick === step - 1);
      const what = `step ${step}: ${changes.map((c) => `${c.event} ${path.relative(root, c.path)}`).join(", ")}`;
      const report = await session.rebuild(summarizeChanges(changes));
      expect(report.errors, what).toEqual([]);
      if (report.quick) quick++;
      if (report.pending) await session.settle();

      const { files } = await buildToMemory(root, { epoch: EPOCH });
      const cold = new Map([...files].filter(([file]) => !file.startsWith("pagefind/")));
      expect([...session.files.keys()].sort(), what).toEqual([...cold.keys()].sort());
      for (const [file, body] of cold) expect(text(session.files.get(file)!), `${what}: ${file}`).toBe(text(body));

      await buildSite({ root, out: path.join(root, "public"), cache: true });
      const cached = new Map([...(await readTree(path.join(root, "public")))].filter(([file]) => file !== OUTPUT_MARKER && !file.startsWith("pagefind/")));
      expect([...cached.keys()].sort(), what).toEqual([...cold.keys()].sort());
      for (const [file, body] of cold) expect(cached.get(file)!.toString("utf8"), `${what} (build cache): ${file}`).toBe(text(body));
    }
    // The walk took both of the dev session's paths.
    expect(quick).toBeGreaterThan(0);
    expect(quick).toBeLessThan(STEPS);
  }, 180_000);
});
