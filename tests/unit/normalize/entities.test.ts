import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseEntities } from "../../../src/content/parse-entities.js";
import { parseFrontmatter } from "../../../src/content/parse-frontmatter.js";
import { DiagnosticSink } from "../../../src/errors/diagnostics.js";
import {
  compileEntityTable,
  entityName,
  findEntities,
  lookupEntity,
  type EntityDefinition,
} from "../../../src/normalize/entities.js";
import { splitTags } from "../../../src/normalize/tags.js";
import type { EntityMention } from "../../../src/types.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function loadRealTable(): EntityDefinition[] {
  const sink = new DiagnosticSink();
  const definitions = parseEntities(readFileSync(path.join(root, "data/entities.yml"), "utf8"), "data/entities.yml", sink);
  if (sink.hasErrors) throw new Error(`data/entities.yml: ${sink.errors.map((error) => error.message).join("; ")}`);
  return definitions;
}

const definitions = loadRealTable();
const table = compileEntityTable(definitions);

/** id -> count, for compact assertions. */
function counts(texts: string | readonly string[], lang: string): Record<string, number> {
  const mentions = findEntities(typeof texts === "string" ? [texts] : texts, table, lang);
  return Object.fromEntries(mentions.map((mention) => [mention.id, mention.count]));
}

describe("findEntities: spellings", () => {
  test.each([
    ["Selenskyj", "de", "volodymyr-zelensky", "Wolodymyr Selenskyj"],
    ["Zelenskyy", "de", "volodymyr-zelensky", "Wolodymyr Selenskyj"],
    ["Zelensky", "en", "volodymyr-zelensky", "Volodymyr Zelensky"],
    ["Selensky", "en", "volodymyr-zelensky", "Volodymyr Zelensky"],
    ["Wolodymyr Selenskyj", "en", "volodymyr-zelensky", "Volodymyr Zelensky"],
    ["SELENSKYJ", "fr", "volodymyr-zelensky", "Volodymyr Zelensky"],
    ["Wladimir Putin", "en", "vladimir-putin", "Vladimir Putin"],
    ["Vladímir Putin", "de", "vladimir-putin", "Wladimir Putin"],
    ["Vladimir Putin", "fr", "vladimir-putin", "Vladimir Poutine"],
    ["Poutine", "de", "vladimir-putin", "Wladimir Putin"],
    ["Kiew", "en", "kyiv", "Kyiv"],
    ["Kyjiw", "de", "kyiv", "Kiew"],
    ["Kyiv", "fr", "kyiv", "Kiev"],
    ["Kiev", "de", "kyiv", "Kiew"],
    ["Juri Uschakow", "en", "yuri-ushakov", "Yuri Ushakov"],
    ["Iouri Ouchakov", "de", "yuri-ushakov", "Juri Uschakow"],
    ["Andrij Jermak", "en", "andriy-yermak", "Andriy Yermak"],
    ["Sergej Riabkow", "en", "sergei-ryabkov", "Sergei Ryabkov"],
    ["Rjabkow", "en", "sergei-ryabkov", "Sergei Ryabkov"],
    ["Katherine Leavitt", "en", "karoline-leavitt", "Karoline Leavitt"],
    ["Mark Rubio", "de", "marco-rubio", "Marco Rubio"],
    ["Mohamed Bin Salman", "en", "mohammed-bin-salman", "Mohammed bin Salman"],
    ["Russie", "de", "russia", "Russland"],
    ["Vereinigte Staaten", "en", "united-states", "United States"],
    ["États-Unis", "de", "united-states", "USA"],
    ["Etats Unis", "fr", "united-states", "États-Unis"],
    ["Saudi-Arabien", "en", "saudi-arabia", "Saudi Arabia"],
    ["Riad", "en", "riyadh", "Riyadh"],
    ["Sotschi", "fr", "sochi", "Sotchi"],
    ["Großbritannien", "en", "united-kingdom", "United Kingdom"],
    ["Grossbritannien", "de", "united-kingdom", "Großbritannien"],
    ["Naher Osten", "en", "middle-east", "Middle East"],
    ["OTAN", "en", "nato", "NATO"],
    ["Kreml", "en", "kremlin", "Kremlin"],
    ["Weißes Haus", "fr", "white-house", "Maison-Blanche"],
    ["Weisses Haus", "en", "white-house", "White House"],
    ["Maison Blanche", "de", "white-house", "Weißes Haus"],
    ["Đà Nẵng", "en", "da-nang", "Da Nang"],
    ["guerre en Ukraine", "de", "ukraine-war", "Ukraine-Krieg"],
    ["Waffenruhe", "en", "ceasefire", "Ceasefire"],
    ["cessez-le-feu", "de", "ceasefire", "Waffenstillstand"],
    ["médias", "de", "media", "Medien"],
  ])("%j (%s) is %s, spelled %j", (text, lang, id, name) => {
    expect(findEntities([text], table, lang)).toEqual([
      { id, name, kind: table.definitions.get(id)!.kind, count: 1 },
    ]);
  });

  test("decomposed accents and soft hyphens fold like composed text", () => {
    expect(counts("Vladi\u0301mir Putin und Selen\u00ADskyj", "de")).toEqual({ "vladimir-putin": 1, "volodymyr-zelensky": 1 });
  });

  test.each([
    ["\uD800Putin", { "vladimir-putin": 1 }],
    ["Putin\uDC00Trump", { "vladimir-putin": 1, "donald-trump": 1 }],
    ["🇺🇦Ukraine🙂Putin", { ukraine: 1, "vladimir-putin": 1 }],
    ["Putin\u{1D400}", {}],
  ])("surrogates and emoji separate words: %j", (text, expected) => {
    expect(counts(text, "de")).toEqual(expected);
  });

  test("a dotted capital İ (lowercases to two characters) still matches", () => {
    expect(counts("Gespräche in İSTANBUL mit Putin und der EU", "de")).toEqual({ istanbul: 1, "vladimir-putin": 1, "european-union": 1 });
  });
});

