import { describe, expect, test } from "vitest";
import { extractRelatedFeatures, forEachWord, MAX_TERMS, termsOf } from "../../../src/related/extract-features.js";
import { makeArticle } from "./make-article.js";

const words = (text: string) => {
  const out: string[] = [];
  forEachWord(text, (word) => out.push(word));
  return out;
};

describe("forEachWord", () => {
  test.each([
    ["Trump und Putin", ["Trump", "und", "Putin"]],
    ["Ukraine-Krieg: „Waffenruh“ – jetzt!", ["Ukraine", "Krieg", "Waffenruh", "jetzt"]],
    ["l’accord d'Alaska", ["l", "accord", "d", "Alaska"]],
    ["G7-Gipfel 2025, 3,5 %", ["G7", "Gipfel", "2025", "3", "5"]],
    ["«Sommet» à Anchorage…", ["Sommet", "à", "Anchorage"]],
    ["Selenskyj\u00a0(Kyjiw)", ["Selenskyj", "Kyjiw"]],
    ["", []],
  ])("%j -> %j", (text, expected) => {
    expect(words(text)).toEqual(expected);
  });
});

describe("extractRelatedFeatures", () => {
  const article = makeArticle({
    key: "gipfel",
    lang: "de",
    title: "Gipfel in Alaska",
    summary: "Die Verhandlungen über eine Waffenruhe.",
    body: "## Gespräche\n\nDie **Verhandlungen** gehen weiter, sagte ein [Sprecher](https://example.com/verhandlungen).\n\n```\ncode code code code\n```\n\n- Waffenruhe\n- Gipfel",
    date: "2025-08-15T21:30:00+02:00",
    tags: ["ukraine-war:Ukraine-Krieg", "Gipfel", "Gipfel"],
    entities: { "vladimir-putin": 2, "donald-trump": 5 },
    names: { "donald-trump": "Donald Trump", "vladimir-putin": "Wladimir Putin" },
    pins: ["other-story"],
    exclude: ["old-story"],
  });
  const doc = extractRelatedFeatures(article);

  test("carries identity, epoch time, pins and excludes", () => {
    expect(doc).toMatchObject({ id: "gipfel/de", storyKey: "gipfel", lang: "de", pins: ["other-story"], exclude: ["old-story"] });
    expect(doc.time).toBe(Date.UTC(2025, 7, 15, 19, 30));
  });

  test("entities sorted by id, with names and counts", () => {
    expect(doc.entities).toEqual(["donald-trump", "vladimir-putin"]);
    expect(doc.entityNames).toEqual(["Donald Trump", "Wladimir Putin"]);
    expect(doc.entityCounts).toEqual([5, 2]);
  });

  test("topics deduplicated by id and sorted, with names", () => {
    expect(doc.topics).toEqual(["gipfel", "ukraine-war"]);
    expect(doc.topicNames).toEqual(["Gipfel", "Ukraine-Krieg"]);
  });

  test("terms: stemmed, stop words and Markdown removed, code and URLs ignored, title counted three times", () => {
    const counts = Object.fromEntries(termsOf(doc).map((term, i) => [term, doc.termCounts[i]]));
    // Gipfel: title (3) + list (1); Verhandlungen: summary + body; Waffenruhe: summary + list.
    expect(counts).toEqual({ gipfel: 4, alaska: 3, verhandl: 2, waffenruh: 2, geh: 1, gesprach: 1, sprech: 1 });
    expect(doc.terms).toBe("gipfel alaska verhandl waffenruh geh gesprach sprech");
  });

  test("precomputed body text is used instead of the Markdown", () => {
    const fromText = extractRelatedFeatures(article, "Verhandlungen Verhandlungen");
    expect(Object.fromEntries(termsOf(fromText).map((term, i) => [term, fromText.termCounts[i]]))).toMatchObject({ verhandl: 3 });
  });

  test(`keeps the ${MAX_TERMS} most frequent terms, ties in term order`, () => {
    const body = Array.from({ length: 60 }, (_, i) => `wort${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))} `.repeat(i < 10 ? 3 : 1)).join(" ");
    const many = extractRelatedFeatures(makeArticle({ key: "many", lang: "it", title: "", body }));
    expect(termsOf(many)).toHaveLength(MAX_TERMS);
    expect(many.termCounts.slice(0, 10)).toEqual(Array(10).fill(3));
    expect(many.termCounts.slice(10)).toEqual(Array(MAX_TERMS - 10).fill(1));
    const ones = termsOf(many).slice(10);
    expect(ones).toEqual([...ones].sort());
    // The same article read after other texts gives the same features (term ids never leak).
    extractRelatedFeatures(makeArticle({ key: "noise", lang: "it", body: "zzz yyy xxx wortzz" }));
    expect(extractRelatedFeatures(makeArticle({ key: "many", lang: "it", title: "", body }))).toEqual(many);
  });

  test("an article without text or metadata has empty features", () => {
    const empty = extractRelatedFeatures(makeArticle({ key: "empty", title: "", body: "" }));
    expect([termsOf(empty), empty.termCounts, empty.entities, empty.topics]).toEqual([[], [], [], []]);
  });
});
