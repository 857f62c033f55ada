/**
 * Delta builds (src/delta/): after an edit that only the article's own page (and its feeds)
 * could show, `gazette build` renders those pages from the site snapshot instead of building in
 * full. Whatever the edits, undos and hand changes in between, every build's output must equal a
 * build without the cache, byte for byte, and a delta must touch no file it did not change.
 */
import { execFile } from "node:child_process";
import { appendFile, cp, mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { existsSync } from "node:fs";
import { buildSite } from "../../src/build.js";
import { CACHE_DIR } from "../../src/cache/record-cache.js";
import { readRelatedFeatures, writeRelatedFeatures } from "../../src/cache/related-features.js";
import { SNAPSHOT_FILE } from "../../src/cache/site-snapshot.js";
import { foldName, groupSlug } from "../../src/i18n/site-index.js";
import { OUTPUT_MARKER } from "../../src/output/write-output.js";
import { REPO_ROOT, SHARED_DIR, makeTempSite, removeTempSite, useProjectCopy } from "../helpers/temp-site.js";
import { readTree } from "../quality/support/tree.js";
import { seededRandom } from "../helpers/random.js";

const run = promisify(execFile);
const EPOCH = "1764547200"; // 2025-12-01
let root: string;
/** Every content file as generated, by project path. */
const originals = new Map<string, string>();

beforeAll(async () => {
  process.env.SOURCE_DATE_EPOCH = EPOCH;
  const config = (await readFile(path.join(REPO_ROOT, "gazette.config.yml"), "utf8")).replace(/^feedSize: .*$/m, "feedSize: 5");
  root = await makeTempSite({ "gazette.config.yml": `${config}\nsearch: false\n` });
  await cp(path.join(REPO_ROOT, "data"), path.join(root, "data"), { recursive: true });
  await run(process.execPath, [path.join(SHARED_DIR, "bench/make-corpus.mjs"), "--out", path.join(root, "articles"), "--stories", "40", "--seed", "11"]);
  for (const story of await readdir(path.join(root, "articles"))) {
    for (const name of await readdir(path.join(root, "articles", story))) {
      const file = `articles/${story}/${name}`;
      originals.set(file, await readFile(path.join(root, file), "utf8"));
    }
  }
}, 120_000);

afterAll(async () => {
  delete process.env.SOURCE_DATE_EPOCH;
  await removeTempSite(root);
});

const abs = (relative: string) => path.join(root, relative);

/** A build with the cache: whether it was a delta, why not, and what it reported. */
async function build() {
  const result = await buildSite({ root, cache: true });
  const missed = result.timings.find((timing) => timing.stage === "delta")?.detail ?? null;
  const delta = result.timings.some((timing) => timing.stage === "delta:content");
  return { result, delta, missed };
}

/** The output equals a build without the cache (and reports the same), file for file. */
async function expectSameAsCold(cached: Awaited<ReturnType<typeof build>>): Promise<void> {
  const cold = await buildSite({ root, out: abs("cold"), cache: false });
  const [warm, reference] = await Promise.all([readTree(abs("public")), readTree(abs("cold"))]);
  warm.delete(OUTPUT_MARKER);
  reference.delete(OUTPUT_MARKER);
  expect([...warm.keys()].sort()).toEqual([...reference.keys()].sort());
  for (const [file, bytes] of reference) expect(warm.get(file)!.equals(bytes), file).toBe(true);
  expect(cached.result.warnings).toEqual(cold.warnings);
  expect(cached.result.pages).toEqual(cold.pages);
  await rm(abs("cold"), { recursive: true, force: true });
}

/** Modification times of every output file, to tell which ones a build rewrote. */
async function outputTimes(): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const file of (await readTree(abs("public"))).keys()) times.set(file, (await stat(abs(`public/${file}`))).mtimeMs);
  return times;
}

/** A build that must be a delta, and the output files it rewrote (by their modification times). */
async function deltaBuild() {
  const before = await outputTimes();
  const built = await build();
  expect(built.missed).toBe(null);
  expect(built.delta).toBe(true);
  const after = await outputTimes();
  const rewritten = [...after].filter(([file, time]) => file !== OUTPUT_MARKER && before.get(file) !== time).map(([file]) => file).sort();
  return { built, rewritten };
}

/** After `undo`, a delta rewrites the files the edit's delta rewrote (`rewritten`), and the output is a cold build's again. */
async function expectUndoneAsDelta(undo: () => Promise<void>, rewritten: readonly string[]): Promise<void> {
  await undo();
  const undone = await deltaBuild();
  expect(undone.rewritten).toEqual(rewritten);
  await expectSameAsCold(undone.built);
}

/** The German version of the newest story: in the German feeds. */
function newestGerman(): string {
  return [...originals.keys()].filter((file) => file.endsWith("/de.md")).sort().at(-1)!;
}

/** A German version deep in the archive: in no feed. */
function oldGerman(): string {
  return [...originals.keys()].filter((file) => file.endsWith("/de.md")).sort()[3]!;
}

/** The long lower-case words of a body, most frequent first. */
function frequentWords(body: string): string[] {
  const counts = new Map<string, number>();
  for (const word of body.match(/\b[a-zäöüß]{8,}\b/g)!) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([word]) => word);
}

/** The body's `rank`-th most frequent long word replaced by its most frequent (as generated): its related-articles features change. */
async function swapWords(file: string, rank: number): Promise<void> {
  const [head, body] = originals.get(file)!.split("\n---\n") as [string, string];
  const words = frequentWords(body);
  await writeFile(abs(file), `${head}\n---\n${body.replaceAll(new RegExp(`\\b${words[rank]}\\b`, "g"), words[0]!)}`);
}

/**
 * The German version of a story that has no other (English and French pages list it as it is),
 * the first whose headline another German article's related list shows.
 */
async function untranslatedGerman(): Promise<string> {
  const tree = await readTree(abs("public"));
  const articlePages = [...tree].filter(([file]) => /^de\/[^/]+\/index\.html$/.test(file));
  const alone = [...originals.keys()].filter((file) => file.endsWith("/de.md") && ![...originals.keys()].some((other) => other !== file && path.dirname(other) === path.dirname(file)));
  const shown = alone.sort().find((file) => {
    const headline = `>${/^title: "?([^"\n]+)"?$/m.exec(originals.get(file)!)![1]!}<`;
    return articlePages.filter(([, bytes]) => bytes.includes(headline)).length >= 2;
  });
  if (!shown) throw new Error("no untranslated German story in another's related list");
  return shown;
}

/** The German version of the first story that has other versions: their pages link it. */
function translatedGerman(): string {
  const files = [...originals.keys()];
  return files.filter((file) => file.endsWith("/de.md") && files.some((other) => other !== file && path.dirname(other) === path.dirname(file))).sort()[2]!;
}

/** A file's text with another headline (its slug is made from it). */
function withTitle(text: string, title: string): string {
  if (!/^title: .*$/m.test(text)) throw new Error("a fixture without a title");
  return text.replace(/^title: .*$/m, `title: "${title}"`);
}

/** Writes the file with its headline's words turned `turn` places (words the index knows, in another order: another slug). */
async function rotateHeadline(file: string, turn: number): Promise<void> {
  const words = /^title: "?([^"\n]+)"?$/m.exec(originals.get(file)!)![1]!.split(" ");
  const at = turn % words.length;
  await writeFile(abs(file), withTitle(originals.get(file)!, [...words.slice(at), ...words.slice(0, at)].join(" ")));
}

/** The German article pages of the output, sorted. */
async function germanArticlePages(): Promise<string[]> {
  const tree = await readTree(abs("public"));
  return [...tree].filter(([file, bytes]) => /^de\/[^/]+\/index\.html$/.test(file) && bytes.includes('og:type" content="article"')).map(([file]) => file).sort();
}

/** The one page that left `before` and the one that came into `after`. */
function movedPage(before: readonly string[], after: readonly string[]): [string, string] {
  const gone = before.filter((file) => !after.includes(file));
  const came = after.filter((file) => !before.includes(file));
  expect([gone.length, came.length]).toEqual([1, 1]);
  return [gone[0]!, came[0]!];
}

/** A file's text with another summary. */
function withSummary(text: string, summary: string): string {
  if (!/^summary: .*$/m.test(text)) throw new Error("a fixture without a summary");
  return text.replace(/^summary: .*$/m, `summary: "${summary}"`);
}

/** A file's text with the time it was updated after its date line. */
function withUpdated(text: string, updated: string): string {
  if (!/^date: .*$/m.test(text) || /^updated:/m.test(text)) throw new Error("a fixture without a date, or updated already");
  return text.replace(/^date: .*$/m, (line) => `${line}\nupdated: ${updated}`);
}