describe("findEntities: word boundaries", () => {
  test.each([
    ["Trumpf ist Trumpf", "de", {}],
    ["Putinismus und Putinversteher", "de", {}],
    ["Der Kremlchef spricht", "de", {}],
    ["Die Trump-Regierung und der CIA-Direktor", "de", { "donald-trump": 1, cia: 1 }],
    ["la position de l’OTAN", "fr", { nato: 1 }],
    ["Trump’s call", "en", { "donald-trump": 1 }],
    ["NATO’s eastward expansion", "en", { nato: 1 }],
    ["Trump-Putin-Gespräche", "de", { "donald-trump": 1, "vladimir-putin": 1 }],
    // Politico is listed under `exact:`, so the French compound adjective is not the newspaper.
    ["un règlement politico-diplomatique", "fr", {}],
    ["sagte Trump gegenüber Politico", "de", { "donald-trump": 1, politico: 1 }],
  ])("%j (%s) -> %j", (text, lang, expected) => {
    expect(counts(text, lang)).toEqual(expected);
  });
});

describe("findEntities: short all-caps spellings are case-sensitive", () => {
  test.each([
    ["auf der sozialen Netzwerk X geteilt", "de", { x: 1 }],
    ["x = 3, and x again", "en", {}],
    ["ont eu ce jeudi un entretien", "fr", {}],
    ["EU-Gipfel in Brüssel", "de", { "european-union": 1 }],
    ["l’UE et les États-Unis", "fr", { "european-union": 1, "united-states": 1 }],
    ["usa la fuerza", "es", {}],
    ["USA und US-Präsident", "de", { "united-states": 2 }],
    ["the U.S. and us", "en", { "united-states": 1 }],
    ["cia and efe in lower case", "en", {}],
    ["CIA, EFE and APEC", "en", { cia: 1, efe: 1, apec: 1 }],
    // "Apec" is listed as an alias of its own, so mixed case counts (all-caps rule is per spelling).
    ["Apec-Gipfel", "de", { apec: 1 }],
  ])("%j (%s) -> %j", (text, lang, expected) => {
    expect(counts(text, lang)).toEqual(expected);
  });
});

