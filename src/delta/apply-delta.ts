/**
 * A delta build: `gazette build` after an edit that changes nothing another page shows of the
 * article (a sentence added or fixed, a paragraph rewritten: its page fields, related features
 * and warnings as they were). Then only the article's own page, and its language's feeds if it
 * is in them, can differ from the last full build's output; they are rendered from the site
 * snapshot (cache/site-snapshot.ts) and the edited files, and replace their files in place. The
 * other 20,000 records, the index, the related lists and 34,000 signatures are never loaded.
 *
 * Everything else, or any doubt, is a miss: the caller builds in full. The tests compare every
 * delta's output with a build without the cache, byte for byte (tests/integration/delta-build.test.ts).
 */
import { lstatSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Article, RelatedEntry, RenderedPage, Route, SourceArticle } from "../types.js";
import { buildDate, configOverrides, prepareTheme, type BuildOptions, type BuildResult, type PreparedTheme, type StageTiming } from "../build.js";
import { ParsedSources } from "../cache/parsed-sources.js";
import { engineKey, readCachedRecords, type RecordCache } from "../cache/record-cache.js";
import { pageCacheKey, readPatched, writePatched } from "../cache/page-cache.js";
import { articleFromCard, readSiteSnapshot, type ArticlePageInputs, type SiteSnapshot } from "../cache/site-snapshot.js";
import { loadConfig } from "../config/load-config.js";
import type { SiteConfig } from "../config/site-config.js";
import { readContentFiles, type ContentFile } from "../content/load-content.js";
import { loadEntities } from "../content/load-entities.js";
import { changedContentInBackground, scanContentSoon } from "../content/scan-content.js";
import { DiagnosticSink } from "../errors/diagnostics.js";
import type { Group, ListingEntry, SiteIndex, Story } from "../i18n/site-index.js";
import { compileEntityTable } from "../normalize/entities.js";
import { normalizeArticle } from "../normalize/normalize-article.js";
import { firstChangedFileInBackground } from "../output/scan-output.js";
import { createDiskWriter, OUTPUT_MARKER } from "../output/write-output.js";
import { extractRelatedFeatures, featuresDigest } from "../related/index.js";
import { createPageRenderer, inNewsWindow } from "../render/render-pages.js";
import { linkedGroupsOf } from "../render/route-signatures.js";
import { groupKey, type RenderContext } from "../render/view-context.js";

export type DeltaOutcome = { result: BuildResult } | { miss: string };

/** Above this many files edited since the last full build, a full build is as quick and refreshes the snapshot. */
const MAX_DELTA_FILES = 32;

/** An edited file that a delta can apply: its new record, as the checks across articles leave it. */
interface AppliedEdit {
  file: string;
  article: Article;
  /** Its number in the snapshot and its page's inputs; null when it is not published (a draft, a future date): then no page shows it. */
  page: { number: number; inputs: ArticlePageInputs } | null;
}

