// Language of articles and of their parts: labels -> BCP 47, file names -> language, text ->
// language, and paragraphs written in another language than their article.
//
//   normalizeLanguageLabel("Deutsch") -> "de"      languageFromFileStem("index.fr") -> "fr"
//   detectLanguage("The Kremlin said …") -> { lang: "en", confidence: 0.99 }
//   detectForeignPassages(blocks, "de") -> [{ block: 3, lang: "en", confidence: 0.99 }]
//
// How the detector was chosen and what its confidence means: docs/language-detection.md.

export { normalizeLanguageLabel, languageFromFileStem, canonicalizeTag, foldName } from "./language-names.js";
export { detectLanguage, DETECTION_LANGS, MIN_LETTERS, type Detection } from "./detect-language.js";
export { detectForeignPassages, MIN_BLOCK_LETTERS, MIN_BLOCK_WORDS, MIN_PASSAGE_CONFIDENCE } from "./foreign-passages.js";