describe("findEntities: German genitive", () => {
  test.each([
    ["Putins Sprecher", "de", { "vladimir-putin": 1 }],
    ["Trumps Amtsübernahme", "de", { "donald-trump": 1 }],
    ["Russlands Sicherheitsbedenken", "de", { russia: 1 }],
    ["Kiews Bürgermeister", "de", { kyiv: 1 }],
    ["Selenskyjs Büro", "de", { "volodymyr-zelensky": 1 }],
    ["Wolodymyr Selenskyjs Büro", "de", { "volodymyr-zelensky": 1 }],
    ["des Weißen Hauses", "de", { "white-house": 1 }],
    ["Beendigung des Ukraine-Kriegs", "de", { "ukraine-war": 1 }],
    ["Putins", "de-AT", { "vladimir-putin": 1 }],
    // Only German: elsewhere "Putins" is another word.
    ["Putins", "en", {}],
    // Never on case-sensitive spellings.
    ["USAs", "de", {}],
  ])("%j (%s) -> %j", (text, lang, expected) => {
    expect(counts(text, lang)).toEqual(expected);
  });
});

describe("findEntities: counting", () => {
  test("counts every mention, sorted by count then id, with name and kind", () => {
    expect(findEntities(["Putin traf Trump.", "Putin lachte; Trump auch. Selenskyj nicht."], table, "de")).toEqual<EntityMention[]>([
      { id: "donald-trump", name: "Donald Trump", kind: "person", count: 2 },
      { id: "vladimir-putin", name: "Wladimir Putin", kind: "person", count: 2 },
      { id: "volodymyr-zelensky", name: "Wolodymyr Selenskyj", kind: "person", count: 1 },
    ]);
  });

  test.each([
    ["Donald Trump und Trump", "de", { "donald-trump": 2 }],
    ["the Kyiv Independent reports from Kyiv", "en", { "kyiv-independent": 1, kyiv: 1 }],
    ["protests in Washington, D.C. and in Washington", "en", { washington: 2 }],
    ["Krieg in der Ukraine und die Ukraine", "de", { "ukraine-war": 1, ukraine: 1 }],
    ["the war in Ukraine", "en", { "ukraine-war": 1 }],
    ["Wolodymyr Selenskyj", "de", { "volodymyr-zelensky": 1 }],
    ["Truth Social", "en", { "truth-social": 1 }],
  ])("longest spelling wins, no double counting: %j", (text, lang, expected) => {
    expect(counts(text, lang)).toEqual(expected);
  });

  test("a spelling never spans two texts (title | body)", () => {
    expect(counts(["Weißes", "Haus"], "de")).toEqual({});
    expect(counts(["Donald", "Trump"], "de")).toEqual({ "donald-trump": 1 });
  });

  test("empty inputs and an empty table", () => {
    expect(findEntities([], table, "de")).toEqual([]);
    expect(findEntities(["", "   "], table, "de")).toEqual([]);
    expect(findEntities(["Putin"], compileEntityTable([]), "de")).toEqual([]);
  });
});

