#!/usr/bin/env node
// bench/related.mjs: time and memory of computeRelated on generated corpora, and the quality of its picks.
//
//   npm run bench:related                        # 10,000 stories
//   npm run bench:related -- --sizes 10000,100000 # both sizes, with the 100k/10k time ratio
//   npm run bench:related -- --size 1000 --runs 3
//
// Per size: the corpus is generated once with ../shared/bench/make-corpus.mjs (bench/.corpora/<size>/,
// git-ignored), read through the real loader and normalizer in a child process, and reduced to RelatedDocs
// (cached as NDJSON, keyed by a hash of the code that makes them). Then, in a fresh process per mode, the
// RelatedDocs are loaded and computeRelated runs several times: median wall time, peak RSS of that process
// (RelatedDocs + index + lists), precision@5 against the corpus's topic-cluster labels, coverage.
// Modes: "lists" (explain: false, what a build needs) and "explained" (every entry's reasons). Lists are also
// computed on two threads (src/related/related-on-cores.ts, what a delta and gazette dev's settle do), in
// turns with one: its median, and a check that both made the same lists.
// Imports the compiled code in dist/: the npm script compiles first.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statfsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORPORA = path.join(ROOT, "bench", ".corpora");
const MAKE_CORPUS = path.resolve(ROOT, "..", "shared", "bench", "make-corpus.mjs");
const DIST = path.join(ROOT, "dist");
/** Free disk needed before generating a corpus of this many stories (files, plus the RelatedDocs cache). */
const diskNeeded = (stories) => Math.max(1, stories / 100_000) * 6 * 1024 ** 3;

const [mode, ...rest] = process.argv.slice(2);
if (mode === "--extract") await extract(rest[0], rest[1]);
else if (mode === "--time") await time(rest[0], rest[1], rest[2], Number(rest[3]));
else await main(process.argv.slice(2));

async function main(argv) {
  const options = parseArgs(argv);
  if (!existsSync(path.join(DIST, "related", "compute-related.js"))) fail("dist/ is missing: run `npm run compile` first (npm run bench:related does).");
  const rows = [];
  for (const size of options.sizes) {
    const corpus = ensureCorpus(size);
    if (!corpus) continue;
    const features = ensureFeatures(size, corpus);
    const runs = options.runs ?? (size >= 50_000 ? 3 : 5);
    for (const explain of [false, true]) {
      const result = runChild(["--time", features, path.join(corpus, "labels.json"), String(explain), String(runs)], size);
      rows.push({ size, explain, runs, ...result });
      report(rows.at(-1));
    }
  }
  printTable(rows);
}

function parseArgs(argv) {
  const options = { sizes: [10_000], runs: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === "--size" || flag === "--sizes") && value) {
      options.sizes = value.split(",").map((each) => Number(each.replace(/_/g, "")));
      i++;
    } else if (flag === "--runs" && value) {
      options.runs = Number(value);
      i++;
    } else fail(`unknown argument "${flag}". Usage: node bench/related.mjs [--size N | --sizes N,M] [--runs R]`);
  }
  if (options.sizes.some((size) => !Number.isInteger(size) || size < 1)) fail("--size must be a positive whole number of stories.");
  if (options.runs !== undefined && !(Number.isInteger(options.runs) && options.runs > 0)) fail("--runs must be a positive whole number.");
  return options;
}

/** bench/.corpora/<size>/{articles/, labels.json}, generated once; null (with a message) when the disk is too full. */
function ensureCorpus(size) {
  const dir = path.join(CORPORA, String(size));
  const articles = path.join(dir, "articles");
  const labels = path.join(dir, "labels.json");
  if (existsSync(labels) && existsSync(articles)) return dir;
  if (!existsSync(MAKE_CORPUS)) fail(`${MAKE_CORPUS} is missing: the shared benchmark folder must sit beside the repository.`);
  mkdirSync(CORPORA, { recursive: true });
  const { bavail, bsize } = statfsSync(CORPORA);
  const free = bavail * bsize;
  if (free < diskNeeded(size)) {
    console.log(`skipping ${size.toLocaleString("en")} stories: ${gib(free)} free on disk, ${gib(diskNeeded(size))} needed for the corpus.`);
    return null;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`generating ${size.toLocaleString("en")} stories in ${path.relative(ROOT, dir)}/ (once) ...`);
  const result = spawnSync(process.execPath, [MAKE_CORPUS, "--out", articles, "--stories", String(size), "--labels", labels], { stdio: "inherit" });
  if (result.status !== 0) fail(`make-corpus.mjs failed (exit ${result.status}).`);
  return dir;
}