/** A file's text with another date. */
function withDate(text: string, date: string): string {
  if (!/^date: .*$/m.test(text)) throw new Error("a fixture without a date");
  return text.replace(/^date: .*$/m, `date: ${date}`);
}

/** The German versions' files and dates as generated, newest first. */
function germanByDate(): [file: string, date: string][] {
  return [...originals]
    .filter(([file]) => file.endsWith("/de.md"))
    .map(([file, text]): [string, string] => [file, /^date: "?([^"\n]+)"?$/m.exec(text)![1]!])
    .sort((a, b) => Date.parse(b[1]) - Date.parse(a[1]));
}

/** A minute before or after `date`, in UTC. */
function minuteFrom(date: string, minutes: number): string {
  return new Date(Date.parse(date) + minutes * 60_000).toISOString().replace(".000Z", "Z");
}

/** Two full builds, a byline changed and back: the snapshot is of the content as it is, no delta's edit pending. */
async function freshSnapshot(): Promise<void> {
  const file = oldGerman();
  await writeFile(abs(file), withAuthor(originals.get(file)!, "Erika Mustermann"));
  expect((await build()).delta).toBe(false);
  await restore(file);
  expect((await build()).delta).toBe(false);
}

/** A file's text in another of the site's sections ("Politik", or "Wirtschaft" if it was in that). */
function withCategory(text: string): string {
  const category = /^category: "?([^"\n]+)"?$/m.exec(text)?.[1];
  if (category === undefined) throw new Error("a fixture without a category");
  return text.replace(/^category: .*$/m, `category: "${category === "Politik" ? "Wirtschaft" : "Politik"}"`);
}

/** The byline of a file's text. */
function authorOf(text: string): string {
  const author = /^author: "?([^"\n]+)"?$/m.exec(text)?.[1];
  if (author === undefined) throw new Error("a fixture without an author");
  return author;
}

/** The name of a file's source (`source:` with `name:` and `url:` below it). */
function sourceOf(text: string): string {
  const name = /^source:\n {2}name: "?([^"\n]+)"?$/m.exec(text)?.[1];
  if (name === undefined) throw new Error("a fixture without a source name");
  return name;
}

/** A file's text with its source named otherwise (its URL kept). */
function withSourceName(text: string, name: string): string {
  sourceOf(text);
  return text.replace(/^(source:\n {2}name: ).*$/m, `$1"${name}"`);
}

/** The tags of a file's text, as written. */
function tagsOf(text: string): string[] {
  const block = /^tags:\n((?: {2}- .*\n)+)/m.exec(text);
  if (!block) throw new Error("a fixture without tags");
  return block[1]!.trimEnd().split("\n").map((line) => line.replace(/^ {2}- "?/, "").replace(/"$/, ""));
}

/** A file's text with other tags. */
function withTags(text: string, tags: readonly string[]): string {
  tagsOf(text);
  return text.replace(/^tags:\n(?: {2}- .*\n)+/m, `tags:\n${tags.map((tag) => `  - "${tag}"\n`).join("")}`);
}

/** A file's text with another byline (one no other article has: no author page has it yet, so a full build). */
function withAuthor(text: string, author: string): string {
  if (!/^author: .*$/m.test(text)) throw new Error("a fixture without an author");
  return text.replace(/^author: .*$/m, `author: "${author}"`);
}

/** Writes the file with its headline's first letter in lower case (the same slug, so the same URL); returns the new headline. */
async function lowerHeadline(file: string): Promise<string> {
  const text = originals.get(file)!;
  const headline = /^title: "?([^"\n]+)"?$/m.exec(text)![1]!;
  const lowered = `${headline[0]!.toLowerCase()}${headline.slice(1)}`;
  await writeFile(abs(file), text.replace(`title: "${headline}`, `title: "${lowered}`));
  return lowered;
}

/** The output files that hold `text`, sorted. */
async function filesContaining(text: string): Promise<string[]> {
  const tree = await readTree(abs("public"));
  return [...tree].filter(([file, bytes]) => file !== OUTPUT_MARKER && bytes.includes(text)).map(([file]) => file).sort();
}

async function restore(file: string): Promise<void> {
  await writeFile(abs(file), originals.get(file)!);
}

/**
 * `rounds` builds, each after a random edit (one of `kinds`, to a random file), each equal to a
 * build without the cache; returns how many were deltas.
 */
async function randomRounds(seed: number, rounds: number, kinds: ((file: string, random: () => number) => Promise<unknown>)[]): Promise<number> {
  const random = seededRandom(seed);
  const files = [...originals.keys()];
  let deltas = 0;
  for (let round = 0; round < rounds; round++) {
    const file = files[Math.floor(random() * files.length)]!;
    await kinds[Math.floor(random() * kinds.length)]!(file, random);
    const built = await build();
    if (built.delta) deltas++;
    await expectSameAsCold(built);
  }
  return deltas;
}

/** The file with a topic of another article of its language added, or (half the time) one of its own dropped. */
async function retag(file: string, random: () => number): Promise<void> {
  const own = tagsOf(originals.get(file)!);
  const pool = [...originals].filter(([each]) => path.basename(each) === path.basename(file)).flatMap(([, text]) => tagsOf(text));
  const next = own.length > 1 && random() < 0.5 ? own.filter((_, i) => i !== Math.floor(random() * own.length)) : [...own, pool[Math.floor(random() * pool.length)]!];
  await writeFile(abs(file), withTags(originals.get(file)!, [...new Set(next)]));
}

/** The file with the byline of another article of its language. */
async function rebyline(file: string, random: () => number): Promise<void> {
  const pool = [...originals].filter(([each]) => path.basename(each) === path.basename(file)).map(([, text]) => authorOf(text));
  await writeFile(abs(file), withAuthor(originals.get(file)!, pool[Math.floor(random() * pool.length)]!));
}

/** The file with the source name of another article of its language. */
async function resource(file: string, random: () => number): Promise<void> {
  const pool = [...originals].filter(([each]) => path.basename(each) === path.basename(file)).map(([, text]) => sourceOf(text));
  await writeFile(abs(file), withSourceName(originals.get(file)!, pool[Math.floor(random() * pool.length)]!));
}

let version = 0;

/**
 * A line like the benchmark's edit: words said once are not among the article's most frequent
 * terms, so its related-articles features stay as they were.
 */
async function addSentence(file: string): Promise<void> {
  await appendFile(abs(file), `\nAktualisiert: Fassung ${++version}.\n`);
}

/**
 * A German article of a story in every language (it stands in for no other), whose label (`labelOf`:
 * its byline, its source) other German articles share, given the label most German articles have
 * (`withLabel`): a delta that moves it from the group pages of one (under `segment`) to the other's,
 * their index written again; undone, a delta again. Each build equals a build without the cache.
 */
async function moveBetweenGroups(segment: string, labelOf: (text: string) => string, withLabel: (text: string, label: string) => string): Promise<{ file: string; to: string }> {
  await freshSnapshot();
  const german = [...originals].filter(([file]) => file.endsWith("/de.md"));
  const count = (label: string) => german.filter(([, text]) => labelOf(text) === label).length;
  const labels = [...new Set(german.map(([, text]) => labelOf(text)))].sort((a, b) => count(b) - count(a) || (a < b ? -1 : 1));
  const files = [...originals.keys()];
  const file = german.map(([each]) => each).find((each) => files.filter((other) => path.dirname(other) === path.dirname(each)).length === 3 && count(labelOf(originals.get(each)!)) >= 2 && labelOf(originals.get(each)!) !== labels[0])!;
  expect(file).toBeDefined();
  const [from, to] = [labelOf(originals.get(file)!), labels[0]!];
  const [fromPages, toPages] = [from, to].map((name) => [`de/${segment}/${groupSlug(name, foldName(name), "de")}/index.html`]) as [string[], string[]];
  const groupPages = [...fromPages, ...toPages, `de/${segment}/index.html`];
  const headline = `>${/^title: "?([^"\n]+)"?$/m.exec(originals.get(file)!)![1]!}<`;
  expect(await filesContaining(headline)).toEqual(expect.arrayContaining(fromPages));
  expect(await filesContaining(headline)).not.toEqual(expect.arrayContaining(toPages));
  await writeFile(abs(file), withLabel(originals.get(file)!, to));
  const moved = await deltaBuild();
  expect(moved.rewritten).toEqual(expect.arrayContaining(groupPages));
  expect(await filesContaining(headline)).toEqual(expect.arrayContaining(toPages));
  expect(await filesContaining(headline)).not.toEqual(expect.arrayContaining(fromPages));
  await expectSameAsCold(moved.built);
  await restore(file);
  const back = await deltaBuild();
  expect(back.rewritten).toEqual(expect.arrayContaining(groupPages));
  await expectSameAsCold(back.built);
  return { file, to };
}