describe("compileEntityTable / entityName / lookupEntity", () => {
  test("a spelling claimed by two entities stays with the first", () => {
    const small = compileEntityTable([
      { id: "kyiv", kind: "place", names: { en: "Kyiv" }, aliases: ["Kiev"] },
      { id: "kiev-band", kind: "organisation", names: { en: "Kiev Band" }, aliases: ["Kiev"] },
    ]);
    expect(findEntities(["Kiev and the Kiev Band"], small, "en").map((mention) => [mention.id, mention.count])).toEqual([
      ["kiev-band", 1],
      ["kyiv", 1],
    ]);
    expect(lookupEntity("kiev", small)?.id).toBe("kyiv");
  });

  test.each([
    ["de", "Wolodymyr Selenskyj"],
    ["de-AT", "Wolodymyr Selenskyj"],
    ["en-GB", "Volodymyr Zelensky"],
    ["es", "Volodymyr Zelensky"],
  ])("entityName in %s is %j (exact, base language, English)", (lang, name) => {
    expect(entityName(table.definitions.get("volodymyr-zelensky")!, lang)).toBe(name);
  });

  test("entityName falls back to the first name, then the id", () => {
    expect(entityName({ id: "a", kind: "topic", names: { fr: "Paix", it: "Pace" }, aliases: [] }, "de")).toBe("Paix");
    expect(entityName({ id: "a", kind: "topic", names: {}, aliases: [] }, "de")).toBe("a");
  });

  test.each([
    ["Selensky", "volodymyr-zelensky"],
    ["  zelenskyy ", "volodymyr-zelensky"],
    ["#Ukraine", "ukraine"],
    ["Ukraine-Krieg", "ukraine-war"],
    ["Medien", "media"],
    ["Russie", "russia"],
    ["usa", "united-states"],
    ["nato", "nato"],
    ["X", "x"],
    ["Politico", "politico"],
  ])("lookupEntity(%j) is %s", (label, id) => {
    expect(lookupEntity(label, table)?.id).toBe(id);
  });

  test.each([["x"], ["politico"], ["Trumpf"], ["Donald Trump Jr."], [""], ["—"], ["Putins"]])("lookupEntity(%j) is none", (label) => {
    expect(lookupEntity(label, table)).toBeUndefined();
  });
});

describe("findEntities: properties", () => {
  // Words that make up spellings, so that random texts actually hit the table.
  const word = fc.constantFrom(
    "Donald", "Trump", "Trumps", "Putin", "Putins", "Wladimir", "Vladímir", "Weißes", "Haus", "Weißen", "Hauses",
    "Kyiv", "Independent", "Washington", "D.C.", "EU", "eu", "X", "x", "U.S.", "Krieg", "in", "der", "Ukraine",
    "politico", "Politico", "İ", "und", "-", ",", "’s", "SELENSKYJ", "Selenskyjs",
  );
  const text = fc.array(word, { maxLength: 30 }).map((words) => words.join(" "));
  const lang = fc.constantFrom("de", "en", "fr");

  test("never throws; counts are positive; sorted by count desc then id", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(text, fc.string()), { maxLength: 4 }), lang, (texts, language) => {
        const mentions = findEntities(texts, table, language);
        for (let i = 0; i < mentions.length; i++) {
          expect(mentions[i]!.count).toBeGreaterThan(0);
          if (i > 0) {
            const previous = mentions[i - 1]!;
            expect(previous.count > mentions[i]!.count || (previous.count === mentions[i]!.count && previous.id < mentions[i]!.id)).toBe(true);
          }
        }
      }),
    );
  });

  test("texts are counted independently: [a, b] is [a] plus [b]", () => {
    fc.assert(
      fc.property(text, text, lang, (a, b, language) => {
        const together = counts([a, b], language);
        const sum: Record<string, number> = { ...counts(a, language) };
        for (const [id, count] of Object.entries(counts(b, language))) sum[id] = (sum[id] ?? 0) + count;
        expect(together).toEqual(sum);
      }),
    );
  });

  test("the slow path (text whose lowercase changes length) agrees with the fast path", () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: "binary", maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 40 })), lang, (sample, language) => {
        // " İ" forces the token-array path and adds no mention ("i" names nothing).
        expect(counts(`${sample} İ`, language)).toEqual(counts(sample.replace(/İ/g, "I"), language));
      }),
    );
  });

  test("1 MB of text with many mentions: every mention counted", () => {
    const paragraph = "Donald Trump und Wladimir Putin sprachen in Washington, D.C. über die Ukraine, Russlands Krieg und die EU. ";
    const big = paragraph.repeat(Math.ceil(1_000_000 / paragraph.length));
    const result = counts(big, "de");
    expect(result["donald-trump"]).toBe(Math.ceil(1_000_000 / paragraph.length));
  });
});

