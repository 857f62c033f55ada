/**
 * `gazette dev` after a date edit: the quick path moves the article's entries in its listings and
 * topic pages (dev/redate.ts) when nothing else can change, and the full path takes any edit
 * that could rename a group or unpublish the article. After each, the session equals a cold build.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { summarizeChanges } from "../../src/dev/classify-change.js";
import type { RebuildReport, SiteSession } from "../../src/dev/site-session.js";
import { endSession, expectSessionSameAsColdBuild, rebuildAndSettle, startSession } from "../helpers/dev-session.js";
import { REPO_ROOT, makeTempSite, text } from "../helpers/temp-site.js";

const EPOCH = "1755734400"; // 2025-08-21
let root: string;
let session: SiteSession;

const article = (title: string, date: string, author: string, tags: string) => `---\ntitle: ${title}\ndate: ${date}\nlang: de\nauthor: ${author}\ntags: [${tags}]\n---\n\n${title}: ein kurzer Text.\n`;

beforeAll(async () => {
  const config = await readFile(path.join(REPO_ROOT, "gazette.config.yml"), "utf8");
  root = await makeTempSite({
    "gazette.config.yml": config.replace(/^perPage: .*$/m, "perPage: 1"),
    // The newest carrier of a topic names its page: "E-Autos" (a), not "E-autos" (b).
    "articles/a/de.md": article("Erster Artikel über Autos", "2025-03-03", "Erika Muster", "E-Autos, Energie"),
    "articles/b/de.md": article("Zweiter Artikel über Autos", "2025-03-02", "Erika Muster", "E-autos"),
    "articles/c/de.md": article("Dritter Artikel über Energie", "2025-03-01", "Max Beispiel", "Energie"),
  });
  session = await startSession(root, EPOCH);
});

afterAll(() => endSession(root));

async function redate(story: string, date: string): Promise<RebuildReport> {
  const file = path.join(root, "articles", story, "de.md");
  await writeFile(file, (await readFile(file, "utf8")).replace(/^date: .*$/m, `date: ${date}`));
  return rebuildAndSettle(session, [file]);
}

const expectSameAsColdBuild = () => expectSessionSameAsColdBuild(session, root, EPOCH);

describe("a date edit in gazette dev", () => {
  test("moves the article in its listings, pages and topic pages on the quick path", async () => {
    const report = await redate("c", "2025-03-04"); // from last to first: every front page changes (one article a page)
    expect(report.quick).toBe(true);
    expect(report.written).toEqual(expect.arrayContaining(["de/index.html", "de/page/2/index.html", "de/page/3/index.html", "de/themen/energie/index.html"]));
    await expectSameAsColdBuild();
  });

  test("one that would make another article name a topic page takes the full path", async () => {
    const report = await redate("a", "2025-02-01"); // behind b: "E-autos" would name the page
    expect(report.quick).toBe(false);
    expect(text(session.files.get("de/themen/e-autos/index.html")!)).toContain("E-autos");
    await expectSameAsColdBuild();
  });

  test("one that dates the article after the build date takes the full path, which leaves it out", async () => {
    const report = await redate("b", "2025-09-01");
    expect(report.quick).toBe(false);
    expect([...session.files.keys()].some((file) => file.includes("zweiter-artikel"))).toBe(false);
    await expectSameAsColdBuild();
  });

  test("one that changes the site's newest year (every page's footer) takes the full path", async () => {
    await redate("b", "2025-03-02"); // published again
    // b spells the topic as a does: whichever comes first names its page the same.
    const b = path.join(root, "articles/b/de.md");
    await writeFile(b, (await readFile(b, "utf8")).replace("tags: [E-autos]", "tags: [E-Autos]"));
    await session.rebuild(summarizeChanges([{ kind: "content", path: b, event: "change" }]));
    expect((await redate("c", "2024-05-03")).quick).toBe(true);
    expect((await redate("b", "2024-05-02")).quick).toBe(true);
    await expectSameAsColdBuild();
    const report = await redate("a", "2024-05-01"); // the last article of 2025
    expect(report.quick).toBe(false);
    expect(report.written).toContain("404.html");
    await expectSameAsColdBuild();
  });

  test("back to the first dates, each equal to a cold build", async () => {
    for (const [story, date] of [["b", "2025-03-02"], ["a", "2025-03-03"], ["c", "2025-03-01"]] as const) {
      await redate(story, date);
      await expectSameAsColdBuild();
    }
  });
});
