import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { profileText, rankStopWords, scriptOfLanguage, STOP_WORD_LANGS, stopWordIndex } from "../../../src/normalize/stop-words.js";

const leader = (text: string): string | undefined => STOP_WORD_LANGS[rankStopWords(profileText(text).stops).first];

describe("profileText: counts", () => {
  test.each([
    ["Der Kreml bestätigte das Telefonat.", { letters: 30, words: 5, capitalized: 3, digits: 0, script: "latin" }],
    ["Am 28. Januar 2017, um 10:00 Uhr", { letters: 13, words: 4, capitalized: 3, digits: 10, script: "latin" }],
    ["l'appel d’Emmanuel", { letters: 15, words: 4, capitalized: 1, digits: 0, script: "latin" }],
    ["Start-up", { letters: 7, words: 2, capitalized: 1, digits: 0, script: "latin" }],
    ["Путин и Трамп", { letters: 11, words: 3, capitalized: 2, digits: 0, script: "cyrillic" }],
    ["政府は水曜日", { letters: 6, words: 6, capitalized: 0, digits: 0, script: "cjk" }],
    ["Ελληνικά και", { letters: 11, words: 2, capitalized: 1, digits: 0, script: "greek" }],
    ["", { letters: 0, words: 0, capitalized: 0, digits: 0 }],
  ])("%j", (text, expected) => {
    expect(profileText(text)).toMatchObject(expected);
  });

  test("combining marks stay inside their word (NFD text)", () => {
    const nfd = "été".normalize("NFD");
    expect(profileText(`${nfd} ${nfd}`)).toMatchObject({ words: 2, letters: 6 });
  });

  test("scriptShare is the share of the main script", () => {
    expect(profileText("Putin sagte: „Россия“").scriptShare).toBeCloseTo(10 / 16);
  });
});

describe("profileText: function words", () => {
  test.each([
    ["de", "Die Regierung hat am Montag erklärt, dass sie die Reform noch in diesem Jahr umsetzen will."],
    ["de", "DER KREML UND DIE REGIERUNG IN KIEW SIND SICH NICHT EINIG, OB ES EIN TREFFEN GIBT."],
    ["en", "The government said on Monday that it wants to pass the reform this year."],
    ["fr", "Le gouvernement a déclaré lundi qu'il veut faire passer la réforme cette année."],
    ["es", "El Gobierno dijo el lunes que quiere aprobar la reforma este año, pero no tiene mayoría."],
    ["it", "Il governo ha detto lunedì che vuole approvare la riforma questo anno, ma non ha la maggioranza."],
    ["pt", "O governo disse na segunda-feira que quer aprovar a reforma este ano, mas não tem maioria."],
    ["nl", "De regering heeft maandag gezegd dat zij de hervorming dit jaar wil doorvoeren, maar er is geen meerderheid."],
    ["pl", "Rząd powiedział w poniedziałek, że chce przeprowadzić reformę w tym roku, ale nie ma większości."],
    ["ru", "Правительство заявило в понедельник, что хочет провести реформу в этом году, но у него нет большинства."],
    ["uk", "Уряд заявив у понеділок, що хоче провести реформу цього року, але він не має більшості."],
  ])("%s leads in %j", (lang, text) => {
    expect(leader(text)).toBe(lang);
  });

  test("a word shared by k languages counts 1/k for each", () => {
    const { stops } = profileText("de");
    const sharing = stops.filter((v) => v > 0);
    expect(sharing.length).toBeGreaterThan(1);
    for (const v of sharing) expect(v).toBeCloseTo(1 / sharing.length);
  });

  test("stops early once the asked-for language clearly leads, and only then", () => {
    const de = stopWordIndex("de");
    const early = { leadOf: de, minHits: 3, ratio: 3 };
    const german = "Die Regierung hat am Montag erklärt, dass sie die Reform noch in diesem Jahr umsetzen will.";
    expect(profileText(german, undefined, early).stoppedEarly).toBe(true);
    expect(profileText(german).stoppedEarly).toBe(false);
    expect(profileText("The government said on Monday that it wants the reform.", undefined, early).stoppedEarly).toBe(false);
  });

  test("limit: characters past it are not read", () => {
    expect(profileText("Der Kreml bestätigte das Telefonat.", 9)).toMatchObject({ words: 2, letters: 8 });
  });

  test("never throws; counts stay consistent on any input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        const p = profileText(text);
        expect(p.letters).toBeLessThanOrEqual(text.length);
        expect(p.words).toBeLessThanOrEqual(p.letters);
        expect(p.capitalized).toBeLessThanOrEqual(p.words);
        expect(p.stopWords).toBeLessThanOrEqual(p.words);
        expect(p.scriptShare).toBeGreaterThanOrEqual(0);
        expect(p.scriptShare).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});

describe("scriptOfLanguage", () => {
  test.each([
    ["de", "latin"], ["pt-BR", "latin"], ["ru", "cyrillic"], ["sr", "cyrillic"], ["sr-Latn", "latin"],
    ["ar", "arabic"], ["ja", "cjk"], ["zh-Hant", "cjk"], ["el", "greek"], ["he", "hebrew"], ["ko", "hangul"],
  ])("%s -> %s", (lang, script) => {
    expect(scriptOfLanguage(lang)).toBe(script);
  });
});
