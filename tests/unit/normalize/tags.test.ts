import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseEntities } from "../../../src/content/parse-entities.js";
import { DiagnosticSink } from "../../../src/errors/diagnostics.js";
import { compileEntityTable } from "../../../src/normalize/entities.js";
import {
  canonicalizeTagList,
  canonicalizeTags,
  cleanLabel,
  MAX_TAGS,
  splitGlued,
  splitTags,
} from "../../../src/normalize/tags.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const sink = new DiagnosticSink();
const table = compileEntityTable(parseEntities(readFileSync(path.join(root, "data/entities.yml"), "utf8"), "data/entities.yml", sink));
const emptyTable = compileEntityTable([]);
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

describe("splitTags", () => {
  test.each<[string, unknown, string[]]>([
    ["a YAML list", ["Ukraine", "Russland"], ["Ukraine", "Russland"]],
    ["list items that are comma strings", ["Ukraine, Russland", "Krieg"], ["Ukraine", "Russland", "Krieg"]],
    ["nested lists", [["a", ["b"]], "c"], ["a", "b", "c"]],
    ["a comma string", "Ukraine, Russland ,Krieg", ["Ukraine", "Russland", "Krieg"]],
    ["semicolons, pipes, slashes", "Ukraine; Russland | Krieg / NATO/EU", ["Ukraine", "Russland", "Krieg", "NATO", "EU"]],
    ["line breaks and bullets", "Ukraine\nRussland • Krieg", ["Ukraine", "Russland", "Krieg"]],
    ["a slash between digits is not a separator", "24/7, 9/11", ["24/7", "9/11"]],
    ["hashtags", "#Ukraine #Russland", ["Ukraine", "Russland"]],
    ["glued hashtags", "#Ukraine#Russland", ["Ukraine", "Russland"]],
    ["a hashtag is never split at capitals, underscores are spaces", "#StandWithUkraine #Ukraine_Krieg", ["StandWithUkraine", "Ukraine Krieg"]],
    ["a word before hashtags", "Politik #Ukraine", ["Politik", "Ukraine"]],
    ["# inside a word is kept", "C#, F#", ["C#", "F#"]],
    ["glued CamelCase (the seed's tag line)", "HamburgHelsinkiMedienRusslandUkraine", ["Hamburg", "Helsinki", "Medien", "Russland", "Ukraine"]],
    ["glued with umlauts", "MedienÖsterreichÄrzte", ["Medien", "Österreich", "Ärzte"]],
    ["an acronym glued to a word", "NATOGipfel", ["NATO", "Gipfel"]],
    ["an acronym then a word", "USAUkraine", ["USA", "Ukraine"]],
    ["hyphenated compounds split only at inner capitals", "Ukraine-KriegRussland", ["Ukraine-Krieg", "Russland"]],
    ["numbers become strings", 42, ["42"]],
    ["numbers in lists", [2025, "Wahl"], ["2025", "Wahl"]],
    ["booleans become strings", true, ["true"]],
    ["a tag object", { name: "Ukraine", slug: "ukraine" }, ["Ukraine"]],
    ["null", null, []],
    ["undefined", undefined, []],
    ["empty string", "", []],
    ["only separators and junk", " , ;; | # – ", []],
    ["other objects", { foo: "bar" }, []],
    ["quotes and trailing punctuation", ' „Ukraine“. , "Russland"!, «Krieg»…', ["Ukraine", "Russland", "Krieg"]],
    ["whitespace is collapsed", "  Donald \u00a0  Trump  ", ["Donald Trump"]],
    ["tabs separate (TSV exports)", "Ukraine\tRussland", ["Ukraine", "Russland"]],
    ["spaces do not separate", "Donald Trump", ["Donald Trump"]],
  ])("%s", (_label, value, expected) => {
    expect(splitTags(value)).toEqual(expected);
  });

  test.each([
    "iPhone", "iOS", "YouTube", "TikTok", "McDonald's", "LinkedIn", "PayPal", "WhatsApp", "OpenAI", "BioNTech", "eBay",
    "NATO-Gipfel", "G20-Gipfel", "USA", "EU", "MacArthur", "DeSantis", "McConnell", "DiCaprio", "ChatGPT", "PowerPoint",
    "Rosenheim24", "Ukraine",
  ])("%s is one tag", (word) => {
    expect(splitTags(word)).toEqual([word]);
    expect(splitTags(word, table)).toEqual([word]);
  });

  test.each([
    ["TruthSocial", ["Truth Social"]],
    ["KyivIndependent", ["Kyiv Independent"]],
    ["DonaldTrumpWladimirPutin", ["Donald Trump", "Wladimir Putin"]],
    ["MedienEU", ["Medien", "EU"]],
    ["HamburgHelsinkiMedienRusslandUkraine", ["Hamburg", "Helsinki", "Medien", "Russland", "Ukraine"]],
  ])("with the entity table, known spellings stay together: %s", (value, expected) => {
    expect(splitTags(value, table)).toEqual(expected);
  });

  test("without the table, short chunks keep a token whole", () => {
    expect(splitGlued("MedienEU")).toEqual(["MedienEU"]);
    expect(splitGlued("G20Gipfel")).toEqual(["G20Gipfel"]);
    expect(splitGlued("G20Gipfel", table)).toEqual(["G20", "Gipfel"]);
  });

  test("never throws, and returns clean non-empty labels", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const labels = splitTags(value);
        for (const label of labels) {
          expect(label).toBe(cleanLabel(label));
          expect(label).toMatch(/[\p{L}\p{N}]/u);
        }
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (value) => {
        expect(() => splitTags(value, table)).not.toThrow();
      }),
    );
  });

  test("a getter that throws does not escape", () => {
    const hostile = [
      "Ukraine",
      {
        get name(): string {
          throw new Error("boom");
        },
      },
    ];
    expect(splitTags(hostile)).toEqual(["Ukraine"]);
  });
});

