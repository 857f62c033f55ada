#!/usr/bin/env node
// bench/run.mjs: the whole `gazette build` on generated corpora, side by side with Hugo and with a
// Node lower bound, and the dev server's one-article rebuild. Never part of `npm test`.
//
//   npm run bench                              # 1,000 and 10,000 stories, 3 runs each
//   npm run bench -- --size 30000 --runs 2
//   npm run bench -- --vs-hugo                 # + Hugo (apt-get install hugo), interleaved A B A B
//   npm run bench -- --incremental             # + dev-mode rebuild after editing one article
//   npm run bench -- --warm                    # + `gazette build` with .gazette-cache/ after editing one article
//   npm run bench -- --floor                   # + the Node floor: read + marked + write, nothing else
//   npm run bench -- --five                    # the repository's own site (the five stories), as a newcomer builds it
//
// Corpora come from ../shared/bench/make-corpus.mjs, generated once into bench/.corpora/<size>/
// (git-ignored, shared with bench:related). Builds run as child processes under /usr/bin/time -v
// (wall, user+sys CPU, peak RSS); Gazette's own stage timings come from `build --verbose`. Every
// figure printed is a median over the runs; ratios are taken pair by pair within one run, so
// machine noise hits both sides alike. Search (Pagefind) is off, as Hugo builds none; pass
// --search to include it. The cold runs pass --no-cache.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SHARED = path.resolve(ROOT, "..", "shared", "bench");
const CORPORA = path.join(ROOT, "bench", ".corpora");
const WORK = path.join(ROOT, "bench", ".work");
const GAZETTE = path.join(ROOT, "bin", "gazette.js");
const EPOCH = "1767225600"; // 2026-01-01: a fixed build date, so runs do the same work
/** The issue's target for the five stories: `gazette build` in at most this many seconds of wall time, CLI start included. */
const FIVE_TARGET_S = 0.4;

const options = parseArgs(process.argv.slice(2));
if (options.incrementalChild) {
  await incrementalChild(options.incrementalChild, Number(options.runs));
  process.exit(0);
}
if (!existsSync(path.join(ROOT, "dist", "cli", "main.js"))) fail("dist/ is missing: run `npm run compile` first (npm run bench does).");
if (!existsSync("/usr/bin/time")) fail("/usr/bin/time is missing: apt-get install time");
if (options.vsHugo && spawnSync("hugo", ["version"]).status !== 0) fail("--vs-hugo needs Hugo: apt-get install hugo");

if (options.five) measureFive();

const summary = [];
for (const size of options.sizes) {
  const corpus = ensureCorpus(size);
  if (!corpus) continue;
  const site = prepareSite(size);
  const hugoWork = options.vsHugo ? prepareHugo(size, corpus) : null;
  console.log(`\n== ${size.toLocaleString("en")} stories (${countFiles(corpus)} files), ${options.runs} runs${hugoWork ? ", interleaved with Hugo" : ""}`);
  const gazette = [];
  const hugo = [];
  const floor = [];
  for (let run = 1; run <= options.runs; run++) {
    gazette.push(timeGazette(site, corpus));
    report(`gazette #${run}`, gazette.at(-1));
    if (hugoWork) {
      hugo.push(timed("bash", [path.join(SHARED, "run-hugo.sh"), "build", hugoWork], {}));
      report(`hugo    #${run}`, hugo.at(-1), `ratio ${(gazette.at(-1).wall / hugo.at(-1).wall).toFixed(3)}`);
    }
    if (options.floor) {
      rmSync(path.join(WORK, `floor-${size}`), { recursive: true, force: true }); // not timed: Gazette deletes its old output in the background
      floor.push(timed(process.execPath, [path.join(ROOT, "bench", "floor.mjs"), corpus, path.join(WORK, `floor-${size}`)], {}));
      report(`floor   #${run}`, floor.at(-1), `ratio ${(gazette.at(-1).wall / floor.at(-1).wall).toFixed(3)}`);
    }
  }
  const row = { size, files: gazette[0].files, gazette: medians(gazette), stages: medianStages(gazette) };
  if (hugo.length > 0) {
    row.hugo = medians(hugo);
    row.vsHugo = median(gazette.map((g, i) => g.wall / hugo[i].wall));
  }
  if (floor.length > 0) {
    row.floor = medians(floor);
    row.vsFloor = median(gazette.map((g, i) => g.wall / floor[i].wall));
  }
  if (options.warm) row.warm = measureWarm(site, corpus);
  if (options.incremental) row.incremental = measureIncremental(site, corpus);
  summary.push(row);
  printRow(row);
}
printSummary(summary);

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const parsed = { sizes: [1000, 10_000], runs: 3, vsHugo: false, incremental: false, warm: false, floor: false, search: false, five: false, incrementalChild: null };
  let sized = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) fail(`${flag} needs a value`);
      return next;
    };
    if (flag === "--size" || flag === "--sizes") {
      parsed.sizes = value().split(",").map((each) => Number(each.replace(/_/g, "")));
      sized = true;
    } else if (flag === "--runs") parsed.runs = Number(value());
    else if (flag === "--vs-hugo") parsed.vsHugo = true;
    else if (flag === "--incremental") parsed.incremental = true;
    else if (flag === "--warm") parsed.warm = true;
    else if (flag === "--floor") parsed.floor = true;
    else if (flag === "--search") parsed.search = true;
    else if (flag === "--five") parsed.five = true;
    else if (flag === "--incremental-child") parsed.incrementalChild = value();
    else fail(`unknown option ${flag} (see the comment at the top of bench/run.mjs)`);
  }
  // --five alone measures the five stories only; with --size, the corpora too.
  if (parsed.five && !sized) parsed.sizes = [];
  if (parsed.sizes.some((size) => !Number.isInteger(size) || size < 1)) fail("--size takes whole numbers, e.g. --size 1000,10000");
  if (!Number.isInteger(parsed.runs) || parsed.runs < 1) fail("--runs takes a whole number");
  return parsed;
}

