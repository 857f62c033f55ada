// A cheap language profile of a text: one pass over its characters counts letters per script,
// words, capitalised words, digits, and hits of each language's most frequent function words.
// It decides the easy cases (a German paragraph in a German article) without the n-gram detector.
//
//   profileText("Die Regierung hat am Montag …") -> { letters: 180, words: 32, script: "latin",
//     stops: Float64Array [de 11.5, en 0.5, fr 0, …], … }

import { FNV_OFFSET, FNV_PRIME } from "../util/fnv.js";

/** Languages with a function-word list, in the order of `TextProfile.stops`. */
export const STOP_WORD_LANGS = ["de", "en", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "no", "tr", "ru", "uk"] as const;
export type StopWordLang = (typeof STOP_WORD_LANGS)[number];

// About 60–90 of the most frequent function words of each language (articles, pronouns,
// prepositions, conjunctions, auxiliaries). Elided French forms (l', d', qu') are split at the
// apostrophe, so their first part is listed too.
const LISTS: Readonly<Record<StopWordLang, string>> = {
  de:
    "der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als auch es an werden aus " +
    "er hat dass daß sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder " +
    "aber vor zur bis mehr durch man sein wurde sei ihr seine wieder ihre kann dieser diese dieses denn doch " +
    "schon unter gegen ob wenn weil zwischen während wurden worden hatte nun ihm ihn uns wir ich ganz sehr " +
    "sowie ohne seit laut damit dabei jedoch bereits habe soll will einen keine kein beim vom",
  en:
    "the of and to a in is that for it as was with be by on not he this are or his from at which but have an " +
    "they you were her she there been has their one all would will we more if no so what up out who about " +
    "than into them can only other its also new some could these two may first after any over such even most " +
    "made our those where while because did through between against during under since however said should",
  fr:
    "le la les de des du un une et est en que qui dans pour pas sur au aux ce cette ces il elle ils elles se " +
    "ne plus par avec son sa ses leur leurs mais ou où nous vous on été être a ont sont était comme aussi " +
    "tout tous bien sans entre après avant depuis encore déjà selon lors dont chez très sous lui fait peut " +
    "l d qu n c j avait ainsi alors donc si y",
  es:
    "el la los las de del y en que un una es por con no se su sus al lo para como más pero o fue ha han ya " +
    "muy también sin sobre entre este esta estos estas ese esa le les hasta desde donde cuando porque durante " +
    "según tras ante está están son era ser sido hay todo todos otro otra nos e ni cual quien sea había",
  it:
    "il lo la i gli le di del della dei delle e è che un una per con non si su al alla nel nella da dal anche " +
    "come ma più o sono ha hanno era essere stato questo questa questi quello tra fra dopo prima già ancora " +
    "molto senza perché se ci ne loro suo sua suoi degli dello negli sulla sul dalla l d c",
  pt:
    "o a os as de do da dos das e é que um uma em no na nos nas por com não se seu sua seus ao à mais mas " +
    "como foi ser são está estão também já muito sem sobre entre até pelo pela quando porque depois ainda " +
    "ele ela eles isso este esta essa num numa aos às pelos pelas lhe tem têm",
  nl:
    "de het een en van in is dat op te zijn voor met die niet aan er om ook als bij door maar of uit nog " +
    "wordt worden werd was naar over dan tot deze dit wel geen hij zij ze we zich kan heeft hebben meer al " +
    "na onder tegen tussen hun haar zo nu toen omdat waar wat",
  pl:
    "i w na z się do nie że to jest o jak ale po co od za przez tak jego jej przy dla oraz lub już tylko " +
    "może są być był była było które który która także gdy czy ze we jako tym tego ich tej",
  sv:
    "och i att det som en på är av för med till den har de inte om ett var men jag han hon vi sig från sin " +
    "kan så eller efter när också under mot mellan nu då vid hade skulle blir blev sina dem detta",
  da:
    "og i at det som en på er af for med til den har de ikke om et var men jeg han hun vi sig fra sin kan så " +
    "eller efter når også under mod mellem nu da ved havde skulle bliver blev sine dem dette",
  no:
    "og i å det som en på er av for med til den har de ikke om et var men jeg han hun vi seg fra sin kan så " +
    "eller etter når også under mot mellom nå da ved hadde skulle blir ble sine dem dette",
  tr:
    "ve bir bu da de için ile olarak çok daha gibi en ne o ama değil olan sonra kadar var yok ise şu her mi " +
    "mı diye göre ancak veya hem ki ya",
  ru:
    "и в не на что он с как а то все она так его но за по только ее её было от еще ещё нет о из уже или был " +
    "до может они где есть для мы их чем была без под будет кто этот того потому этого при после над через " +
    "эти также который которые которая которого года заявил это также время об со во же бы ли",
  uk:
    "і й в у на що не з як а та це він вона його її але за по тільки було від ще ні о із вже або був до " +
    "може вони де є для ми їх ніж була без під буде хто цей того тому цього при після над через ці також " +
    "який які яка якого року заявив щодо зі чи би же",
};