/** RelatedDocs of a corpus as NDJSON, made through the real loader and normalizer; cached by a hash of the code involved. */
function ensureFeatures(size, corpus) {
  const hash = createHash("sha256");
  for (const folder of ["content", "normalize", "util", "config"]) {
    for (const file of readdirSync(path.join(DIST, folder)).filter((name) => name.endsWith(".js")).sort()) hash.update(readFileSync(path.join(DIST, folder, file)));
  }
  // Of related/, only what makes RelatedDocs: a change to computeRelated keeps the cache.
  for (const file of ["extract-features.js", "stem.js", "stop-words.js"]) hash.update(readFileSync(path.join(DIST, "related", file)));
  for (const file of ["gazette.config.yml", "data/entities.yml"]) if (existsSync(path.join(ROOT, file))) hash.update(readFileSync(path.join(ROOT, file)));
  const name = `features-${hash.digest("hex").slice(0, 12)}.ndjson`;
  const target = path.join(corpus, name);
  if (existsSync(target)) return target;
  for (const old of readdirSync(corpus).filter((file) => file.startsWith("features-"))) rmSync(path.join(corpus, old));
  console.log(`reading ${size.toLocaleString("en")} stories through the loader and normalizer (once per code change) ...`);
  runChild(["--extract", path.join(corpus, "articles"), target], size, ["--max-old-space-size=16000"]);
  return target;
}