describe("delta builds", () => {
  test("the first build is a full one; with nothing changed the next writes nothing", async () => {
    const first = await build();
    expect(first.delta).toBe(false);
    expect(first.missed).toBe(null); // not even tried: no snapshot yet
    expect(existsSync(abs(`${CACHE_DIR}/${SNAPSHOT_FILE}`))).toBe(true);
    const second = await deltaBuild();
    expect(second.rewritten).toEqual([]);
    await expectSameAsCold(second.built);
  });

  test("a sentence added to the newest article rewrites its page and its language's feeds, nothing else", async () => {
    const file = newestGerman();
    await addSentence(file);
    const { built: edited, rewritten: changed } = await deltaBuild();
    const pages = changed.filter((each) => each.endsWith("/index.html"));
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatch(/^de\/[^/]+\/index\.html$/);
    // The German RSS, Atom and JSON feeds.
    const feeds = changed.filter((each) => !pages.includes(each));
    expect(feeds).toHaveLength(3);
    for (const feed of feeds) expect(feed.startsWith("de/")).toBe(true);
    await expectSameAsCold(edited);
  });

  test("an article in no feed: its page only; undoing both edits puts the pages back", async () => {
    const file = oldGerman();
    await addSentence(file);
    const edited = await deltaBuild();
    expect(edited.rewritten).toHaveLength(1);
    await expectSameAsCold(edited.built);
    await restore(file);
    await restore(newestGerman());
    const undone = await build();
    expect(undone.delta).toBe(true);
    await expectSameAsCold(undone);
  });

  test("after deltas, a full build renders the pages they patched (an edit undone, a title changed elsewhere)", async () => {
    const file = oldGerman();
    await addSentence(file);
    expect((await build()).delta).toBe(true);
    await restore(file);
    // Another story's byline: a full build, whose page cache must not trust the patched page's old signature.
    const other = [...originals.keys()].filter((each) => each.endsWith("/de.md")).sort()[10]!;
    await writeFile(abs(other), withAuthor(originals.get(other)!, "Erika Mustermann"));
    const full = await build();
    expect(full.delta).toBe(false);
    expect(full.missed).toMatch(/its author erika mustermann would have a page of its own in de/);
    await expectSameAsCold(full);
    await restore(other);
    const back = await build();
    expect(back.delta).toBe(false);
    await expectSameAsCold(back);
  });

  test("an edit that changes the related-articles features computes the lists it can change again and renders the pages whose list changed; undone, they go back", async () => {
    const file = oldGerman();
    // As many words, so the same reading time: the counts of terms the related lists weigh change.
    await swapWords(file, 1);
    const edited = await deltaBuild();
    const relistedOf = (built: Awaited<ReturnType<typeof build>>) => built.result.timings.find((timing) => timing.stage === "related")?.detail;
    // Its words' counts changed, none gained or lost: the lists that read its weights, not all of them.
    expect(relistedOf(edited.built)).toMatch(/^\d+ lists computed again \(features changed\), \d+ changed$/);
    expect(Number(/^(\d+)/.exec(relistedOf(edited.built)!)![1])).toBeLessThan(edited.built.result.pages.byKind.article!);
    const page = edited.rewritten.find((each) => each.endsWith("/index.html"))!;
    expect(edited.rewritten).toEqual([page]);
    await expectSameAsCold(edited.built);
    // Its frequent words in place of another story's (as many words): it moves into other lists.
    const other = [...originals.keys()].filter((each) => each.endsWith("/de.md")).sort()[20]!;
    const theirs = frequentWords(originals.get(other)!.split("\n---\n")[1]!);
    const [head, body] = originals.get(file)!.split("\n---\n") as [string, string];
    let moved = body;
    frequentWords(body).slice(0, 4).forEach((word, i) => (moved = moved.replaceAll(new RegExp(`\\b${word}\\b`, "g"), theirs[i]!)));
    await writeFile(abs(file), `${head}\n---\n${moved}`);
    const again = await deltaBuild();
    const changedLists = Number(/(\d+) changed/.exec(relistedOf(again.built) ?? "")?.[1]);
    expect(changedLists).toBeGreaterThanOrEqual(2);
    // The edited page, and the pages whose list it entered or left (no feed: an old article).
    expect(again.rewritten).toContain(page);
    const rewrittenPages = again.rewritten.filter((each) => each.endsWith("/index.html")).length;
    expect(rewrittenPages).toBeGreaterThanOrEqual(changedLists);
    expect(rewrittenPages).toBeLessThanOrEqual(changedLists + 1);
    await expectSameAsCold(again.built);
    // Undone: its features are the last full build's again, and the pages earlier deltas changed go back.
    await restore(file);
    const undone = await deltaBuild();
    expect(relistedOf(undone.built)).toBeUndefined();
    expect(undone.rewritten).toEqual(again.rewritten);
    await expectSameAsCold(undone.built);
  });

  test("an edit that changes features misses when the last build's features do not read back, or are in another order than its pages", async () => {
    const file = oldGerman();
    const features = abs(`${CACHE_DIR}/related-features-v3.bin`);
    const bytes = await readFile(features);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 1;
    await writeFile(features, bytes);
    await swapWords(file, 1);
    const full = await build();
    expect(full.missed).toMatch(/related-articles features do not read back/);
    await expectSameAsCold(full);
    // The full build wrote them again; written in another order (with their rows and lists), a document's number is no page's.
    const key = (JSON.parse((await readFile(features, "latin1")).split("\n")[0]!) as { key: string }).key;
    const stored = (await readRelatedFeatures(root, key))!;
    const { docs, rows, lists, margins } = stored;
    const order = docs.map((_, d) => d).reverse();
    const rowOf = (d: number) => [rows.offsets[d]!, rows.offsets[d + 1]!] as const;
    const offsets = Int32Array.from([0, ...order.map((d) => rowOf(d)[1] - rowOf(d)[0])]);
    for (let d = 0; d < order.length; d++) offsets[d + 1]! += offsets[d]!;
    const listOf = (d: number) => Array.from(lists.docs.subarray(lists.offsets[d], lists.offsets[d + 1]), (b) => ({ id: docs[b]!.id, score: 0, reasons: [] }));
    const reversed = { ...rows, offsets, ids: Int32Array.from(order.flatMap((d) => [...rows.ids.subarray(...rowOf(d))])), weights: Float64Array.from(order.flatMap((d) => [...rows.weights.subarray(...rowOf(d))])) };
    expect(await writeRelatedFeatures(root, key, order.map((d) => docs[d]!), reversed, new Map(docs.map((doc, d) => [doc.id, listOf(d)])), { query: Float64Array.from(order, (d) => margins.query[d]!), heap: Float64Array.from(order, (d) => margins.heap[d]!), score: Float64Array.from(order, (d) => margins.score[d]!) })).toBeNull();
    expect((await readRelatedFeatures(root, key))!.order).not.toBe(stored.order);
    await restore(file);
    const again = await build();
    expect(again.missed).toMatch(/related-articles features are not in the order of its pages/);
    await expectSameAsCold(again);
    // Written in page order by that build: the next such edit is a delta again.
    await swapWords(file, 1);
    const delta = await deltaBuild();
    expect(delta.built.result.timings.find((timing) => timing.stage === "related")?.detail).toMatch(/^(every list|\d+ lists) computed again/);
    await expectSameAsCold(delta.built);
    await restore(file);
    await build();
  });

  test("a page edited or deleted in the output by hand is rendered again", async () => {
    await addSentence(oldGerman());
    const tree = [...(await readTree(abs("public"))).keys()];
    const front = tree.find((file) => file === "en/index.html")!;
    await writeFile(abs(`public/${front}`), "edited by hand");
    const repaired = await build();
    expect(repaired.delta).toBe(false);
    expect(repaired.missed).toMatch(/was changed since the last build/);
    await expectSameAsCold(repaired);
    await rm(abs("public/fr/index.html"));
    const again = await build();
    expect(again.missed).toMatch(/was changed since the last build/);
    await expectSameAsCold(again);
    await restore(oldGerman());
  });

  test("an edit saved by renaming a new file over the old one (as many editors save) is still a delta", async () => {
    const file = oldGerman();
    const temporary = `${file}.tmp-save`;
    await writeFile(abs(temporary), `${originals.get(file)!}\nAktualisiert: Fassung ${++version}.\n`);
    await rename(abs(temporary), abs(file));
    const saved = await build();
    expect(saved.missed).toBe(null);
    expect(saved.delta).toBe(true);
    // Told by its story folder, whose time changed: no listing of the whole content.
    expect(saved.result.timings.find((timing) => timing.stage === "delta:content")?.detail).toMatch(/\(story folders as listed\)/);
    await expectSameAsCold(saved);
    // A stray file beside it: the listing warns about it, so the build is a full one.
    await writeFile(abs(`${path.dirname(file)}/notizen.txt`), "Notizen");
    const stray = await build();
    expect(stray.delta).toBe(false);
    expect(stray.result.warnings.some((warning) => warning.message.includes("not a Markdown file"))).toBe(true);
    await expectSameAsCold(stray);
    await rm(abs(`${path.dirname(file)}/notizen.txt`));
    await restore(file);
    await build();
  });

  test("a file added to a story, or a story added, is a full build", async () => {
    const story = path.dirname(oldGerman());
    const added = `${story}/fr.md`;
    await writeFile(abs(added), originals.get(oldGerman())!.replace(/^lang: .*$/m, "lang: fr"));
    const full = await build();
    expect(full.delta).toBe(false);
    await expectSameAsCold(full);
    await rm(abs(added));
    await mkdir(abs("articles/2025-11-30-neu"), { recursive: true });
    await writeFile(abs("articles/2025-11-30-neu/de.md"), originals.get(oldGerman())!);
    const withStory = await build();
    expect(withStory.delta).toBe(false);
    await expectSameAsCold(withStory);
    await rm(abs("articles/2025-11-30-neu"), { recursive: true });
    await build();
  });

  // An article dated near the build date; the build date then moved on twice: still a delta, then not.
  test.each([
    { what: "publishes a future article", story: "2025-12-10-vorschau", date: "2025-12-10T08:00:00+01:00", stillDelta: 86_400, full: 20 * 86_400, missed: /is due/, inNews: false },
    { what: "takes an article out of the news sitemap", story: "2025-11-30-eilmeldung", date: "2025-11-30T12:00:00+01:00", stillDelta: 6 * 3600, full: 2 * 86_400, missed: /leaves the news sitemap/, inNews: true },
  ])("a later build date that $what is a full build", async ({ story, date, stillDelta, full, missed, inNews }) => {
    await mkdir(abs(`articles/${story}`), { recursive: true });
    await writeFile(abs(`articles/${story}/de.md`), originals.get(oldGerman())!.replace(/^date: .*$/m, `date: ${date}`));
    expect((await build()).delta).toBe(false);
    expect((await readFile(abs("public/news-sitemap.xml"), "utf8")).includes(date.slice(0, 10))).toBe(inNews);
    await addSentence(oldGerman());
    process.env.SOURCE_DATE_EPOCH = String(Number(EPOCH) + stillDelta);
    const before = await build();
    expect(before.delta).toBe(true);
    await expectSameAsCold(before);
    process.env.SOURCE_DATE_EPOCH = String(Number(EPOCH) + full);
    const after = await build();
    expect(after.missed).toMatch(missed);
    await expectSameAsCold(after);
    process.env.SOURCE_DATE_EPOCH = EPOCH;
    await rm(abs(`articles/${story}`), { recursive: true });
    await restore(oldGerman());
    await build();
  });

  test("a new summary renders every page that shows it (listing pages in every language, related lists, feeds) and no other; undone, they go back", async () => {
    // An untranslated story: English and French pages list it in its own language.
    const file = await untranslatedGerman();
    const summary = "Neue Zusammenfassung nach der Korrektur der Redaktion.";
    await writeFile(abs(file), withSummary(originals.get(file)!, summary));
    const edited = await deltaBuild();
    const showing = await filesContaining(summary);
    expect(edited.rewritten).toEqual(showing);
    // Front pages and topic pages in all three languages; its own page and another article's (its related list).
    for (const lang of ["de", "en", "fr"]) expect(showing.filter((each) => each.startsWith(`${lang}/`) && !/^[a-z]{2}\/[^/]+\/index\.html$/.test(each)).length, lang).toBeGreaterThanOrEqual(2);
    expect(showing.filter((each) => /^de\/[^/]+\/index\.html$/.test(each)).length).toBeGreaterThanOrEqual(2);
    await expectSameAsCold(edited.built);
    await expectUndoneAsDelta(() => restore(file), edited.rewritten);
  });

  test("the newest story's headline, its slug kept: the language chooser and its feeds show it too", async () => {
    const file = newestGerman();
    const lowered = await lowerHeadline(file);
    const edited = await deltaBuild();
    expect(edited.rewritten).toEqual(await filesContaining(lowered));
    expect(edited.rewritten).toEqual(expect.arrayContaining(["index.html", "de/index.html", "de/feed.xml", "de/feed.json"]));
    await expectSameAsCold(edited.built);
    await expectUndoneAsDelta(() => restore(file), edited.rewritten);
  });

  test("a headline that keeps its slug, and a body that takes longer to read, render the pages that show the card; in the news sitemap too", async () => {
    const file = await untranslatedGerman();
    const [head, body] = originals.get(file)!.split("\n---\n") as [string, string];
    const headline = /^title: "?([^"\n]+)"?$/m.exec(head)![1]!;
    const lowered = await lowerHeadline(file);
    const retitled = await deltaBuild();
    expect(retitled.rewritten.length).toBeGreaterThan(3);
    expect(retitled.rewritten).toEqual(await filesContaining(`>${lowered}<`));
    await expectSameAsCold(retitled.built);
    // Its body twice over: twice the reading time on every card.
    await writeFile(abs(file), `${head}\n---\n${body}\n${body}`);
    const longer = await deltaBuild();
    expect(longer.rewritten.filter((each) => each.startsWith("en/") || each.startsWith("fr/")).length).toBeGreaterThanOrEqual(2);
    await expectSameAsCold(longer.built);
    // A person named twice: a topic it links now, which no German page has yet (a full build makes it).
    await writeFile(abs(file), `${head}\n---\n${body}\nWolodymyr Selenskyj sprach. Selenskyj reiste danach ab.\n`);
    const topic = await build();
    expect(topic.missed).toMatch(/its topic volodymyr-zelensky would have a page of its own in de/);
    await expectSameAsCold(topic);
    await restore(file);
    await build();
    // A story of yesterday: in the news sitemap, which lists its headline.
    const story = "articles/2025-11-30-eilmeldung";
    const dated = originals.get(file)!.replace(/^date: .*$/m, "date: 2025-11-30T12:00:00+01:00");
    await mkdir(abs(story), { recursive: true });
    await writeFile(abs(`${story}/de.md`), dated);
    expect((await build()).delta).toBe(false);
    await writeFile(abs(`${story}/de.md`), dated.replace(headline, lowered));
    const news = await deltaBuild();
    expect(news.rewritten).toContain("news-sitemap.xml");
    expect(news.rewritten).toEqual(await filesContaining(lowered));
    await expectSameAsCold(news.built);
    // Its first headline again: the news sitemap as it was.
    await expectUndoneAsDelta(() => writeFile(abs(`${story}/de.md`), dated), news.rewritten);
    await rm(abs(story), { recursive: true });
    await build();
  });

  test("an article updated: its page, its sitemap entry and its feeds are written again; the time taken out again: as they were", async () => {
    for (const [file, feeds] of [[oldGerman(), 0], [newestGerman(), 3]] as const) {
      await writeFile(abs(file), withUpdated(originals.get(file)!, "2025-11-30T18:45:00+01:00"));
      const updated = await deltaBuild();
      expect(updated.rewritten).toContain("sitemap.xml");
      expect(updated.rewritten.filter((each) => /^de\/[^/]+\/index\.html$/.test(each))).toHaveLength(1);
      expect(updated.rewritten).toHaveLength(2 + feeds);
      expect((await readFile(abs("public/sitemap.xml"), "utf8")).match(/<lastmod>2025-11-30T18:45:00\+01:00<\/lastmod>/g)).toHaveLength(1);
      await expectSameAsCold(updated.built);
      await expectUndoneAsDelta(() => restore(file), updated.rewritten);
    }
  });

  test("a headline that moves the page: written at its new URL, its old file deleted, every page that links it written again; moved twice and back, as before", async () => {
    const file = translatedGerman();
    const before = await germanArticlePages();
    await writeFile(abs(file), withTitle(originals.get(file)!, "Neue Schlagzeile über den Haushalt"));
    const moved = await deltaBuild();
    const [from, to] = movedPage(before, await germanArticlePages());
    expect(to).toBe("de/neue-schlagzeile-ueber-den-haushalt/index.html");
    // Its versions' language switchers, the pages that show its card, its sitemap entry: every file that links it now.
    const linking = await filesContaining(`/${path.dirname(to)}/`);
    expect(linking).toEqual(expect.arrayContaining([to, "sitemap.xml"]));
    expect(linking.filter((each) => /^(en|fr)\/[^/]+\/index\.html$/.test(each)).length).toBeGreaterThanOrEqual(1);
    expect(moved.rewritten).toEqual(expect.arrayContaining(linking));
    expect(await filesContaining(`/${path.dirname(from)}/`)).toEqual([]);
    expect(moved.built.result.timings.find((timing) => timing.stage === "write+commit")?.detail).toMatch(/, 1 deleted$/);
    await expectSameAsCold(moved.built);
    // Moved again: from where the last delta put it.
    await writeFile(abs(file), withTitle(originals.get(file)!, "Zweite Schlagzeile über den Haushalt"));
    const again = await deltaBuild();
    expect(movedPage(before, await germanArticlePages())).toEqual([from, "de/zweite-schlagzeile-ueber-den-haushalt/index.html"]);
    expect(await filesContaining(`/${path.dirname(to)}/`)).toEqual([]);
    await expectSameAsCold(again.built);
    // Back to its first headline: at its first URL, and the patched-pages file knows of no move.
    await restore(file);
    const back = await deltaBuild();
    expect(await germanArticlePages()).toEqual(before);
    expect((JSON.parse(await readFile(abs(`${CACHE_DIR}/patched-v1.json`), "utf8")) as { moved: unknown[] }).moved).toEqual([]);
    await expectSameAsCold(back.built);
    // Moved, then back in a full build (another story's byline changed): its first page is rendered again, not taken for there.
    await writeFile(abs(file), withTitle(originals.get(file)!, "Neue Schlagzeile über den Haushalt"));
    expect((await deltaBuild()).built.delta).toBe(true);
    await restore(file);
    const other = oldGerman();
    await writeFile(abs(other), withAuthor(originals.get(other)!, "Erika Mustermann"));
    const full = await build();
    expect(full.delta).toBe(false);
    expect(await germanArticlePages()).toEqual(before);
    await expectSameAsCold(full);
    await restore(other);
    await build();
  });

  test("a headline whose URL another article has, or wants, or a draft holds: a full build, which decides where each goes", async () => {
    const file = translatedGerman();
    const others = [...originals.keys()].filter((each) => each.endsWith("/de.md") && each !== file).sort();
    const otherTitle = /^title: "?([^"\n]+)"?$/m.exec(originals.get(others[5]!)!)![1]!;
    await writeFile(abs(file), withTitle(originals.get(file)!, otherTitle));
    const taken = await build();
    expect(taken.missed).toMatch(/another page or article has its new URL/);
    expect(taken.result.warnings.some((warning) => warning.message.includes("is already used by"))).toBe(true);
    await expectSameAsCold(taken);
    // Its headline back: the one of the two published elsewhere would get its own URL back.
    await restore(file);
    const back = await build();
    expect(back.missed).toMatch(/an article published elsewhere wants its URL|its last one was not its own slug's/);
    await expectSameAsCold(back);
    // A draft's URL: the checks give it out though the draft has no page.
    await mkdir(abs("articles/2025-11-29-entwurf"), { recursive: true });
    await writeFile(abs("articles/2025-11-29-entwurf/de.md"), withTitle(originals.get(oldGerman())!, "Ein Entwurf der Redaktion").replace(/^date: .*$/m, (line) => `${line}\ndraft: true`));
    expect((await build()).delta).toBe(false);
    await writeFile(abs(file), withTitle(originals.get(file)!, "Ein Entwurf der Redaktion"));
    const draft = await build();
    expect(draft.missed).toMatch(/another page or article has its new URL/);
    await expectSameAsCold(draft);
    await rm(abs("articles/2025-11-29-entwurf"), { recursive: true });
    await restore(file);
    await build();
  });

  test("a new date moves the article within its listings: the pages between its places, its feeds, the chooser and the listing pages' sitemap dates are written again; undone, as before", async () => {
    // No edit of earlier tests pending (one that changes features would have every list computed again).
    await freshSnapshot();
    // The second newest German article (the newest is the only one of its year, which every page shows).
    const dated = germanByDate();
    const [file] = dated[1]!;
    // Third of the German articles: still in the feeds (five), on the first front page, among the chooser's three.
    await writeFile(abs(file), withDate(originals.get(file)!, minuteFrom(dated[3]![1], -1)));
    const within = await deltaBuild();
    expect(within.rewritten).toEqual(expect.arrayContaining(["index.html", "de/index.html", "de/feed.xml", "de/atom.xml", "de/feed.json", "sitemap.xml"]));
    // Time is a feature, but no feature's weight changes: only the lists that could read the article are computed again.
    expect(within.built.result.timings.find((timing) => timing.stage === "related")?.detail).toMatch(/^\d+ lists computed again \(dates moved\), \d+ changed$/);
    await expectSameAsCold(within.built);
    // Older than the feeds' fifth and sixth: the sixth enters them, its item made from its record.
    await writeFile(abs(file), withDate(originals.get(file)!, minuteFrom(dated[6]![1], -1)));
    const out = await deltaBuild();
    expect(out.rewritten).toEqual(expect.arrayContaining(["de/feed.xml", "sitemap.xml"]));
    const feed = await readFile(abs("public/de/feed.xml"), "utf8");
    expect(feed).not.toContain(`>${/^title: "?([^"\n]+)"?$/m.exec(originals.get(file)!)![1]!}<`);
    expect(feed).toContain(`>${/^title: "?([^"\n]+)"?$/m.exec(originals.get(dated[5]![0])!)![1]!}<`);
    await expectSameAsCold(out.built);
    // Older than all but the oldest: onto the last front page, off the first.
    await writeFile(abs(file), withDate(originals.get(file)!, minuteFrom(dated.at(-1)![1], 1)));
    const last = await deltaBuild();
    expect(last.rewritten).toEqual(expect.arrayContaining(["de/index.html", "de/page/2/index.html"]));
    await expectSameAsCold(last.built);
    // Its first date again: every page the deltas changed goes back.
    await restore(file);
    const back = await deltaBuild();
    expect(back.rewritten).toEqual(expect.arrayContaining([...new Set([...within.rewritten, ...out.rewritten, ...last.rewritten])].filter((each) => !each.startsWith(`de/${path.basename(path.dirname(file))}`))));
    await expectSameAsCold(back.built);
  });

  test("a new date and another article's new summary in one build; a date in the news sitemap's two days", async () => {
    const dated = germanByDate();
    await writeFile(abs(dated[4]![0]), withDate(originals.get(dated[4]![0])!, minuteFrom(dated[1]![1], 1)));
    await writeFile(abs(dated[3]![0]), withSummary(originals.get(dated[3]![0])!, "Eine neue Zusammenfassung."));
    const both = await deltaBuild();
    await expectSameAsCold(both.built);
    await restore(dated[4]![0]);
    await restore(dated[3]![0]);
    expect((await deltaBuild()).built.delta).toBe(true);
    // A story of yesterday (the news sitemap's oldest); then the newest German article dated after it, then before it.
    const story = "articles/2025-11-30-eilmeldung";
    await mkdir(abs(story), { recursive: true });
    await writeFile(abs(`${story}/de.md`), withDate(withTitle(originals.get(oldGerman())!, "Eine Eilmeldung der Redaktion"), "2025-11-30T10:00:00+01:00"));
    expect((await build()).delta).toBe(false);
    const [file] = dated[0]!;
    await writeFile(abs(file), withDate(originals.get(file)!, "2025-11-30T12:00:00+01:00"));
    const news = await deltaBuild();
    expect(news.rewritten).toContain("news-sitemap.xml");
    expect(await readFile(abs("public/news-sitemap.xml"), "utf8")).toMatch(/2025-11-30T12:00:00\+01:00[^]*2025-11-30T10:00:00\+01:00/);
    await expectSameAsCold(news.built);
    // Older than the oldest there: a later build date could take it out unseen by the snapshot.
    await writeFile(abs(file), withDate(originals.get(file)!, "2025-11-30T08:00:00+01:00"));
    const oldest = await build();
    expect(oldest.missed).toMatch(/the news sitemap's oldest/);
    await expectSameAsCold(oldest);
    await restore(file);
    await rm(abs(story), { recursive: true });
    await build();
  });

  test("a new date that could change what a full build decides is a full build: after the build date, another newest year, a group's name, a URL another wants", async () => {
    const dated = germanByDate();
    const [file] = dated[0]!;
    await writeFile(abs(file), withDate(originals.get(file)!, "2025-12-24T12:00:00+01:00"));
    const future = await build();
    expect(future.missed).toMatch(/dated after the build date/);
    await expectSameAsCold(future);
    await restore(file);
    await build();
    // A patched-pages file that names a listing page the snapshot does not have (by hand): not trusted.
    const second = dated[1]![0];
    await writeFile(abs(second), withDate(originals.get(second)!, minuteFrom(dated[3]![1], -1)));
    expect((await deltaBuild()).built.delta).toBe(true);
    const patchedFile = abs(`${CACHE_DIR}/patched-v1.json`);
    const patched = JSON.parse(await readFile(patchedFile, "utf8")) as { listed: number[] };
    await writeFile(patchedFile, JSON.stringify({ ...patched, listed: [...patched.listed, 999_999] }));
    await restore(second);
    const tampered = await build();
    expect(tampered.missed).toMatch(/a listing page an earlier delta changed is not in the site snapshot/);
    await expectSameAsCold(tampered);
    // The only story of its year, dated the year before.
    expect(dated.filter(([, date]) => date.startsWith(dated[0]![1].slice(0, 4)))).toHaveLength(1);
    await writeFile(abs(file), withDate(originals.get(file)!, `${Number(dated[0]![1].slice(0, 4)) - 1}-12-31T12:00:00+01:00`));
    const year = await build();
    expect(year.missed).toMatch(/newest year changes/);
    await expectSameAsCold(year);
    await restore(file);
    await build();
    // An old article's tag spelt in lower case (the same topic): dated newest, it would name the topic's pages.
    const old = oldGerman();
    const tag = /^tags:\n {2}- "([^"]+)"/m.exec(originals.get(old)!)![1]!;
    const lowered = originals.get(old)!.replace(`  - "${tag}"`, `  - "${tag.toLowerCase()}"`);
    // Spelt so by an article that does not name the page: a delta (the page keeps its name).
    await writeFile(abs(old), lowered);
    expect((await deltaBuild()).built.delta).toBe(true);
    await writeFile(abs(old), withDate(lowered, minuteFrom(dated[0]![1], 1)));
    const named = await build();
    expect(named.missed).toMatch(/names a group, and how/);
    await expectSameAsCold(named);
    await restore(old);
    await build();
    // Two articles with one headline: the earlier keeps the plain slug, which the later one wants; dated after it, it would not.
    const [later, earlier] = [dated[5]![0], dated[9]![0]];
    const headline = /^title: "?([^"\n]+)"?$/m.exec(originals.get(earlier)!)![1]!;
    await writeFile(abs(later), withTitle(originals.get(later)!, headline));
    expect((await build()).delta).toBe(false);
    await writeFile(abs(earlier), withDate(originals.get(earlier)!, minuteFrom(dated[5]![1], 5)));
    const holder = await build();
    expect(holder.missed).toMatch(/wants its URL/);
    await expectSameAsCold(holder);
    await restore(earlier);
    await writeFile(abs(later), withDate(withTitle(originals.get(later)!, headline), minuteFrom(dated[5]![1], -5)));
    const relocated = await build();
    expect(relocated.missed).toMatch(/its URL is not its own slug's/);
    await expectSameAsCold(relocated);
    await restore(later);
    await build();
  });

  test("new topics move the article between topic pages: those it joins and leaves (every page shows the count), their indexes; undone, as before", async () => {
    await freshSnapshot();
    // A German story without other versions: English and French pages list it in their place, and their topic pages where they have its topic.
    const file = await untranslatedGerman();
    const own = tagsOf(originals.get(file)!);
    const german = [...originals].filter(([each]) => each.endsWith("/de.md") && each !== file).flatMap(([, text]) => tagsOf(text));
    const english = new Set([...originals].filter(([each]) => each.endsWith("/en.md")).flatMap(([, text]) => tagsOf(text)));
    // A German topic that English articles carry too (spelt alike), which the article has not.
    const joined = [...new Set(german)].sort().find((tag) => english.has(tag) && !own.includes(tag))!;
    expect(joined).toBeDefined();
    const headline = `>${/^title: "?([^"\n]+)"?$/m.exec(originals.get(file)!)![1]!}<`;
    const topicPages = async () => (await filesContaining(headline)).filter((each) => /^[a-z]{2}\/(themen|topics|sujets)\/[^/]+\/index\.html$/.test(each));
    const before = await topicPages();
    await writeFile(abs(file), withTags(originals.get(file)!, [joined, ...own]));
    const join = await deltaBuild();
    const after = await topicPages();
    const entered = after.filter((each) => !before.includes(each));
    expect(entered.map((each) => each.slice(0, 3)).sort()).toEqual(["de/", "en/", "fr/"]);
    expect(join.rewritten).toEqual(expect.arrayContaining([...entered, "de/themen/index.html", "en/topics/index.html", "fr/sujets/index.html"]));
    await expectSameAsCold(join.built);
    // One of its topics dropped (another German article has it: its page stays).
    const dropped = own.find((tag) => german.includes(tag))!;
    expect(dropped).toBeDefined();
    await writeFile(abs(file), withTags(originals.get(file)!, [joined, ...own.filter((tag) => tag !== dropped)]));
    const leave = await deltaBuild();
    expect((await topicPages()).length).toBe(after.length - 1);
    await expectSameAsCold(leave.built);
    // As it was: every page the deltas changed goes back.
    await restore(file);
    const back = await deltaBuild();
    expect(back.rewritten).toEqual(expect.arrayContaining([...entered, "de/themen/index.html", "en/topics/index.html"]));
    expect(await topicPages()).toEqual(before);
    await expectSameAsCold(back.built);
  });

  test("a byline another German article has: the article moves from its author's pages to the other's, their index and the cards that show it follow; undone, as before", async () => {
    await moveBetweenGroups("autoren", authorOf, withAuthor);
  });

  test("a source another German article has: the article moves between source pages, their index follows; undone, as before; a copy that becomes the site's own under a noindex policy, a full build", async () => {
    const { file, to } = await moveBetweenGroups("quellen", sourceOf, withSourceName);
    // A copy kept out of search engines' index: another source's name keeps it a copy (a delta); no source makes it the site's own, which its versions' pages list (a full build).
    const noindex = originals.get(file)!.replace(/^lang: .*$/m, (line) => `${line}\nseo: noindex`);
    await writeFile(abs(file), noindex);
    expect((await build()).delta).toBe(false);
    await writeFile(abs(file), withSourceName(noindex, to));
    await expectSameAsCold((await deltaBuild()).built);
    await writeFile(abs(file), noindex.replace(/^source:\n(?: {2}.*\n)+/m, ""));
    const policy = await build();
    expect(policy.missed).toMatch(/its source changed, and its copy policy reads it/);
    await expectSameAsCold(policy);
    await restore(file);
    await build();
  });

  test("new topics that could change what a full build decides are a full build: a new topic page, one left empty, a topic named otherwise", async () => {
    const file = await untranslatedGerman();
    const own = tagsOf(originals.get(file)!);
    await writeFile(abs(file), withTags(originals.get(file)!, ["Ein völlig neues Thema", ...own]));
    const made = await build();
    expect(made.missed).toMatch(/would have a page of its own/);
    await expectSameAsCold(made);
    await restore(file);
    await build();
    // A topic only this article has.
    const others = [...originals].filter(([each]) => each.endsWith("/de.md") && each !== file).flatMap(([, text]) => tagsOf(text));
    const alone = own.find((tag) => !others.includes(tag))!;
    expect(alone).toBeDefined();
    await writeFile(abs(file), withTags(originals.get(file)!, own.filter((tag) => tag !== alone)));
    const emptied = await build();
    expect(emptied.missed).toMatch(/left without an article of its language/);
    await expectSameAsCold(emptied);
    await restore(file);
    await build();
    // The newest German article names its topics' pages: its tag spelt in lower case would rename one.
    const newest = newestGerman();
    const tag = tagsOf(originals.get(newest)!)[0]!;
    await writeFile(abs(newest), withTags(originals.get(newest)!, [tag.toLowerCase(), ...tagsOf(originals.get(newest)!).slice(1)]));
    const renamed = await build();
    expect(renamed.missed).toMatch(/names a group, and how/);
    await expectSameAsCold(renamed);
    await restore(newest);
    await build();
  });

  test("random edits, undos, titles, summaries, words, dates, topics, bylines and sources changed: every build equals a build without the cache", async () => {
    const title = async (file: string) => writeFile(abs(file), originals.get(file)!.replace(/^title: "?/m, (start) => `${start}Neu: `));
    const swap = async (file: string, random: () => number) => swapWords(file, 1 + Math.floor(random() * 3));
    const summary = async (file: string, random: () => number) => writeFile(abs(file), withSummary(originals.get(file)!, `Zusammenfassung ${Math.floor(random() * 3)}.`));
    const updated = async (file: string, random: () => number) => writeFile(abs(file), withUpdated(originals.get(file)!, `2025-11-${10 + Math.floor(random() * 20)}T12:00:00+01:00`));
    const redate = async (file: string, random: () => number) => {
      const [month, day, hour] = [1 + Math.floor(random() * 10), 1 + Math.floor(random() * 28), Math.floor(random() * 24)].map((n) => String(n).padStart(2, "0"));
      await writeFile(abs(file), withDate(originals.get(file)!, `2025-${month}-${day}T${hour}:00:00+01:00`));
    };
    expect(await randomRounds(Number(process.env.DELTA_SEED ?? 20261205), 18, [restore, addSentence, addSentence, title, swap, summary, summary, lowerHeadline, updated, redate, redate, retag, retag, rebyline, resource])).toBeGreaterThan(0);
  }, 120_000);
});