// Lower case of one UTF-16 code unit, for the scripts the function-word lists use (Latin-1,
// Latin Extended-A, Greek, Cyrillic); other characters are returned unchanged.
function lowerCode(c: number): number {
  if (c < 0x80) return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
  if (c < 0x100) return c >= 0xc0 && c <= 0xde && c !== 0xd7 ? c + 0x20 : c;
  if (c < 0x180) {
    if (c === 0x130) return 0x69; // İ
    if ((c <= 0x137 || (c >= 0x14a && c <= 0x177)) && c % 2 === 0) return c + 1;
    if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) && c % 2 === 1) return c + 1;
    return c === 0x178 ? 0xff : c;
  }
  if (c >= 0x391 && c <= 0x3ab && c !== 0x3a2) return c + 0x20;
  if (c >= 0x410 && c <= 0x42f) return c + 0x20;
  if (c >= 0x400 && c <= 0x40f) return c + 0x50;
  return c;
}

// Words are looked up by a 32-bit FNV-1a hash of their lower-cased code units, computed while
// scanning: no substring, no lower-cased copy of the text. A non-function word shares a hash with
// one of the ~1,000 listed words with probability ~2e-7: harmless for a prefilter whose verdicts
// the n-gram detector confirms.

function hashWord(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ lowerCode(word.charCodeAt(i)), FNV_PRIME);
  return h | 1; // never 0: 0 marks an empty slot
}

// Open addressing: TABLE_SIZE slots of (hash, entry index); entries hold languages and weight.
const TABLE_BITS = 12;
const TABLE_SIZE = 1 << TABLE_BITS;
const tableHashes = new Int32Array(TABLE_SIZE);
const tableEntries = new Int16Array(TABLE_SIZE);
/** Per entry: indexes into STOP_WORD_LANGS. */
const entryLangs: number[][] = [];
/** Per entry: 1 / languages: a word shared by k languages counts 1/k for each. */
const entryWeights: number[] = [];
let maxStopLength = 0;

// Built once at module load: ~1,000 words, well under a millisecond.
STOP_WORD_LANGS.forEach((lang, langIndex) => {
  for (const word of new Set(LISTS[lang].split(" "))) {
    if (!word) continue;
    maxStopLength = Math.max(maxStopLength, word.length);
    const h = hashWord(word);
    let slot = h & (TABLE_SIZE - 1);
    while (tableHashes[slot] !== 0 && tableHashes[slot] !== h) slot = (slot + 1) & (TABLE_SIZE - 1);
    if (tableHashes[slot] === 0) {
      tableHashes[slot] = h;
      tableEntries[slot] = entryLangs.length;
      entryLangs.push([]);
      entryWeights.push(1);
    }
    const entry = tableEntries[slot] ?? 0;
    const langs = entryLangs[entry] ?? [];
    if (!langs.includes(langIndex)) langs.push(langIndex);
    entryWeights[entry] = 1 / langs.length;
  }
});

// Entry index of a word hash, or -1.
function findEntry(h: number): number {
  let slot = h & (TABLE_SIZE - 1);
  for (;;) {
    const stored = tableHashes[slot];
    if (stored === h) return tableEntries[slot] ?? -1;
    if (stored === 0) return -1;
    slot = (slot + 1) & (TABLE_SIZE - 1);
  }
}

const STOP_INDEX: ReadonlyMap<string, number> = new Map(STOP_WORD_LANGS.map((l, i) => [l, i]));

/** Index of a language in `TextProfile.stops`, or -1 when it has no function-word list. */
export function stopWordIndex(lang: string): number {
  return STOP_INDEX.get(lang) ?? -1;
}

export type Script = "latin" | "cyrillic" | "greek" | "arabic" | "hebrew" | "cjk" | "hangul" | "indic" | "other";

