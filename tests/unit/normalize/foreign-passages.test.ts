import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { detectForeignPassages } from "../../../src/normalize/language.js";

// Markdown body -> plain text of its top-level blocks (what normalize/ hands over): markers,
// emphasis and link targets dropped, a list's items joined into one block.
function plainBlocks(markdown: string): string[] {
  const body = markdown.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, "");
  return body
    .split(/\n\s*\n/)
    .map((block) =>
      block
        .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, "")
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/[*_`]+/g, "")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter((block) => block !== "");
}

const ARTICLES = join(import.meta.dirname, "../../../articles");
const REAL = readdirSync(ARTICLES)
  .sort()
  .flatMap((story) =>
    readdirSync(join(ARTICLES, story))
      .filter((file) => file.endsWith(".md"))
      .map((file) => ({
        file: `${story}/${file}`,
        lang: file.replace(/\.md$/, ""),
        blocks: plainBlocks(readFileSync(join(ARTICLES, story, file), "utf8")),
      })),
  );

// Paragraphs of an article in each language, to build mixed articles from.
const GERMAN = [
  "Der Präsident der Vereinigten Staaten und sein russischer Amtskollege haben am Donnerstag mehr als eine Stunde lang telefoniert, ohne dass es Fortschritte in Richtung eines Waffenstillstands gab.",
  "Nach Angaben des Kremls betonte Putin, dass Russland seine Ziele in der Ukraine nicht aufgeben werde. Die Regierung in Kiew reagierte zurückhaltend auf die Nachricht.",
  "Die Feuerwehr war mit mehr als 200 Einsatzkräften vor Ort. Verletzt wurde nach ersten Angaben niemand, die Ermittlungen zur Brandursache laufen.",
];
const ENGLISH =
  "“We had a very productive meeting, and there were many points that we agreed on, but we haven't quite got there yet,” the president told reporters after the talks, adding that he would speak to the leaders of NATO within hours.";
const SPANISH =
  "El presidente de Estados Unidos y su homólogo ruso mantuvieron este jueves una conversación telefónica que terminó sin avances hacia el fin de las hostilidades en Ucrania, según informó el Kremlin.";
const FRENCH =
  "Le président américain et son homologue russe se sont entretenus jeudi pendant près d'une heure, sans avancée vers un cessez-le-feu en Ukraine, a indiqué le Kremlin dans un communiqué.";
const RUSSIAN =
  "«Мы продолжим искать политическое решение конфликта, но Россия не откажется от своих целей», — заявил помощник президента журналистам после разговора.";
const FINNISH =
  "Yhdysvaltain presidentti ja hänen venäläinen kollegansa keskustelivat torstaina puhelimessa lähes tunnin ajan, mutta tulitauosta ei päästy sopimukseen.";
const ENGLISH_ARTICLE = [
  "The president of the United States and his Russian counterpart spoke by phone for more than an hour on Thursday without making progress towards a ceasefire.",
  "According to the Kremlin, Putin stressed that Russia would not give up its goals in Ukraine. The government in Kyiv reacted cautiously to the news.",
];

describe("detectForeignPassages: the real articles have no foreign paragraph", () => {
  test("there are 12 real language versions", () => {
    expect(REAL).toHaveLength(12);
  });

  test.each(REAL.map((a) => [a.file, a] as const))("%s", (_file, article) => {
    expect(article.blocks.length).toBeGreaterThanOrEqual(3);
    expect(detectForeignPassages(article.blocks, article.lang)).toEqual([]);
  });

  test('the stray Spanish "Durante" in a German sentence does not flag it', () => {
    const article = REAL.find((a) => a.file === "trump-putin-telefonat-ohne-fortschritte/de.md");
    const durante = article?.blocks.findIndex((b) => b.startsWith("Durante des Anruf")) ?? -1;
    expect(durante).toBeGreaterThanOrEqual(0);
    expect(detectForeignPassages([article?.blocks[durante] ?? ""], "de")).toEqual([]);
  });
});

describe("detectForeignPassages: flags paragraphs in another language", () => {
  test.each([
    ["an English quote in a German article", [...GERMAN.slice(0, 2), ENGLISH, GERMAN[2] ?? ""], "de", 2, "en"],
    ["a Spanish paragraph in an English article", [ENGLISH_ARTICLE[0] ?? "", SPANISH, ENGLISH_ARTICLE[1] ?? ""], "en", 1, "es"],
    ["a French paragraph in a German article", [FRENCH, ...GERMAN], "de", 0, "fr"],
    ["a Russian quote in a German article", [...GERMAN, RUSSIAN], "de", 3, "ru"],
    ["a Finnish paragraph (no function-word list) in a German article", [...GERMAN, FINNISH], "de", 3, "fi"],
    ["an English paragraph in a de-DE article", [GERMAN[0] ?? "", ENGLISH], "de-DE", 1, "en"],
    ["a Spanish paragraph in a pt-BR article", [
      "O presidente dos Estados Unidos e o seu homólogo russo conversaram por telefone durante mais de uma hora na quinta-feira, sem avanços em direção a um cessar-fogo.",
      SPANISH,
    ], "pt-BR", 1, "es"],
  ])("%s", (_name, blocks, lang, block, foreign) => {
    const passages = detectForeignPassages(blocks, lang);
    expect(passages).toHaveLength(1);
    expect(passages[0]).toMatchObject({ block, lang: foreign });
    expect(passages[0]?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(passages[0]?.confidence).toBeLessThanOrEqual(1);
  });
});

describe("detectForeignPassages: leaves alone", () => {
  test.each([
    ["a short English quote", "“We are not there yet.”", "de"],
    ["an English headline", "Trump praises Putin after talks", "de"],
    ["five English words", "No deal until there is a deal", "de"],
    ["German with English loanwords", "Das Start-up hat sein Meeting-Tool für Homeoffice-Teams überarbeitet und will im Herbst mit einem Update auf den Markt kommen.", "de"],
    ["German with a short English quote", "Trump sprach nach dem Treffen von einem „great meeting“ und einem „very productive day“, nannte aber keine Einzelheiten zu einer möglichen Waffenruhe.", "de"],
    ["a German sentence with a stray Spanish word", "Durante des Anruf besprachen Trump und Putin das Atomprogramm des Iran sowie die Krise in Syrien und betonten, dass die Lösung dieser Konflikte auf politischem Weg erfolgen muss.", "de"],
    ["a list of names", "Donald Trump, Wladimir Putin, Wolodymyr Selenskyj, Marco Rubio, Steve Witkoff, Sergej Lawrow, Juri Uschakow, Kirill Dmitrijew", "de"],
    ["names and numbers", "Trump 48,2 Prozent, Harris 47,9 Prozent, Kennedy 1,1 Prozent, Stein 0,6 Prozent, Oliver 0,5 Prozent (Stand 6. November)", "de"],
    ["a results table", "1. Bayern München 34 25 5 4 88:33 80 2. Bayer Leverkusen 34 20 11 3 72:43 71", "de"],
    ["a German paragraph in an English article's neighbour language pair", GERMAN[0] ?? "", "de"],
    ["an English paragraph in an English article", ENGLISH, "en"],
    ["Irish paragraphs in an Irish article (a language eld does not know)", "Dúirt an rialtas Dé Luain go bhfuil sé ag iarraidh an t-athchóiriú a chur i bhfeidhm i mbliana, ach tá an freasúra ina choinne.", "ga"],
  ])("%s", (_name, block, lang) => {
    expect(detectForeignPassages([block], lang)).toEqual([]);
  });

  test("Japanese and Arabic articles: their own paragraphs are not flagged", () => {
    expect(detectForeignPassages(["政府は水曜日、農家向けの新たな支援策を承認した。関係者によると、支援の総額は約五千億円に上る見通しだ。"], "ja")).toEqual([]);
    expect(detectForeignPassages(["وافقت الحكومة يوم الأربعاء على حزمة مساعدات جديدة للمزارعين، وقال مسؤولون إن قيمتها تتجاوز مليار دولار."], "ar")).toEqual([]);
  });

  test("an English paragraph in a Japanese article is flagged", () => {
    const passages = detectForeignPassages(["政府は水曜日、農家向けの新たな支援策を承認した。", ENGLISH], "ja");
    expect(passages).toMatchObject([{ block: 1, lang: "en" }]);
  });

  test("no blocks, no passages", () => {
    expect(detectForeignPassages([], "de")).toEqual([]);
  });
});

describe("detectForeignPassages: laws", () => {
  const block = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.constantFrom(ENGLISH, SPANISH, FRENCH, RUSSIAN, FINNISH, ...GERMAN),
    fc.array(fc.constantFrom("der", "the", "la", "und", "and", "Putin", "2025", "—", "„", "ß", "É"), { maxLength: 60 }).map((w) => w.join(" ")),
  );
  test("never throws; every passage points at a block, in another language, confidence in 0..1", () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 8 }), fc.constantFrom("de", "en", "fr", "es", "pt-BR", "ru", "ja", "ga"), (blocks, lang) => {
        const passages = detectForeignPassages(blocks, lang);
        for (const p of passages) {
          expect(p.block).toBeGreaterThanOrEqual(0);
          expect(p.block).toBeLessThan(blocks.length);
          expect(p.lang).not.toBe(lang.split("-")[0]);
          expect(p.confidence).toBeGreaterThan(0);
          expect(p.confidence).toBeLessThanOrEqual(1);
        }
        const indexes = passages.map((p) => p.block);
        expect([...indexes].sort((a, b) => a - b)).toEqual(indexes);
      }),
      { numRuns: 300 },
    );
  });
});
