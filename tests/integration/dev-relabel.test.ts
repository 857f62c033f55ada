/**
 * `gazette dev` after an edit of an article's topics or byline: the quick path moves its entries
 * between group pages (dev/relabel.ts), makes and removes group pages and their extra pages (one
 * article a page here, so every join or leave changes a group's number of pages), and leaves to
 * the full path any edit that would rename a group or merge two. After each, the session equals
 * a cold build.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RebuildReport, SiteSession } from "../../src/dev/site-session.js";
import { endSession, expectSessionSameAsColdBuild, rebuildAndSettle, startSession } from "../helpers/dev-session.js";
import { REPO_ROOT, makeTempSite, text } from "../helpers/temp-site.js";

const EPOCH = "1755734400"; // 2025-08-21
let root: string;
let session: SiteSession;

const article = (lang: string, title: string, date: string, author: string, tags: string) =>
  `---\ntitle: ${title}\ndate: ${date}\nlang: ${lang}\nauthor: ${author}\ntags: [${tags}]\n---\n\n${title}: ein kurzer Text.\n`;

beforeAll(async () => {
  const config = await readFile(path.join(REPO_ROOT, "gazette.config.yml"), "utf8");
  root = await makeTempSite({
    "gazette.config.yml": config.replace(/^perPage: .*$/m, "perPage: 1"),
    "articles/a/de.md": article("de", "Erster Artikel über Energie", "2025-03-03", "Erika Muster", "Energie, Klima"),
    "articles/b/de.md": article("de", "Zweiter Artikel über Energie", "2025-03-02", "Erika Muster", "Energie"),
    "articles/c/de.md": article("de", "Dritter Artikel über das Klima", "2025-03-01", "Max Beispiel", "Klima"),
    // English has an Energie topic of its own: the German stories, listed there untranslated, join it.
    "articles/d/en.md": article("en", "Energy prices fall again", "2025-03-04", "Jane Doe", "Energie, Solar"),
    // A story in both languages: its German version is not listed in English.
    "articles/e/de.md": article("de", "Fünfter Artikel über das Klima", "2025-02-01", "Erika Muster", "Klima"),
    "articles/e/en.md": article("en", "Fifth article on the climate", "2025-02-01", "Jane Doe", "Klima"),
  });
  session = await startSession(root, EPOCH);
});

afterAll(() => endSession(root));

async function edit(story: string, field: "tags" | "author", value: string, alsoChanged: string[] = []): Promise<RebuildReport> {
  const file = path.join(root, "articles", story, "de.md");
  await writeFile(file, (await readFile(file, "utf8")).replace(new RegExp(`^${field}: .*$`, "m"), field === "tags" ? `tags: [${value}]` : `author: ${value}`));
  return rebuildAndSettle(session, [file, ...alsoChanged.map((relative) => path.join(root, relative))]);
}

const expectSameAsColdBuild = () => expectSessionSameAsColdBuild(session, root, EPOCH);

describe("a topic or byline edit in gazette dev", () => {
  test("a topic the site has: the article joins its pages in every language it is listed in", async () => {
    const report = await edit("c", "tags", "Klima, Energie");
    expect(report.quick).toBe(true);
    // Energie (a, b and the English d, listed untranslated) gets a fourth page in German, and in English (c listed untranslated) too.
    expect(report.written).toEqual(expect.arrayContaining(["de/themen/energie/page/4/index.html", "de/themen/index.html", "en/topics/energie/page/4/index.html"]));
    await expectSameAsColdBuild();
  });

  test("leaving it again removes the pages it no longer fills", async () => {
    const report = await edit("c", "tags", "Klima");
    expect(report.quick).toBe(true);
    expect(report.removed).toEqual(["de/themen/energie/page/4/index.html", "en/topics/energie/page/4/index.html"]);
    await expectSameAsColdBuild();
  });

  test("a topic new to the site makes its page; the last article leaving it removes the page", async () => {
    let report = await edit("b", "tags", "Energie, Wasserstoff");
    expect(report.quick).toBe(true);
    expect(report.written).toEqual(expect.arrayContaining(["de/themen/wasserstoff/index.html", "de/themen/index.html"]));
    await expectSameAsColdBuild();
    report = await edit("b", "tags", "Energie");
    expect(report.quick).toBe(true);
    expect(report.removed).toContain("de/themen/wasserstoff/index.html");
    await expectSameAsColdBuild();
  });

  test("a topic made in German takes in the untranslated articles that carry it; its English page links to it", async () => {
    let report = await edit("b", "tags", "Energie, Solar");
    expect(report.quick).toBe(true);
    // b and the English d (listed untranslated): two pages; in English, d and b (listed untranslated) too.
    expect(report.written).toEqual(expect.arrayContaining(["de/themen/solar/index.html", "de/themen/solar/page/2/index.html", "en/topics/solar/index.html", "en/topics/solar/page/2/index.html"]));
    await expectSameAsColdBuild();
    report = await edit("b", "tags", "Energie");
    expect(report.quick).toBe(true);
    expect(report.removed).toEqual(["de/themen/solar/index.html", "de/themen/solar/page/2/index.html", "en/topics/solar/page/2/index.html"]);
    expect(report.written).toContain("en/topics/solar/index.html");
    await expectSameAsColdBuild();
  });

  test("a topic made in one language is linked from its page in another, where the article is not listed", async () => {
    let report = await edit("e", "tags", "Klima, Solar");
    expect(report.quick).toBe(true);
    expect(report.written).toEqual(expect.arrayContaining(["de/themen/solar/index.html", "en/topics/solar/index.html"]));
    await expectSameAsColdBuild();
    report = await edit("e", "tags", "Klima");
    expect(report.quick).toBe(true);
    expect(report.written).toContain("en/topics/solar/index.html");
    await expectSameAsColdBuild();
  });

  test("pages a quick edit added are gone from the sitemap after a full rebuild that takes them away", async () => {
    expect((await edit("c", "tags", "Klima, Energie")).quick).toBe(true);
    await expectSameAsColdBuild();
    // Two files at once take the full path; nothing the sitemap lists changes but which pages there are.
    const report = await edit("c", "tags", "Klima", ["articles/a/de.md"]);
    expect(report.quick).toBe(false);
    expect(report.removed).toContain("de/themen/energie/page/4/index.html");
    await expectSameAsColdBuild();
  });

  test("after pages came and went, an edit of another article renders its pages where they are now", async () => {
    expect((await edit("c", "tags", "Klima, Energie")).quick).toBe(true); // a page more in German, before every English page
    const file = path.join(root, "articles/d/en.md");
    await writeFile(file, `${(await readFile(file, "utf8")).trimEnd()}\n\nPrices fell by a tenth.\n`);
    expect((await rebuildAndSettle(session, [file])).quick).toBe(true);
    await expectSameAsColdBuild();
    expect((await edit("c", "tags", "Klima")).quick).toBe(true);
    await expectSameAsColdBuild();
  });

  test("a new byline makes an author page and removes the one no article has any more", async () => {
    const report = await edit("c", "author", "Anna Müller");
    expect(report.quick).toBe(true);
    expect(report.written).toContain("de/autoren/anna-mueller/index.html");
    expect(report.removed).toContain("de/autoren/max-beispiel/index.html");
    await expectSameAsColdBuild();
  });

  test("an author whose page would merge with another's takes the full path", async () => {
    // "Anna Mueller" is another name than "Anna Müller" but gets the same slug: one page for both.
    const report = await edit("b", "author", "Anna Mueller");
    expect(report.quick).toBe(false);
    await expectSameAsColdBuild();
    expect(text(session.files.get("de/autoren/anna-mueller/index.html")!)).toContain("Zweiter Artikel");
    expect((await edit("b", "author", "Erika Muster")).quick).toBe(false); // the merged page splits again
    await expectSameAsColdBuild();
  });

  test("an edit that would rename a topic page (its newest article spells it) takes the full path", async () => {
    const report = await edit("a", "tags", "ENERGIE, Klima");
    expect(report.quick).toBe(false);
    expect(text(session.files.get("de/themen/energie/index.html")!)).toContain("ENERGIE");
    await expectSameAsColdBuild();
    expect((await edit("a", "tags", "Energie, Klima")).quick).toBe(false);
    await expectSameAsColdBuild();
  });

  test("an older article spelling a topic otherwise joins it on the quick path", async () => {
    const report = await edit("c", "tags", "Klima, ENERGIE");
    expect(report.quick).toBe(true);
    expect(text(session.files.get("de/themen/energie/index.html")!)).not.toContain("ENERGIE");
    await expectSameAsColdBuild();
  });
});