const SCRIPTS: readonly Script[] = ["latin", "cyrillic", "greek", "arabic", "hebrew", "cjk", "hangul", "indic", "other"];

/** The script a language is written in (by primary subtag); Latin unless listed. */
const LANGUAGE_SCRIPTS: Readonly<Record<string, Script>> = {
  ru: "cyrillic", uk: "cyrillic", be: "cyrillic", bg: "cyrillic", mk: "cyrillic", sr: "cyrillic", kk: "cyrillic",
  mn: "cyrillic", ky: "cyrillic", tg: "cyrillic", el: "greek", ar: "arabic", fa: "arabic", ur: "arabic",
  ps: "arabic", he: "hebrew", yi: "hebrew", ja: "cjk", zh: "cjk", yue: "cjk", ko: "hangul", hi: "indic",
  mr: "indic", ne: "indic", bn: "indic", gu: "indic", pa: "indic", ta: "indic", te: "indic", kn: "indic",
  ml: "indic", si: "indic", th: "other", ka: "other", hy: "other", am: "other",
};

/** `sr-Latn` is Latin, `sr` Cyrillic, `zh-Hant` CJK. */
export function scriptOfLanguage(tag: string): Script {
  const [primary = "", second = ""] = tag.split("-");
  if (second === "Latn") return "latin";
  return LANGUAGE_SCRIPTS[primary.toLowerCase()] ?? "latin";
}

export interface TextProfile {
  /** Letters of any script. */
  letters: number;
  /** Runs of letters; each CJK character counts as a word (no spaces between words there). */
  words: number;
  /** Words whose first letter is upper case. */
  capitalized: number;
  digits: number;
  /** The script with the most letters. */
  script: Script;
  /** Share of the letters in `script` (0..1). */
  scriptShare: number;
  /** Weighted function-word hits per language, indexed like STOP_WORD_LANGS. */
  stops: Float64Array;
  /** Words found in any function-word list. */
  stopWords: number;
  /**
   * True when the scan stopped early because the language asked about (`leadOf`) clearly led:
   * then only `stops` and `stopWords` are meaningful, and only for the part read.
   */
  stoppedEarly: boolean;
}

/** When `profileText` may stop: the language at `leadOf` has `minHits` and `ratio` × any other. */
export interface EarlyStop {
  leadOf: number;
  minHits: number;
  ratio: number;
}

const ANY_LETTER = /^\p{L}/u;

// Script of one UTF-16 code unit, or -1 when it is no letter. Indexes into SCRIPTS.
// Ranges, not a regex per character: this runs on every character of every paragraph.
function scriptIndexOf(c: number, text: string, i: number): number {
  if (c < 0xc0) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0xaa || c === 0xba ? 0 : -1;
  if (c <= 0x24f) return c === 0xd7 || c === 0xf7 ? -1 : 0;
  if (c < 0x2b0) return 0; // IPA extensions
  if (c < 0x370) return -1; // modifiers, combining marks (handled by the caller)
  if (c < 0x400) return c === 0x37e || c === 0x387 ? -1 : 2;
  if (c < 0x530) return c >= 0x482 && c <= 0x489 ? -1 : 1;
  if (c >= 0x5d0 && c <= 0x5f2) return 4;
  if ((c >= 0x620 && c <= 0x64a) || (c >= 0x66e && c <= 0x6d3) || (c >= 0x6fa && c <= 0x6ff) || (c >= 0x750 && c <= 0x77f)) return 3;
  if (c >= 0x900 && c <= 0xdff) return ANY_LETTER.test(text[i] ?? "") ? 7 : -1;
  if (c >= 0x1e00 && c <= 0x1eff) return 0;
  if ((c >= 0x3041 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff)) return 5;
  if (c >= 0xac00 && c <= 0xd7af) return 6;
  if (c >= 0xd800 && c <= 0xdfff) return -1; // astral: rare in news text, ignored
  if ((c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfefc)) return 3;
  return ANY_LETTER.test(text[i] ?? "") ? 8 : -1;
}

function isCombiningMark(c: number): boolean {
  return (c >= 0x300 && c <= 0x36f) || (c >= 0x64b && c <= 0x65f) || (c >= 0x3099 && c <= 0x309a);
}

const CJK = 5;

/**
 * One pass over `text` (at most `limit` characters): letters per script, words, capitalised words,
 * digits and function-word hits per language. Apostrophes and hyphens split words.
 * With `early`, the scan ends as soon as that language clearly leads (most blocks of an article
 * are decided within their first 100 characters).
 */
