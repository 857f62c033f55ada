#!/usr/bin/env node
// compare-language-detectors.mjs — accuracy, speed, load time and install size of the npm language
// detectors considered for `detectLanguage` (src/normalize/detect-language.ts).
//
//   node bench/compare-language-detectors.mjs [--corpus DIR] [--modules DIR] [--per-bucket N] [--gazette DIR]
//
//   --corpus DIR    a corpus from /work/shared/bench/make-corpus.mjs (default: none, real + hand text only)
//   --modules DIR   a folder whose node_modules holds the candidates (default: this project); lets the
//                   candidates be installed outside the project: `npm install --prefix DIR franc-min …`
//   --per-bucket N  at most N synthetic items per language and length bucket (default 300)
//   --gazette DIR   compiled Gazette (default: dist/, from `npm run compile`): adds a row for our own
//                   detectLanguage (function words + eld, answering among its 28 DETECTION_LANGS)
//
// Text: the real articles (articles/*/{de,en,fr}.md, split into paragraphs and sentences), the
// synthetic corpus (word salad, but language-typical function words and characters) and
// bench/language-samples.mjs (Spanish, plus hard German/English/French cases).
// Every detector is restricted to the same candidate set (CANDIDATES); a candidate package that is
// not installed is reported and skipped, and the script still exits 0.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { HAND_SAMPLES } from "./language-samples.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

// ---------------------------------------------------------------- arguments
const args = { corpus: null, modules: ROOT, perBucket: 300, gazette: join(ROOT, "dist") };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  const v = process.argv[i + 1];
  if (a === "--corpus" && v) (args.corpus = resolve(v)), i++;
  else if (a === "--modules" && v) (args.modules = resolve(v)), i++;
  else if (a === "--per-bucket" && v) (args.perBucket = Number(v)), i++;
  else if (a === "--gazette" && v) (args.gazette = resolve(v)), i++;
  else {
    console.error(`bad argument: ${a}\nusage: node bench/compare-language-detectors.mjs [--corpus DIR] [--modules DIR] [--per-bucket N] [--gazette DIR]`);
    process.exit(2);
  }
}

// The languages a Gazette site is likely to carry; every detector answers within this set.
const CANDIDATES = ["de", "en", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "ar", "sv", "cs", "ro", "hu", "el", "ja", "zh"];
// franc answers in ISO 639-3 (Standard Arabic is `arb`, Mandarin `cmn`).
const TO_639_3 = { de: "deu", en: "eng", fr: "fra", es: "spa", it: "ita", pt: "por", nl: "nld", pl: "pol", ru: "rus", uk: "ukr", tr: "tur", ar: "arb", sv: "swe", cs: "ces", ro: "ron", hu: "hun", el: "ell", ja: "jpn", zh: "cmn" };
const FROM_639_3 = Object.fromEntries(Object.entries(TO_639_3).map(([k, v]) => [v, k]));

const BUCKETS = [
  { id: "XS", label: "headline 15–39", min: 15, max: 39 },
  { id: "S", label: "sentence 40–120", min: 40, max: 120 },
  { id: "M", label: "121–199", min: 121, max: 199 },
  { id: "P", label: "paragraph 200–600", min: 200, max: 600 },
];
const EVAL_LANGS = ["de", "en", "fr", "es"];