function ensureCorpus(size) {
  const dir = path.join(CORPORA, String(size));
  const articles = path.join(dir, "articles");
  const labels = path.join(dir, "labels.json");
  if (existsSync(labels) && existsSync(articles)) return articles;
  const makeCorpus = path.join(SHARED, "make-corpus.mjs");
  if (!existsSync(makeCorpus)) fail(`${makeCorpus} is missing: the shared benchmark folder must sit beside the repository.`);
  mkdirSync(CORPORA, { recursive: true });
  const { bavail, bsize } = statfsSync(CORPORA);
  const needed = Math.max(1, size / 10_000) * 1024 ** 3;
  if (bavail * bsize < needed) {
    console.log(`skipping ${size.toLocaleString("en")} stories: not enough free disk for the corpus and its builds.`);
    return null;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`generating ${size.toLocaleString("en")} stories in ${path.relative(ROOT, dir)}/ (once) ...`);
  const result = spawnSync(process.execPath, [makeCorpus, "--out", articles, "--stories", String(size), "--labels", labels], { stdio: "inherit" });
  if (result.status !== 0) fail(`make-corpus.mjs failed (exit ${result.status}).`);
  return articles;
}

/** A project folder for the corpus: the repository's config (languages, zone), search per option. */
function prepareSite(size) {
  const site = path.join(WORK, `site-${size}`);
  mkdirSync(site, { recursive: true });
  let config = readFileSync(path.join(ROOT, "gazette.config.yml"), "utf8");
  config = config.replace(/^search: .*$/m, "") + `\nsearch: ${options.search}\n`;
  writeFileSync(path.join(site, "gazette.config.yml"), config);
  rmSync(path.join(site, "data"), { recursive: true, force: true });
  mkdirSync(path.join(site, "data"), { recursive: true });
  writeFileSync(path.join(site, "data", "entities.yml"), readFileSync(path.join(ROOT, "data", "entities.yml")));
  return site;
}

function prepareHugo(size, corpus) {
  const work = path.join(WORK, `hugo-${size}`);
  const result = spawnSync("bash", [path.join(SHARED, "run-hugo.sh"), "prepare", corpus, work], { stdio: "inherit" });
  if (result.status !== 0) fail("run-hugo.sh prepare failed");
  return work;
}