export async function applyDelta(options: BuildOptions): Promise<DeltaOutcome> {
  const started = performance.now();
  const timings: StageTiming[] = [];
  const { root } = options;
  const drafts = options.drafts ?? false;
  const snapshotRead = readSiteSnapshot(root);
  const sources = await ParsedSources.open(root);
  const config = await loadConfig(root, configOverrides(options), sources);
  if (config.search) return { miss: "the search index is made from every article page" };
  const contentDir = path.resolve(root, config.paths.content);
  const snapshot = await snapshotRead;
  if (!snapshot) return { miss: "no site snapshot" };
  const { head } = snapshot;
  // The content and the output are looked at on threads of their own while this one prepares.
  const contentCheck = changedContentInBackground({ root, contentDir, files: head.files, listedAt: head.listedAt });
  contentCheck.catch(() => undefined); // awaited below, unless the delta misses first
  const outDir = path.resolve(config.root, config.paths.out);
  const marker = await readMarker(outDir);
  if (marker === null || marker.build !== head.buildId) return { miss: "the output is not the last full build's" };
  const outputCheck = firstChangedFileInBackground(outDir, head.outputs, marker.committedAt);
  outputCheck.catch(() => undefined);

  const sink = new DiagnosticSink();
  const entityDefinitions = await loadEntities(root, config.paths.data, sink, sources);
  if (sink.errors.length > 0) return { miss: "the entity table has errors" };
  const engine = engineKey(config, entityDefinitions);
  const theme = await prepareTheme(config, sources);
  timings.push({ stage: "delta: sources", ms: performance.now() - started, detail: "config, snapshot, entities, theme" });
  if (pageCacheKey(engine, theme.hash, { outDir, drafts }) !== head.key) return { miss: "the code, config, entities, theme or options changed" };
  const date = buildDate();
  const dateMiss = buildDateMiss(snapshot, date);
  if (dateMiss) return { miss: dateMiss };

  const edited = (await contentCheck) ?? (await changedByScan(snapshot, { root, contentDir }));
  timings.push({ stage: "delta: content", ms: performance.now() - started, detail: `${head.files.length} files checked` });
  if (typeof edited === "string") return { miss: edited };
  const patched = await readPatched(root, head.buildId);
  const reapply = new Set(patched.files);
  const indexes = new Set([...edited.map(([index]) => index), ...head.files.flatMap(([file], i) => (reapply.has(file) ? [i] : []))]);
  const candidates = [...indexes].sort((a, b) => a - b).map((i): ContentFile => {
    const file = head.files[i]![0];
    const absolute = path.resolve(root, file);
    return { absolute, file, storyKey: path.basename(path.dirname(absolute)) };
  });
  if (candidates.length > MAX_DELTA_FILES) return { miss: `${candidates.length} files changed` };
  timings.push({ stage: "delta check", ms: performance.now() - started, detail: `${candidates.length} of ${head.files.length} files to read` });

  let stageStarted = performance.now();
  const hashes = new Map(head.files.map(([file, , hash]) => [file, hash]));
  const readSink = new DiagnosticSink();
  const read = await readContentFiles(candidates, { root, contentDir, syncReads: true }, readSink);
  if (readSink.errors.length > 0 || read.length !== candidates.length) return { miss: "an edited file does not read" };
  // Read again but as the snapshot has it (a `touch`, or an undone edit not applied yet): nothing to do.
  const sourcesToApply = read.filter((source) => source.hash !== hashes.get(source.file) || reapply.has(source.file));
  const normalizeContext = { config, entities: compileEntityTable(entityDefinitions) };
  const normalized: { source: SourceArticle; raw: Article; number: number | undefined }[] = [];
  for (const source of sourcesToApply) {
    const outcome = normalizeArticle(source, normalizeContext);
    if (!outcome.article || outcome.errors.length > 0) return { miss: `${source.file} does not normalize` };
    normalized.push({ source, raw: outcome.article, number: snapshot.numberOf(outcome.article.id) });
  }
  // The records of the edited files as last built, and of the articles their pages show.
  const fileOf = (number: number): string => head.files[snapshot.page(number).file]![0];
  const shown = normalized.flatMap(({ number }) => {
    if (number === undefined) return [];
    const inputs = snapshot.page(number);
    return [...inputs.versions, inputs.original, ...inputs.related].map(fileOf);
  });
  const records = await readCachedRecords(root, engine, [...sourcesToApply.map((source) => source.file), ...shown]);
  for (const file of [...records.keys()]) if (records.get(file)!.hash !== hashes.get(file)) records.delete(file);
  const edits: AppliedEdit[] = [];
  for (const { source, raw, number } of normalized) {
    const before = records.get(source.file);
    if (!before) return { miss: `the cache has no record of ${source.file} as last built` };
    const field = changedPageField(raw, before.article);
    if (field !== null) return { miss: `${source.file}: more than its body changed (${field})` };
    if (featuresDigest(extractRelatedFeatures(raw)) !== before.featuresKey) return { miss: `${source.file}: its related-articles features changed` };
    const warnings = readSink.warnings.filter((warning) => warning.location?.file === source.file);
    if (JSON.stringify([warnings, raw.diagnostics]) !== JSON.stringify([before.readWarnings, before.article.diagnostics])) return { miss: `${source.file}: its warnings changed` };
    if (number === undefined) {
      edits.push({ file: source.file, article: raw, page: null });
      continue;
    }
    const inputs = snapshot.page(number);
    // The checks across articles read only page fields: they give the new record what they gave the old.
    const article = checkedAs(raw, inputs);
    if (linkedGroupsOf(article).length !== inputs.groups.length) return { miss: `${source.file}: its links differ from the snapshot's` };
    edits.push({ file: source.file, article, page: { number, inputs } });
  }
  const missing = shown.find((file) => !records.has(file));
  if (missing !== undefined) return { miss: `the cache has no record of ${missing} as last built` };
  timings.push({ stage: "load+normalize", ms: performance.now() - stageStarted, detail: `${edits.length} edited files` });

  stageStarted = performance.now();
  const rendered = renderEdits(edits, snapshot, records, config, theme, date);
  const changed: RenderedPage[] = [];
  for (const page of rendered) {
    const old = await readFile(path.join(outDir, page.outputPath)).catch(() => null);
    if (old === null || !old.equals(typeof page.body === "string" ? Buffer.from(page.body) : page.body)) changed.push(page);
  }
  timings.push({ stage: "render", ms: performance.now() - stageStarted, detail: `${rendered.length} pages, ${changed.length} changed` });

  const tampered = await outputCheck;
  timings.push({ stage: "delta: output", ms: performance.now() - started, detail: `${head.outputs.length} files checked` });
  if (tampered !== null) return { miss: `${path.relative(config.root, path.join(outDir, tampered))} was changed since the last build` };
  const unsafe = changed.find((page) => !plainFolders(outDir, page.outputPath));
  if (unsafe) return { miss: `a folder on the way to ${unsafe.outputPath} is not a plain folder` };

  if (changed.length > 0) {
    stageStarted = performance.now();
    // Written down first: a delta killed from here on leaves only pages the next full build renders again.
    await writePatched(root, { buildId: head.buildId, pages: [...patched.pages, ...changed.map((page) => page.outputPath)], files: [...patched.files, ...edits.map((edit) => edit.file)] });
    const writer = await createDiskWriter({
      outDir,
      protectedDirs: { root: config.root, others: [config.paths.content, config.paths.templates, config.paths.data].map((dir) => path.resolve(config.root, dir)) },
      buildId: () => head.buildId,
      patch: true,
    });
    try {
      for (const page of changed) await writer.write(page);
      await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    }
    timings.push({ stage: "write+commit", ms: performance.now() - stageStarted, detail: `${changed.length} files` });
  }
  return { result: { config, pages: head.pages, languages: head.languages, warnings: head.warnings, timings, outDir } };
}

