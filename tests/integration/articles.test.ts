import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { loadContent } from "../../src/content/load-content.js";
import { DiagnosticSink } from "../../src/errors/diagnostics.js";
import { REPO_ROOT, SHARED_DIR } from "../helpers/temp-site.js";

interface SeedFixture {
  seed: string;
  story: string;
  boilerplate: string[];
  metadata: string[];
}

const seeds = JSON.parse(await readFile(path.join(REPO_ROOT, "tests/fixtures/seeds.json"), "utf8")) as SeedFixture[];
const sink = new DiagnosticSink();
const articles = await loadContent({ root: REPO_ROOT, contentDir: path.join(REPO_ROOT, "articles") }, sink);
const collapse = (text: string) => text.replace(/\s+/g, " ").trim();
/** Body text as a reader sees it: Markdown markers gone, whitespace collapsed. */
const readable = (markdown: string) => collapse(markdown.replace(/^\s*(#{1,6}|[-*+]|>)\s+/gm, "").replace(/\*\*|__/g, ""));

describe("the real articles (story bundles made from ../shared/seeds)", () => {
  test("load without errors: five stories, five de, five en, two fr", () => {
    expect(sink.errors).toEqual([]);
    expect(sink.warnings).toEqual([]);
    const byLang = (stem: string) => articles.filter((a) => a.fileStem === stem).length;
    expect(articles).toHaveLength(12);
    expect([byLang("de"), byLang("en"), byLang("fr")]).toEqual([5, 5, 2]);
    expect(new Set(articles.map((a) => a.storyKey)).size).toBe(5);
  });

  test("every seed has a story bundle with a German original and an English translation", () => {
    expect(seeds).toHaveLength(5);
    for (const seed of seeds) {
      const versions = articles.filter((a) => a.storyKey === seed.story);
      expect(versions.map((a) => a.fileStem).sort(), seed.story).toEqual(expect.arrayContaining(["de", "en"]));
      for (const translation of versions.filter((a) => a.fileStem !== "de")) {
        expect(translation.frontmatter.translated_from, translation.file).toBe("de");
      }
      expect(versions.find((a) => a.fileStem === "de")!.frontmatter.translated_from).toBeUndefined();
    }
  });

  test("no boilerplate line of any seed survives in any article body", () => {
    const bodies = articles.map((a) => readable(a.body));
    for (const seed of seeds) {
      for (const line of seed.boilerplate) {
        const needle = collapse(line);
        if (needle.length < 4) continue;
        for (const [index, body] of bodies.entries()) {
          expect(body.includes(needle), `"${needle}" in ${articles[index]!.file}`).toBe(false);
        }
      }
    }
  });

  test.each(seeds.map((seed) => [seed.seed, seed] as const))("every line of seed %s is kept: in the body, the frontmatter, or named as boilerplate", async (name, seed) => {
    const raw = await readFile(path.join(SHARED_DIR, "seeds", name), "utf8");
    const german = articles.find((a) => a.storyKey === seed.story && a.fileStem === "de")!;
    const body = readable(german.body);
    const frontmatterText = collapse(JSON.stringify(german.frontmatter));
    const lines = raw.split("\n").map(collapse).filter(Boolean);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      if (seed.boilerplate.map(collapse).includes(line)) continue;
      if (seed.metadata.map(collapse).includes(line)) {
        // Metadata lines are split across fields ("Politik 5 Tags zuvor" -> category + date): every word must be kept.
        for (const word of line.match(/[\p{L}\p{N}]+/gu) ?? []) {
          expect(frontmatterText.includes(word) || body.includes(word), `"${word}" of "${line}"`).toBe(true);
        }
        continue;
      }
      expect(body.includes(line) || frontmatterText.includes(line), `seed line lost: "${line}"`).toBe(true);
    }
  });

  test("the sources' raw metadata is kept as the sources gave it", () => {
    const fm = (story: string) => articles.find((a) => a.storyKey === story && a.fileStem === "de")!.frontmatter;
    const byStory = Object.fromEntries(seeds.map((s) => [s.seed.slice(0, 3), fm(s.story)]));
    expect(byStory["000"]!.date).toBe("5 Tags zuvor");
    expect(byStory["000"]!.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(byStory["001"]!.tags).toBe("HamburgHelsinkiMedienRusslandUkraine");
    expect(byStory["003"]!.date).toBe("13/02/2025");
    expect(byStory["003"]!.author).toBe("Amalie L.");
    expect(byStory["004"]!.location).toBe("MÜNCHEN");
    for (const inferred of ["001", "002", "004"]) expect(["day", "month"]).toContain(byStory[inferred]!.date_precision);
  });
});
