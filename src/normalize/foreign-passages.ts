// Blocks of an article written in another language than the article (WCAG 3.1.2, Language of
// Parts): a quoted English statement in a German article, a Spanish paragraph left over from
// machine translation.
//
//   detectForeignPassages(["Der Kreml …", "“We had a very productive meeting …”"], "de")
//     -> [{ block: 1, lang: "en", confidence: 0.99 }]
//
// Runs on every block of every article, so the function-word profile (one pass, ~1–3 µs a block)
// decides first; the n-gram detector (30–100 µs) only sees blocks where another language leads or
// the profile cannot tell. A block is flagged only when both agree, so a stray foreign word
// ("Durante des Anruf …"), loanwords and name-heavy lines never are.

import type { ForeignPassage } from "../types.js";
import { type Detection, detectWithNgrams, isDetectable, reconcileWithStopWords } from "./detect-language.js";
import { type EarlyStop, type Script, profileText, rankStopWords, scriptOfLanguage, stopWordIndex, type TextProfile } from "./stop-words.js";

/** Shorter blocks are never judged: too little text to be sure, and too little to matter. */
export const MIN_BLOCK_LETTERS = 40;
export const MIN_BLOCK_WORDS = 6;
/** The detector's confidence a flag needs. */
export const MIN_PASSAGE_CONFIDENCE = 0.9;
// The article's language "clearly leads" with at least this many function words and this ratio.
const OWN_MIN_HITS = 2;
const OWN_LEAD_RATIO = 2;
// Reading a block stops once the article's language has this many function words and this ratio
// to any other language: stricter than OWN_* because the rest of the block is not read.
const EARLY_MIN_HITS = 3;
const EARLY_LEAD_RATIO = 3;
// Function words another language needs before a block counts as written in it.
const FOREIGN_MIN_HITS = 1.5;
// ... and this share of the block's words (weighted as in stop-words.ts; running text has 0.2–0.4).
const FOREIGN_MIN_DENSITY = 0.12;
const FOREIGN_MIN_DENSITY_UNKNOWN = 0.2;
// Without function-word evidence for any language, a block of mostly capitalised words is names.
const MAX_CAPITALIZED_SHARE = 0.5;
// ... and a block with no function words of any listed language needs this many words to be judged
// (a short quote of word salad is not worth 50 µs of detector; a real paragraph is longer).
const UNLISTED_MIN_WORDS = 15;
const UNLISTED_MIN_CONFIDENCE = 0.95;
// Below this share of one script, a block mixes alphabets (names in transliteration): not judged.
const MIN_SCRIPT_SHARE = 0.6;

interface ArticleLanguage {
  /** Primary subtag, lower case (`pt` for `pt-BR`). */
  primary: string;
  script: Script;
  /** Index into the function-word profile, -1 without a list. */
  stopIndex: number;
  /** Whether eld can recognise the article's language; if not, its verdicts are not trusted alone. */
  detectable: boolean;
  /** Stop reading a block once the article's language clearly leads (undefined without a list). */
  earlyStop: EarlyStop | undefined;
}