/**
 * The files changed since the snapshot, from a listing of the content (when the story folders
 * say nothing: see `changedContent`); a string says why the delta cannot apply them.
 */
async function changedByScan({ head }: SiteSnapshot, options: { root: string; contentDir: string }): Promise<[number, string | null][] | string> {
  const scan = await scanContentSoon(options);
  if (scan.errors.length > 0) return "the content listing has errors";
  const known = new Set(head.warnings.map((warning) => JSON.stringify(warning)));
  if (!scan.warnings.every((warning) => known.has(JSON.stringify(warning)))) return "the content listing has new warnings";
  if (scan.files.length !== head.files.length || scan.files.some((file, i) => file.file !== head.files[i]![0])) return "content files were added, removed or renamed";
  return scan.files.flatMap((_, i): [number, string | null][] => (scan.stats[i] !== head.files[i]![1] ? [[i, scan.stats[i] ?? null]] : []));
}

/** Why a build at `date` could show another set of articles, news or feed dates than the snapshot's; null when it cannot. */
function buildDateMiss({ head }: SiteSnapshot, date: string): string | null {
  if (date === head.buildDate) return null;
  const now = Date.parse(date);
  if (now < Date.parse(head.buildDate)) return "the build date is earlier than the last build's";
  if (head.nextDue !== null && Date.parse(head.nextDue) <= now) return `an article dated ${head.nextDue} is due`;
  if (head.newsOldest !== null && !inNewsWindow(head.newsOldest, date)) return "an article leaves the news sitemap";
  if (head.emptyFeed) return "an empty feed is dated by the build";
  return null;
}

/** What only an article's own page shows of it (or nothing shows): the rest is read by other pages, the checks across articles and the site index. */
const OWN_PAGE_FIELDS = new Set<string>(["body", "packedBody", "hash", "wordCount", "bodyLine", "passages", "diagnostics"] satisfies (keyof Article)[]);

/** The first field that other pages read and that differs between two records of an article; null when none does. */
function changedPageField(next: Article, previous: Article): string | null {
  const keys = new Set([...Object.keys(next), ...Object.keys(previous)]);
  for (const key of keys) {
    if (OWN_PAGE_FIELDS.has(key)) continue;
    if (JSON.stringify(next[key as keyof Article]) !== JSON.stringify(previous[key as keyof Article])) return key;
  }
  return null;
}

/** A record as the checks across articles left it in the last full build. */
function checkedAs(record: Article, inputs: ArticlePageInputs): Article {
  if (inputs.checked === 0) return record;
  const [url, slug, category] = inputs.checked;
  return { ...record, url, slug, category };
}