// ---------------------------------------------------------------- text
// Markdown block -> plain text: drop heading/list/quote markers, emphasis, link targets.
function plainText(block) {
  return block
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
function bodyOf(markdown) {
  const m = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(markdown);
  return m ? markdown.slice(m[0].length) : markdown;
}
function blocksOf(markdown) {
  return bodyOf(markdown).split(/\n\s*\n/).map(plainText).filter(Boolean);
}
// Sentences end at . ! ? (optionally followed by a closing quote) and a space before an upper-case letter
// or an opening quote.
function sentencesOf(text) {
  return text.split(/(?<![0-9]\.)(?<=[.!?][“”"»]?)\s+(?=[\p{Lu}„“"«¿¡])/u).map((s) => s.trim()).filter(Boolean);
}
// Leading sentences of a long paragraph, up to `max` characters.
function headOf(text, max) {
  let out = "";
  for (const s of sentencesOf(text)) {
    if ((out ? out.length + 1 : 0) + s.length > max) break;
    out = out ? `${out} ${s}` : s;
  }
  return out;
}
function bucketOf(text) {
  return BUCKETS.find((b) => text.length >= b.min && text.length <= b.max)?.id ?? null;
}

// Items of one source: every paragraph (cut to 600 chars at a sentence end) and every sentence.
function itemsFromBlocks(lang, blocks, source, into) {
  for (const block of blocks) {
    const para = block.length > 600 ? headOf(block, 600) : block;
    const sentences = sentencesOf(block);
    into.push({ lang, text: para, source });
    if (sentences.length > 1) for (const s of sentences) if (bucketOf(s) === "S" || bucketOf(s) === "XS") into.push({ lang, text: s, source });
  }
}

function loadItems() {
  const items = [];
  const articles = join(ROOT, "articles");
  for (const story of readdirSync(articles)) {
    for (const file of readdirSync(join(articles, story))) {
      const lang = file.replace(/\.md$/, "");
      if (!EVAL_LANGS.includes(lang)) continue;
      itemsFromBlocks(lang, blocksOf(readFileSync(join(articles, story, file), "utf8")), "real", items);
    }
  }
  for (const { lang, text } of HAND_SAMPLES) {
    items.push({ lang, text, source: "hand", forceBucket: bucketOf(text) ?? (text.length < 15 ? "XS" : "P") });
  }
  if (args.corpus) {
    const synthetic = [];
    for (const story of readdirSync(args.corpus).sort()) {
      for (const lang of EVAL_LANGS) {
        const file = join(args.corpus, story, `${lang}.md`);
        if (existsSync(file)) itemsFromBlocks(lang, blocksOf(readFileSync(file, "utf8")), "synthetic", synthetic);
      }
    }
    // Cap per language × bucket, spread over the corpus (every k-th item) rather than the first stories.
    const groups = new Map();
    for (const it of synthetic) {
      const key = `${it.lang}/${bucketOf(it.text)}`;
      (groups.get(key) ?? groups.set(key, []).get(key)).push(it);
    }
    for (const list of groups.values()) {
      const step = Math.max(1, Math.floor(list.length / args.perBucket));
      for (let i = 0; i < list.length && i / step < args.perBucket; i += step) items.push(list[i]);
    }
  }
  for (const it of items) it.bucket = it.forceBucket ?? bucketOf(it.text);
  return items.filter((it) => it.bucket);
}

// ---------------------------------------------------------------- candidates
// Resolve `pkg/sub` inside DIR/node_modules through the package's `exports` (import condition), so the
// candidates can live outside the project.
function resolveEntry(dir, spec) {
  const parts = spec.split("/");
  const pkg = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  const sub = `.${spec.slice(pkg.length)}` || ".";
  const pkgDir = join(dir, "node_modules", pkg);
  const manifestPath = join(pkgDir, "package.json");
  if (!existsSync(manifestPath)) return null;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  let target;
  if (manifest.exports) {
    const exp = typeof manifest.exports === "string" ? { ".": manifest.exports } : manifest.exports;
    const e = exp[sub === "." ? "." : sub] ?? (sub === "." ? exp : undefined);
    target = typeof e === "string" ? e : (e?.node?.import ?? e?.import ?? e?.default ?? e?.require);
    if (typeof target === "object") target = target.default;
  }
  target ??= sub === "." ? (manifest.main ?? "index.js") : sub;
  return { file: join(pkgDir, target), pkgDir, manifest };
}

// Bytes on disk of a package and its dependencies (as installed, flat node_modules).
function installBytes(dir, pkg, seen = new Set()) {
  if (seen.has(pkg)) return 0;
  seen.add(pkg);
  const pkgDir = join(dir, "node_modules", pkg);
  if (!existsSync(pkgDir)) return 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else bytes += statSync(p).size;
    }
  };
  walk(pkgDir);
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  for (const dep of Object.keys(manifest.dependencies ?? {})) bytes += installBytes(dir, dep, seen);
  return bytes;
}

// Cold import time and resident memory, in a fresh process (fastest of 3).
// `probe`: code run on the imported module `m` before the clock stops (for a lazily loaded detector).
function measureLoad(file, probe = "") {
  const code = `const t=performance.now();const m=await import(${JSON.stringify(pathToFileURL(file).href)});${probe};` +
    `const ms=performance.now()-t;console.log(JSON.stringify({ms,rss:process.memoryUsage().rss}))`;
  const base = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", "console.log(JSON.stringify({rss:process.memoryUsage().rss}))"]).toString());
  const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", code]).toString()));
  runs.sort((a, b) => a.ms - b.ms);
  return { ms: runs[0].ms, rssMb: (runs[0].rss - base.rss) / 2 ** 20 };
}

// Each candidate: how to load it, and detect(text) -> ISO 639-1 code or "" (within CANDIDATES).
const DETECTORS = [
  {
    name: "franc-min 6 (82 langs)",
    pkg: "franc-min",
    entry: "franc-min",
    make: (m) => {
      const only = CANDIDATES.map((c) => TO_639_3[c]);
      return (text) => FROM_639_3[m.franc(text, { only, minLength: 10 })] ?? "";
    },
  },
  {
    name: "franc 6 (187 langs)",
    pkg: "franc",
    entry: "franc",
    make: (m) => {
      const only = CANDIDATES.map((c) => TO_639_3[c]);
      return (text) => FROM_639_3[m.franc(text, { only, minLength: 10 })] ?? "";
    },
  },
  {
    name: "tinyld 1 (normal)",
    pkg: "tinyld",
    entry: "tinyld",
    make: (m) => (text) => m.detect(text, { only: CANDIDATES }),
  },
  {
    name: "tinyld 1 (light)",
    pkg: "tinyld",
    entry: "tinyld/light",
    make: (m) => (text) => m.detect(text, { only: CANDIDATES }),
  },
  ...["extrasmall", "small", "medium", "large"].map((size) => ({
    name: `eld 2 (${size})`,
    pkg: "eld",
    entry: `eld/${size}`,
    make: (m) => {
      const d = m.eld.newInstance();
      d.setLanguageSubset(CANDIDATES);
      return (text) => d.detect(text).language;
    },
  })),
  {
    name: "Gazette detectLanguage (stop words + eld xs)",
    pkg: "eld",
    file: join(args.gazette, "normalize", "detect-language.js"),
    make: (m) => (text) => m.detectLanguage(text)?.lang ?? "",
    // eld is loaded on the first text the function words cannot decide: time that too.
    probe: 'm.detectLanguage("¿Dónde está la estación?")',
  },
];

