/**
 * The dev session's incremental rebuilds against cold builds: after every kind of edit, the pages
 * it serves must be byte-identical to what `gazette build` makes of the same files (Pagefind's
 * index aside: dev does not build it), while rendering and writing only what changed.
 */
import { cp, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { summarizeChanges, type Change } from "../../src/dev/classify-change.js";
import { SiteSession, type RebuildReport } from "../../src/dev/site-session.js";
import { expectSessionSameAsColdBuild } from "../helpers/dev-session.js";
import { REPO_ROOT, makeTempSite, removeTempSite, text } from "../helpers/temp-site.js";

const EPOCH = "1755734400";
let root: string;
let session: SiteSession;

beforeAll(async () => {
  root = await makeTempSite({});
  await cp(path.join(REPO_ROOT, "articles"), path.join(root, "articles"), { recursive: true });
  await cp(path.join(REPO_ROOT, "data"), path.join(root, "data"), { recursive: true });
  await cp(path.join(REPO_ROOT, "gazette.config.yml"), path.join(root, "gazette.config.yml"));
  process.env.SOURCE_DATE_EPOCH = EPOCH;
  session = new SiteSession({ root });
  const first = await session.rebuild(null);
  expect(first.errors).toEqual([]);
});

afterAll(async () => {
  delete process.env.SOURCE_DATE_EPOCH;
  await removeTempSite(root);
});

const abs = (relative: string) => path.join(root, relative);

function change(kind: Change["kind"], relative: string, event: Change["event"] = "change"): Change {
  return { kind, path: abs(relative), event };
}

/** A rebuild, settled: after a quick one, the related lists are brought up to date too. */
async function rebuild(...changes: Change[]): Promise<RebuildReport> {
  const report = await session.rebuild(summarizeChanges(changes));
  if (!report.pending) return report;
  const settled = await session.settle();
  expect(session.pending).toBe(false);
  return {
    ...settled,
    written: [...new Set([...report.written, ...settled.written])].sort(),
    removed: [...new Set([...report.removed, ...settled.removed])].sort(),
    moved: [...report.moved, ...settled.moved],
    rendered: report.rendered + settled.rendered,
    pending: false,
    quick: report.quick,
  };
}

const expectSameAsColdBuild = () => expectSessionSameAsColdBuild(session, root, EPOCH);

describe("incremental rebuilds equal cold builds", () => {
  test("the first build", async () => {
    await expectSameAsColdBuild();
  });

  test("editing one article's title renders that story's pages and its listings, not the whole site", async () => {
    const file = "articles/trump-putin-alaska-gipfel-ohne-waffenstillstand/de.md";
    const source = await readFile(abs(file), "utf8");
    await writeFile(abs(file), source.replace(/^title: .*$/m, "title: Gipfel in Alaska endet ohne Einigung"));
    const report = await session.rebuild(summarizeChanges([change("content", file)]));
    expect(report.ok).toBe(true);
    // A new title is a new URL (the slug is made from it), which no other article has: the quick path moves the page.
    expect(report.quick).toBe(true);
    expect(report.timings.find((timing) => timing.stage === "index")?.detail).toMatch(/, 1 moved$/);
    expect(report.rendered).toBeGreaterThan(0);
    expect(report.rendered).toBeLessThan(report.routes / 2);
    expect(report.written).toContain("de/index.html");
    expect(report.written).toContain("de/feed.xml");
    expect(report.written.some((written) => written.startsWith("de/gipfel-in-alaska-endet-ohne-einigung/"))).toBe(true);
    // Pages that show nothing of the story are not rewritten: an English topic index, the 404 page.
    expect(report.written).not.toContain("404.html");
    expect(report.written).not.toContain("en/topics/index.html");
    expect(report.removed.some((removed) => removed.startsWith("de/") && removed.endsWith("/index.html"))).toBe(true); // the old slug's page
    expect(session.files.has("de/trump-und-putin-scheitern-mit-waffenstillstandsabkommen-bei-treffen-in-alaska/index.html")).toBe(false);
    expect(report.moved).toEqual([["de/trump-und-putin-scheitern-mit-waffenstillstandsabkommen-bei-treffen-in-alaska/index.html", "de/gipfel-in-alaska-endet-ohne-einigung/index.html"]]);
    // Related lists and the sitemap (every page's URL, ~7 MB at 10,000 stories) wait for settle().
    expect(report.pending).toBe(true);
    expect(report.written).not.toContain("sitemap.xml");
    expect(text(session.files.get("sitemap.xml")!)).not.toContain("/de/gipfel-in-alaska-endet-ohne-einigung/");
    const settled = await session.settle();
    expect(settled.written).toContain("sitemap.xml");
    expect(text(session.files.get("sitemap.xml")!)).toContain("/de/gipfel-in-alaska-endet-ohne-einigung/");
    await expectSameAsColdBuild();
  });

  test("a title whose slug another article has, or that frees a slug another article was moved from, takes the full path", async () => {
    // The later article of two with one title is published at its slug plus its date (see check-across.ts).
    const earlier = "articles/diplomatische-bemuehungen-trump-putin-stagnieren/de.md"; // 2025-05-20
    const later = "articles/trump-putin-telefonat-ohne-fortschritte/de.md"; // 2025-07-03
    const [earlierSource, laterSource] = [await readFile(abs(earlier), "utf8"), await readFile(abs(later), "utf8")];
    const plain = "de/diplomatische-bemuehungen-zwischen-trump-und-putin-stagnieren/index.html";
    expect(session.files.has(plain)).toBe(true);
    await writeFile(abs(later), laterSource.replace(/^title: .*$/m, "title: Diplomatische Bemühungen zwischen Trump und Putin stagnieren"));
    let report = await rebuild(change("content", later));
    expect(report.ok).toBe(true);
    expect(report.quick).toBe(false);
    expect(report.written).toContain("de/diplomatische-bemuehungen-zwischen-trump-und-putin-stagnieren-2025-07-03/index.html");
    expect(report.warnings.some((warning) => warning.message.includes("is already used by"))).toBe(true);
    await expectSameAsColdBuild();
    // The earlier one's title changes: its slug is free again, and the later article takes it back.
    await writeFile(abs(earlier), earlierSource.replace(/^title: .*$/m, "title: Diplomatie zwischen Trump und Putin kommt nicht voran"));
    report = await rebuild(change("content", earlier));
    expect(report.quick).toBe(false);
    // The full path tells of both articles whose page moved (the first one's old URL now shows the other).
    expect(report.moved).toEqual([
      [plain, "de/diplomatie-zwischen-trump-und-putin-kommt-nicht-voran/index.html"],
      ["de/diplomatische-bemuehungen-zwischen-trump-und-putin-stagnieren-2025-07-03/index.html", plain],
    ]);
    expect(text(session.files.get(plain)!)).toContain("Diplomatische Bemühungen zwischen Trump und Putin stagnieren");
    expect(session.files.has("de/diplomatie-zwischen-trump-und-putin-kommt-nicht-voran/index.html")).toBe(true);
    await expectSameAsColdBuild();
    // Back, each alone at its URL now: both quick.
    await writeFile(abs(later), laterSource);
    expect((await rebuild(change("content", later))).quick).toBe(true);
    await expectSameAsColdBuild();
    await writeFile(abs(earlier), earlierSource);
    report = await rebuild(change("content", earlier));
    expect(report.quick).toBe(true);
    expect(report.removed).toContain("de/diplomatie-zwischen-trump-und-putin-kommt-nicht-voran/index.html");
    await expectSameAsColdBuild();
  });

  test("a sitemap left to settle() is written by a full rebuild that comes first", async () => {
    const updated = "articles/trump-putin-telefonat-ohne-fortschritte/de.md";
    const pinned = "articles/trump-putin-alaska-gipfel-ohne-waffenstillstand/en.md";
    const [updatedSource, pinnedSource] = [await readFile(abs(updated), "utf8"), await readFile(abs(pinned), "utf8")];
    // An update date changes the page's sitemap lastmod, not its URL: quick, the sitemap waits.
    await writeFile(abs(updated), updatedSource.replace(/^date: 2025-07-03$/m, "date: 2025-07-03\nupdated: 2025-07-05"));
    const quick = await session.rebuild(summarizeChanges([change("content", updated)]));
    expect(quick.quick).toBe(true);
    expect(quick.written).not.toContain("sitemap.xml");
    expect(session.pending).toBe(true);
    // A pinned related story (read by the checks across articles: the full path, but no sitemap entry changes) before the session settled.
    await writeFile(abs(pinned), pinnedSource.replace(/^date: 2025-08-16$/m, "date: 2025-08-16\nrelated: [trump-offen-fuer-treffen-mit-putin]"));
    const full = await rebuild(change("content", pinned));
    expect(full.quick).toBe(false);
    expect(full.written).toContain("sitemap.xml"); // the one left waiting
    await expectSameAsColdBuild();
    await writeFile(abs(updated), updatedSource);
    await writeFile(abs(pinned), pinnedSource);
    await rebuild(change("content", updated), change("content", pinned));
    await expectSameAsColdBuild();
  });

  test("a title whose slug is another page's URL is the full path's error; the fix recovers", async () => {
    const file = "articles/trump-putin-verhandlungen-ukraine-krieg/de.md";
    const source = await readFile(abs(file), "utf8");
    await writeFile(abs(file), source.replace(/^title: .*$/m, "title: Themen")); // /de/themen/: the German topic index
    const report = await session.rebuild(summarizeChanges([change("content", file)]));
    expect(report.ok).toBe(false);
    expect(report.quick).toBe(false);
    expect(report.errors.map((error) => error.message).join("\n")).toContain("/de/themen/");
    await writeFile(abs(file), source);
    const fixed = await rebuild(change("content", file));
    expect(fixed.ok).toBe(true);
    await expectSameAsColdBuild();
  });

  test("an unchanged save writes nothing", async () => {
    const report = await rebuild(change("content", "articles/trump-putin-alaska-gipfel-ohne-waffenstillstand/de.md"));
    expect(report.ok).toBe(true);
    expect(report.written).toEqual([]);
    expect(report.removed).toEqual([]);
  });

  test("a body edit takes the quick path: the article's pages at once, related lists when settled", async () => {
    const file = "articles/trump-putin-telefonat-ohne-fortschritte/en.md";
    const source = await readFile(abs(file), "utf8");
    await writeFile(abs(file), `${source.trimEnd()}\n\nOfficials later called the conversation businesslike.\n`);
    const report = await session.rebuild(summarizeChanges([change("content", file)]));
    expect(report.errors).toEqual([]);
    expect(report.quick).toBe(true);
    expect(report.pending).toBe(true);
    expect(session.pending).toBe(true);
    const page = report.written.find((written) => written.startsWith("en/") && text(session.files.get(written)!).includes("called the conversation businesslike"));
    expect(page).toBeDefined();
    expect(report.written).toContain("en/feed.xml"); // feeds carry the body
    expect(report.rendered).toBeLessThan(report.routes / 4);
    expect(report.removed).toEqual([]);
    const settled = await session.settle();
    expect(settled.ok).toBe(true);
    expect(session.pending).toBe(false);
    await expectSameAsColdBuild();
  });

  test("a summary edit shows on the listings in the quick path", async () => {
    const file = "articles/trump-offen-fuer-treffen-mit-putin/de.md";
    const source = await readFile(abs(file), "utf8");
    const edited = source.replace(/^summary: .*$/m, "summary: Trump zeigt sich offen für ein Treffen mit Putin, der Kreml bleibt zurückhaltend.");
    expect(edited).not.toBe(source);
    await writeFile(abs(file), edited);
    const report = await session.rebuild(summarizeChanges([change("content", file)]));
    expect(report.quick).toBe(true);
    expect(report.written).toContain("de/index.html");
    expect(text(session.files.get("de/index.html")!)).toContain("der Kreml bleibt zurückhaltend");
    await session.settle();
    await expectSameAsColdBuild();
    // Two quick edits in a row, settled once.
    await writeFile(abs(file), source);
    expect((await session.rebuild(summarizeChanges([change("content", file)]))).quick).toBe(true);
    await writeFile(abs("articles/trump-putin-alaska-gipfel-ohne-waffenstillstand/fr.md"), (await readFile(abs("articles/trump-putin-alaska-gipfel-ohne-waffenstillstand/fr.md"), "utf8")) + "\nLes observateurs ont salué une rencontre constructive.\n");
    expect((await session.rebuild(summarizeChanges([change("content", "articles/trump-putin-alaska-gipfel-ohne-waffenstillstand/fr.md")]))).quick).toBe(true);
    await session.settle();
    await expectSameAsColdBuild();
  });

  test("a quick edit that fails keeps the last good build, and the fix rebuilds in full", async () => {
    const file = "articles/trump-putin-verhandlungen-ukraine-krieg/en.md";
    const good = await readFile(abs(file), "utf8");
    const snapshot = new Map(session.files);
    await writeFile(abs(file), good.replace(/^date: .*$/m, "date: 2025-02-30"));
    const broken = await session.rebuild(summarizeChanges([change("content", file)]));
    expect(broken.ok).toBe(false);
    expect(broken.errors[0]!.location?.file).toBe(file);
    expect(session.files).toEqual(snapshot);
    await writeFile(abs(file), good.replace(/\n*$/, "\n\nTalks are due to resume next week.\n"));
    const fixed = await rebuild(change("content", file));
    expect(fixed.ok).toBe(true);
    await expectSameAsColdBuild();
  });

  test("deleting a translation removes its page and every link to it", async () => {
    const file = "articles/trump-putin-alaska-gipfel-ohne-waffenstillstand/fr.md";
    const before = [...session.files.keys()].filter((key) => key.startsWith("fr/"));
    await rm(abs(file));
    const report = await rebuild(change("content", file, "unlink"));
    expect(report.ok).toBe(true);
    expect(report.removed.length).toBeGreaterThan(0);
    expect(report.removed.every((removed) => before.includes(removed) || removed.startsWith("fr/"))).toBe(true);
    await expectSameAsColdBuild();
  });

  test("adding a story and renaming a story folder", async () => {
    await mkdir(abs("articles/neue-geschichte"), { recursive: true });
    await writeFile(
      abs("articles/neue-geschichte/de.md"),
      "---\ntitle: Neue Gespräche über die Ukraine in Berlin\ndate: 2025-08-20\nauthor: Erika Muster\ntags: [Ukraine, Berlin]\n---\n\nDie Gespräche über die Ukraine gingen am Mittwoch in Berlin weiter, sagten Teilnehmer.\n",
    );
    let report = await rebuild(change("content", "articles/neue-geschichte/de.md", "add"));
    expect(report.ok).toBe(true);
    expect(report.written.some((written) => written.startsWith("de/neue-gespraeche-ueber-die-ukraine-in-berlin/"))).toBe(true);
    await expectSameAsColdBuild();

    await rename(abs("articles/neue-geschichte"), abs("articles/umbenannte-geschichte"));
    report = await rebuild(change("content", "articles/neue-geschichte", "unlink"), change("content", "articles/umbenannte-geschichte/de.md", "add"));
    expect(report.ok).toBe(true);
    await expectSameAsColdBuild();
  });

  test("a broken save keeps the last good build; fixing it recovers", async () => {
    const file = "articles/umbenannte-geschichte/de.md";
    const good = await readFile(abs(file), "utf8");
    const snapshot = new Map(session.files);
    await writeFile(abs(file), good.replace("tags: [Ukraine, Berlin]", "tags: [Ukraine, Berlin"));
    const broken = await rebuild(change("content", file));
    expect(broken.ok).toBe(false);
    expect(broken.errors.length).toBeGreaterThan(0);
    expect(broken.errors[0]!.location?.file).toBe(file);
    expect(broken.errors[0]!.location?.line).toBeGreaterThan(1);
    expect(session.errors).toEqual(broken.errors);
    expect(session.files).toEqual(snapshot);

    await writeFile(abs(file), good);
    const fixed = await rebuild(change("content", file));
    expect(fixed.ok).toBe(true);
    expect(session.errors).toEqual([]);
    await expectSameAsColdBuild();
  });

  test("a topic renamed through another article updates every page that links the topic", async () => {
    // A topic page takes its name from the newest article carrying it: renaming it there changes
    // the link text on the older article's page, which itself did not change.
    const story = (title: string, date: string, tag: string) =>
      `---\ntitle: ${title}\ndate: ${date}\nauthor: Erika Muster\ntags: [${tag}]\n---\n\nDie Teilnehmer des Treffens in Genf berieten am Abend über die nächsten Schritte, sagten Diplomaten.\n`;
    await mkdir(abs("articles/genf-alt"), { recursive: true });
    await mkdir(abs("articles/genf-neu"), { recursive: true });
    await writeFile(abs("articles/genf-alt/de.md"), story("Erstes Treffen in Genf", "2025-08-01", "gipfel treffen"));
    await writeFile(abs("articles/genf-neu/de.md"), story("Zweites Treffen in Genf", "2025-08-10", "Gipfel Treffen"));
    let report = await rebuild(change("content", "articles/genf-alt/de.md", "add"), change("content", "articles/genf-neu/de.md", "add"));
    expect(report.ok).toBe(true);
    await expectSameAsColdBuild();
    await writeFile(abs("articles/genf-neu/de.md"), story("Zweites Treffen in Genf", "2025-08-10", "GIPFEL TREFFEN"));
    report = await rebuild(change("content", "articles/genf-neu/de.md"));
    expect(report.ok).toBe(true);
    expect(report.written).toContain("de/erstes-treffen-in-genf/index.html");
    await expectSameAsColdBuild();
  });

  test("a template override re-renders every page that uses it", async () => {
    await mkdir(abs("templates/partials"), { recursive: true });
    const footer = await readFile(path.join(REPO_ROOT, "templates/partials/footer.eta"), "utf8");
    await writeFile(abs("templates/partials/footer.eta"), footer.replace("</footer>", "<p>Redaktion Muster</p>\n</footer>"));
    const report = await rebuild(change("template", "templates/partials/footer.eta", "add"));
    expect(report.ok).toBe(true);
    expect(report.written).toContain("de/index.html");
    expect(text(session.files.get("de/index.html")!)).toContain("Redaktion Muster");
    await expectSameAsColdBuild();
  });

  test("a config change rebuilds everything", async () => {
    const config = await readFile(abs("gazette.config.yml"), "utf8");
    await writeFile(abs("gazette.config.yml"), config.replace(/^perPage: .*$/m, "perPage: 2"));
    const report = await rebuild(change("config", "gazette.config.yml"));
    expect(report.ok).toBe(true);
    expect(report.written).toContain("de/page/2/index.html");
    await expectSameAsColdBuild();
  });

  test("with several pages per topic, every page follows the topic's newest date and its count", async () => {
    // perPage is 2 since the test above.
    const file = "articles/trump-putin-alaska-gipfel-ohne-waffenstillstand/en.md";
    const source = await readFile(abs(file), "utf8");
    expect(source).toMatch(/^date: 2025-08-16$/m);
    await writeFile(abs(file), source.replace(/^date: 2025-08-16$/m, "date: 2025-08-17"));
    const report = await rebuild(change("content", file));
    expect(report.ok).toBe(true);
    await expectSameAsColdBuild();
    // An older story joins the topic: it lands on the topic's last page, but page 1 counts it too.
    await mkdir(abs("articles/alte-geschichte"), { recursive: true });
    await writeFile(
      abs("articles/alte-geschichte/de.md"),
      "---\ntitle: Ein altes Treffen mit Wladimir Putin\ndate: 2019-01-10\nauthor: Erika Muster\ntags: [Wladimir Putin]\n---\n\nWladimir Putin traf sich damals in Moskau mit Diplomaten, sagten Teilnehmer.\n",
    );
    expect((await rebuild(change("content", "articles/alte-geschichte/de.md", "add"))).ok).toBe(true);
    await expectSameAsColdBuild();
  });
});
