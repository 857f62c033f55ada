import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { languageFromFileStem, normalizeLanguageLabel } from "../../../src/normalize/language.js";
import { ISO_639_1_CODES } from "../../../src/normalize/language-names.js";

describe("normalizeLanguageLabel: codes", () => {
  test.each([
    ["de", "de"],
    ["DE", "de"],
    [" de ", "de"],
    ["\tde\n", "de"],
    ["de_DE", "de-DE"],
    ["de-de", "de-DE"],
    ["DE-de", "de-DE"],
    ["de-DE", "de-DE"],
    ["de_DE.UTF-8", "de-DE"],
    ["pt_br", "pt-BR"],
    ["pt-BR", "pt-BR"],
    ["pt_BR", "pt-BR"],
    ["en-gb", "en-GB"],
    ["es-419", "es-419"],
    ["zh-hans-cn", "zh-Hans-CN"],
    ["sr_latn", "sr-Latn"],
    ["iw", "he"],
    ["in", "id"],
    ["yue", "yue"],
  ])("%j -> %s", (label, tag) => {
    expect(normalizeLanguageLabel(label)).toBe(tag);
  });
});

test("every ISO 639-1 code taken as known without asking Intl is one Intl knows", () => {
  const names = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });
  expect(ISO_639_1_CODES.size).toBe(183);
  expect([...ISO_639_1_CODES].filter((code) => names.of(code) === undefined)).toEqual([]);
  for (const code of ISO_639_1_CODES) expect(normalizeLanguageLabel(code)).toBe(Intl.getCanonicalLocales(code)[0]);
});

describe("normalizeLanguageLabel: ISO 639-2 (B and T)", () => {
  test.each([
    ["ger", "de"], ["deu", "de"], ["GER", "de"], ["fre", "fr"], ["fra", "fr"], ["spa", "es"], ["eng", "en"],
    ["ita", "it"], ["por", "pt"], ["dut", "nl"], ["nld", "nl"], ["pol", "pl"], ["rus", "ru"], ["ukr", "uk"],
    ["ara", "ar"], ["jpn", "ja"], ["chi", "zh"], ["zho", "zh"], ["tur", "tr"], ["swe", "sv"], ["dan", "da"],
    ["fin", "fi"], ["cze", "cs"], ["ces", "cs"], ["slo", "sk"], ["hun", "hu"], ["rum", "ro"], ["ron", "ro"],
    ["gre", "el"], ["ell", "el"], ["bul", "bg"], ["hrv", "hr"], ["heb", "he"], ["per", "fa"], ["hin", "hi"],
    ["kor", "ko"], ["vie", "vi"], ["cat", "ca"], ["baq", "eu"], ["ice", "is"], ["wel", "cy"], ["alb", "sq"],
    ["deu-DE", "de-DE"], ["ger_at", "de-AT"],
  ])("%j -> %s", (label, tag) => {
    expect(normalizeLanguageLabel(label)).toBe(tag);
  });
});

describe("normalizeLanguageLabel: names", () => {
  test.each([
    // English names
    ["German", "de"], ["french", "fr"], ["SPANISH", "es"], ["Portuguese", "pt"], ["Dutch", "nl"],
    ["Portuguese (Brazil)", "pt-BR"], ["Brazilian Portuguese", "pt-BR"], ["English (US)", "en-US"],
    ["English US", "en-US"], ["Chinese (Simplified)", "zh-Hans"], ["Spanish (Latin America)", "es-419"],
    // own names
    ["Deutsch", "de"], ["Français", "fr"], ["francais", "fr"], ["FRANÇAIS", "fr"], ["Español", "es"],
    ["espanol", "es"], ["Português", "pt"], ["Italiano", "it"], ["Nederlands", "nl"], ["Polski", "pl"],
    ["Русский", "ru"], ["русский", "ru"], ["Українська", "uk"], ["العربية", "ar"], ["日本語", "ja"],
    ["中文", "zh"], ["Türkçe", "tr"], ["Svenska", "sv"], ["Ελληνικά", "el"], ["한국어", "ko"],
    // names in other languages
    ["allemand", "de"], ["Alemán", "de"], ["aleman", "de"], ["tedesco", "de"], ["Duits", "de"],
    ["niemiecki", "de"], ["немецкий", "de"], ["Englisch", "en"], ["anglais", "en"], ["inglés", "en"],
    ["Französisch", "fr"], ["franzoesisch", "fr"], ["Spanisch", "es"], ["espagnol", "es"],
    ["Deutsch (Schweiz)", "de-CH"], ["portugais (Brésil)", "pt-BR"], ["Englisch (Vereinigtes Königreich)", "en-GB"],
    // hand-written variants
    ["castellano", "es"], ["Farsi", "fa"], ["Mandarin", "zh"],
  ])("%j -> %s", (label, tag) => {
    expect(normalizeLanguageLabel(label)).toBe(tag);
  });
});