export function profileText(text: string, limit = Number.MAX_SAFE_INTEGER, early?: EarlyStop): TextProfile {
  const end = text.length < limit ? text.length : limit;
  const scriptLetters = [0, 0, 0, 0, 0, 0, 0, 0, 0]; // per SCRIPTS entry; Latin counted in `latin`
  const stops = new Float64Array(STOP_WORD_LANGS.length);
  const lead = early ? early.leadOf : -1;
  const leadMinHits = early ? early.minHits : Infinity;
  const leadRatio = early ? early.ratio : Infinity;
  let latin = 0;
  let words = 0;
  let capitalized = 0;
  let digits = 0;
  let stopWords = 0;
  let inWord = false;
  let length = 0; // code units of the current word
  let hash = FNV_OFFSET;
  let otherBest = 0; // best score of a language other than `lead`
  let stoppedEarly = false;

  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    let script: number;
    let lower: number;
    if (c >= 0x61 && c <= 0x7a) {
      script = 0;
      lower = c;
    } else if (c >= 0x41 && c <= 0x5a) {
      script = 0;
      lower = c + 0x20;
    } else if (c < 0x80) {
      script = -1;
      lower = c;
    } else {
      script = scriptIndexOf(c, text, i);
      lower = lowerCode(c);
    }
    if (script === 0 || (script > 0 && script !== CJK)) {
      if (script === 0) latin++;
      else scriptLetters[script] = (scriptLetters[script] ?? 0) + 1;
      if (!inWord) {
        inWord = true;
        words++;
        length = 0;
        hash = FNV_OFFSET;
        if (lower !== c) capitalized++;
      }
      length++;
      hash = Math.imul(hash ^ lower, FNV_PRIME);
      continue;
    }
    if (inWord) {
      if (script < 0 && isCombiningMark(c)) continue;
      inWord = false;
      if (length <= maxStopLength) {
        const entry = findEntry(hash | 1);
        if (entry >= 0) {
          stopWords++;
          const weight = entryWeights[entry] ?? 0;
          for (const index of entryLangs[entry] ?? []) {
            const score = (stops[index] ?? 0) + weight;
            stops[index] = score;
            if (index !== lead && score > otherBest) otherBest = score;
          }
          if (lead >= 0) {
            const own = stops[lead] ?? 0;
            if (own >= leadMinHits && own >= leadRatio * otherBest) {
              stoppedEarly = true;
              break;
            }
          }
        }
      }
    }
    if (script === CJK) {
      // Every CJK character is a word; none is a function word here.
      words++;
      scriptLetters[CJK] = (scriptLetters[CJK] ?? 0) + 1;
    } else if (c >= 0x30 && c <= 0x39) {
      digits++;
    }
  }
  if (inWord && !stoppedEarly && length <= maxStopLength) {
    const entry = findEntry(hash | 1);
    if (entry >= 0) {
      stopWords++;
      const weight = entryWeights[entry] ?? 0;
      for (const index of entryLangs[entry] ?? []) stops[index] = (stops[index] ?? 0) + weight;
    }
  }

  scriptLetters[0] = latin;
  let letters = 0;
  let best = 0;
  for (let s = 0; s < SCRIPTS.length; s++) {
    const n = scriptLetters[s] ?? 0;
    letters += n;
    if (n > (scriptLetters[best] ?? 0)) best = s;
  }
  return {
    letters,
    words,
    capitalized,
    digits,
    script: SCRIPTS[best] ?? "other",
    scriptShare: letters > 0 ? (scriptLetters[best] ?? 0) / letters : 0,
    stops,
    stopWords,
    stoppedEarly,
  };
}

/** The two languages with the most function-word hits: [index, score] each, index -1 when none. */
export function rankStopWords(stops: Float64Array, exclude = -1): { first: number; firstScore: number; second: number; secondScore: number } {
  let first = -1;
  let second = -1;
  let firstScore = 0;
  let secondScore = 0;
  for (let i = 0; i < stops.length; i++) {
    if (i === exclude) continue;
    const v = stops[i] ?? 0;
    if (v > firstScore) {
      second = first;
      secondScore = firstScore;
      first = i;
      firstScore = v;
    } else if (v > secondScore) {
      second = i;
      secondScore = v;
    }
  }
  return { first, firstScore, second, secondScore };
}
