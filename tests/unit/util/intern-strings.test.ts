import { serialize } from "node:v8";
import { describe, expect, test } from "vitest";
import { extractRelatedFeatures } from "../../../src/related/index.js";
import type { Article } from "../../../src/types.js";
import { internArticle, StringPool } from "../../../src/util/intern-strings.js";
import { compactLatin1 } from "../../../src/util/text.js";
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

/** Bytes V8 stores per character of a flat string (its serialized form says: one-byte or two-byte). */
const bytesPerChar = (text: string): number => Math.round((serialize(text).length - 4) / text.length);

/** An ASCII string V8 keeps two bytes per character: cut from a text with a typographic quote in it. */
const twoByteAscii = (ascii: string): string => `„${ascii}`.slice(1);

describe("compactLatin1: one byte per character where the text allows it", () => {
  test("an ASCII or Latin-1 string cut from two-byte text becomes one-byte, with the same value", () => {
    for (const text of ["de/gespraeche-in-berlin/index.html", "Gespräche in Köln über Straßen"]) {
      const wide = twoByteAscii(text);
      expect(wide).toBe(text);
      expect(bytesPerChar(wide)).toBe(2);
      const compact = compactLatin1(wide);
      expect(compact).toBe(text);
      expect(bytesPerChar(compact)).toBe(1);
    }
  });

  test("text beyond Latin-1 is returned as it is", () => {
    const quoted = "„Zitat“ – 😀";
    expect(compactLatin1(quoted)).toBe(quoted);
    expect(compactLatin1("")).toBe("");
  });

  test("the pool and internArticle keep compact copies: URLs, files and pooled names", () => {
    const pool = new StringPool();
    const spec = SPECS[0]!;
    const original = makeArticle(spec);
    const { article, features } = cloned({ ...original, url: twoByteAscii(original.url), file: twoByteAscii(original.file), lang: twoByteAscii(original.lang) });
    expect(bytesPerChar(article.url)).toBe(2);
    internArticle(article, features, pool);
    expect(article.url).toBe(original.url);
    for (const text of [article.url, article.file, article.id, article.lang]) expect(bytesPerChar(text)).toBe(1);
    // The pool hands out its compact copy for any equal string, and keeps no other.
    expect(pool.of(twoByteAscii(original.lang))).toBe(article.lang);
    expect(bytesPerChar(pool.of(twoByteAscii("politics")))).toBe(1);
  });
});
