// Language identification of a text: the function-word profile (stop-words.ts) answers the easy
// cases; everything else goes to the `eld` n-gram detector (chosen with figures in
// docs/language-detection.md: the most accurate of franc, tinyld and eld on news text, and the fastest).
//
//   detectLanguage("Der Präsident der Vereinigten Staaten …") -> { lang: "de", confidence: 0.99 }
//   detectLanguage("12:30")                                    -> null (too few letters)
//
// Loading: eld's smallest database still takes ~0.12 s and ~30 MB as JSON (~0.44 s and ~60 MB as
// eld's own module: eld-table.ts), so it is loaded on the first call that needs it, not when this module
// is imported (the CLI must start fast). It is loaded synchronously (readFileSync, or require(esm):
// Node >= 20.19, no top-level await in eld), keeping detectLanguage synchronous; eld's `exports`
// have no `require` condition, so its entry is found with import.meta.resolve. The loaded detector
// is cached for the life of the process (a memo: callers see no state).

import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { eld as EldExport } from "eld/extrasmall";
import { profileText, rankStopWords, STOP_WORD_LANGS, type TextProfile } from "./stop-words.js";
import { eldInstanceOf, readEldTable, type Eld } from "./eld-table.js";

export interface Detection {
  /** ISO 639-1 code (`de`). */
  lang: string;
  /**
   * 0..1: the share of detections with this score that were right on the evaluation set
   * (docs/language-detection.md, "Confidence"). 0.95 and up: practically certain; below 0.8: a guess.
   */
  confidence: number;
}

/** The languages `detectLanguage` answers with (eld knows 60; fewer candidates, fewer confusions). */
export const DETECTION_LANGS: readonly string[] = [
  "de", "en", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "ar", "sv", "da", "no", "fi", "cs",
  "sk", "hu", "ro", "el", "bg", "he", "fa", "hi", "ja", "zh", "ko",
];

/** Fewer letters than this: too short to judge. */
export const MIN_LETTERS = 12;

// eld reads at most ~350 bytes of a text; longer texts are judged on up to 3 windows spread over it.
const CHUNK_CHARS = 300;
const MAX_CHUNKS = 3;
// The function-word shortcut: only for languages whose lists separate them well from their neighbours
// (not pl/cs/sk, not sv/da/no), and only with plenty of evidence.
const FAST_LANGS = new Set(["de", "en", "fr", "es", "it", "pt", "nl"]);
const FAST_MIN_WORDS = 30;
const FAST_MIN_HITS = 8;
const FAST_MIN_DENSITY = 0.12;
const FAST_MIN_RATIO = 3;
const FAST_CONFIDENCE = 0.99;
// Whole articles: the shortcut reads the first FAST_PREFIX characters (~100 words, enough for it
// on running text); only if it cannot decide are PROFILE_LIMIT characters profiled and eld run.
const FAST_PREFIX = 600;
const PROFILE_LIMIT = 2000;

interface Detector {
  /** A new eld instance with the extra-small table: settings not shared with other eld users. */
  newInstance: () => Eld;
  /** Languages eld knows. */
  known: ReadonlySet<string>;
  /** One instance per candidate set: DETECTION_LANGS ("") or DETECTION_LANGS plus one language. */
  instances: Map<string, Eld>;
}

let detector: Detector | undefined;

function loadDetector(): Detector {
  if (detector) return detector;
  // The table as JSON when `npm run compile` wrote it (~0.12 s instead of ~0.44 s: eld-table.ts).
  const table = readEldTable();
  let newInstance: () => Eld;
  if (table) newInstance = () => eldInstanceOf(table);
  else {
    const require = createRequire(import.meta.url);
    const entry = fileURLToPath(import.meta.resolve("eld/extrasmall"));
    const shared = (require(entry) as { eld: typeof EldExport }).eld;
    newInstance = () => shared.newInstance();
  }
  const languages = newInstance().info().Languages;
  detector = { newInstance, known: new Set(Object.values(languages)), instances: new Map() };
  return detector;
}

// An instance restricted to the candidates (fewer candidates, fewer confusions, and eld then scores
// and sorts fewer languages). Instances share eld's n-gram tables; at most one per language eld knows.
function eldFor(extraLang: string): Eld {
  const loaded = loadDetector();
  const extra = DETECTION_LANGS.includes(extraLang) || !loaded.known.has(extraLang) ? "" : extraLang;
  let instance = loaded.instances.get(extra);
  if (!instance) {
    instance = loaded.newInstance();
    instance.setLanguageSubset(extra ? [...DETECTION_LANGS, extra] : [...DETECTION_LANGS]);
    loaded.instances.set(extra, instance);
  }
  return instance;
}

/** Whether the n-gram detector can tell this language (primary subtag) at all. */
export function isDetectable(lang: string): boolean {
  return loadDetector().known.has(lang);
}

