#!/usr/bin/env node
// Copies a generated corpus and gives it a newsroom-sized vocabulary: the shared generator draws
// its text from a few thousand words, while 10,000 real stories hold ~100,000 distinct words
// (names, places, numbers, compounds). Each German article gets 10 words of its own and 10 drawn
// from a Zipf distribution over 50,000; English and French articles 6 and 6 over 30,000 and
// 25,000. Deterministic: the same corpus gives the same copy.
//   node bench/add-vocabulary.mjs bench/.corpora/10000/articles /tmp/corpus-rv/articles
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const [source, target] = process.argv.slice(2);
if (!source || !target) {
  console.error("usage: node bench/add-vocabulary.mjs <corpus articles/> <copy articles/>");
  process.exit(2);
}
if (!existsSync(target)) cpSync(source, target, { recursive: true });
let seed = 12345;
const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const syllables = {
  de: ["ber", "ka", "lin", "mo", "ster", "ung", "gen", "wa", "rei", "tz", "sch", "hof", "feld", "mann", "au", "ei", "le", "ne", "ri", "ko"],
  en: ["ar", "ton", "ly", "mer", "ing", "sh", "ov", "el", "ra", "bro", "ck", "wes", "ter", "mi", "son", "ba", "de", "ni", "po", "qu"],
  fr: ["ai", "eau", "ette", "ion", "ré", "ma", "ch", "ou", "ville", "lan", "gne", "ier", "ro", "bé", "dé", "tra", "mon", "sa", "qu", "ois"],
};
/** The n-th word of a language: n written in its 20 syllables. */
const word = (lang, n) => {
  let text = "";
  let rest = n;
  do {
    text += syllables[lang][rest % 20];
    rest = Math.floor(rest / 20);
  } while (rest > 0);
  return text[0].toUpperCase() + text.slice(1);
};
const pool = { de: 50_000, en: 30_000, fr: 25_000 };
const each = { de: 10, en: 6, fr: 6 };
let own = 0;
for (const story of readdirSync(target).sort()) {
  for (const file of readdirSync(`${target}/${story}`).sort()) {
    const lang = file.slice(0, 2);
    if (!syllables[lang] || !file.endsWith(".md")) continue;
    const words = [];
    for (let i = 0; i < each[lang]; i++) words.push(word(lang, 1_000_000 + own++));
    for (let i = 0; i < each[lang]; i++) words.push(word(lang, Math.floor(pool[lang] ** random())));
    const path = `${target}/${story}/${file}`;
    writeFileSync(path, `${readFileSync(path, "utf8").trimEnd()}\n\n${words.join(" ")}.\n`);
  }
}
console.log(`${target}: ${own} words of their own added`);