describe("normalizeLanguageLabel: not a language", () => {
  test.each([
    "", "   ", "123", "<script>", "<script>alert(1)</script>", "xx-yy-zz", "xx", "de-XX", "en-ZZ", "zxx",
    "und", "mul", "qaa", "x-klingon", "null", "language", "Sprache", "a", "de--DE", "-de", "de-",
    "🇩🇪", "Deutsch/German", "x".repeat(500),
  ])("%j -> null", (label) => {
    expect(normalizeLanguageLabel(label)).toBeNull();
  });
});

describe("languageFromFileStem", () => {
  test.each([
    ["de", "de"],
    ["en", "en"],
    ["pt-BR", "pt-BR"],
    ["pt-br", "pt-BR"],
    ["pt_BR", "pt-BR"],
    ["zh-Hant", "zh-Hant"],
    ["index.fr", "fr"],
    ["index.pt_br", "pt-BR"],
    ["deu", "de"],
    ["yue", "yue"],
    ["de.draft", null],
    ["index", null],
    ["notes", null],
    ["german", null],
    ["Deutsch", null],
    ["new", null],
    ["bak", null],
    ["xx", null],
    ["", null],
    ["de-XX", null],
  ])("%j -> %s", (stem, tag) => {
    expect(languageFromFileStem(stem)).toBe(tag);
  });
});

// Labels built from real codes, names and regions, in the shapes sources use.
const CODES = ["de", "en", "fr", "es", "pt", "zh", "sr", "ger", "fre", "iw", "no", "nb", "tl", "sh", "yue", "xx"];
const SUBTAGS = ["", "DE", "br", "419", "Hans", "latn", "XX", "1996", "u-ca-gregory", "x-foo"];
const NAMES = ["German", "Deutsch", "allemand", "Portuguese (Brazil)", "Chinese (Traditional)", "English US", "Norwegian"];
const labelArbitrary = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.tuple(fc.constantFrom(...CODES), fc.constantFrom("-", "_", " "), fc.constantFrom(...SUBTAGS), fc.boolean()).map(
    ([code, sep, sub, upper]) => {
      const label = sub ? `${code}${sep}${sub}` : code;
      return upper ? label.toUpperCase() : label;
    },
  ),
  fc.tuple(fc.constantFrom(...NAMES), fc.boolean()).map(([name, upper]) => (upper ? name.toUpperCase() : name)),
);

describe("normalizeLanguageLabel: laws", () => {
  test("never throws, answers a string or null", () => {
    fc.assert(
      fc.property(labelArbitrary, (label) => {
        const tag = normalizeLanguageLabel(label);
        expect(tag === null || typeof tag === "string").toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test("idempotent: a normalized tag normalizes to itself", () => {
    fc.assert(
      fc.property(labelArbitrary, (label) => {
        const tag = normalizeLanguageLabel(label);
        if (tag !== null) expect(normalizeLanguageLabel(tag)).toBe(tag);
      }),
      { numRuns: 2000 },
    );
  });

  test("a normalized tag is canonical BCP 47", () => {
    fc.assert(
      fc.property(labelArbitrary, (label) => {
        const tag = normalizeLanguageLabel(label);
        if (tag !== null) expect(Intl.getCanonicalLocales(tag)).toEqual([tag]);
      }),
      { numRuns: 1000 },
    );
  });

  test("languageFromFileStem never throws and agrees with normalizeLanguageLabel on codes", () => {
    fc.assert(
      fc.property(labelArbitrary, (stem) => {
        const tag = languageFromFileStem(stem);
        if (tag !== null) expect(normalizeLanguageLabel(tag)).toBe(tag);
      }),
      { numRuns: 1000 },
    );
  });
});
