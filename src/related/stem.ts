import { stemmer as stemEnglish } from "@orama/stemmers/english";
import { stemmer as stemFrench } from "@orama/stemmers/french";
import { stemmer as stemGerman } from "@orama/stemmers/german";
import { stemmer as stemSpanish } from "@orama/stemmers/spanish";
import { equalsRange, foldText } from "../util/text.js";
import { stopWordsFor } from "./stop-words.js";
import { FNV_OFFSET, FNV_PRIME } from "../util/fnv.js";

/**
 * Word -> index term: a word as written in, its folded stem out, or "" for words that say nothing
 * (stop words, shorter than 3 letters, numbers).
 *
 *   termOf("de", "Verhandlungen") -> "verhandl";  termOf("fr", "négociées") -> "negoci";  termOf("de", "über") -> ""
 *
 * Snowball stemmers (@orama/stemmers: de, fr, es; Porter for en) run on the lowercase unfolded word,
 * because their suffix rules read accents (fr "-ée"); the stem is folded afterwards so that "Präsident"
 * and "Prasident" meet. Languages without a stemmer use the folded word itself.
 */
export function termOf(lang: string, word: string): string {
  const vocabulary = vocabularyFor(lang);
  const id = vocabulary.idOf(word);
  return id < 0 ? "" : vocabulary.terms[id]!;
}

const STEMMERS: Record<string, (word: string) => string> = { de: stemGerman, en: stemEnglish, fr: stemFrench, es: stemSpanish };
const DIGITS = /^[\p{N}]+$/u;

/**
 * A language's terms as small integers, so that counting a document's terms needs no Map per word.
 * Words repeat a lot and stemming costs ~1 µs, so every word is stemmed once. The ids are local to
 * this process and only meaningful during one extraction: callers turn them back into strings before
 * returning, and the vocabulary may be reset between extractions once it grows past `VOCABULARY_LIMIT`.
 *
 * Words are looked up straight in the text (`idOfRange`): a hash of the characters in an open-addressing
 * table, no substring and no Map lookup per word, which made tokenizing three times faster.
 */
export class Vocabulary {
  /** Open-addressing table: slot -> word index + 1 (0: empty). */
  private slots = new Int32Array(1 << 12);
  private words: string[] = [];
  private wordHashes: number[] = [];
  /** Per word, its term id, or -1 for a word that is no term. */
  private wordTerms: number[] = [];
  private readonly ids = new Map<string, number>();
  readonly terms: string[] = [];

  constructor(private readonly base: string) {}

  idOf(word: string): number {
    let hash = FNV_OFFSET;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
    return this.idOfRange(word, 0, word.length, hash);
  }

  /** The term id of the word text[start..end), or -1; `hash`: FNV-1a of its characters (computed while scanning). */
  idOfRange(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === 0) break;
      const index = entry - 1;
      if (this.wordHashes[index] === hash && equalsRange(this.words[index]!, text, start, end)) return this.wordTerms[index]!;
      slot = (slot + 1) & mask;
    }
    const word = text.slice(start, end);
    const term = computeTerm(this.base, word);
    let id = -1;
    if (term !== "") {
      id = this.ids.get(term) ?? -1;
      if (id < 0) {
        id = this.terms.length;
        this.terms.push(term);
        this.ids.set(term, id);
      }
    }
    this.words.push(word);
    this.wordHashes.push(hash);
    this.wordTerms.push(id);
    this.slots[slot] = this.words.length;
    if (2 * this.words.length > this.slots.length) this.rehash();
    return id;
  }

  get size(): number {
    return this.words.length;
  }

  reset(): void {
    this.slots = new Int32Array(1 << 12);
    this.words = [];
    this.wordHashes = [];
    this.wordTerms = [];
    this.ids.clear();
    this.terms.length = 0;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let index = 0; index < this.words.length; index++) {
      let slot = this.wordHashes[index]! & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = index + 1;
    }
  }
}

/** Bounds memory on open vocabularies; a reset only costs recomputation. */
const VOCABULARY_LIMIT = 300_000;
const VOCABULARIES = new Map<string, Vocabulary>();

/** The vocabulary of a language (by primary subtag), reset first if it has grown too large. */
export function vocabularyFor(lang: string): Vocabulary {
  const base = baseLanguage(lang);
  let vocabulary = VOCABULARIES.get(base);
  if (!vocabulary) VOCABULARIES.set(base, (vocabulary = new Vocabulary(base)));
  else if (vocabulary.size > VOCABULARY_LIMIT) vocabulary.reset();
  return vocabulary;
}

function computeTerm(base: string, word: string): string {
  const lower = word.toLowerCase();
  const folded = foldText(lower);
  if (folded.length < 3 || DIGITS.test(folded) || stopWordsFor(base).has(folded)) return "";
  const stem = STEMMERS[base];
  if (!stem) return folded;
  const stemmed = foldText(stem(lower));
  return stemmed.length >= 2 ? stemmed : folded;
}

function baseLanguage(lang: string): string {
  const dash = lang.indexOf("-");
  return (dash === -1 ? lang : lang.slice(0, dash)).toLowerCase();
}