describe("canonicalizeTags", () => {
  test("the seed's glued tag line in German: entities with German names", () => {
    expect(canonicalizeTags(splitTags("HamburgHelsinkiMedienRusslandUkraine", table), "de", table)).toEqual([
      { id: "hamburg", name: "Hamburg", slug: "hamburg" },
      { id: "helsinki", name: "Helsinki", slug: "helsinki" },
      { id: "media", name: "Medien", slug: "medien" },
      { id: "russia", name: "Russland", slug: "russland" },
      { id: "ukraine", name: "Ukraine", slug: "ukraine" },
    ]);
  });

  test("the English translation's tags share the ids", () => {
    const german = canonicalizeTags(splitTags("HamburgHelsinkiMedienRusslandUkraine", table), "de", table);
    const english = canonicalizeTags(["Hamburg", "Helsinki", "Media", "Russia", "Ukraine"], "en", table);
    expect(english.map((tag) => tag.id)).toEqual(german.map((tag) => tag.id));
    expect(english.map((tag) => tag.name)).toEqual(["Hamburg", "Helsinki", "Media", "Russia", "Ukraine"]);
  });

  test.each([
    ["Russland", "de", "Russland", "russland"],
    ["Russia", "de", "Russland", "russland"],
    ["Russie", "en", "Russia", "russia"],
    ["Russland", "fr", "Russie", "russie"],
  ])("%s in %s is russia, named %s", (label, lang, name, slug) => {
    expect(canonicalizeTags([label], lang, table)).toEqual([{ id: "russia", name, slug }]);
  });

  test.each([
    ["Selensky", "de", { id: "volodymyr-zelensky", name: "Wolodymyr Selenskyj", slug: "wolodymyr-selenskyj" }],
    ["Ukraine-Krieg", "en", { id: "ukraine-war", name: "War in Ukraine", slug: "war-in-ukraine" }],
    ["Weißes Haus", "de", { id: "white-house", name: "Weißes Haus", slug: "weisses-haus" }],
    ["usa", "fr", { id: "united-states", name: "États-Unis", slug: "etats-unis" }],
    ["Außenpolitik", "de", { id: "aussenpolitik", name: "Außenpolitik", slug: "aussenpolitik" }],
    ["Grüne Energie", "de", { id: "grune energie", name: "Grüne Energie", slug: "gruene-energie" }],
    ["Grüne Energie", "en", { id: "grune energie", name: "Grüne Energie", slug: "grune-energie" }],
  ])("%s (%s) -> %j", (label, lang, tag) => {
    expect(canonicalizeTags([label], lang, table)).toEqual([tag]);
  });

  test("duplicates by case, accents and # are one tag; first spelling and order kept", () => {
    expect(canonicalizeTags(["Ukraine", "ukraine", "#Ukraine", "UKRAINE"], "de", table).map((tag) => tag.id)).toEqual(["ukraine"]);
    expect(canonicalizeTags(["Außenpolitik", "AUSSENPOLITIK", "aussenpolitik", "Krieg", "Ausenpolitik"], "de", emptyTable)).toEqual([
      { id: "aussenpolitik", name: "Außenpolitik", slug: "aussenpolitik" },
      { id: "krieg", name: "Krieg", slug: "krieg" },
      { id: "ausenpolitik", name: "Ausenpolitik", slug: "ausenpolitik" },
    ]);
    expect(canonicalizeTags(["Russia", "Ukraine", "Russland", "Kiew", "Kyiv"], "de", table).map((tag) => tag.name)).toEqual([
      "Russland",
      "Ukraine",
      "Kiew",
    ]);
  });

  test("a plain tag that spells an entity id without naming it gets a distinct id", () => {
    // "X" is the network (case-sensitive); "x" is just a tag.
    expect(canonicalizeTags(["x", "X"], "en", table)).toEqual([
      { id: "#x", name: "x", slug: "x" },
      { id: "x", name: "X", slug: "x" },
    ]);
  });

  test("a name without Latin letters or digits still gets a stable URL-safe slug", () => {
    const [tag] = canonicalizeTags(["Путин и мир"], "ru", emptyTable);
    expect(tag?.slug).toMatch(/^tag-[0-9a-f]{8}$/);
    expect(canonicalizeTags(["Путин и мир"], "de", emptyTable)[0]?.slug).toBe(tag?.slug);
    expect(canonicalizeTags(["Мир"], "ru", emptyTable)[0]?.slug).not.toBe(tag?.slug);
  });

  test("labels without letters or digits are dropped", () => {
    expect(canonicalizeTags(["", "  ", "—", "#", "...", "2025"], "de", table)).toEqual([{ id: "2025", name: "2025", slug: "2025" }]);
  });

  test(`at most ${MAX_TAGS} tags; the surplus of 5,000 is counted`, () => {
    const labels = Array.from({ length: 5000 }, (_, i) => `Thema ${i}`);
    const { tags, dropped } = canonicalizeTagList([...labels, ...labels], "de", table);
    expect(tags).toHaveLength(MAX_TAGS);
    expect(tags[0]?.name).toBe("Thema 0");
    expect(tags[MAX_TAGS - 1]?.name).toBe(`Thema ${MAX_TAGS - 1}`);
    expect(dropped).toBe(5000 - MAX_TAGS);
    expect(canonicalizeTags(labels, "de", table)).toEqual(tags);
  });

  test("a custom limit", () => {
    expect(canonicalizeTagList(["a", "b", "c", "a"], "en", emptyTable, 2)).toEqual({
      tags: [
        { id: "a", name: "a", slug: "a" },
        { id: "b", name: "b", slug: "b" },
      ],
      dropped: 1,
    });
  });

  describe("properties", () => {
    const words = fc.constantFrom(
      "Ukraine", "ukraine", "#Ukraine", "Russland", "Russia", "Russie", "Selensky", "x", "X", "EU", "eu", "Weißes Haus",
      "Außenpolitik", "AUSSENPOLITIK", "Politico", "politico", "Путин", "C#", "„Zitat“", "  ", "—",
    );
    const label = fc.oneof(words, fc.string({ unit: "grapheme", maxLength: 20 }), fc.string({ maxLength: 20 }));
    const labels = fc.array(label, { maxLength: 80 });
    const lang = fc.constantFrom("de", "en", "fr", "pt-BR", "");

    test("never throws; slugs are URL-safe; ids unique; at most the limit", () => {
      fc.assert(
        fc.property(labels, lang, (input, language) => {
          const tags = canonicalizeTags(input, language, table);
          expect(tags.length).toBeLessThanOrEqual(MAX_TAGS);
          expect(new Set(tags.map((tag) => tag.id)).size).toBe(tags.length);
          for (const tag of tags) {
            expect(tag.slug).toMatch(SLUG);
            expect(tag.name).toBe(cleanLabel(tag.name));
          }
        }),
      );
    });

    test("idempotent on its own output names", () => {
      fc.assert(
        fc.property(labels, lang, (input, language) => {
          const once = canonicalizeTags(input, language, table);
          expect(canonicalizeTags(once.map((tag) => tag.name), language, table)).toEqual(once);
        }),
      );
    });

    test("ignores case and # of a label", () => {
      fc.assert(
        fc.property(fc.string({ minLength: 1, maxLength: 20 }), (text) => {
          const plain = canonicalizeTags([text], "en", emptyTable);
          const shouted = canonicalizeTags([`#${text.toUpperCase()}`], "en", emptyTable);
          fc.pre(plain.length === 1 && text.toUpperCase().length === text.length);
          expect(shouted.map((tag) => tag.id)).toEqual(plain.map((tag) => tag.id));
        }),
      );
    });
  });
});