// Windows of ~CHUNK_CHARS characters at the start, middle and end, cut at spaces.
function chunksOf(text: string): string[] {
  if (text.length <= CHUNK_CHARS + CHUNK_CHARS / 4) return [text];
  const n = Math.min(MAX_CHUNKS, Math.ceil(text.length / CHUNK_CHARS));
  const chunks: string[] = [];
  for (let k = 0; k < n; k++) {
    let start = Math.floor((k * (text.length - CHUNK_CHARS)) / (n - 1));
    if (start > 0) {
      const space = text.indexOf(" ", start);
      start = space >= 0 && space - start < 40 ? space + 1 : start;
    }
    let end = Math.min(text.length, start + CHUNK_CHARS);
    const space = text.lastIndexOf(" ", end);
    if (end < text.length && space > start + CHUNK_CHARS / 2) end = space;
    chunks.push(text.slice(start, end));
  }
  return chunks;
}

const interpolate = (x: number, points: readonly (readonly [number, number])[]): number => {
  const first = points[0];
  if (!first || x <= first[0]) return first?.[1] ?? 0;
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i] ?? [0, 0];
    const [x0, y0] = points[i - 1] ?? [0, 0];
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return points[points.length - 1]?.[1] ?? 0;
};

// Calibrated on the evaluation set (bench/compare-language-detectors.mjs text, plus 2–10-word cuts of
// it): share of right answers by the relative gap between the best and second-best eld score ...
const GAP_ACCURACY = [[0, 0.45], [0.03, 0.55], [0.06, 0.85], [0.1, 0.96], [0.15, 0.99], [0.3, 0.995]] as const;
// ... and the best that texts of that many letters reach.
const LENGTH_ACCURACY = [[MIN_LETTERS, 0.9], [20, 0.96], [40, 0.99], [100, 0.995]] as const;

/**
 * eld's verdict among DETECTION_LANGS (plus `extraLang`, e.g. the article's own language), from
 * scores summed over the text's windows. `letters`: the text's letter count, for the confidence.
 */
export function detectWithNgrams(text: string, letters: number, extraLang = ""): Detection | null {
  const eld = eldFor(extraLang);
  const totals = new Map<string, number>();
  for (const chunk of chunksOf(text)) {
    const scores = eld.detect(chunk).getScores();
    for (const lang in scores) totals.set(lang, (totals.get(lang) ?? 0) + (scores[lang] ?? 0));
  }
  let lang = "";
  let best = 0;
  let second = 0;
  for (const [l, score] of totals) {
    if (score > best) {
      second = best;
      best = score;
      lang = l;
    } else if (score > second) {
      second = score;
    }
  }
  if (!lang || best <= 0) return null;
  const gap = (best - second) / best;
  const confidence = Math.min(interpolate(gap, GAP_ACCURACY), interpolate(letters, LENGTH_ACCURACY));
  return { lang, confidence: Math.round(confidence * 1000) / 1000 };
}


// Function words that clearly point at the n-gram verdict: two independent signals agree.
const AGREE_MIN_HITS = 3;
const AGREE_RATIO = 2;
const AGREE_CONFIDENCE = 0.95;

/**
 * The n-gram verdict, made surer when the function words clearly point at the same language
 * (eld alone hesitates between close neighbours such as ru/uk on one sentence).
 */
export function reconcileWithStopWords(verdict: Detection | null, profile: TextProfile): Detection | null {
  if (!verdict || verdict.confidence >= AGREE_CONFIDENCE) return verdict;
  const { first, firstScore, secondScore } = rankStopWords(profile.stops);
  if (STOP_WORD_LANGS[first] !== verdict.lang || firstScore < AGREE_MIN_HITS || firstScore < AGREE_RATIO * secondScore) return verdict;
  return { lang: verdict.lang, confidence: AGREE_CONFIDENCE };
}

/** The function-word shortcut: a language that clearly leads on plenty of evidence, or null. */
export function detectByStopWords(profile: TextProfile): Detection | null {
  if (profile.script !== "latin" || profile.scriptShare < 0.9 || profile.words < FAST_MIN_WORDS) return null;
  const { first, firstScore, secondScore } = rankStopWords(profile.stops);
  const lang = STOP_WORD_LANGS[first];
  if (lang === undefined || !FAST_LANGS.has(lang)) return null;
  if (firstScore < FAST_MIN_HITS || firstScore < FAST_MIN_RATIO * secondScore) return null;
  if (firstScore / profile.words < FAST_MIN_DENSITY) return null;
  return { lang, confidence: FAST_CONFIDENCE };
}

/**
 * The language of a text among DETECTION_LANGS, or null when it has too few letters to judge.
 * Reads at most 2,000 characters (most articles are decided on their first 600 by function words;
 * otherwise eld reads 3 windows of 300).
 */
export function detectLanguage(text: string): Detection | null {
  if (typeof text !== "string") return null;
  const prefix = profileText(text, FAST_PREFIX);
  const fast = detectByStopWords(prefix);
  if (fast) return fast;
  const profile = text.length > FAST_PREFIX ? profileText(text, PROFILE_LIMIT) : prefix;
  if (profile.letters < MIN_LETTERS) return null;
  return (
    detectByStopWords(profile) ??
    reconcileWithStopWords(detectWithNgrams(text.slice(0, PROFILE_LIMIT), profile.letters), profile)
  );
}
