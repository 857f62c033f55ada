import { describe, expect, test } from "vitest";
import { loadSite } from "../../../src/build.js";
import { computeRelated, extractRelatedFeatures } from "../../../src/related/index.js";
import { REPO_ROOT } from "../../helpers/temp-site.js";

const site = await loadSite({ root: REPO_ROOT });
const docs = site.articles.map((article) => extractRelatedFeatures(article));
const related = computeRelated(docs, site.config.related);
const stories = [...new Set(site.articles.map((article) => article.storyKey))].sort();
const storyOf = (id: string) => id.slice(0, id.lastIndexOf("/"));

/** The canonical names of Trump and Putin in each language (data/entities.yml). */
const NAMES: Record<string, [string, string]> = {
  de: ["Donald Trump", "Wladimir Putin"],
  en: ["Donald Trump", "Vladimir Putin"],
  fr: ["Donald Trump", "Vladimir Poutine"],
};

describe("the five real stories", () => {
  test("load cleanly: 12 versions of 5 stories", () => {
    expect(site.errors).toEqual([]);
    expect(stories).toHaveLength(5);
    expect(related.size).toBe(12);
  });

  test.each(site.articles.map((article) => [article.id, article.lang] as const))("%s lists the four other stories, once each", (id) => {
    const entries = related.get(id)!;
    expect(entries.map((entry) => storyOf(entry.id)).sort()).toEqual(stories.filter((story) => story !== storyOf(id)));
  });

  test.each(site.articles.map((article) => [article.id, article.lang] as const))("%s: every entry names Trump and Putin among the shared entities", (id, lang) => {
    for (const entry of related.get(id)!) {
      const entities = entry.reasons.find((reason) => reason.signal === "entities");
      expect(entities?.details, `${id} -> ${entry.id}`).toEqual(expect.arrayContaining(NAMES[lang]!));
      expect(entities!.score).toBeGreaterThan(0);
    }
  });

  test("German and English versions list the other stories in their own language; French ones fill from other languages, marked", () => {
    for (const [id, entries] of related) {
      const lang = id.slice(id.lastIndexOf("/") + 1);
      for (const entry of entries) {
        const other = entry.id.slice(entry.id.lastIndexOf("/") + 1);
        expect(entry.fallbackLang).toBe(other === lang ? undefined : other);
        if (lang !== "fr") expect(other).toBe(lang);
      }
    }
    const french = related.get("trump-putin-telefonat-ohne-fortschritte/fr")!;
    expect(french[0]).toMatchObject({ id: "trump-putin-alaska-gipfel-ohne-waffenstillstand/fr" });
    expect(french.slice(1).every((entry) => entry.fallbackLang !== undefined)).toBe(true);
  });

  test("explanations of the Alaska summit story name Selenskyj where the other story mentions him too", () => {
    const entries = related.get("trump-putin-alaska-gipfel-ohne-waffenstillstand/de")!;
    const naming = entries.filter((entry) => entry.reasons.some((reason) => reason.signal === "entities" && reason.details.includes("Wolodymyr Selenskyj")));
    expect(naming.map((entry) => storyOf(entry.id)).sort()).toEqual([
      "diplomatische-bemuehungen-trump-putin-stagnieren",
      "trump-offen-fuer-treffen-mit-putin",
      "trump-putin-verhandlungen-ukraine-krieg",
    ]);
  });

  test("the story about the failed phone call and the one about stalled diplomacy are each other's first pick", () => {
    expect(related.get("trump-putin-telefonat-ohne-fortschritte/de")![0]!.id).toBe("diplomatische-bemuehungen-trump-putin-stagnieren/de");
    expect(related.get("diplomatische-bemuehungen-trump-putin-stagnieren/de")![0]!.id).toBe("trump-putin-telefonat-ohne-fortschritte/de");
  });
});
