/**
 * A delta build: `gazette build` after an edit that changes nothing another page shows of the
 * article (a sentence or a paragraph added, a typo fixed: its page fields and warnings as they
 * were). Then only the article's own page, its language's feeds if it is in them, the pages
 * whose related list the edit changed (its related-articles features count its words: see
 * relist-related.ts) and the parts of the search index that hold a changed page
 * (reindex-search.ts) can differ from the last full build's output; they are rendered from the
 * site snapshot (cache/site-snapshot.ts) and the edited files, and replace their files in place.
 * A new card (headline, summary, reading time, time updated) renders the pages that show it too,
 * and a headline that moves the page to another URL the pages that link it (move-pages.ts); a
 * new date moves the article within its listings, new tags, byline or source between group pages
 * (update-listings.ts, regroup-listings.ts).
 * The other 20,000 records, the index and 34,000 signatures are never loaded.
 *
 * Everything else, or any doubt, is a miss: the caller builds in full. The tests compare every
 * delta's output with a build without the cache, byte for byte (tests/integration/delta-build.test.ts).
 */
import { lstatSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { RenderedPage } from "../types.js";
import { buildDate, configOverrides, prepareTheme, protectedDirsOf, type BuildOptions, type BuildResult, type StageTiming } from "../build.js";
import { ParsedSources } from "../cache/parsed-sources.js";
import { engineKey } from "../cache/record-cache.js";
import { pageCacheKey, readOutputMarker, readPatched, writePatched, type PatchedSearch } from "../cache/page-cache.js";
import { checkedAs, readSiteSnapshot, readSnapshotFrame, type SiteSnapshot, type SnapshotFrame } from "../cache/site-snapshot.js";
import { loadConfig } from "../config/load-config.js";
import type { ContentFile } from "../content/load-content.js";
import { loadEntities } from "../content/load-entities.js";
import { scanContentSoon } from "../content/scan-content.js";
import { DiagnosticSink } from "../errors/diagnostics.js";
import { SiteUrls } from "../i18n/urls.js";
import { createDiskWriter } from "../output/write-output.js";
import { startChecks, type EditedFile, type RunningChecks } from "./check-snapshot.js";
import { changedOutputs, moveMiss, movedSince, pageMoves, type PageMove } from "./move-pages.js";
import type { AppliedEdit } from "./read-edits.js";
import type { UpdatedListings } from "./update-listings.js";

export type DeltaOutcome = { result: BuildResult } | { miss: string };

/** Edits read and their pages rendered, not written yet. */
interface AppliedEdits {
  edits: AppliedEdit[];
  /** Pages whose related list differs from the snapshot's now. */
  relisted: number[];
  /** Listing pages rendered because they show an edited card, or a new date moved articles on them (not in the search index). */
  listings: number[];
  /** What new dates and labels (topics, authors, source) changed of the listings (see update-listings.ts). */
  updated: UpdatedListings | null;
  /** Indexes of groups rendered because groups' counts changed (not in the search index). */
  indexPaths: string[];
  /** Edited pages whose URL differs from the last full build's now, or did after an earlier delta. */
  moves: PageMove[];
  /** Pages rendered, and those of them whose bytes differ from the output's. */
  rendered: number;
  changed: RenderedPage[];
  readMs: number;
  /** Lists computed again and the records of their pages read; null when no edit changed features. */
  relistMs: number | null;
  /** "every list computed again", or how many (a new date: those it can change). */
  relistDetail: string;
  renderMs: number;
}

/** Below this size of the snapshot's file lists (~1,000 content and output files), the checks run on this thread: a worker's start costs more. */
const INLINE_CHECK_BYTES = 64 * 1024;

/** Whether the checks run on this thread: GAZETTE_SCAN_THREAD=0 or 1 when set (tests run both ways), else by the snapshot's size. */
function checksInline(frame: SnapshotFrame, env: NodeJS.ProcessEnv = process.env): boolean {
  const configured = env.GAZETTE_SCAN_THREAD;
  if (configured === "0" || configured === "1") return configured === "0";
  return frame.sections.files[0] + frame.sections.outputs[0] < INLINE_CHECK_BYTES;
}

/** Above this many files edited since the last full build, a full build is as quick and refreshes the snapshot. */
const MAX_DELTA_FILES = 32;

/** Above this many pages to render besides the edited ones (related lists, cards), a full build is about as quick. */
const MAX_CARD_PAGES = 800;

export async function applyDelta(options: BuildOptions): Promise<DeltaOutcome> {
  const checks: RunningChecks[] = [];
  try {
    const outcome = await tryDelta(options, checks);
    if ("miss" in outcome) for (const check of checks) check.stop();
    return outcome;
  } catch (error) {
    for (const check of checks) check.stop();
    throw error;
  }
}

async function tryDelta(options: BuildOptions, checks: RunningChecks[]): Promise<DeltaOutcome> {
  const started = performance.now();
  const timings: StageTiming[] = [];
  const { root } = options;
  const drafts = options.drafts ?? false;
  const sources = await ParsedSources.open(root);
  const config = await loadConfig(root, configOverrides(options), sources);
  const contentDir = path.resolve(root, config.paths.content);
  const outDir = path.resolve(config.root, config.paths.out);
  const frame = readSnapshotFrame(root);
  if (!frame) return { miss: "no site snapshot" };
  const marker = await readOutputMarker(outDir);
  if (marker === null || marker.build !== frame.buildId) return { miss: "the output is not the last full build's" };
  const patched = await readPatched(root, frame.buildId);
  // The content is checked on a thread of its own while this one prepares (see check-snapshot.ts).
  const running = startChecks(
    { root, buildId: frame.buildId, contentDir, listedAt: frame.listedAt, include: patched.files },
    { root, buildId: frame.buildId, outDir, committedAt: marker.committedAt, ...changedOutputs(patched) },
    checksInline(frame),
  );
  checks.push(running);
  // Rendering loads meanwhile (most of the modules: the checks start first); reading and
  // normalizing once a changed file is found (a build with nothing changed never loads them).
  const stages = Promise.all([import("./render-edits.js"), import("../render/render-pages.js"), import("../normalize/entities.js"), import("./update-listings.js"), import("./regroup-listings.js")]);
  stages.catch(() => undefined);
  let editStages: Promise<[typeof import("./read-edits.js"), typeof import("./relist-related.js")]> | null = null;
  const loadEditStages = () => (editStages ??= Promise.all([import("./read-edits.js"), import("./relist-related.js")]));
  void running.guess.then((files) => files && loadEditStages().catch(() => undefined));
  const snapshot = await readSiteSnapshot(root);
  if (!snapshot || snapshot.head.buildId !== frame.buildId) return { miss: "the site snapshot does not read back" };
  const { head } = snapshot;

  const sink = new DiagnosticSink();
  const entityDefinitions = await loadEntities(root, config.paths.data, sink, sources);
  if (sink.errors.length > 0) return { miss: "the entity table has errors" };
  const engine = engineKey(config, entityDefinitions);
  const theme = await prepareTheme(config, sources);
  // The checks' stages are times since the delta started (they overlap the others).
  timings.push({ stage: "delta:prepare", ms: performance.now() - started, detail: "config, snapshot, entities, theme" });
  if (pageCacheKey(engine, theme.hash, { outDir, drafts }) !== head.key) return { miss: "the code, config, entities, theme or options changed" };
  const [{ renderEdits, listingNumbers }, { inNewsWindow }, { compileEntityTable }, { updateListings }, { regroupListings }] = await stages;
  const date = buildDate();
  const dateMiss = buildDateMiss(snapshot, date, inNewsWindow);
  if (dateMiss) return { miss: dateMiss };
  const normalizeContext = { config, entities: compileEntityTable(entityDefinitions) };

  /** The edited files read, normalized and compared with their records; their pages rendered, and those whose bytes differ from the output's. */
  const applyEdits = async (edited: EditedFile[]): Promise<AppliedEdits | { miss: string }> => {
    const candidates = edited.map(([, file]): ContentFile => {
      const absolute = path.resolve(root, file);
      return { absolute, file, storyKey: path.basename(path.dirname(absolute)) };
    });
    let stageStarted = performance.now();
    const [{ readEdits, readPageRecords, cardPages }, { relistRelated }] = await loadEditStages();
    const hashes = new Map(edited.map(([, file, hash]) => [file, hash]));
    const read = await readEdits({ root, contentDir, normalizeContext, engine, snapshot, candidates, hashes, reapply: patched.files, fileIndex: new Map(edited.map(([index, file]) => [file, index])) });
    if ("miss" in read) return read;
    const moves = pageMoves(read.edits, patched.moved);
    const moveMissed = moves.length === 0 ? null : moveMiss(moves, root, snapshot, patched);
    if (moveMissed !== null) return { miss: moveMissed };
    const cards = cardPages(read.edits, patched.carded, patched.sitemapped, moves);
    const articlesOf = async (numbers: readonly number[]) => {
      const unread = await readPageRecords(root, engine, snapshot, numbers, read.records);
      return unread ?? new Map(numbers.map((number) => [number, checkedAs(read.records.get(snapshot.page(number).file)!.article, snapshot.page(number))]));
    };
    const earlier = { files: patched.redated, listed: patched.listed, lastmods: patched.lastmods };
    const regrouping = regroupListings(snapshot, read.edits);
    if (typeof regrouping === "string") return { miss: regrouping };
    const updated = await updateListings({ snapshot, edits: read.edits, regrouping, earlier, perPage: config.perPage, buildDate: date, inNewsWindow, articlesOf });
    if ("miss" in updated) return updated;
    const listings = listingNumbers(cards, updated);
    // Known before the lists are computed (a date moved far: hundreds of front pages): no need to compute them to miss.
    if (cards.pages.length + listings.length > MAX_CARD_PAGES) return { miss: "too many pages show the edited cards" };
    const readMs = performance.now() - stageStarted;
    stageStarted = performance.now();
    const relisted = await relistRelated(root, snapshot, read.edits, config, patched.relisted);
    if ("miss" in relisted) return relisted;
    if (cards.pages.length + listings.length + relisted.lists.size + relisted.again.length > MAX_CARD_PAGES) return { miss: "too many pages show the edited cards" };
    // The records of the article pages rendered again, and of the articles a redated one pushed into a feed (their items are made again); the rest are shown by their cards.
    const unread = await readPageRecords(root, engine, snapshot, [...relisted.lists.keys(), ...relisted.again, ...cards.pages, ...updated.entering], read.records);
    if (unread !== null) return { miss: unread };
    const relistMs = relisted.computed ? performance.now() - stageStarted : null;
    const helped = relisted.computed?.helped ? `, ${relisted.computed.helped} of them on a helper thread` : "";
    const relistDetail = (relisted.computed?.only ? `${relisted.computed.count} lists computed again (${relisted.computed.only})` : "every list computed again") + helped;
    stageStarted = performance.now();
    const { pages: rendered, sitemap, lastmods, indexPaths } = renderEdits(read.edits, relisted, cards, snapshot, read.records, config, theme, date, moves, updated, regrouping.links);
    const changed: RenderedPage[] = [];
    const sitemapPatch = sitemap.length + lastmods.length === 0 ? [] : await (await import("./patch-sitemap.js")).patchSitemap(outDir, sitemap, config.baseUrl, lastmods);
    if ("miss" in sitemapPatch) return sitemapPatch;
    changed.push(...sitemapPatch);
    for (const page of rendered) {
      const old = await readFile(path.join(outDir, page.outputPath)).catch(() => null);
      if (old === null || !old.equals(typeof page.body === "string" ? Buffer.from(page.body) : page.body)) changed.push(page);
    }
    return { edits: read.edits, relisted: [...relisted.lists.keys()], listings, indexPaths, updated, moves, rendered: rendered.length, changed, readMs, relistMs, relistDetail, renderMs: performance.now() - stageStarted };
  };

  // The worker tells of the first changed file as soon as it finds it: that edit is applied (but
  // not written) while the content check goes on, and its answer says whether it was the only
  // one. A guess that misses is the delta's miss, whatever else changed: the full build starts sooner.
  const guess: { files?: string; applied?: Promise<AppliedEdits | { miss: string }> } = {};
  const guessMissed = new Promise<{ miss: string }>((resolve) => {
    void running.guess.then((files) => {
      if (files === null || files.length > MAX_DELTA_FILES) return;
      const applied = applyEdits(files);
      [guess.files, guess.applied] = [JSON.stringify(files), applied];
      applied.then(
        (outcome) => "miss" in outcome && resolve(outcome),
        (error: unknown) => resolve({ miss: error instanceof Error ? error.message : String(error) }),
      );
    });
  });
  // Meanwhile, between its other tasks, this thread takes a share of the output check.
  running.shareOutputCheck();

  const checked = await Promise.race([running.content, guessMissed]);
  if (typeof checked === "object" && "miss" in checked) return checked;
  const edited = checked === "list" ? await editedByListing(snapshot, { root, contentDir }, patched.files) : checked;
  if (typeof edited === "string") return { miss: edited === "unreadable" ? "the site snapshot does not read back" : edited };
  if (edited.edited.length > MAX_DELTA_FILES) return { miss: `${edited.edited.length} files changed` };
  timings.push({ stage: "delta:content", ms: performance.now() - started, detail: `${edited.edited.length} files to read (${checked === "list" ? "content listed" : "story folders as listed"}${running.onWorker ? ", on a worker thread" : ""})` });

  const guessed = guess.files === JSON.stringify(edited.edited) ? guess.applied : undefined;
  // Nothing changed, and no delta since the last full build: nothing to read or render.
  const applied = edited.edited.length === 0 ? { edits: [], relisted: [], listings: [], indexPaths: [], updated: null, moves: [], rendered: 0, changed: [], readMs: 0, relistMs: null, relistDetail: "", renderMs: 0 } : await (guessed ?? applyEdits(edited.edited));
  if ("miss" in applied) return applied;
  const { edits, changed } = applied;
  timings.push({ stage: "load+normalize", ms: applied.readMs, detail: `${edits.length} edited files${guessed ? " (read while the content was checked)" : ""}` });
  if (applied.relistMs !== null) timings.push({ stage: "related", ms: applied.relistMs, detail: `${applied.relistDetail}, ${applied.relisted.length} changed` });
  timings.push({ stage: "render", ms: applied.renderMs, detail: `${applied.rendered} pages, ${changed.length} changed` });

  // The search index, if an article page changed: its part of it made again, while the output
  // check goes on (Pagefind works in a process of its own); it reads pages of the output, so it is
  // used only once the check has found every file as the last build wrote it.
  const searchStarted = performance.now();
  const listingPaths = new Set([...applied.listings.map((number) => snapshot.listing(number).route.outputPath), ...applied.indexPaths]);
  // Pages that leave the file they are at now.
  const leaving = applied.moves.filter(({ now, next }) => now !== next).map(({ now, next }) => ({ now: SiteUrls.outputPath(now), next: SiteUrls.outputPath(next), url: next }));
  /** Article pages by output path (now, and after the moves): their place in route order. Every page entry is read, once, when asked. */
  let order: Map<string, number> | null = null;
  const routeOrder = () => {
    if (order) return order;
    order = new Map<string, number>();
    for (let number = 0; number < head.offsets.length - 1; number++) order.set(snapshot.page(number).outputPath, number);
    for (const { number, now, next } of applied.moves) order.set(SiteUrls.outputPath(now), number).set(SiteUrls.outputPath(next), number);
    return order;
  };
  const searching = config.search
    ? import("./reindex-search.js").then(({ reindexSearch }) => reindexSearch({ root, outDir, config, key: head.key, patched, changed: changed.filter((page) => !listingPaths.has(page.outputPath)), moves: leaving, routeOrder }))
    : Promise.resolve(null);
  searching.catch(() => undefined); // its failure is the build's when it is awaited, not an unhandled rejection before
  // A miss waits for it to end (its Pagefind process closed) but not for its outcome.
  const missing = async (miss: string): Promise<{ miss: string }> => {
    await searching.catch(() => undefined);
    return { miss };
  };
  const outputs = await running.output;
  timings.push({ stage: "delta:output", ms: performance.now() - started, detail: "every file as written" });
  if (outputs === "unreadable") return missing("the site snapshot does not read back");
  if (outputs.changed !== null) return missing(`${path.relative(config.root, path.join(outDir, outputs.changed))} was changed since the last build`);
  const search = await searching;
  if (search && "miss" in search) return search;
  if (search) {
    timings.push({ stage: "search", ms: performance.now() - searchStarted, detail: `${search.indexed.join(", ") || "nothing"} indexed again, ${search.write.length} files changed, ${search.deletes.length} deleted` });
    changed.push(...search.write);
  }
  const deletes = [...(search?.deletes ?? []), ...leaving.map(({ now }) => now)];
  // Written or deleted through a link, a file could be one outside the output.
  const unsafe = [...changed.map((page) => page.outputPath), ...deletes].find((file) => !plainFolders(outDir, file));
  if (unsafe !== undefined) return { miss: `a folder on the way to ${unsafe} is not a plain folder` };

  if (changed.length > 0 || deletes.length > 0) {
    const writeStarted = performance.now();
    // Made first: an output it cannot write fails the build before anything is written down.
    const writer = await createDiskWriter({
      outDir,
      protectedDirs: protectedDirsOf(config),
      buildId: () => head.buildId,
      patch: true,
      deletes,
    });
    try {
      // Written down before the output changes: a delta killed from here on leaves only pages the next full build renders again.
      await writePatched(root, {
        buildId: head.buildId,
        pages: [...patched.pages, ...changed.map((page) => page.outputPath)],
        files: [...patched.files, ...edits.map((edit) => edit.file)],
        relisted: [...patched.relisted, ...applied.relisted],
        carded: [...patched.carded, ...edits.filter((edit) => edit.card).map((edit) => edit.file)],
        sitemapped: [...patched.sitemapped, ...edits.filter((edit) => edit.lastmod).map((edit) => edit.file)],
        moved: movedSince(patched.moved, applied.moves),
        redated: [...patched.redated, ...edits.filter((edit) => edit.redated).map((edit) => edit.file)],
        listed: [...patched.listed, ...(applied.updated?.listings.keys() ?? [])],
        lastmods: [...patched.lastmods, ...(applied.updated?.lastmods.keys() ?? [])],
        ...(search ? { search: search.search } : patched.search ? { search: patched.search } : {}),
      });
      for (const page of changed) await writer.write(page);
      await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    }
    timings.push({ stage: "write+commit", ms: performance.now() - writeStarted, detail: `${changed.length} files${deletes.length ? `, ${deletes.length} deleted` : ""}` });
  }
  return { result: { config, pages: pagesNow(head.pages, search?.search ?? patched.search), languages: head.languages, warnings: head.warnings, timings, outDir } };
}

/**
 * The files to read again, from a listing of the content (when the story folders cannot tell:
 * see `changedContent`); a string says why the delta cannot apply them.
 */
async function editedByListing(snapshot: SiteSnapshot, options: { root: string; contentDir: string }, include: readonly string[]): Promise<{ edited: [number, string, string][] } | string> {
  const { head } = snapshot;
  const files = snapshot.files();
  const scan = await scanContentSoon(options);
  if (scan.errors.length > 0) return "the content listing has errors";
  const known = new Set(head.warnings.map((warning) => JSON.stringify(warning)));
  if (!scan.warnings.every((warning) => known.has(JSON.stringify(warning)))) return "the content listing has new warnings";
  if (scan.files.length !== files.length || scan.files.some((file, i) => file.file !== files[i]![0])) return "content files were added, removed or renamed";
  const again = new Set(include);
  return { edited: files.flatMap(([file, stat, hash], i): [number, string, string][] => (scan.stats[i] !== stat || again.has(file) ? [[i, file, hash]] : [])) };
}

/** Why a build at `date` could show another set of articles, news or feed dates than the snapshot's; null when it cannot. */
function buildDateMiss({ head }: SiteSnapshot, date: string, inNewsWindow: (date: string, buildDate: string) => boolean): string | null {
  if (date === head.buildDate) return null;
  const now = Date.parse(date);
  if (now < Date.parse(head.buildDate)) return "the build date is earlier than the last build's";
  if (head.nextDue !== null && Date.parse(head.nextDue) <= now) return `an article dated ${head.nextDue} is due`;
  if (head.newsOldest !== null && !inNewsWindow(head.newsOldest, date)) return "an article leaves the news sitemap";
  if (head.emptyFeed) return "an empty feed is dated by the build";
  return null;
}

/** The last full build's count of files, with the search index's files as delta builds left them (they count as kind "search", with the search pages). */
function pagesNow(pages: BuildResult["pages"], search: PatchedSearch | undefined): BuildResult["pages"] {
  const more = search ? search.added.length - search.removed.length : 0;
  if (more === 0) return pages;
  return { total: pages.total + more, byKind: { ...pages.byKind, search: (pages.byKind.search ?? 0) + more } };
}

/** Whether every folder from the output down to `outputPath` is a real folder (not a link that leads elsewhere), or not there yet (a moved page's: the writer makes it). */
function plainFolders(outDir: string, outputPath: string): boolean {
  let dir = outDir;
  for (const part of outputPath.split("/").slice(0, -1)) {
    dir = path.join(dir, part);
    const info = lstatSync(dir, { throwIfNoEntry: false });
    if (!info) return true;
    if (!info.isDirectory()) return false;
  }
  return true;
}