/**
 * The edited articles' pages, and their languages' feeds where they are in them: the articles
 * the pages show come from their records (`records`), feed articles from the snapshot's cards.
 */
function renderEdits(edits: readonly AppliedEdit[], snapshot: SiteSnapshot, records: RecordCache, config: SiteConfig, theme: PreparedTheme, date: string): RenderedPage[] {
  const { ids, feeds, files } = snapshot.head;
  const edited = new Map(edits.flatMap((edit) => (edit.page ? [[edit.page.number, edit.article] as const] : [])));
  const articles = new Map<string, Article>();
  /** An article another page shows, as that page saw it. */
  const articleOf = (number: number): Article => {
    const id = ids[number]!;
    let article = edited.get(number) ?? articles.get(id);
    if (!article) {
      const inputs = snapshot.page(number);
      const record = records.get(files[inputs.file]![0]);
      if (!record) throw new Error(`Internal: no record of ${id}`);
      article = checkedAs(record.article, inputs);
    }
    articles.set(id, article);
    return article;
  };
  const stories = new Map<string, Story>();
  const related = new Map<string, RelatedEntry[]>();
  const groupsById = new Map<string, Group>();
  const routes: Route[] = [];
  for (const { article, page } of edits) {
    if (!page) continue;
    const { inputs } = page;
    articleOf(page.number);
    routes.push({ url: article.url, outputPath: inputs.outputPath, params: { kind: "article", id: article.id } });
    const versions = inputs.versions.map(articleOf);
    stories.set(article.storyKey, { key: article.storyKey, versions: new Map(versions.map((version) => [version.lang, version])), original: articleOf(inputs.original) });
    related.set(article.id, inputs.related.map((number) => ({ id: articleOf(number).id, score: 0, reasons: [] })));
    linkedGroupsOf(article).forEach(([kind, id], i) => {
      const group = snapshot.head.groups[inputs.groups[i]!];
      if (group) groupsById.set(groupKey(article.lang, kind, id), { kind, id, ids: [id], slug: group[0], name: group[1], entries: [] });
    });
  }
  const listings = new Map<string, ListingEntry[]>();
  const feedBodies = new Map<string, Uint8Array>();
  const utf8 = new TextEncoder();
  for (const feed of feeds) {
    if (!feed.members.some(([number]) => edited.has(number))) continue;
    // Feed articles not edited are cards: the feeds read no more of them (see render-pages.ts).
    const members = feed.members.map(([number, , card, tags, html]) => {
      const article = edited.get(number) ?? articleFromCard(ids[number]!, card, tags);
      if (!edited.has(number)) feedBodies.set(article.file, utf8.encode(html));
      return { article, fallback: false };
    });
    listings.set(feed.lang, members);
    routes.unshift(...feed.routes); // feeds take their bodies before article pages (see render-pages.ts)
  }
  const index: SiteIndex = { articles, stories, listings, groups: new Map(), skipped: [] };
  const context: RenderContext = {
    config,
    index,
    related,
    urls: theme.urls,
    translators: theme.translators,
    assetHrefs: new Map(theme.assets.map((asset) => [asset.name, theme.urls.href(`/${asset.outputPath}`)])),
    groupsById,
    groupsBySlug: new Map(),
    year: snapshot.head.year,
  };
  const renderer = createPageRenderer(context, theme.templates, new Map(theme.assets.map((asset) => [asset.name, asset])), date, { bodies: feedBodies });
  return routes.flatMap((route) => renderer.render(route));
}

/** The output's marker: the build id in it, and when it was written (the commit). */
async function readMarker(outDir: string): Promise<{ build: unknown; committedAt: number } | null> {
  const file = path.join(outDir, OUTPUT_MARKER);
  try {
    const marker = JSON.parse(await readFile(file, "utf8")) as { build?: unknown };
    return { build: marker.build, committedAt: lstatSync(file).mtimeMs };
  } catch {
    return null;
  }
}

/** Whether every folder from the output down to `outputPath` is a real folder (not a link that leads elsewhere). */
function plainFolders(outDir: string, outputPath: string): boolean {
  let dir = outDir;
  for (const part of outputPath.split("/").slice(0, -1)) {
    dir = path.join(dir, part);
    const info = lstatSync(dir, { throwIfNoEntry: false });
    if (!info?.isDirectory()) return false;
  }
  return true;
}