/** One `gazette build` of the corpus; cold (`--no-cache`) unless `warm`. */
function timeGazette(site, corpus, warm = false) {
  const args = ["build", "--content", corpus, "--out", path.join(site, "public"), "--verbose", ...(warm ? [] : ["--no-cache"])];
  // Run as users run it (npx gazette, npm run build): the bin file itself, with the Node flags of its #! line.
  const result = timed(GAZETTE, args, { cwd: site, env: { SOURCE_DATE_EPOCH: EPOCH } });
  const files = Number((/build ok: ([\d,]+) files/.exec(result.stderr)?.[1] ?? "NaN").replace(/,/g, ""));
  const stages = {};
  for (const match of result.stderr.matchAll(/^ {2}(\S+)\s+([\d.]+) (ms|s)(?=\s)/gm)) stages[match[1]] = Number(match[2]) * (match[3] === "s" ? 1000 : 1);
  return { ...result, files, stages };
}

/**
 * Before each timed run: the last run's output deleted (Gazette deletes the old public/ in a
 * background process) and its writes on disk (`sync`). Else a run pays for the one before it: a
 * warm build right after a cold one stalled ~5 s in its renames while the kernel wrote back the
 * ~700 MB the cold one wrote, which a user editing an article after the last build never meets.
 */
function settleDisk(cwd) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && readdirSync(cwd).some((name) => name.startsWith(".gazette-old-"))) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  spawnSync("sync");
}