describe("delta builds of the compiled code (the checks on a worker thread, as `gazette build` runs them for large sites)", () => {
  beforeAll(() => {
    process.env.GAZETTE_SCAN_THREAD = "1"; // this small site's checks would run on the main thread
  });
  afterAll(() => {
    delete process.env.GAZETTE_SCAN_THREAD;
  });

  /** The compiled buildSite: the tests above run the sources, whose checks run on this thread. */
  async function compiledBuild() {
    const compiled = path.join(REPO_ROOT, "dist/build.js");
    if (!existsSync(compiled)) throw new Error("dist/ is missing: `npm test` compiles it first (npm run compile)");
    expect(existsSync(path.join(REPO_ROOT, "dist/delta/check-worker.js"))).toBe(true);
    const { buildSite: build } = (await import(compiled)) as typeof import("../../src/build.js");
    const result = await build({ root, cache: true });
    const timing = (stage: string) => result.timings.find((each) => each.stage === stage);
    return { result, delta: timing("delta:content") !== undefined, missed: timing("delta")?.detail ?? null, read: timing("load+normalize")?.detail ?? "", checked: timing("delta:content")?.detail ?? "" };
  }

  test("a body edit is applied from the worker's first guess; a byline edit misses as soon as it is read", async () => {
    for (const file of originals.keys()) await restore(file);
    expect((await compiledBuild()).delta).toBe(false); // another code hash: a full build
    await addSentence(oldGerman());
    const body = await compiledBuild();
    expect(body.missed).toBe(null);
    expect(body.delta).toBe(true);
    expect(body.read).toMatch(/read while the content was checked/);
    expect(body.checked).toMatch(/on a worker thread/);
    await expectSameAsCold(body);
    await writeFile(abs(newestGerman()), withCategory(originals.get(newestGerman())!));
    const dated = await compiledBuild();
    expect(dated.missed).toMatch(/more than its body and card changed \(category\)/);
    expect(dated.delta).toBe(false);
    await expectSameAsCold(dated);
    // Two files edited: the guess (the first found) is not all there is; the answer is applied.
    await restore(newestGerman());
    await restore(oldGerman());
    await compiledBuild();
    await addSentence(oldGerman());
    await addSentence(newestGerman());
    const two = await compiledBuild();
    expect(two.missed).toBe(null);
    expect(two.read).toMatch(/^2 edited files$/);
    await expectSameAsCold(two);
    // Without the setting, this small site's checks run on the main thread (a worker's start costs more).
    delete process.env.GAZETTE_SCAN_THREAD;
    await restore(oldGerman());
    const small = await compiledBuild();
    expect(small.delta).toBe(true);
    expect(small.checked).not.toMatch(/worker/);
    await expectSameAsCold(small);
  }, 120_000);

  test("lists computed again with the related helper thread asked for (GAZETTE_RELATED_THREAD=1) are those of a cold build", async () => {
    process.env.GAZETTE_RELATED_THREAD = "1";
    try {
      for (const file of originals.keys()) await restore(file);
      await compiledBuild();
      // A new summary changes its related-articles features: the lists are computed again.
      await writeFile(abs(oldGerman()), withSummary(originals.get(oldGerman())!, "Neue Zusammenfassung über Hafenkräne und Brückenzölle."));
      const edited = await compiledBuild();
      expect(edited.missed).toBe(null);
      expect(edited.delta).toBe(true);
      expect(edited.result.timings.find((timing) => timing.stage === "related")?.detail).toMatch(/computed again/);
      await expectSameAsCold(edited);
    } finally {
      delete process.env.GAZETTE_RELATED_THREAD;
    }
  }, 120_000);
});

