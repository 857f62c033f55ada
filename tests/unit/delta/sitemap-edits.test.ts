import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sitemapInParts } from "../../../src/delta/patch-sitemap.js";
import { sitemapEdits, type AppliedEdit } from "../../../src/delta/read-edits.js";

/** An applied edit as far as the sitemap cares: its file, whether it has a page, whether its lastmod changed. */
function edit(file: string, lastmod: boolean, page = true): AppliedEdit {
  return { file, lastmod, card: lastmod, features: null, article: {} as AppliedEdit["article"], page: page ? { number: 0, inputs: {} as never } : null };
}

describe("which edits write their sitemap entry again", () => {
  it("those whose lastmod changed, and those an earlier delta wrote (an undo), never one without a page", () => {
    const edits = [edit("a.md", false), edit("b.md", true), edit("c.md", false), edit("d.md", true, false)];
    expect(sitemapEdits(edits, []).map((each) => each.file)).toEqual(["b.md"]);
    expect(sitemapEdits(edits, ["c.md", "d.md"]).map((each) => each.file)).toEqual(["b.md", "c.md"]);
    // A new summary or headline only: the sitemap is not touched.
    expect(sitemapEdits([edit("a.md", false)], [])).toEqual([]);
  });
});

describe("sitemapInParts", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const outputWith = async (sitemap: string | null): Promise<string> => {
    const dir = await mkdtemp(path.join(tmpdir(), "gazette-sitemap-"));
    dirs.push(dir);
    if (sitemap !== null) await writeFile(path.join(dir, "sitemap.xml"), sitemap);
    return dir;
  };
  it("tells an index over parts from a urlset, and says no when there is no sitemap", async () => {
    const declaration = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(await sitemapInParts(await outputWith(`${declaration}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</sitemapindex>\n`))).toBe(true);
    expect(await sitemapInParts(await outputWith(`${declaration}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>\n`))).toBe(false);
    expect(await sitemapInParts(await outputWith(null))).toBe(false);
  });
});