/** Runs a command under /usr/bin/time -v (the disk settled first); wall and CPU in seconds, peak RSS in MiB. */
function timed(command, args, { cwd = ROOT, env = {} }) {
  settleDisk(cwd);
  const result = spawnSync("/usr/bin/time", ["-v", command, ...args], { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const stderr = result.stderr ?? "";
  if (result.status !== 0) fail(`${path.basename(command)} ${args.join(" ")} failed (exit ${result.status}):\n${stderr.slice(-3000)}`);
  const field = (name) => /: (.+)$/.exec(stderr.split("\n").find((line) => line.trim().startsWith(name)) ?? "")?.[1] ?? "";
  const wallText = field("Elapsed (wall clock) time");
  const wall = wallText.split(":").reduce((total, part) => total * 60 + Number(part), 0);
  const cpu = Number(field("User time (seconds)")) + Number(field("System time (seconds)"));
  const rssMiB = Number(field("Maximum resident set size (kbytes)")) / 1024;
  return { wall, cpu, rssMiB, stderr };
}

/**
 * `gazette build` with the persistent cache: one build that fills it (after deleting it), then
 * builds each after editing one article (the newest story's German version), restored at the end:
 * a sentence added (its related-articles features as they were), then as many builds with one of
 * its frequent words in place of another (its features change: every related list is computed
 * again), as many with another summary (its card changes: listing pages and related lists that
 * show it), as many with a headline that moves the page (to another URL: its slug is made from it),
 * and, after restoring it, as many with its date a day, two days… earlier (it moves down the listings
 * that show it; only its time changes), as many with a topic added (it joins the topic's pages) and
 * as many with another byline (it moves between author pages).
 * Each is labelled a delta or a full build (with why the delta missed).
 */
function measureWarm(site, corpus) {
  rmSync(path.join(site, ".gazette-cache"), { recursive: true, force: true });
  const filling = timeGazette(site, corpus, true);
  report("gazette, filling the cache", filling);
  const story = readdirSync(corpus).sort().at(-1);
  const file = path.join(corpus, story, "de.md");
  const original = readFileSync(file, "utf8");
  const runs = [];
  const featureRuns = [];
  const summaryRuns = [];
  const movedRuns = [];
  const datedRuns = [];
  const topicRuns = [];
  const bylineRuns = [];
  const stagesOf = (result) => `${buildKind(result.stderr)}; stages: ${Object.entries(result.stages).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(", ")}`;
  try {
    for (let run = 1; run <= options.runs; run++) {
      writeFileSync(file, `${original.trimEnd()}\n\nAktualisiert: Fassung ${run}.\n`);
      runs.push(timeGazette(site, corpus, true));
      report(`gazette warm #${run}`, runs.at(-1), stagesOf(runs.at(-1)));
    }
    const [head, body] = original.split("\n---\n");
    const counts = new Map();
    for (const word of body.match(/\b[a-zäöüß]{8,}\b/g) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
    const words = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([word]) => word);
    for (let run = 1; run <= options.runs && run < words.length; run++) {
      writeFileSync(file, `${head}\n---\n${body.replaceAll(new RegExp(`\\b${words[run]}\\b`, "g"), words[0])}`);
      featureRuns.push(timeGazette(site, corpus, true));
      report(`gazette warm, features changed #${run}`, featureRuns.at(-1), stagesOf(featureRuns.at(-1)));
    }
    // In turns: a summary edit (on top of the last headline), then a headline that moves the page.
    const headline = (run) => (run === 0 ? original : original.replace(/^title: "?/m, (start) => `${start}Fassung ${run}: `));
    for (let run = 1; run <= options.runs; run++) {
      writeFileSync(file, headline(run - 1).replace(/^summary: .*$/m, `summary: "Korrigierte Zusammenfassung, Fassung ${run}."`));
      summaryRuns.push(timeGazette(site, corpus, true));
      report(`gazette warm, summary changed #${run}`, summaryRuns.at(-1), stagesOf(summaryRuns.at(-1)));
      writeFileSync(file, headline(run));
      movedRuns.push(timeGazette(site, corpus, true));
      report(`gazette warm, headline moved #${run}`, movedRuns.at(-1), stagesOf(movedRuns.at(-1)));
    }
    // Its date corrected, 1, 2, 3… days earlier (from the article as it was, restored by an untimed build first:
    // only its time changes, so only the related lists that could read it are computed again): it moves down its
    // front pages, groups' pages and feeds.
    writeFileSync(file, original);
    timeGazette(site, corpus, true);
    for (let run = 1; run <= options.runs; run++) {
      writeFileSync(file, original.replace(/^date: (.*)$/m, (_, date) => `date: ${new Date(Date.parse(date) - run * 86_400_000).toISOString()}`));
      datedRuns.push(timeGazette(site, corpus, true));
      report(`gazette warm, date ${run} day${run > 1 ? "s" : ""} earlier`, datedRuns.at(-1), stagesOf(datedRuns.at(-1)));
    }
    // A topic added (from the article as it was, restored by an untimed build first): the German
    // tags most articles carry that it lacks, one per run; it joins that topic's pages (and leaves
    // the last run's).
    writeFileSync(file, original);
    timeGazette(site, corpus, true);
    for (const [run, tag] of germanTags(corpus, original).slice(0, options.runs).entries()) {
      writeFileSync(file, original.replace(/^tags:\n/m, `tags:\n  - "${tag}"\n`));
      topicRuns.push(timeGazette(site, corpus, true));
      report(`gazette warm, topic ${tag} added #${run + 1}`, topicRuns.at(-1), stagesOf(topicRuns.at(-1)));
    }
    // Its byline set to the German authors with the most articles, one per run (from the article as it was).
    writeFileSync(file, original);
    timeGazette(site, corpus, true);
    for (const [run, author] of germanAuthors(corpus, original).slice(0, options.runs).entries()) {
      writeFileSync(file, original.replace(/^author: .*$/m, `author: "${author}"`));
      bylineRuns.push(timeGazette(site, corpus, true));
      report(`gazette warm, byline ${author} #${run + 1}`, bylineRuns.at(-1), stagesOf(bylineRuns.at(-1)));
    }
  } finally {
    writeFileSync(file, original);
  }
  return { filling, ...medians(runs), features: featureRuns.length > 0 ? medians(featureRuns) : null, summary: medians(summaryRuns), moved: medians(movedRuns), dated: medians(datedRuns), topic: topicRuns.length > 0 ? medians(topicRuns) : null, byline: bylineRuns.length > 0 ? medians(bylineRuns) : null };
}

/** The tags of the corpus's German articles, most frequent first, but those `text` carries. */
function germanTags(corpus, text) {
  const tagsOf = (markdown) => [.../^tags:\n((?: {2}- .*\n)+)/m.exec(markdown)?.[1].matchAll(/^ {2}- "?([^"\n]+)"?$/gm) ?? []].map((match) => match[1]);
  return mostFrequentGerman(corpus, tagsOf, new Set(tagsOf(text)));
}

/** The bylines of the corpus's German articles, most frequent first, but the one `text` has. */
function germanAuthors(corpus, text) {
  const authorsOf = (markdown) => [/^author: "?([^"\n]+)"?$/m.exec(markdown)?.[1]].filter(Boolean);
  return mostFrequentGerman(corpus, authorsOf, new Set(authorsOf(text)));
}

/** The values `valuesOf` finds in the corpus's German articles, most frequent first (ties by name), but those in `except`. */
function mostFrequentGerman(corpus, valuesOf, except) {
  const counts = new Map();
  for (const story of readdirSync(corpus)) {
    const german = path.join(corpus, story, "de.md");
    if (existsSync(german)) for (const value of valuesOf(readFileSync(german, "utf8"))) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].filter(([value]) => !except.has(value)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([value]) => value);
}

/** "delta", or "full build" with why the delta missed, from a `gazette build --verbose` report. */
function buildKind(stderr) {
  const missed = /^ {2}delta\s+[\d.]+ m?s\s+missed: (.*)$/m.exec(stderr)?.[1];
  return /^ {2}delta:prepare/m.test(stderr) ? "delta" : missed !== undefined ? `full build, the delta missed: ${missed}` : "full build";
}

/**
 * The repository's own site (the five stories, search on), built as a newcomer builds it, in a
 * copy: per run, a first build (no cache, no output), a build with nothing changed, a sentence
 * added to a German article and the sentence taken out again (both delta builds, when they apply).
 */
function measureFive() {
  const site = path.join(WORK, "five");
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  for (const name of ["articles", "data", "gazette.config.yml"]) cpSync(path.join(ROOT, name), path.join(site, name), { recursive: true });
  const story = readdirSync(path.join(site, "articles")).sort()[0];
  const file = path.join(site, "articles", story, "de.md");
  if (!existsSync(file)) fail(`${path.relative(ROOT, file)} is missing: the five stories' first story has no German version.`);
  const original = readFileSync(file, "utf8");
  console.log(`\n== the five stories (${countFiles(path.join(site, "articles"))} files, search on), ${options.runs} runs; target ${FIVE_TARGET_S} s`);
  const series = { "first build": [], "nothing changed": [], "a sentence added": [], "taken out again": [] };
  const build = (label) => {
    const result = timed(GAZETTE, ["build", "--verbose"], { cwd: site, env: { SOURCE_DATE_EPOCH: EPOCH } });
    series[label].push(result);
    report(`${label} #${series[label].length}`, result, buildKind(result.stderr));
  };
  for (let run = 1; run <= options.runs; run++) {
    rmSync(path.join(site, "public"), { recursive: true, force: true });
    rmSync(path.join(site, ".gazette-cache"), { recursive: true, force: true });
    build("first build");
    build("nothing changed");
    writeFileSync(file, `${original.trimEnd()}\n\nAktualisiert: Fassung ${run}.\n`);
    build("a sentence added");
    writeFileSync(file, original);
    build("taken out again");
  }
  const line = Object.entries(series).map(([label, results]) => {
    const wall = median(results.map((result) => result.wall));
    return `${label} ${wall.toFixed(2)} s${wall <= FIVE_TARGET_S ? "" : " (over the target)"}`;
  });
  console.log(`  median wall: ${line.join("; ")}`);
}

/** Dev mode: a session on the corpus, then one article edited and rebuilt, several times. */
function measureIncremental(site, corpus) {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--incremental-child", JSON.stringify({ site, corpus }), "--runs", String(Math.max(5, options.runs))], {
    encoding: "utf8",
    env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) fail(`incremental measurement failed:\n${result.stderr}`);
  const lines = result.stdout.trim().split("\n");
  const figures = JSON.parse(lines.at(-1));
  for (const line of lines.slice(0, -1)) console.log(`  dev: ${line}`);
  console.log(`  dev: first build ${figures.firstMs.toFixed(0)} ms; one-article rebuild median ${figures.medianMs.toFixed(0)} ms ` + `(${figures.samples.map((ms) => ms.toFixed(0)).join(", ")}), ${figures.written} files written, ${figures.rendered} pages rendered; related lists settled ${figures.settleMs.toFixed(0)} ms later`);
  return figures;
}

async function incrementalChild(spec, runs) {
  const { site, corpus } = JSON.parse(spec);
  const { SiteSession } = await import(path.join(ROOT, "dist", "dev", "site-session.js"));
  const { summarizeChanges } = await import(path.join(ROOT, "dist", "dev", "classify-change.js"));
  const session = new SiteSession({ root: site, content: corpus });
  let started = performance.now();
  const first = await session.rebuild(null);
  const firstMs = performance.now() - started;
  if (!first.ok) throw new Error(first.errors.map((error) => error.message).join("\n"));
  // The newest story's German version: on the front page, in feeds and topic pages: the most work.
  const story = readdirSync(corpus).sort().at(-1);
  const file = path.join(corpus, story, "de.md");
  const original = readFileSync(file, "utf8");
  // Each sample: the rebuild the browser reloads after (quick when the edit keeps the site's shape),
  // then, timed apart, settling the related lists, as `gazette dev` does once the reload is done.
  const samples = [];
  const settleSamples = [];
  let last = first;
  let settled = null;
  // Then the same article's title (its slug, made from it, moves the page), each sample settled too.
  const titleSamples = [];
  let titled = null;
  const tagSamples = [];
  let tagged = null;
  const rebuild = async (text) => {
    writeFileSync(file, text);
    const at = performance.now();
    const report = await session.rebuild(summarizeChanges([{ kind: "content", path: file, event: "change" }]));
    const ms = performance.now() - at;
    if (!report.ok) throw new Error(report.errors.map((error) => error.message).join("\n"));
    return { report, ms };
  };
  try {
    for (let run = 0; run < runs; run++) {
      const edit = await rebuild(`${original.trimEnd()}\n\nAktualisiert: Fassung ${run + 1}.\n`);
      last = edit.report;
      samples.push(edit.ms);
      started = performance.now();
      settled = await session.settle();
      settleSamples.push(performance.now() - started);
    }
    for (let run = 0; run < runs; run++) {
      const edit = await rebuild(original.replace(/^title: "?(.*?)"?$/m, (_, title) => `title: "${title} (Fassung ${run + 1})"`));
      titled = edit.report;
      titleSamples.push(edit.ms);
      await session.settle();
    }
    // Then a topic added: each sample another story's first tag (the oldest stories'), so its topic page grows.
    for (const donor of readdirSync(corpus).sort().slice(0, runs)) {
      const tag = /^tags:\n\s+- (.*)$/m.exec(readFileSync(path.join(corpus, donor, "de.md"), "utf8"))?.[1];
      if (tag === undefined || !/^tags:\n/m.test(original)) break;
      const edit = await rebuild(original.replace(/^tags:\n/m, `tags:\n  - ${tag}\n`));
      tagged = edit.report;
      tagSamples.push(edit.ms);
      await session.settle();
    }
  } finally {
    writeFileSync(file, original);
  }
  console.log(`a title edit (the page moved: ${titled.moved.length}, ${titled.quick ? "quick path" : "full path"}): median ${median(titleSamples).toFixed(0)} ms (${titleSamples.map((ms) => ms.toFixed(0)).join(", ")}), ${titled.written.length} files written; stages of the last: ${titled.timings.map((t) => `${t.stage} ${t.ms.toFixed(0)} ms`).join(", ")}`);
  if (tagged) console.log(`a tag added (${tagged.quick ? "quick path" : "full path"}): median ${median(tagSamples).toFixed(0)} ms (${tagSamples.map((ms) => ms.toFixed(0)).join(", ")}), ${tagged.written.length} files written; stages of the last: ${tagged.timings.map((t) => `${t.stage} ${t.ms.toFixed(0)} ms`).join(", ")}`);
  console.log(`stages of the last rebuild (${last.quick ? "quick path" : "full path"}): ${last.timings.map((t) => `${t.stage} ${t.ms.toFixed(0)} ms`).join(", ")}`);
  if (settled) console.log(`then settling related lists: median ${median(settleSamples).toFixed(0)} ms (${settled.timings.map((t) => `${t.stage} ${t.ms.toFixed(0)} ms`).join(", ")}; ${settled.written.length} files rewritten)`);
  console.log(JSON.stringify({ firstMs, medianMs: median(samples), samples, settleMs: median(settleSamples), written: last.written.length, rendered: last.rendered, titleMedianMs: median(titleSamples), tagMedianMs: tagSamples.length > 0 ? median(tagSamples) : null }));
}

// ---------------------------------------------------------------------------------------------

function countFiles(corpus) {
  let count = 0;
  for (const story of readdirSync(corpus)) count += readdirSync(path.join(corpus, story)).length;
  return count;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function medians(results) {
  return { wall: median(results.map((r) => r.wall)), cpu: median(results.map((r) => r.cpu)), rssMiB: median(results.map((r) => r.rssMiB)) };
}

function medianStages(results) {
  const names = Object.keys(results[0].stages);
  return Object.fromEntries(names.map((name) => [name, median(results.map((r) => r.stages[name] ?? 0))]));
}

function report(label, result, extra = "") {
  console.log(`  ${label}: wall ${result.wall.toFixed(2)} s, cpu ${result.cpu.toFixed(2)} s, peak RSS ${result.rssMiB.toFixed(0)} MiB${extra ? `  (${extra})` : ""}`);
}

function printRow(row) {
  const g = row.gazette;
  console.log(`  median: gazette ${g.wall.toFixed(2)} s wall, ${g.cpu.toFixed(2)} s CPU, ${g.rssMiB.toFixed(0)} MiB; ${(row.files / g.wall).toFixed(0)} files/s`);
  console.log(`  stages (median ms): ${Object.entries(row.stages).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(", ")}`);
  if (row.hugo) console.log(`  median: hugo ${row.hugo.wall.toFixed(2)} s wall, ${row.hugo.rssMiB.toFixed(0)} MiB; gazette/hugo ratio (median of pairs) ${row.vsHugo.toFixed(3)}`);
  if (row.floor) console.log(`  median: node floor ${row.floor.wall.toFixed(2)} s wall; gazette/floor ratio ${row.vsFloor.toFixed(3)}`);
  if (row.warm) console.log(`  median: warm build (cache, one article edited) ${row.warm.wall.toFixed(2)} s wall, ${row.warm.cpu.toFixed(2)} s CPU, ${row.warm.rssMiB.toFixed(0)} MiB; filling the cache: ${row.warm.filling.wall.toFixed(2)} s`);
  if (row.warm?.summary) console.log(`  median: warm build, its summary changed ${row.warm.summary.wall.toFixed(2)} s wall, ${row.warm.summary.cpu.toFixed(2)} s CPU; a headline that moves its page ${row.warm.moved.wall.toFixed(2)} s wall, ${row.warm.moved.cpu.toFixed(2)} s CPU; its date earlier ${row.warm.dated.wall.toFixed(2)} s wall, ${row.warm.dated.cpu.toFixed(2)} s CPU`);
  if (row.warm?.topic) console.log(`  median: warm build, a topic added ${row.warm.topic.wall.toFixed(2)} s wall, ${row.warm.topic.cpu.toFixed(2)} s CPU; another byline ${row.warm.byline.wall.toFixed(2)} s wall, ${row.warm.byline.cpu.toFixed(2)} s CPU`);
  if (row.warm?.features) console.log(`  median: warm build, the edit changing its related-articles features ${row.warm.features.wall.toFixed(2)} s wall, ${row.warm.features.cpu.toFixed(2)} s CPU, ${row.warm.features.rssMiB.toFixed(0)} MiB`);
}

function printSummary(rows) {
  if (rows.length === 0) return;
  console.log("\n| stories | files | gazette wall | CPU | peak RSS | files/s | vs Hugo | vs floor | dev rebuild |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows) {
    const g = row.gazette;
    console.log(
      `| ${row.size.toLocaleString("en")} | ${row.files} | ${g.wall.toFixed(2)} s | ${g.cpu.toFixed(2)} s | ${g.rssMiB.toFixed(0)} MiB | ${(row.files / g.wall).toFixed(0)} | ` +
        `${row.vsHugo ? `${row.vsHugo.toFixed(3)} (Hugo ${row.hugo.wall.toFixed(2)} s)` : "–"} | ${row.vsFloor ? row.vsFloor.toFixed(3) : "–"} | ${row.incremental ? `${row.incremental.medianMs.toFixed(0)} ms` : "–"} |`,
    );
  }
  if (rows.length > 1) {
    const [small, large] = [rows[0], rows.at(-1)];
    console.log(`\ntime ratio ${large.size}/${small.size} stories: ${(large.gazette.wall / small.gazette.wall).toFixed(2)} (size ratio ${(large.size / small.size).toFixed(1)})`);
  }
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}