describe("the real articles", () => {
  const articlesDir = path.join(root, "articles");
  const stories = readdirSync(articlesDir).sort();

  /** Every text of an article an editor would expect entities from: title, summary, source, dateline, tags, references, body. */
  function articleMentions(story: string, lang: string): EntityMention[] {
    const file = `articles/${story}/${lang}.md`;
    const { frontmatter, body } = parseFrontmatter(readFileSync(path.join(root, file), "utf8"), file);
    const strings = (value: unknown): string[] =>
      typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
    const texts = [
      ...strings(frontmatter.title),
      ...strings(frontmatter.summary),
      ...strings(frontmatter.source),
      ...strings(frontmatter.location),
      ...splitTags(frontmatter.tags, table),
      ...strings(frontmatter.references),
      body,
    ];
    return findEntities(texts, table, lang);
  }

  /** People and places mentioned at least `min` times: what a story is about. */
  function top(mentions: readonly EntityMention[], min: number): string[] {
    return mentions
      .filter((mention) => (mention.kind === "person" || mention.kind === "place") && mention.count >= min)
      .map((mention) => mention.id)
      .sort();
  }

  test("there are five stories with twelve language versions", () => {
    expect(stories).toHaveLength(5);
    expect(stories.flatMap((story) => readdirSync(path.join(articlesDir, story)))).toHaveLength(12);
  });

  test.each(stories)("%s: de and en (and fr) are about the same people and places", (story) => {
    const de = articleMentions(story, "de");
    const en = articleMentions(story, "en");
    expect(top(de, 3)).toEqual(top(en, 3));
    expect(top(de, 3)).toEqual(expect.arrayContaining(["donald-trump", "vladimir-putin"]));
    const languages = readdirSync(path.join(articlesDir, story));
    if (languages.includes("fr.md")) expect(top(articleMentions(story, "fr"), 5)).toEqual(top(de, 5));
  });

  test("the five stories' main entities", () => {
    expect(Object.fromEntries(stories.map((story) => [story, top(articleMentions(story, "de"), 4)]))).toEqual({
      "diplomatische-bemuehungen-trump-putin-stagnieren": ["donald-trump", "united-states", "vladimir-putin", "volodymyr-zelensky"],
      "trump-offen-fuer-treffen-mit-putin": ["donald-trump", "russia", "united-states", "vladimir-putin"],
      "trump-putin-alaska-gipfel-ohne-waffenstillstand": ["donald-trump", "vladimir-putin"],
      "trump-putin-telefonat-ohne-fortschritte": ["donald-trump", "russia", "ukraine", "vladimir-putin"],
      "trump-putin-verhandlungen-ukraine-krieg": ["donald-trump", "russia", "ukraine", "united-states", "vladimir-putin"],
    });
  });

  test("every seeded entity occurs in some article (no dead entries), except the listed ones", () => {
    // Named in the sources' metadata comments only ("in Europe", "European leaders"), kept
    // because newsrooms tag with them and they exercise the case-sensitive EU / French "eu".
    const unusedOnPurpose = ["europe", "european-union"];
    const used = new Set<string>();
    for (const story of stories) {
      for (const file of readdirSync(path.join(articlesDir, story))) {
        for (const mention of articleMentions(story, file.replace(/\.md$/, ""))) used.add(mention.id);
      }
    }
    expect(definitions.map((definition) => definition.id).filter((id) => !used.has(id))).toEqual(unusedOnPurpose);
  });
});
