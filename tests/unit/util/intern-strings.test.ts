import { describe, expect, test } from "vitest";
import { extractRelatedFeatures } from "../../../src/related/index.js";
import type { Article } from "../../../src/types.js";
import { internArticle, StringPool } from "../../../src/util/intern-strings.js";
import { makeArticle, type ArticleSpec } from "../related/make-article.js";

/** An article as it reaches the main thread: a structured clone, with its own copy of everything. */
function cloned(article: Article): { article: Article; features: ReturnType<typeof extractRelatedFeatures> } {
  return structuredClone({ article, features: extractRelatedFeatures(article) });
}

const SPECS: ArticleSpec[] = [
  { key: "a", lang: "de", title: "Waffenruhe in Hamburg", tags: ["politics:Politik", "hamburg:Hamburg"], entities: { hamburg: 2, "olaf-scholz": 1 }, body: "Text über Hamburg." },
  { key: "b", lang: "de", title: "Hafen", tags: ["hamburg:Hamburg"], entities: { hamburg: 1 }, pins: ["a"], body: "Der Hafen." },
  { key: "a", lang: "en", title: "Ceasefire in Hamburg", tags: ["politics:Politics"], entities: { hamburg: 1 }, exclude: ["b"], body: "About Hamburg." },
];

describe("internArticle: one copy of each repeated string among loaded articles", () => {
  test("articles and their related features keep every value", () => {
    const pool = new StringPool();
    for (const spec of SPECS) {
      const original = makeArticle({ ...spec, names: { hamburg: "Hamburg" } });
      const withSource = { ...original, authors: ["Anna Schmidt"], source: { name: "dpa", url: "https://dpa.example/" }, references: [{ name: "AFP", url: null }], category: "politics" };
      const { article, features } = cloned(withSource);
      const expectedFeatures = extractRelatedFeatures(withSource);
      internArticle(article, features, pool);
      expect(article).toEqual(withSource);
      expect(features).toEqual(expectedFeatures);
    }
  });

  test("equal tags become one frozen object, shared across articles; different tags stay apart", () => {
    const pool = new StringPool();
    const [a, b, c] = SPECS.map((spec) => cloned(makeArticle(spec)));
    for (const loaded of [a!, b!, c!]) internArticle(loaded.article, loaded.features, pool);
    const hamburgA = a!.article.tags.find((tag) => tag.id === "hamburg");
    const hamburgB = b!.article.tags.find((tag) => tag.id === "hamburg");
    expect(hamburgA).toBe(hamburgB);
    expect(Object.isFrozen(hamburgA)).toBe(true);
    // Same id, other display name (another language): its own object.
    const politicsDe = a!.article.tags.find((tag) => tag.id === "politics");
    const politicsEn = c!.article.tags.find((tag) => tag.id === "politics");
    expect(politicsDe).not.toBe(politicsEn);
    expect([politicsDe?.name, politicsEn?.name]).toEqual(["Politik", "Politics"]);
  });

  test("entity mentions keep their own counts (they are not shared)", () => {
    const pool = new StringPool();
    const [a, b] = SPECS.map((spec) => cloned(makeArticle(spec)));
    internArticle(a!.article, a!.features, pool);
    internArticle(b!.article, b!.features, pool);
    expect(a!.article.entities.find((entity) => entity.id === "hamburg")?.count).toBe(2);
    expect(b!.article.entities.find((entity) => entity.id === "hamburg")?.count).toBe(1);
    expect(a!.article.entities.find((entity) => entity.id === "hamburg")).not.toBe(b!.article.entities.find((entity) => entity.id === "hamburg"));
  });

  test("an article without features (none extracted) is interned alone", () => {
    const pool = new StringPool();
    const article = structuredClone(makeArticle(SPECS[0]!));
    internArticle(article, undefined, pool);
    expect(article).toEqual(makeArticle(SPECS[0]!));
  });

  test("null stays null and lists keep their order", () => {
    const pool = new StringPool();
    expect(pool.nullable(null)).toBeNull();
    expect(pool.nullable("de")).toBe("de");
    expect(pool.all(["y", "x", "y"])).toEqual(["y", "x", "y"]);
  });
});