describe("delta builds with the search index (German in four slices, English in two, French in the main bundle)", () => {
  let config: string;
  beforeAll(async () => {
    for (const file of originals.keys()) await restore(file);
    config = await readFile(abs("gazette.config.yml"), "utf8");
    await writeFile(abs("gazette.config.yml"), config.replace("search: false", "search: true"));
    // 40 German pages, 26 English, 11 French (the config allows no slices this small).
    process.env.GAZETTE_SEARCH_SLICE_PAGES = "16";
  });

  afterAll(async () => {
    delete process.env.GAZETTE_SEARCH_SLICE_PAGES;
    await writeFile(abs("gazette.config.yml"), config);
    for (const file of originals.keys()) await restore(file);
  });

  /** The bundles of the search index files among `files`: a slice's ("de-2") or the main one ("main"). */
  const bundles = (files: readonly string[]): string[] => [...new Set(files.filter((file) => file.startsWith("pagefind/")).map((file) => /^pagefind\/([a-z]+-\d+)\//.exec(file)?.[1] ?? "main"))].sort();
  const searchDetail = (built: Awaited<ReturnType<typeof build>>): string | null => built.result.timings.find((timing) => timing.stage === "search")?.detail ?? null;
  /** What the patched-pages file says the deltas since the last full build did to the index. */
  const patchedSearch = async (): Promise<{ removed: string[]; added: string[] } | undefined> =>
    (JSON.parse(await readFile(abs(`${CACHE_DIR}/patched-v1.json`), "utf8")) as { search?: { removed: string[]; added: string[] } }).search;
  /** German words every German page has, and none of them a related-articles feature (stop words): the language's vocabulary and the related lists stay. */
  const KNOWN_WORDS = "\nDie und das aber.\n";

  test("turning search on is a full build; with nothing changed the next is a delta that writes nothing", async () => {
    expect((await build()).delta).toBe(false);
    const again = await deltaBuild();
    expect(again.rewritten).toEqual([]);
    await expectSameAsCold(again.built);
  });

  test("an index state that does not read back: a delta that changes no article page needs none; one that does is a full build", async () => {
    const state = abs(`${CACHE_DIR}/pages-v1.bin`);
    const bytes = await readFile(state);
    await writeFile(state, bytes.subarray(0, 10));
    expect((await deltaBuild()).rewritten).toEqual([]);
    await addSentence(oldGerman());
    const full = await build();
    expect(full.missed).toMatch(/the search index's state does not read back/);
    await expectSameAsCold(full);
    // The next tests start from a full build of the articles as generated.
    await restore(oldGerman());
    await rm(abs(`${CACHE_DIR}/${SNAPSHOT_FILE}`));
    expect((await build()).delta).toBe(false);
  });

  test("known words added to a German article: its slice is indexed again, no other part of the index", async () => {
    await appendFile(abs(oldGerman()), KNOWN_WORDS);
    const { built, rewritten } = await deltaBuild();
    const slice = /^(de-\d) indexed again, \d+ files changed, \d+ deleted$/.exec(searchDetail(built) ?? "")?.[1];
    expect(slice, searchDetail(built) ?? "no search stage").toBeDefined();
    expect(bundles(rewritten)).toEqual([slice]);
    expect(rewritten.filter((file) => !file.startsWith("pagefind/"))).toHaveLength(1); // the page
    await expectSameAsCold(built);
  });

  test("a word new to German: every German slice is indexed again; a French edit makes the main bundle again", async () => {
    await appendFile(abs(newestGerman()), "\nZebrastreifenquatsch.\n");
    const german = await deltaBuild();
    expect(bundles(german.rewritten)).toEqual(["de-0", "de-1", "de-2", "de-3"]);
    await expectSameAsCold(german.built);
    const french = [...originals.keys()].filter((file) => file.endsWith("/fr.md")).sort()[2]!;
    await addSentence(french);
    const main = await deltaBuild();
    expect(searchDetail(main.built)).toMatch(/^fr indexed again/);
    expect(bundles(main.rewritten)).toEqual(["main"]);
    await expectSameAsCold(main.built);
  });

  test("a German summary in known words: the listing pages that show it are written, not indexed; the article's slice is indexed again", async () => {
    const file = oldGerman();
    await writeFile(abs(file), withSummary(originals.get(file)!, KNOWN_WORDS.trim()));
    const { built, rewritten } = await deltaBuild();
    const slice = /^(de-\d) indexed again, \d+ files changed, \d+ deleted$/.exec(searchDetail(built) ?? "")?.[1];
    expect(slice, searchDetail(built) ?? "no search stage").toBeDefined();
    expect(bundles(rewritten)).toEqual([slice]);
    expect(rewritten.filter((each) => /^de\/(themen|autoren|quellen)\//.test(each)).length).toBeGreaterThan(0);
    await expectSameAsCold(built);
  });

  test("every edit undone: the index is the full build's again, file for file", async () => {
    expect((await patchedSearch())?.added.length).toBeGreaterThan(0);
    for (const [file, text] of originals) if ((await readFile(abs(file), "utf8")) !== text) await restore(file);
    const undone = await build();
    expect(undone.missed).toBe(null);
    expect(undone.delta).toBe(true);
    expect(await patchedSearch()).toMatchObject({ removed: [], added: [] });
    await expectSameAsCold(undone);
  });

  test("a headline that moves a German page: a delta, which indexes the slices it leaves and joins again; moved back, as the full build", async () => {
    const file = translatedGerman();
    const before = await germanArticlePages();
    const undone = await readTree(abs("public"));
    // Its headline's words in other orders (no word new to German, which would index every slice again),
    // until one moves the page to another slice (a hash of its URL decides).
    let crossed: Awaited<ReturnType<typeof deltaBuild>> | null = null;
    for (const turn of [1, 2, 3, 4]) {
      await rotateHeadline(file, turn);
      const moved = await deltaBuild();
      movedPage(before, await germanArticlePages());
      await expectSameAsCold(moved.built);
      if (bundles(moved.rewritten).length === 2) crossed = moved;
    }
    expect(crossed, "no headline moved the page to another slice").not.toBeNull();
    expect(searchDetail(crossed!.built)).toMatch(/^de-\d, de-\d indexed again/);
    await restore(file);
    const back = await deltaBuild();
    await expectSameAsCold(back.built);
    // Every file as before the first move, the index's too.
    const now = await readTree(abs("public"));
    for (const tree of [now, undone]) tree.delete(OUTPUT_MARKER);
    expect([...now.keys()].sort()).toEqual([...undone.keys()].sort());
  });

  test("a file a delta added to the index, deleted by hand: the next build is a full one and puts it back", async () => {
    await appendFile(abs(oldGerman()), KNOWN_WORDS);
    expect((await build()).delta).toBe(true);
    const added = (await patchedSearch())!.added.find((file) => file.includes("/fragment/"))!;
    expect(added).toBeDefined();
    await rm(abs(`public/${added}`));
    const full = await build();
    expect(full.missed).toMatch(/was changed since the last build/);
    expect(existsSync(abs(`public/${added}`))).toBe(true);
    await expectSameAsCold(full);
  });

  test("an edit while another German article page was changed by hand: the index the delta made meanwhile is not used; a full build", async () => {
    await appendFile(abs(oldGerman()), KNOWN_WORDS);
    const tree = await readTree(abs("public"));
    // A German article page the edit does not render: the delta indexes its language again, reading it.
    const other = [...tree].find(([file, bytes]) => /^de\/[^/]+\/index\.html$/.test(file) && bytes.includes('og:type" content="article"') && !bytes.includes(KNOWN_WORDS.trim()))![0];
    await writeFile(abs(`public/${other}`), "edited by hand");
    const full = await build();
    expect(full.delta).toBe(false);
    expect(full.missed).toMatch(/was changed since the last build/);
    await expectSameAsCold(full);
  });

  test("after a delta, a full build keeps the slices it made (their pages are the delta's)", async () => {
    await restore(oldGerman());
    const delta = await deltaBuild();
    const slice = /^(de-\d) indexed again/.exec(searchDetail(delta.built) ?? "")?.[1];
    expect(slice).toBeDefined();
    const sliceFiles = [...(await outputTimes())].filter(([file]) => file.startsWith(`pagefind/${slice}/`));
    expect(sliceFiles.length).toBeGreaterThan(5);
    // Without the site snapshot: a full build, whose pages are the delta's.
    await rm(abs(`${CACHE_DIR}/${SNAPSHOT_FILE}`));
    const full = await build();
    expect(full.delta).toBe(false);
    for (const [file, time] of sliceFiles) expect((await stat(abs(`public/${file}`))).mtimeMs, file).toBe(time);
    await expectSameAsCold(full);
  });

  test("random edits with the search index on: every build equals a build without the cache", async () => {
    const knownWords = async (file: string) => appendFile(abs(file), KNOWN_WORDS);
    const swap = async (file: string, random: () => number) => swapWords(file, 1 + Math.floor(random() * 3));
    const moveHeadline = async (file: string, random: () => number) => rotateHeadline(file, 1 + Math.floor(random() * 3));
    const redate = async (file: string, random: () => number) => writeFile(abs(file), withDate(originals.get(file)!, `2025-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 10)}T12:00:00+01:00`));
    expect(await randomRounds(Number(process.env.DELTA_SEED ?? 20261206), 10, [restore, knownWords, swap, addSentence, moveHeadline, moveHeadline, redate, retag])).toBeGreaterThan(0);
  }, 120_000);

  test("German slices moved out of the output, links left in their place: the delta, which would delete through one, misses; nothing outside is lost", async () => {
    for (const file of originals.keys()) await restore(file);
    await rm(abs(`${CACHE_DIR}/${SNAPSHOT_FILE}`));
    expect((await build()).delta).toBe(false);
    const outside = abs("outside-slices");
    await mkdir(outside);
    const moved: string[] = [];
    for (const folder of (await readdir(abs("public/pagefind"))).filter((name) => /^de-\d$/.test(name))) {
      await rename(abs(`public/pagefind/${folder}`), path.join(outside, folder)); // times kept: the output check sees the same files
      await symlink(path.join(outside, folder), abs(`public/pagefind/${folder}`));
      for (const file of await readdir(path.join(outside, folder), { recursive: true })) moved.push(path.join(outside, folder, file));
    }
    expect(moved.length).toBeGreaterThan(20);
    try {
      await appendFile(abs(oldGerman()), KNOWN_WORDS);
      const built = await build();
      expect(built.missed).toMatch(/is not a plain folder/);
      for (const file of moved) expect(existsSync(file), file).toBe(true);
      await expectSameAsCold(built);
    } finally {
      await rm(outside, { recursive: true, force: true });
      await restore(oldGerman());
    }
  });
});

describe("delta builds of the repository's own stories (translations that name their original)", () => {
  const copy = useProjectCopy();
  let site: string;
  beforeAll(async () => {
    process.env.SOURCE_DATE_EPOCH = EPOCH;
    site = copy();
    await appendFile(path.join(site, "gazette.config.yml"), "\nsearch: false\n");
  });
  afterAll(() => {
    delete process.env.SOURCE_DATE_EPOCH;
  });

  /** A build with the cache, which must be a delta, and its output equal to a build without the cache. */
  async function expectDeltaAsCold(): Promise<void> {
    const result = await buildSite({ root: site, cache: true });
    expect(result.timings.find((timing) => timing.stage === "delta")?.detail ?? null).toBe(null);
    expect(result.timings.some((timing) => timing.stage === "delta:content")).toBe(true);
    await buildSite({ root: site, out: path.join(site, "cold"), cache: false });
    const [warm, cold] = await Promise.all([readTree(path.join(site, "public")), readTree(path.join(site, "cold"))]);
    warm.delete(OUTPUT_MARKER);
    cold.delete(OUTPUT_MARKER);
    expect([...warm.keys()].sort()).toEqual([...cold.keys()].sort());
    for (const [file, bytes] of cold) expect(warm.get(file)!.equals(bytes), file).toBe(true);
    await rm(path.join(site, "cold"), { recursive: true, force: true });
  }

  test("a sentence added to an original, then to its translation: each page, rendered with its versions' cards, names the other as a build without the cache does", async () => {
    const story = path.join(site, "articles/trump-putin-telefonat-ohne-fortschritte");
    expect(await readFile(path.join(story, "en.md"), "utf8")).toMatch(/^translated_from: de$/m);
    await buildSite({ root: site, cache: true });
    const page = await readFile(path.join(site, "public/de/telefonat-zwischen-trump-und-putin-endet-ohne-fortschritte-zur-beendigung-des/index.html"), "utf8");
    expect(page).toMatch(/"workTranslation":\[\{"@id":"[^"]+\/en\//);
    await appendFile(path.join(story, "de.md"), "\nEin weiterer Satz, der nur die Seite selbst ändert.\n");
    await expectDeltaAsCold();
    await appendFile(path.join(story, "en.md"), "\nOne more sentence that changes only the page itself.\n");
    await expectDeltaAsCold();
  }, 120_000);
});
