import { describe, expect, test } from "vitest";
import { detectByStopWords, detectLanguage, DETECTION_LANGS } from "../../../src/normalize/detect-language.js";
import { profileText } from "../../../src/normalize/stop-words.js";

describe("detectLanguage: news sentences", () => {
  test.each([
    ["de", "Die Bundesregierung hat am Mittwoch neue Hilfen für die Landwirtschaft beschlossen."],
    ["de", "Trump und Putin in Anchorage: Gipfel ohne Waffenstillstand"],
    ["de", "Nach Angaben der Polizei wurden bei dem Unfall drei Menschen schwer verletzt."],
    ["de", "Selenskyj fordert mehr Luftabwehr, Merz sagt weitere Unterstützung zu."],
    ["en", "The central bank left interest rates unchanged on Thursday, citing persistent inflation."],
    ["en", "Trump and Putin meet in Anchorage without a ceasefire deal"],
    ["en", "Police said three people were seriously injured in the crash near Hamburg."],
    ["fr", "Le gouvernement a présenté mercredi un nouveau plan d'aide aux agriculteurs."],
    ["fr", "Trump et Poutine à Anchorage : un sommet sans cessez-le-feu"],
    ["fr", "Selon la police, trois personnes ont été grièvement blessées dans l'accident."],
    ["es", "El Gobierno aprobó el miércoles un nuevo paquete de ayudas para el campo."],
    ["es", "Trump y Putin se reúnen en Anchorage sin acuerdo de alto el fuego"],
    ["es", "Según la policía, tres personas resultaron heridas de gravedad en el accidente."],
    ["it", "Il governo ha approvato mercoledì un nuovo pacchetto di aiuti per gli agricoltori."],
    ["pt", "O governo aprovou na quarta-feira um novo pacote de ajuda para os agricultores."],
    ["nl", "De regering heeft woensdag een nieuw steunpakket voor de boeren goedgekeurd."],
    ["pl", "Rząd zatwierdził w środę nowy pakiet pomocy dla rolników."],
    ["ru", "Правительство в среду одобрило новый пакет помощи фермерам."],
    ["uk", "Уряд у середу схвалив новий пакет допомоги фермерам."],
    ["tr", "Hükümet çarşamba günü çiftçiler için yeni bir yardım paketini onayladı."],
    ["ar", "وافقت الحكومة يوم الأربعاء على حزمة مساعدات جديدة للمزارعين."],
    ["ja", "政府は水曜日、農家向けの新たな支援策を承認した。"],
    ["zh", "政府周三批准了一项针对农民的新援助计划。"],
  ])("%s: %s", (lang, text) => {
    const detection = detectLanguage(text);
    expect(detection?.lang).toBe(lang);
    // The languages Gazette's newsrooms write in are told apart with confidence even in one line;
    // close neighbours (ru/uk) are right but less sure.
    const floor = ["de", "en", "fr", "es"].includes(lang) ? 0.9 : 0.3;
    expect(detection?.confidence).toBeGreaterThanOrEqual(floor);
    expect(detection?.confidence).toBeLessThanOrEqual(1);
  });

  test("a long article is judged on windows spread over it, not only its start", () => {
    const english = "The talks in Anchorage ended without an agreement on a ceasefire, officials said on Saturday. ";
    const german = "Die Gespräche in Anchorage endeten ohne eine Einigung auf eine Waffenruhe, wie Beamte am Samstag mitteilten. ";
    const detection = detectLanguage(english + german.repeat(20));
    expect(detection?.lang).toBe("de");
  });
});

describe("detectLanguage: too little to judge", () => {
  test.each(["", "   ", "12:30", "2025-08-15", "— 42 —", "OK", "Hallo", "https://", "¡!¿?", "😀😀😀😀😀"])("%j -> null", (text) => {
    expect(detectLanguage(text)).toBeNull();
  });
});

describe("detectLanguage: answers", () => {
  test.each([
    "Der Präsident der Vereinigten Staaten hat angekündigt, dass er den Krieg beenden will.",
    "Xylophone quartz jumbo vex",
    "Trump Putin Selenskyj Merz Macron Starmer",
  ])("within the candidate set, confidence in 0..1: %j", (text) => {
    const detection = detectLanguage(text);
    expect(detection).not.toBeNull();
    expect(DETECTION_LANGS).toContain(detection?.lang);
    expect(detection?.confidence).toBeGreaterThanOrEqual(0);
    expect(detection?.confidence).toBeLessThanOrEqual(1);
  });

  test("a clear paragraph gets a high confidence, a pair of names a low one", () => {
    const paragraph =
      "Nach dem Gipfel erklärte der Präsident, man sei sich in vielen Punkten einig gewesen. Die Regierung in Kiew reagierte zurückhaltend und verlangte, an allen weiteren Verhandlungen beteiligt zu werden.";
    expect(detectLanguage(paragraph)?.confidence).toBeGreaterThanOrEqual(0.95);
    expect(detectLanguage("Vladimir Putin")?.confidence ?? 0).toBeLessThan(0.95);
  });
});

describe("detectByStopWords: the shortcut only answers on clear evidence", () => {
  const long = (sentence: string): string => `${sentence} `.repeat(4);
  test.each([
    ["de", long("Die Regierung hat am Montag erklärt, dass sie die Reform noch in diesem Jahr umsetzen will, aber die Opposition ist dagegen.")],
    ["en", long("The government said on Monday that it wants to pass the reform this year, but the opposition is against it.")],
    ["fr", long("Le gouvernement a déclaré lundi qu'il veut faire passer la réforme cette année, mais l'opposition est contre.")],
    ["es", long("El Gobierno dijo el lunes que quiere aprobar la reforma este año, pero la oposición está en contra.")],
  ])("%s paragraph -> %s", (lang, text) => {
    expect(detectByStopWords(profileText(text))?.lang).toBe(lang);
  });

  // Languages without a function-word list must not be taken for a listed neighbour.
  test.each([
    ["cs", long("Vláda v pondělí uvedla, že chce reformu prosadit ještě letos, ale opozice je proti tomu a kritizuje ji.")],
    ["ro", long("Guvernul a declarat luni că vrea să adopte reforma în acest an, dar opoziția este împotriva ei și o critică.")],
    ["ca", long("El Govern va dir dilluns que vol aprovar la reforma aquest any, però l'oposició hi està en contra i la critica.")],
    ["sk", long("Vláda v pondelok uviedla, že chce reformu presadiť ešte tento rok, ale opozícia je proti tomu a kritizuje ju.")],
  ])("%s paragraph -> no shortcut", (_lang, text) => {
    expect(detectByStopWords(profileText(text))).toBeNull();
  });

  test.each([
    ["cs", "Vláda v pondělí uvedla, že chce reformu prosadit ještě letos, ale opozice je proti tomu a kritizuje ji."],
    ["ro", "Guvernul a declarat luni că vrea să adopte reforma în acest an, dar opoziția este împotriva ei și o critică."],
    ["sk", "Vláda v pondelok uviedla, že chce reformu presadiť ešte tento rok, ale opozícia je proti tomu a kritizuje ju."],
  ])("%s is still detected, by the n-gram detector", (lang, text) => {
    expect(detectLanguage(text)?.lang).toBe(lang);
  });
});