// ---------------------------------------------------------------- run
// Best of 5 rounds of >= 100 ms: on a shared machine the minimum is the steadiest estimate.
function timeCalls(detect, texts) {
  if (texts.length === 0) return NaN;
  for (const t of texts) detect(t); // warm-up (JIT, lazy tables)
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    let n = 0;
    const t0 = process.hrtime.bigint();
    do {
      for (const t of texts) detect(t);
      n += texts.length;
    } while (process.hrtime.bigint() - t0 < 100_000_000n);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1000 / n);
  }
  return best;
}

const pct = (ok, n) => (n ? `${((100 * ok) / n).toFixed(1)}` : "–");
const items = loadItems();
const counts = {};
for (const it of items) counts[`${it.lang}/${it.bucket}`] = (counts[`${it.lang}/${it.bucket}`] ?? 0) + 1;
console.log(`items: ${items.length} (${Object.entries(counts).sort().map(([k, v]) => `${k} ${v}`).join(", ")})`);
console.log(`sources: ${["real", "synthetic", "hand"].map((s) => `${s} ${items.filter((i) => i.source === s).length}`).join(", ")}`);
console.log(`candidate set (${CANDIDATES.length}): ${CANDIDATES.join(" ")}\n`);

const cols = EVAL_LANGS.flatMap((l) => BUCKETS.map((b) => ({ lang: l, bucket: b.id })));
const header = ["detector", ...cols.map((c) => `${c.lang}-${c.bucket}`), "all", "real", "synth", "hand", "µs XS", "µs S", "µs P", "import ms", "RSS MB", "install"];
const rows = [];
const errors = [];
for (const d of DETECTORS) {
  const entry = d.file ? { file: d.file } : resolveEntry(args.modules, d.entry);
  if (!entry || !existsSync(entry.file)) {
    console.log(d.file
      ? `skip ${d.name}: ${entry.file} is not built (npm run compile, or --gazette DIR).`
      : `skip ${d.name}: package "${d.pkg}" is not installed (npm install --no-save ${d.pkg}, or --modules DIR).`);
    continue;
  }
  const detect = d.make(await import(pathToFileURL(entry.file).href));
  const ok = (it) => detect(it.text) === it.lang;
  const results = items.map((it) => ({ it, ok: ok(it) }));
  const acc = (f) => {
    const sel = results.filter((r) => f(r.it));
    return pct(sel.filter((r) => r.ok).length, sel.length);
  };
  for (const r of results) if (!r.ok && r.it.source !== "synthetic") errors.push(`${d.name}: [${r.it.lang}→${detect(r.it.text) || "?"}] ${r.it.text.slice(0, 90)}`);
  const load = measureLoad(entry.file, d.probe);
  rows.push([
    d.name,
    ...cols.map((c) => acc((it) => it.lang === c.lang && it.bucket === c.bucket)),
    acc(() => true),
    acc((it) => it.source === "real"),
    acc((it) => it.source === "synthetic"),
    acc((it) => it.source === "hand"),
    timeCalls(detect, items.filter((it) => it.bucket === "XS").map((it) => it.text)).toFixed(1),
    timeCalls(detect, items.filter((it) => it.bucket === "S").map((it) => it.text)).toFixed(1),
    timeCalls(detect, items.filter((it) => it.bucket === "P").map((it) => it.text)).toFixed(1),
    load.ms.toFixed(0),
    load.rssMb.toFixed(0),
    `${(installBytes(d.file ? ROOT : args.modules, d.pkg) / 2 ** 20).toFixed(2)} MB`,
  ]);
}

if (rows.length === 0) {
  console.log("\nNo candidate is installed; nothing to compare.");
  process.exit(0);
}
console.log(`\n| ${header.join(" | ")} |\n| ${header.map(() => "---").join(" | ")} |`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
console.log("\nAccuracy in % (XS headline 15–39 chars, S sentence 40–120 chars, M 121–199, P paragraph 200–600); µs per call (best of 5 rounds); import ms and RSS of a cold import (fastest of 3); install = package + dependencies on disk.");
console.log(`\nMisses on real and hand-written text (${errors.length}):`);
for (const e of errors) console.log(`  ${e}`);