function runChild(args, size, nodeFlags = []) {
  const result = spawnSync(process.execPath, ["--expose-gc", ...nodeFlags, fileURLToPath(import.meta.url), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) fail(`the ${args[0]} step for ${size} stories failed (exit ${result.status}).`);
  const last = result.stdout.trim().split("\n").at(-1);
  return last?.startsWith("{") ? JSON.parse(last) : {};
}

/** Child: loadContent + normalizeArticles (in chunks, dropping sources as it goes) + extractRelatedFeatures -> NDJSON. */
async function extract(articlesDir, target) {
  const started = performance.now();
  const { loadConfig } = await import(path.join(DIST, "config", "load-config.js"));
  const { loadContent } = await import(path.join(DIST, "content", "load-content.js"));
  const { loadEntities } = await import(path.join(DIST, "content", "load-entities.js"));
  const { DiagnosticSink } = await import(path.join(DIST, "errors", "diagnostics.js"));
  const { compileEntityTable } = await import(path.join(DIST, "normalize", "entities.js"));
  const { normalizeArticles } = await import(path.join(DIST, "normalize", "index.js"));
  const { extractRelatedFeatures } = await import(path.join(DIST, "related", "index.js"));
  const config = await loadConfig(ROOT, { content: path.relative(ROOT, articlesDir) });
  const sink = new DiagnosticSink();
  const [sources, definitions] = await Promise.all([loadContent({ root: ROOT, contentDir: articlesDir }, sink), loadEntities(ROOT, config.paths.data, sink)]);
  const loaded = performance.now();
  const entities = compileEntityTable(definitions);
  const out = createWriteStream(target);
  let count = 0;
  const CHUNK = 5_000;
  for (let start = 0; start < sources.length; start += CHUNK) {
    const chunk = sources.slice(start, start + CHUNK);
    sources.fill(undefined, start, start + CHUNK);
    const lines = normalizeArticles(chunk, { config, entities }, sink).map((article) => JSON.stringify(extractRelatedFeatures(article)));
    count += lines.length;
    if (!out.write(lines.join("\n") + "\n")) await new Promise((resolve) => out.once("drain", resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  if (sink.errors.length > 0) console.error(`${sink.errors.length} content errors, e.g. ${sink.errors[0].message}`);
  const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
  console.error(`  ${count.toLocaleString("en")} RelatedDocs: load ${seconds(loaded - started)}, normalize + extract ${seconds(performance.now() - loaded)}`);
  console.log(JSON.stringify({ docs: count }));
}

/** Child: RelatedDocs in, timed computeRelated runs, quality against the labels; one JSON line out. */
async function time(featuresFile, labelsFile, explainFlag, runs) {
  const { computeRelated, buildRelatedIndex } = await import(path.join(DIST, "related", "index.js"));
  const { computeRelatedOnCores, startRelatedHelper } = await import(path.join(DIST, "related", "related-on-cores.js"));
  const { defaults } = await import(path.join(DIST, "config", "site-config.js"));
  const docs = [];
  for await (const line of createInterface({ input: createReadStream(featuresFile), crlfDelay: Infinity })) if (line) docs.push(JSON.parse(line));
  const labels = JSON.parse(readFileSync(labelsFile, "utf8"));
  const options = { ...defaults.related, explain: explainFlag === "true" };
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const times = [];
  const cpus = [];
  const twoTimes = [];
  let related;
  for (let run = 0; run < runs; run++) {
    related = undefined;
    globalThis.gc?.();
    const started = performance.now();
    const cpu = process.cpuUsage();
    related = computeRelated(docs, options);
    times.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
    if (options.explain) continue;
    // In turns: the helper started as a delta starts it, before the index is built (both timed).
    globalThis.gc?.();
    const twoStarted = performance.now();
    const helper = startRelatedHelper(docs.length, { GAZETTE_RELATED_THREAD: "1" });
    const { lists: shared } = await computeRelatedOnCores(docs, options, buildRelatedIndex(docs, options, undefined, true), helper);
    twoTimes.push(performance.now() - twoStarted);
    if (!sameLists(related, shared)) throw new Error("two threads made other lists than one");
  }
  const peak = process.resourceUsage().maxRSS * 1024;

  // precision@5: a pick is right when its story's topic cluster is the article's; averaged over articles with a pick.
  let withPicks = 0;
  let full = 0;
  let precision = 0;
  let picks = 0;
  let fallbacks = 0;
  const storyOf = (id) => id.slice(0, id.lastIndexOf("/"));
  for (const [id, entries] of related) {
    if (entries.length === 0) continue;
    withPicks++;
    if (entries.length >= options.limit) full++;
    const cluster = labels[storyOf(id)];
    precision += entries.filter((entry) => labels[storyOf(entry.id)] === cluster).length / entries.length;
    picks += entries.length;
    fallbacks += entries.filter((entry) => entry.fallbackLang).length;
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(
    JSON.stringify({
      docs: docs.length,
      medianMs: median(times),
      minMs: Math.min(...times),
      twoMs: twoTimes.length > 0 ? median(twoTimes) : null,
      cpuMs: median(cpus),
      peakRss: peak,
      rssBefore,
      precision: withPicks ? precision / withPicks : 0,
      coverage: related.size ? full / related.size : 0,
      picks,
      fallbacks,
    }),
  );
}

/** Whether two maps of lists list the same ids with the same scores, in the same order. */
function sameLists(a, b) {
  if (a.size !== b.size) return false;
  const keys = [...b.keys()];
  let k = 0;
  for (const [id, entries] of a) {
    const other = b.get(id);
    if (keys[k++] !== id || other.length !== entries.length || entries.some((entry, i) => entry.id !== other[i].id || entry.score !== other[i].score)) return false;
  }
  return true;
}

function report(row) {
  console.log(
    `${row.size.toLocaleString("en")} stories (${row.docs.toLocaleString("en")} versions), ${row.explain ? "explained" : "lists"}: ` +
      `median ${seconds(row.medianMs)} of ${row.runs} (fastest ${seconds(row.minMs)}, CPU ${seconds(row.cpuMs)}), peak RSS ${gib(row.peakRss)}, ` +
      `P@5 ${row.precision.toFixed(4)}, coverage ${row.coverage.toFixed(4)}` +
      (row.twoMs !== null ? `; on two threads, in turns: median ${seconds(row.twoMs)} (${(row.twoMs / row.medianMs).toFixed(2)} x)` : ""),
  );
}

function printTable(rows) {
  if (rows.length === 0) return;
  console.log("\n| stories | versions | mode | median time (runs) | fastest | CPU (median) | peak RSS | RelatedDocs RSS | precision@5 | coverage | time ratio to smallest |");
  console.log("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of rows) {
    const base = rows.find((other) => other.explain === row.explain);
    const ratio =
      base && base !== row ? `${(row.medianMs / base.medianMs).toFixed(1)} (CPU ${(row.cpuMs / base.cpuMs).toFixed(1)}) for ×${(row.size / base.size).toFixed(0)} stories` : "";
    console.log(
      `| ${row.size.toLocaleString("en")} | ${row.docs.toLocaleString("en")} | ${row.explain ? "explained" : "lists"} | ${seconds(row.medianMs)} (${row.runs}) | ` +
        `${seconds(row.minMs)} | ${seconds(row.cpuMs)} | ` +
        `${gib(row.peakRss)} | ${gib(row.rssBefore)} | ${row.precision.toFixed(4)} | ${row.coverage.toFixed(4)} | ${ratio} |`,
    );
  }
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

function gib(bytes) {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

function fail(message) {
  console.error(`bench:related: ${message}`);
  process.exit(1);
}