function judgeBlock(text: string, article: ArticleLanguage): Detection | null {
  const profile = profileText(text, undefined, article.earlyStop);
  if (profile.stoppedEarly) return null; // the article's language leads within the first words
  if (profile.letters < MIN_BLOCK_LETTERS || profile.words < MIN_BLOCK_WORDS) return null;
  if (profile.digits * 2 > profile.letters) return null; // tables, results, figures
  if (profile.scriptShare < MIN_SCRIPT_SHARE) return null;

  const own = article.stopIndex >= 0 ? (profile.stops[article.stopIndex] ?? 0) : null;
  if (profile.script !== article.script) {
    // Another alphabet: a Russian quote in a German article. No function words to compare.
    return confirm(text, profile, article, own, false);
  }
  const other = rankStopWords(profile.stops, article.stopIndex);
  if (own !== null && own >= OWN_MIN_HITS && own >= OWN_LEAD_RATIO * other.firstScore) return null;
  if (other.firstScore >= FOREIGN_MIN_HITS) {
    // A verdict for a listed language needs at least the article's own count (see confirm), so
    // while the article's language still leads there is nothing the detector could add.
    if (own !== null && own > other.firstScore) return null;
    return confirm(text, profile, article, own, true);
  }
  // No listed language has evidence. The article's own function words, names or numbers, or a
  // language without a list (Finnish, Czech): only the last is worth the detector.
  if (own !== null && own >= OWN_MIN_HITS) return null;
  // Within a non-Latin script only ru/uk have lists; telling ar from fa or ja from zh would put
  // every paragraph of such an article through the detector (~50 µs each): not done.
  if (article.script !== "latin") return null;
  if (profile.words < UNLISTED_MIN_WORDS || profile.capitalized > MAX_CAPITALIZED_SHARE * profile.words) return null;
  if (!article.detectable) return null;
  const verdict = confirm(text, profile, article, own, true);
  return verdict && verdict.confidence >= UNLISTED_MIN_CONFIDENCE && stopWordIndex(verdict.lang) < 0 ? verdict : null;
}

// The detector's verdict, kept only when it names another language with confidence and (in the
// article's script) the function words agree.
function confirm(text: string, profile: TextProfile, article: ArticleLanguage, own: number | null, sameScript: boolean): Detection | null {
  const verdict = reconcileWithStopWords(detectWithNgrams(text, profile.letters, article.primary), profile);
  if (!verdict || verdict.lang === article.primary || verdict.confidence < MIN_PASSAGE_CONFIDENCE) return null;
  if (!sameScript) return verdict;
  const index = stopWordIndex(verdict.lang);
  if (index >= 0) {
    const hits = profile.stops[index] ?? 0;
    if (hits < FOREIGN_MIN_HITS || (own !== null && hits < own)) return null;
    // Function words must be common enough to be that language's running text, not a few shared
    // short words ("an", "a", "i"), the more so when eld cannot know the article's own language.
    const density = hits / profile.words;
    if (density < (article.detectable ? FOREIGN_MIN_DENSITY : FOREIGN_MIN_DENSITY_UNKNOWN)) return null;
  } else if (!article.detectable) {
    return null;
  }
  return verdict;
}

/**
 * Blocks (plain text of the body's top-level blocks, in order) confidently written in another
 * language than `articleLang` (BCP 47). `block` is the index in `blocks`; `lang` a primary subtag.
 */
export function detectForeignPassages(blocks: readonly string[], articleLang: string): ForeignPassage[] {
  const passages: ForeignPassage[] = [];
  let article: ArticleLanguage | undefined;
  for (let i = 0; i < blocks.length; i++) {
    const text = blocks[i];
    if (typeof text !== "string" || text.length < MIN_BLOCK_LETTERS) continue;
    article ??= describeArticle(articleLang);
    const verdict = judgeBlock(text, article);
    if (verdict) passages.push({ block: i, lang: verdict.lang, confidence: verdict.confidence });
  }
  return passages;
}

function describeArticle(articleLang: string): ArticleLanguage {
  const primary = (articleLang.split("-")[0] ?? "").toLowerCase();
  let detectable: boolean | undefined;
  const stopIndex = stopWordIndex(primary);
  return {
    primary,
    script: scriptOfLanguage(articleLang),
    stopIndex,
    earlyStop: stopIndex >= 0 ? { leadOf: stopIndex, minHits: EARLY_MIN_HITS, ratio: EARLY_LEAD_RATIO } : undefined,
    // Asked only when a block reaches the detector, so articles whose blocks all pass the
    // function-word check never load it.
    get detectable(): boolean {
      detectable ??= isDetectable(primary);
      return detectable;
    },
  };
}
