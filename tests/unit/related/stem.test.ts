import { describe, expect, test } from "vitest";
import { termOf, Vocabulary } from "../../../src/related/stem.js";
import { stopWordsFor } from "../../../src/related/stop-words.js";

describe("termOf: words to folded stems", () => {
  test.each([
    ["de", ["Verhandlung", "Verhandlungen"]],
    ["de", ["Gipfel", "Gipfels"]],
    ["de", ["Präsident", "Präsidenten", "Prasident"]],
    ["de", ["Sanktionen", "Sanktion"]],
    ["de", ["Straße", "Strasse", "Straßen"]],
    ["en", ["negotiation", "negotiations", "Negotiated"]],
    ["en", ["summit", "summits"]],
    ["en", ["sanctions", "sanction"]],
    ["fr", ["négociations", "négociation", "négocier"]],
    ["fr", ["présidentielle", "présidentielles"]],
    ["fr", ["américains", "américaine"]],
    ["es", ["negociaciones", "negociación"]],
    ["es", ["presidentes", "presidenta"]],
  ])("%s: %j share one term", (lang, words) => {
    const terms = new Set(words.map((word) => termOf(lang, word)));
    expect(terms.size).toBe(1);
    expect([...terms][0]).toMatch(/^[a-z]+$/);
  });

  test.each([
    ["de", "über"],
    ["de", "Die"],
    ["de", "sagte"],
    ["en", "the"],
    ["en", "said"],
    ["fr", "été"],
    ["fr", "Dans"],
    ["es", "según"],
    ["en", "2025"],
    ["en", "EU"],
    ["it", "di"],
  ])("%s: %s is no term", (lang, word) => {
    expect(termOf(lang, word)).toBe("");
  });

  test.each([
    ["de-AT", "Verhandlungen", "verhandl"],
    ["en-GB", "Talks", "talk"],
    ["it", "Negoziati", "negoziati"],
    ["pt-BR", "Negociações", "negociacoes"],
  ])("%s: %s -> %s (regional variants use their language; no stemmer: the folded word)", (lang, word, term) => {
    expect(termOf(lang, word)).toBe(term);
  });

  test("different words stay apart", () => {
    expect(termOf("de", "Gipfel")).not.toBe(termOf("de", "Fußball"));
    expect(termOf("en", "summit")).not.toBe(termOf("en", "football"));
  });
});

describe("Vocabulary", () => {
  test("maps words to term ids (inflections to one) and forgets everything on reset", () => {
    const vocabulary = new Vocabulary("de");
    const text = "Die Verhandlungen, die Verhandlung";
    const a = vocabulary.idOf("Verhandlungen");
    expect(a).toBeGreaterThanOrEqual(0);
    expect(vocabulary.idOf("Verhandlung")).toBe(a);
    expect(vocabulary.terms[a]).toBe("verhandl");
    expect(vocabulary.idOf("Die")).toBe(-1);
    expect(vocabulary.size).toBe(3);
    vocabulary.reset();
    expect([vocabulary.size, vocabulary.terms.length]).toEqual([0, 0]);
    expect(vocabulary.idOf(text.slice(4, 17))).toBe(0);
  });

  test("survives growth past its initial table", () => {
    const vocabulary = new Vocabulary("it");
    const words = Array.from({ length: 10_000 }, (_, i) => `parola${i.toString(36)}`);
    const ids = words.map((word) => vocabulary.idOf(word));
    expect(new Set(ids).size).toBe(words.length);
    expect(words.map((word) => vocabulary.idOf(word))).toEqual(ids);
  });
});

describe("stop words", () => {
  test.each(["de", "en", "fr", "es"])("%s has a list in folded form", (lang) => {
    const words = stopWordsFor(lang);
    expect(words.size).toBeGreaterThan(80);
    for (const word of words) expect(word).toMatch(/^[a-z]+$/);
  });

  test("other languages have none", () => {
    expect(stopWordsFor("it").size).toBe(0);
  });
});
