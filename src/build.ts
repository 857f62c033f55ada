import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Article, Diagnostic, RelatedMap, RenderedPage, Route, SourceArticle } from "./types.js";
import type { ThemeAsset } from "./config/load-theme.js";
import type { FeatureRows, ListMargins, RelatedDoc } from "./related/index.js";
import type { TemplateSet } from "./render/templates.js";
import type { SiteIndex } from "./i18n/site-index.js";
import type { Translate } from "./i18n/ui-strings.js";
import type { Segments, SiteUrls } from "./i18n/urls.js";
import type { RenderContext } from "./render/view-context.js";
import type { EncodedSitemapEntry } from "./render/sitemaps.js";
import type { MemoryWriter, OutputWriter } from "./output/write-output.js";
import type { PageState, PreviousPages } from "./cache/page-cache.js";
import type { StoredRelatedLists } from "./cache/related-cache.js";
import type { SearchGroup } from "./output/search-reuse.js";
import type { ParsedSources } from "./cache/parsed-sources.js";
import { CACHE_DIR } from "./cache/record-cache.js";
import { hasSiteSnapshot } from "./cache/site-snapshot.js";
import { loadConfig, type ConfigOverrides } from "./config/load-config.js";
import type { SiteConfig } from "./config/site-config.js";
import { listContent, readContentFiles, type ContentCache, type ContentFile } from "./content/load-content.js";
import { loadEntities } from "./content/load-entities.js";
import { DiagnosticSink, sortByLocation } from "./errors/diagnostics.js";
import { BuildFailedError, ConfigError, OutputError, type SiteError } from "./errors/site-error.js";
import type { NormalizeContext, NormalizeOutcome } from "./normalize/index.js";
import { planSearchSlices, searchSlicePages } from "./output/search-slices.js";
import { WriteQueue } from "./output/write-queue.js";
import type { StartedScan } from "./output/scan-output.js";

export interface PipelineOptions {
  /** Project root (holds gazette.config.yml); default: the working directory. */
  root: string;
  /** Content folder, relative to the working directory or absolute. */
  content?: string;
  out?: string;
  baseUrl?: string;
  /** Include drafts (and future-dated articles) in the site. */
  drafts?: boolean;
  /**
   * Reuse and update the persistent build cache (`.gazette-cache/`): files whose bytes did not
   * change are not parsed again. "read": reuse what it holds, never write it (`gazette check`,
   * `list`, `related`: a 10,000-story check in ~3 s instead of ~7 s after a build).
   */
  cache?: boolean | "read";
  /** Render article bodies to HTML while loading (`gazette build`: the loading threads hold the Markdown then). */
  renderBodies?: boolean;
  /** Nothing after loading reads the articles' Markdown (`gazette check`, `list`, `related`): a large site's is let go as it loads. */
  dropMarkdown?: boolean;
  /** False: no related-articles features are made while loading (`gazette check`, `list`); a build's cache needs them. */
  features?: boolean;
  /** Called once the config is read, before the content loads (a build starts scanning its last output then). */
  onConfig?: (config: SiteConfig) => void;
}

/**
 * What `gazette dev` keeps between rebuilds: files read and their normalized outcomes. Both are
 * valid only for one config and entity table; the session drops them when those change.
 */
export interface LoadCaches {
  content: ContentCache;
  normalized: WeakMap<SourceArticle, NormalizeOutcome>;
  /**
   * The content folder's listing and what listing it reported, reused while no file or folder was
   * added or removed (the session clears it then): re-listing 10,000 story folders costs ~0.35 s.
   */
  listing?: { files: ContentFile[]; errors: SiteError[]; warnings: Diagnostic[] } | null;
}

export interface StageTiming {
  stage: string;
  ms: number;
  /** "12 articles, 2 warnings" */
  detail: string;
}

export interface LoadedSite {
  config: SiteConfig;
  /** Every article that normalized, drafts included (the build filters them). */
  articles: Article[];
  warnings: Diagnostic[];
  errors: SiteError[];
  timings: StageTiming[];
  /** Related-articles features by article id, when loading made them already (build workers). */
  features?: ReadonlyMap<string, RelatedDoc>;
  /** With the persistent cache: a digest of each article's features, by id (see cache/related-cache.ts). */
  featureKeys?: ReadonlyMap<string, string>;
  /** With `renderBodies`: the body HTML (UTF-8) of the files parsed in this load, by file (see render/article-body.ts). */
  bodies?: Map<string, Uint8Array>;
  /** What the articles were normalized with: `gazette dev` renormalizes single files with it. */
  normalizeContext?: NormalizeContext;
  /** Writes what this build parsed into the persistent cache, when `cache` is on (and anything changed). */
  saveCache?: () => Promise<CacheSave>;
  /** With the persistent cache: the hash of everything besides the files that records depend on. */
  engineKey?: string;
  /** With the persistent cache: parsed config, entity table and UI strings (the theme adds to it). */
  sources?: ParsedSources;
  /** With the persistent cache: every content file loaded, its stat key and content hash, in listing order. */
  fileStates?: [file: string, stat: string, hash: string][];
  /** With the persistent cache: when the content was listed (see content/scan-content.ts). */
  listedAt?: number;
  /** With the persistent cache: what the checks across articles changed of a record (URL, slug, section; the record's URL), by id. */
  checked?: Map<string, CheckedChange>;
}

/** What saving the cache did: `wrote` is false when nothing had changed. */
export interface CacheSave {
  wrote: boolean;
  error: Error | null;
}

/**
 * The pipeline up to normalize: what `gazette check` and `gazette list` run, and the first half of a build.
 * Content errors are returned, not thrown, so that callers can print them all.
 */
export async function loadSite(options: PipelineOptions, caches?: LoadCaches): Promise<LoadedSite> {
  const timings: StageTiming[] = [];
  const overrides = configOverrides(options);

  let started = performance.now();
  // gazette dev keeps caches keyed by in-memory objects (and loads on this thread); a build may keep them on disk.
  // Read-only, a project without a cache loads as with none (no threads wait on a cache to read).
  const readOnly = options.cache === "read";
  const persistent = (options.cache === true || (readOnly && existsSync(path.join(options.root, CACHE_DIR)))) && !caches;
  const parsedSources = persistent ? await (await import("./cache/parsed-sources.js")).ParsedSources.open(options.root) : undefined;
  const config = await loadConfig(options.root, overrides, parsedSources);
  options.onConfig?.(config);
  const sink = new DiagnosticSink();
  const contentOptions = { root: options.root, contentDir: path.resolve(options.root, config.paths.content), ...(caches ? { cache: caches.content } : {}) };
  // With the persistent cache, the listing (and every file's stat) is not waited for here: the
  // cache is read meanwhile, and a large content folder is listed on a thread of its own.
  const scan = persistent ? (await import("./content/scan-content.js")).scanContentSoon(contentOptions) : null;
  // Loaded here, not with this module: a delta build (src/delta/) starts its checks before it needs them, if at all.
  // The normalizer itself loads where a file is parsed: a build whose records all come from the cache never loads it.
  const [files, entityDefinitions, { compileEntityTable }, { checkAcrossArticles }, { loadThreads }] = await Promise.all([
    scan ? null : listOrReuse(contentOptions, sink, caches),
    loadEntities(options.root, config.paths.data, sink, parsedSources),
    import("./normalize/entities.js"),
    import("./normalize/check-across.js"),
    import("./workers/parallel-load.js"),
  ]);
  const normalizeContext: NormalizeContext = { config, entities: compileEntityTable(entityDefinitions) };
  const threads = caches || !files ? 1 : loadThreads(files.length);

  let articles: Article[];
  let extra: Pick<LoadedSite, "features" | "featureKeys" | "bodies" | "saveCache" | "engineKey" | "sources" | "fileStates" | "listedAt" | "checked"> = {};
  if (scan || threads > 1) {
    const { loadRecords } = await import("./workers/load-records.js");
    const loaded = await loadRecords(
      { root: options.root, overrides, contentDir: contentOptions.contentDir, renderBodies: options.renderBodies ?? false, ...(options.dropMarkdown ? { markdown: "none" as const } : {}), ...(options.features === false ? { features: false } : {}) },
      { listing: scan ?? Promise.resolve({ files: files!, stats: [], errors: [], warnings: [], listedAt: Date.now() }), normalizeContext, sink, cache: persistent ? { config, entityDefinitions, readOnly } : null },
    );
    articles = checkAcrossArticles(loaded.articles, sink);
    timings.push({ stage: "load+normalize", ms: performance.now() - started, detail: loaded.detail });
    extra = { features: loaded.features, bodies: loaded.bodies, ...(persistent && !readOnly ? { featureKeys: loaded.featureKeys, fileStates: loaded.fileStates, listedAt: loaded.listedAt, checked: checkedChanges(loaded.articles, articles) } : {}) };
    if (parsedSources && !readOnly) {
      const { saveRecords } = loaded;
      extra.sources = parsedSources;
      extra.saveCache = async (): Promise<CacheSave> => {
        const wrote = saveRecords !== null || parsedSources.changed;
        const error = [await saveRecords?.(), await parsedSources.save(options.root)].find((each) => each) ?? null;
        return { wrote, error };
      };
    }
    if (loaded.engineKey !== null) extra.engineKey = loaded.engineKey;
  } else {
    // A dev session's first load fills its caches, then reads them here: from the last build's
    // record cache (see dev/seed-from-cache.ts), the other files on every core (workers/dev-prewarm.ts).
    const firstDevLoad = caches !== undefined && caches.content.size === 0;
    const seeded = firstDevLoad && existsSync(path.join(options.root, CACHE_DIR)) ? await (await import("./dev/seed-from-cache.js")).seedFromRecordCache(options.root, files!, { config, entityDefinitions }, caches) : null;
    const unseeded = seeded ? files!.filter((file) => !seeded.files.has(file.absolute)) : files!;
    const prewarm = firstDevLoad ? loadThreads(unseeded.length) : 1;
    const warmed = prewarm > 1 ? await (await import("./workers/dev-prewarm.js")).prewarmDevCaches({ root: options.root, overrides, contentDir: contentOptions.contentDir, files: unseeded }, prewarm, normalizeContext, caches!) : null;
    if (seeded || warmed) extra = { features: new Map([...(seeded?.features ?? []), ...(warmed?.features ?? [])]), ...(warmed ? { bodies: warmed.bodies } : {}) };
    // With the cache's engine key and every feature's digest, the last build's related lists can be taken (see planSite's relatedCache).
    if (seeded?.engineKey) {
      const digest = warmed && warmed.features.size > 0 ? (await import("./related/extract-features.js")).featuresDigest : null;
      extra.engineKey = seeded.engineKey;
      extra.featureKeys = new Map([...seeded.featureKeys, ...[...(warmed?.features ?? [])].map(([id, doc]): [string, string] => [id, digest!(doc)])]);
    }
    const sources = await readContentFiles(files!, contentOptions, sink); // listed above: no scan without the cache
    const from = [seeded ? `${seeded.files.size} from the cache` : "", prewarm > 1 ? `${prewarm} threads` : ""].filter(Boolean);
    timings.push({ stage: "load", ms: performance.now() - started, detail: [`${sources.length} files`, ...from].join(", ") });
    started = performance.now();
    const { normalizeArticles } = await import("./normalize/index.js");
    articles = normalizeArticles(sources, normalizeContext, sink, caches?.normalized);
    timings.push({ stage: "normalize", ms: performance.now() - started, detail: `${articles.length} articles` });
  }

  return {
    config,
    articles: sortArticles(articles),
    warnings: sortByLocation(sink.warnings),
    errors: sortByLocation(sink.errors),
    timings,
    normalizeContext,
    ...extra,
  };
}

/** What the checks across articles changed of a record: its URL, slug and section, and the URL the record wanted. */
export type CheckedChange = [url: string, slug: string, category: string | null, wanted: string];

/** The articles whose URL, slug or section the checks across articles changed (the cache keeps records as they were before). */
function checkedChanges(records: readonly Article[], checked: readonly Article[]): Map<string, CheckedChange> {
  const before = new Map(records.map((record) => [record.id, record]));
  const changes = new Map<string, CheckedChange>();
  for (const article of checked) {
    const record = before.get(article.id);
    if (record && (record.url !== article.url || record.slug !== article.slug || record.category !== article.category)) changes.set(article.id, [article.url, article.slug, article.category, record.url]);
  }
  return changes;
}

/** The command line's choices over the config file's. */
export function configOverrides(options: PipelineOptions): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (options.content !== undefined) overrides.content = path.relative(options.root, path.resolve(options.content)) || ".";
  if (options.out !== undefined) overrides.out = path.relative(options.root, path.resolve(options.out)) || ".";
  if (options.baseUrl !== undefined) overrides.baseUrl = options.baseUrl;
  return overrides;
}

async function listOrReuse(contentOptions: Parameters<typeof listContent>[0], sink: DiagnosticSink, caches: LoadCaches | undefined): Promise<ContentFile[]> {
  if (!caches) return listContent(contentOptions, sink);
  if (!caches.listing) {
    const own = new DiagnosticSink();
    caches.listing = { files: await listContent(contentOptions, own), errors: own.errors, warnings: own.warnings };
  }
  for (const error of caches.listing.errors) sink.error(error);
  sink.warnings.push(...caches.listing.warnings);
  return caches.listing.files;
}

/** Stable order for every listing: by story key, then language. */
export function sortArticles(articles: Article[]): Article[] {
  return articles.sort((a, b) => (a.storyKey < b.storyKey ? -1 : a.storyKey > b.storyKey ? 1 : a.lang < b.lang ? -1 : a.lang > b.lang ? 1 : 0));
}

export interface BuildOptions extends PipelineOptions {
  /** Where pages go: "disk" (atomic swap into --out) or an in-memory writer (tests, benchmarks). */
  writer?: "disk" | MemoryWriter;
}

export interface BuildResult {
  config: SiteConfig;
  /** Files written, by kind of page. */
  pages: { total: number; byKind: Record<string, number> };
  languages: string[];
  warnings: Diagnostic[];
  timings: StageTiming[];
  outDir: string;
}

/** The build date: SOURCE_DATE_EPOCH (seconds) makes builds reproducible; else now. */
export function buildDate(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== "") {
    if (!/^\d+$/.test(epoch)) throw new BuildFailedError([new ConfigError(`SOURCE_DATE_EPOCH is "${epoch}", not a number of seconds.`)]);
    return new Date(Number(epoch) * 1000).toISOString();
  }
  return new Date().toISOString();
}

/** What every render of a site needs, prepared once per config and theme. */
export interface PlannedSite {
  index: SiteIndex;
  related: RelatedMap;
  routes: Route[];
  context: RenderContext;
  templates: TemplateSet;
  assets: ReadonlyMap<string, ThemeAsset>;
  /** Warnings of the index (skipped drafts, future articles). */
  warnings: Diagnostic[];
  /** With `relatedCache`: lists computed now, to be saved with the cache (absent when reused). */
  freshRelated?: { key: string; lists: RelatedMap };
  /** With `relatedCache`: the key of the lists' input (see cache/related-cache.ts), whether they were computed or reused. */
  relatedKey?: string;
  /** With `freshRelated`: the features the lists were computed from, and their rows (the caller lets them go before pages render). */
  relatedDocs?: RelatedDoc[];
  relatedRows?: FeatureRows;
  relatedMargins?: ListMargins;
}

/** The compiled theme: templates, UI strings, assets; loaded once per config (and per template change in dev). */
export interface PreparedTheme {
  templates: TemplateSet;
  assets: readonly ThemeAsset[];
  translators: Map<string, Translate>;
  urls: SiteUrls;
  /** Hash of every template, UI string and asset: pages cached with another theme are not reused. */
  hash: string;
}

/** Loads and compiles templates, UI strings and assets; every problem is a BuildFailedError. */
export async function prepareTheme(config: SiteConfig, sources?: ParsedSources): Promise<PreparedTheme> {
  const [{ loadTheme }, { checkUiStrings, createTranslator }, { SiteUrls }, { compileTemplates }] = await Promise.all([
    import("./config/load-theme.js"),
    import("./i18n/ui-strings.js"),
    import("./i18n/urls.js"),
    import("./render/templates.js"),
  ]);
  const themeSink = new DiagnosticSink();
  const theme = await loadTheme(config, themeSink, sources);
  const errors: SiteError[] = [...themeSink.errors, ...checkUiStrings(theme.strings, undefined)];
  if (errors.length > 0) throw new BuildFailedError(errors);
  const templates = compileTemplates(theme.templates);
  const segments = new Map<string, Segments>();
  const translators = new Map<string, Translate>();
  for (const language of config.languages) {
    const strings = theme.strings.get(language.code)!;
    const t = createTranslator(strings, language.locale);
    translators.set(language.code, t);
    segments.set(language.code, { topics: t("segments.topics"), authors: t("segments.authors"), sources: t("segments.sources"), search: t("segments.search") });
  }
  const hash = createHash("sha256");
  for (const template of theme.templates) hash.update(`${template.name}\u0000${template.source}\u0000`);
  for (const asset of theme.assets) hash.update(`${asset.outputPath}\u0000`);
  hash.update(JSON.stringify([...theme.strings]));
  return { templates, assets: theme.assets, translators, urls: new SiteUrls(config.baseUrl, segments), hash: hash.digest("hex") };
}

/**
 * Normalized articles -> everything rendering needs: the site index, related lists, the routes
 * (checked for collisions) and the render context. Pure apart from lazy imports; throws
 * BuildFailedError on route errors. Timings are appended to `timings`.
 */
export async function planSite(
  articles: readonly Article[],
  config: SiteConfig,
  theme: PreparedTheme,
  options: {
    drafts: boolean;
    buildDate: string;
    timings: StageTiming[];
    /** RelatedDocs of articles seen before (`gazette dev`): extracting them is most of the related stage. */
    featureCache?: WeakMap<Article, RelatedDoc>;
    /** RelatedDocs the build workers made while loading, by article id. */
    featuresById?: ReadonlyMap<string, RelatedDoc>;
    /**
     * `gazette dev`: take the related lists from here instead of computing them (lists of new
     * articles are empty, entries of articles gone are dropped); the session settles them later.
     */
    relatedFrom?: RelatedMap;
    /** With the persistent cache: the last build's lists, reused when made from the same input (see cache/related-cache.ts). */
    relatedCache?: { engineKey: string; featureKeys: ReadonlyMap<string, string>; stored: Promise<StoredRelatedLists> };
  },
): Promise<PlannedSite> {
  const [{ buildSiteIndex }, { indexGroups, indexGroupSlugs }, { planRoutes }] = await Promise.all([
    import("./i18n/site-index.js"),
    import("./render/view-context.js"),
    import("./output/plan-routes.js"),
  ]);
  const { timings } = options;
  let started = performance.now();
  const index = buildSiteIndex(articles, config, { drafts: options.drafts, buildDate: options.buildDate });
  timings.push({ stage: "index", ms: performance.now() - started, detail: `${index.stories.size} stories` });

  started = performance.now();
  if (options.relatedFrom) {
    const previous = options.relatedFrom;
    const related: RelatedMap = new Map([...index.articles.keys()].map((id) => [id, (previous.get(id) ?? []).filter((entry) => index.articles.has(entry.id))]));
    timings.push({ stage: "related", ms: performance.now() - started, detail: "deferred" });
    return finishPlan(index, related, config, theme, options, timings, { planRoutes, indexGroups, indexGroupSlugs });
  }
  let freshKey: string | null = null;
  if (options.relatedCache) {
    const { relatedInputKey } = await import("./cache/related-cache.js");
    const key = relatedInputKey(options.relatedCache.engineKey, index.articles.values(), options.relatedCache.featureKeys);
    const stored = key === null ? null : (await options.relatedCache.stored).lists(key);
    if (stored) {
      timings.push({ stage: "related", ms: performance.now() - started, detail: `${stored.size} lists, from the cache` });
      return { ...finishPlan(index, stored, config, theme, options, timings, { planRoutes, indexGroups, indexGroupSlugs }), relatedKey: key! };
    }
    freshKey = key;
  }
  // Loaded only now: lists from the cache, or deferred, need neither the stemmers nor the scoring.
  const { buildRelatedIndex, computeRelated, extractRelatedFeatures, internFeatures } = await import("./related/index.js");
  // Pages show no reasons (`gazette related` does): explaining would double the time and memory.
  const features = [...index.articles.values()].map((article) => {
    let doc = options.featureCache?.get(article) ?? options.featuresById?.get(article.id);
    if (doc === undefined) {
      doc = extractRelatedFeatures(article);
      options.featureCache?.set(article, doc);
    }
    return doc;
  });
  const rows = internFeatures(features);
  const relatedOptions = { ...config.related, explain: false };
  // Kept with the features only when the lists are (freshKey): a delta reads them (see related/affected-lists.ts).
  const margins = freshKey !== null ? { query: new Float64Array(features.length), heap: new Float64Array(features.length), score: new Float64Array(features.length) } : undefined;
  const related: RelatedMap = computeRelated(features, relatedOptions, buildRelatedIndex(features, relatedOptions, rows), margins);
  timings.push({ stage: "related", ms: performance.now() - started, detail: `${related.size} lists` });
  const plan = finishPlan(index, related, config, theme, options, timings, { planRoutes, indexGroups, indexGroupSlugs });
  return freshKey !== null ? { ...plan, freshRelated: { key: freshKey, lists: related }, relatedKey: freshKey, relatedDocs: features, relatedRows: rows, relatedMargins: margins! } : plan;
}

/** Routes (checked for collisions) and the render context, once index and related lists are made. */
function finishPlan(
  index: SiteIndex,
  related: RelatedMap,
  config: SiteConfig,
  theme: PreparedTheme,
  options: { buildDate: string },
  timings: StageTiming[],
  stages: {
    planRoutes: typeof import("./output/plan-routes.js").planRoutes;
    indexGroups: typeof import("./render/view-context.js").indexGroups;
    indexGroupSlugs: typeof import("./render/view-context.js").indexGroupSlugs;
  },
): PlannedSite {
  const started = performance.now();
  const { routes, errors: routeErrors } = stages.planRoutes(index, config, theme.urls, theme.assets);
  if (routeErrors.length > 0) throw new BuildFailedError(routeErrors);
  const context: RenderContext = {
    ...themeContext(config, theme),
    index,
    related,
    groupsById: stages.indexGroups(index),
    groupsBySlug: stages.indexGroupSlugs(index),
    year: newestYear(index) ?? options.buildDate.slice(0, 4),
  };
  const slicePages = config.search ? searchSlicePages(config.searchSlicePages) : 0;
  if (slicePages > 0) {
    const articlePages = routes.flatMap((route) => (route.params.kind === "article" ? [{ lang: index.articles.get(route.params.id)!.lang, href: theme.urls.href(route.url) }] : []));
    context.searchSlices = planSearchSlices(articlePages, slicePages);
  }
  timings.push({ stage: "plan", ms: performance.now() - started, detail: `${routes.length} routes` });
  return {
    index,
    related,
    routes,
    context,
    templates: theme.templates,
    assets: new Map(theme.assets.map((asset) => [asset.name, asset])),
    warnings: [...index.skipped],
  };
}

/** The folders the output must never be or be inside: the project root, content, templates, data. */
export function protectedDirsOf(config: SiteConfig): { root: string; others: string[] } {
  return { root: config.root, others: [config.paths.content, config.paths.templates, config.paths.data].map((dir) => path.resolve(config.root, dir)) };
}

/** The parts of a render context that come from the config and the theme. */
export function themeContext(config: SiteConfig, theme: PreparedTheme): Pick<RenderContext, "config" | "urls" | "translators" | "assetHrefs"> {
  return { config, urls: theme.urls, translators: theme.translators, assetHrefs: new Map(theme.assets.map((asset) => [asset.name, theme.urls.href(`/${asset.outputPath}`)])) };
}

/** Above this share of routes to render, replacing the output costs less than updating it in place. */
const UPDATE_MAX_CHANGED_SHARE = 0.25;

/**
 * Whether the output is updated in place (see output/update-in-place.ts): after a build of the
 * same site, when at most a quarter of its routes must be rendered (the others are reused).
 */
function updateInPlace(routes: readonly Route[], signatures: readonly (string | null)[], previous: PreviousPages | null): boolean {
  if (previous === null) return false;
  let changed = 0;
  routes.forEach((route, i) => {
    if (signatures[i] === null || previous.signatures.get(route.outputPath) !== signatures[i]) changed++;
  });
  return changed <= routes.length * UPDATE_MAX_CHANGED_SHARE;
}

/** Route numbers: feeds (which take article bodies before the article pages do), article pages, then the rest, each in route order. */
function searchFirstOrder(routes: readonly Route[]): number[] {
  const rank = (route: Route): number => (route.params.kind === "feed" ? 0 : route.params.kind === "article" ? 1 : 2);
  return routes.map((_, i) => i).sort((a, b) => rank(routes[a]!) - rank(routes[b]!) || a - b);
}

/**
 * load -> normalize -> index -> related -> routes -> render -> write.
 * Any content, template or output error throws BuildFailedError with all errors, and the
 * previous output stays as it was.
 */
export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const toDisk = !options.writer || options.writer === "disk";
  // After an edit that only another page's body could show, the delta build is all there is to
  // do. Tried before the renderer loads: its checks start sooner (it loads what it needs itself).
  let deltaMissed: StageTiming | null = null;
  if (options.cache === true && toDisk && hasSiteSnapshot(options.root)) {
    const deltaStarted = performance.now();
    const outcome = await (await import("./delta/apply-delta.js")).applyDelta(options).catch((error: unknown) => {
      if (error instanceof OutputError) throw error; // it failed writing: a full build would fail the same way
      return { miss: error instanceof Error ? error.message : String(error) };
    });
    if ("result" in outcome) return outcome.result;
    deltaMissed = { stage: "delta", ms: performance.now() - deltaStarted, detail: `missed: ${outcome.miss}` };
  }
  // Later stages load on demand: `gazette check` and `list` never pay for them.
  const [{ createPageRenderer }, { createDiskWriter }, { createSearchIndexer }] = await Promise.all([
    import("./render/render-pages.js"),
    import("./output/write-output.js"),
    import("./output/search-index.js"),
  ]);
  // A large last output is scanned (on another thread) from the moment the config says where it is.
  let earlyScan: Promise<StartedScan | null> | null = null;
  const site = await loadSite({ ...options, renderBodies: true, onConfig: (config) => (earlyScan = toDisk && options.cache === true ? startScanEarly(config) : null) });
  const { config, timings } = site;
  if (deltaMissed) timings.unshift(deltaMissed);
  if (site.errors.length > 0) {
    await site.saveCache?.(); // the files that did load need not be parsed again after the fix
    throw new BuildFailedError(site.errors);
  }
  const date = buildDate();

  // With the persistent cache, the last related lists are read while the theme loads.
  const relatedCache =
    site.engineKey && site.featureKeys ? { engineKey: site.engineKey, featureKeys: site.featureKeys, stored: (await import("./cache/related-cache.js")).readRelatedLists(config.root) } : null;
  let started = performance.now();
  const theme = await prepareTheme(config, site.sources);
  timings.push({ stage: "theme", ms: performance.now() - started, detail: `${theme.assets.length} assets` });
  const outDir = path.resolve(config.root, config.paths.out);
  // The page cache: routes whose signature is unchanged since the last build are linked, not rendered.
  const pageCache = toDisk && site.engineKey ? await import("./cache/page-cache.js") : null;
  const pageKey = pageCache ? pageCache.pageCacheKey(site.engineKey!, theme.hash, { outDir, drafts: options.drafts ?? false }) : "";
  const previous = pageCache ? await pageCache.readPageState(config.root, pageKey, outDir) : null;
  // Which of the last build's files are still as it wrote them: a large output is scanned on
  // another thread, started while the content loaded (small ones are looked at file by file).
  // (`earlyScan` is set by the `onConfig` callback above, which TypeScript does not follow.)
  const early = await (earlyScan as Promise<StartedScan | null> | null);
  const scan = previous && scanUpFront(previous.signatures.size) ? (early?.take() ?? (await import("./output/scan-output.js")).scanOutputInBackground(outDir)) : null;
  const plan = await planSite(site.articles, config, theme, {
    drafts: options.drafts ?? false,
    buildDate: date,
    timings,
    ...(site.features ? { featuresById: site.features } : {}),
    ...(relatedCache ? { relatedCache } : {}),
  });
  // The features the lists were computed from, for a later delta build (see delta/relist-related.ts).
  // Written before pages render: kept alive while they render, at 30,000 stories they grew the
  // build's peak memory by ~55 MB (~0.25 s at 10,000 stories).
  if (plan.relatedDocs && plan.relatedRows && plan.relatedMargins && plan.freshRelated && pageCache && site.fileStates) {
    started = performance.now();
    const failed = await (await import("./cache/related-features.js")).writeRelatedFeatures(config.root, plan.freshRelated.key, plan.relatedDocs, plan.relatedRows, plan.freshRelated.lists, plan.relatedMargins);
    timings.push({ stage: "features", ms: performance.now() - started, detail: failed ? `related-articles features not written (${failed.message})` : "related-articles features written" });
  }
  delete plan.relatedDocs;
  delete plan.relatedRows;
  delete plan.relatedMargins;
  // The related lists are made: their features (~90 MB at 30,000 stories) are not needed while pages render.
  if (site.features instanceof Map) site.features.clear();
  const warnings = [...site.warnings, ...plan.warnings];
  const { routes, context } = plan;
  const { urls } = context;

  started = performance.now();
  const pages: PageState | null = pageCache ? { key: pageKey, buildId: "", signatures: new Map(), entries: new Map(), search: null } : null;
  const signer = pageCache ? new (await import("./render/route-signatures.js")).ContentSignatures(date) : null;
  const signatures = routes.map((route) => signer?.of(route, plan) ?? null);
  // The search index is made of the article pages: when none changed, the last one is reused too.
  const searchKey =
    pageCache && config.search
      ? pageCache.searchKey(routes.flatMap((route, i) => (route.params.kind === "article" ? [{ href: urls.href(route.url), signature: signatures[i]! }] : [])))
      : null;
  const writer: OutputWriter = !toDisk
    ? (options.writer as MemoryWriter)
    : await createDiskWriter({
        outDir,
        protectedDirs: protectedDirsOf(config),
        ...(pages && pageCache ? { buildId: () => (pages.buildId = pageCache.buildIdOf(pages)) } : {}),
        thread: useWriteThread(routes.length),
        update: updateInPlace(routes, signatures, previous),
        ...(scan ? { scan } : {}),
      });
  const reuseSearch = searchKey !== null && previous?.search?.key === searchKey && previous.search.files.every((file) => writer.unchanged?.(file, previous.committedAt)) ? previous.search.files : null;
  // Kinds in route order (the report lists them so, however the routes are rendered).
  const byKind: Record<string, number> = {};
  for (const route of routes) byKind[route.params.kind] ??= 0;
  const searchReuse = config.search && !reuseSearch ? await import("./output/search-reuse.js") : null;
  const search = config.search && !reuseSearch ? createSearchIndexer(config.languages.map((language) => language.code), plan.index.articles.size, context.searchSlices ?? null) : null;
  // With the page cache, each language's pages are held back while they are the last index's (see output/search-reuse.ts).
  const feeder = search && searchReuse && pages ? new searchReuse.SearchFeeder(search, previous?.search?.groups ?? null, outDir, context.searchSlices ?? null) : null;
  let reused = 0;
  try {
    // With the search index: the feeds, then the article pages (in route order: Pagefind takes
    // them so), then the rest, which render while Pagefind builds its index (at 1,000 stories it
    // took ~3.7 s after the last page; this thread waited for it).
    const order = search ? searchFirstOrder(routes) : routes.map((_, i) => i);
    const lastArticle = search ? order.findLastIndex((i) => routes[i]!.params.kind === "article") : -1;
    // Without the page cache every route renders once, in route order: the sitemap can be
    // written as pages render, rather than every entry kept for the end.
    const streamSitemap = !pages && !search && routes.some((route) => route.params.kind === "sitemap");
    const articleLang = (route: Route): string => plan.index.articles.get((route.params as { id: string }).id)!.lang;
    const renderer = createPageRenderer(context, plan.templates, plan.assets, date, { ...(site.bodies ? { bodies: site.bodies } : {}), streamSitemap });
    if (pages && site.fileStates) renderer.holdFeedBodies(); // for the snapshot (see below)
    const queue = new WriteQueue(writer, 64);
    const entries = new Map<string, EncodedSitemapEntry>();
    const encodeEntry = pages ? (await import("./render/sitemaps.js")).sitemapEntryEncoder(config.baseUrl) : null;
    const render = async (route: Route, signature: string | null): Promise<void> => {
      const rendered = renderer.render(route);
      byKind[route.params.kind] = (byKind[route.params.kind] ?? 0) + rendered.length;
      for (const page of rendered) {
        if (search && route.params.kind === "article") await (feeder ? feeder.page(urls.href(route.url), route.outputPath, articleLang(route), page.body as string) : search.add(urls.href(route.url), page.body as string));
        await queue.push(page);
      }
      for (const part of renderer.takeSitemapParts()) {
        byKind.sitemap = (byKind.sitemap ?? 0) + 1;
        await queue.push(part);
      }
      if (pages) {
        // Only a route that makes exactly its own file can be reused next time.
        if (signature !== null && rendered.length === 1 && rendered[0]!.outputPath === route.outputPath) pages.signatures.set(route.outputPath, signature);
        // Kept encoded only (finish gets every entry from here, so the renderer need not hold them).
        const entry = renderer.takeSitemapEntry(route.outputPath);
        if (entry) entries.set(route.outputPath, encodeEntry!(entry));
      }
    };
    const reusedRoute = (route: Route, signature: string): void => {
      reused++;
      byKind[route.params.kind] = (byKind[route.params.kind] ?? 0) + 1;
      pages!.signatures.set(route.outputPath, signature);
      const entry = previous!.entries.get(route.outputPath);
      if (entry) entries.set(route.outputPath, entry);
    };
    /** Search index files the last build wrote, taken as they are (checked unchanged before the build chose to). */
    const reuseSearchFiles = async (files: readonly string[]): Promise<void> => {
      for (const file of files) {
        if (!(await writer.reuse!(file, previous!.committedAt))) throw new OutputError(`the search index file ${file} was changed or deleted in ${path.relative(config.root, outDir) || "."}/ during the build.`, { hint: "Build again." });
      }
      byKind.search = (byKind.search ?? 0) + files.length;
    };
    /** Routes whose file could not be reused after all (deleted or edited by hand): rendered after the others. */
    const missing: number[] = [];
    let indexing: Promise<RenderedPage[]> | null = null;
    let reusedGroups = new Map<string, SearchGroup>();
    for (const [at, i] of order.entries()) {
      const route = routes[i]!;
      const signature = signatures[i]!;
      if (!pages || signature === null || previous?.signatures.get(route.outputPath) !== signature || !writer.reuse) {
        await render(route, signature);
      } else if (search && route.params.kind === "article") {
        // The search index takes its pages in route order: one at a time.
        if (!(await writer.reuse(route.outputPath, previous.committedAt))) await render(route, signature);
        else {
          reusedRoute(route, signature);
          await feeder!.page(urls.href(route.url), route.outputPath, articleLang(route), null);
        }
      } else {
        // Linking is a file system call per page: many in flight, like writes.
        const reuse = writer.reuse.bind(writer);
        const committedAt = previous.committedAt;
        await queue.run(async () => {
          if (await reuse(route.outputPath, committedAt)) reusedRoute(route, signature);
          else missing.push(i);
        });
      }
      if (at === lastArticle && search) {
        if (feeder) reusedGroups = await feeder.finishArticles((file) => previous !== null && (writer.unchanged?.(file, previous.committedAt) ?? false));
        indexing = search.finish(searchReuse?.reusedEntries(reusedGroups), searchReuse?.reusedWords(reusedGroups));
        indexing.catch(() => undefined); // awaited below
      }
    }
    await queue.drain();
    for (const i of missing.sort((a, b) => a - b)) await render(routes[i]!, signatures[i]!);
    if (pages) for (const route of routes) if (entries.has(route.outputPath)) pages.entries.set(route.outputPath, entries.get(route.outputPath)!);
    // Sitemaps list every page in route order: rendered ones, and reused ones as the last build listed them.
    const inRouteOrder = pages ? pages.entries.values() : search ? routes.flatMap((route) => renderer.sitemapEntry(route.outputPath) ?? []) : undefined;
    for (const page of renderer.finish(inRouteOrder)) {
      byKind.sitemap = (byKind.sitemap ?? 0) + 1;
      await queue.push(page);
    }
    if (search) {
      const indexFiles = await (indexing ?? search.finish());
      byKind.search = (byKind.search ?? 0) + indexFiles.length;
      for (const page of indexFiles) await queue.push(page);
      // The languages whose pages were the last index's: their files as the last build wrote them.
      const reusedFiles = [...reusedGroups.values()].flatMap((group) => group.files);
      await reuseSearchFiles(reusedFiles);
      if (pages && searchKey !== null) pages.search = { key: searchKey, files: [...indexFiles.map((page) => page.outputPath), ...reusedFiles].sort(), ...(feeder ? { groups: feeder.state(indexFiles, reusedGroups) } : {}) };
    } else if (reuseSearch && pages) {
      await reuseSearchFiles(reuseSearch);
      pages.search = previous!.search;
    }
    await queue.drain();
    timings.push({ stage: "render+write", ms: performance.now() - started, detail: `${writer.count} files${pages ? `, ${reused} pages unchanged` : ""}` });
    started = performance.now();
    await writer.commit();
    timings.push({ stage: "commit", ms: performance.now() - started, detail: path.relative(config.root, outDir) || "." });
    if (site.saveCache || pages) {
      started = performance.now();
      const saved = (await site.saveCache?.()) ?? { wrote: false, error: null };
      const relatedFailed = plan.freshRelated ? await (await import("./cache/related-cache.js")).writeRelatedLists(config.root, plan.freshRelated.key, plan.freshRelated.lists) : null;
      const failed = saved.error ?? relatedFailed ?? (pages && pageCache ? await pageCache.writePageState(config.root, pages) : null);
      timings.push({ stage: "cache", ms: performance.now() - started, detail: failed ? `not written (${failed.message})` : saved.wrote || pages || plan.freshRelated ? "written" : "unchanged" });
      // What the next build needs to apply a small edit on its own (see delta/apply-delta.ts).
      if (!failed && pages && signer && site.fileStates) {
        started = performance.now();
        const snapshotFailed = await (await import("./delta/take-snapshot.js")).saveSnapshot({
          root: config.root,
          key: pageKey,
          buildId: pages.buildId,
          buildDate: date,
          drafts: options.drafts ?? false,
          plan,
          articles: site.articles,
          fileStates: site.fileStates,
          listedAt: site.listedAt ?? 0,
          outputs: writer.outputPaths?.() ?? [],
          pages: { total: writer.count, byKind },
          languages: config.languages.map((language) => language.code),
          warnings,
          feedBodies: renderer.feedBodies(),
          checked: site.checked ?? new Map(),
          linkedGroups: (article) => signer!.linkedGroups(article),
        });
        timings.push({ stage: "snapshot", ms: performance.now() - started, detail: snapshotFailed ? `not written (${snapshotFailed.message})` : "written" });
      } else if (pages) {
        // None for this build (its content was not listed with file states, say): a delta must not try the last one.
        await (await import("./cache/site-snapshot.js")).removeSiteSnapshot(config.root);
      }
    }
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    await search?.close();
  }
  return {
    config,
    pages: { total: writer.count, byKind },
    languages: config.languages.map((language) => language.code),
    warnings,
    timings,
    outDir,
  };
}

function newestYear(index: SiteIndex): string | null {
  let newest: string | null = null;
  for (const article of index.articles.values()) if (newest === null || article.date > newest) newest = article.date;
  return newest ? newest.slice(0, 4) : null;
}

/** Below this many files in the last build's output, looking at each as it is reused costs less than starting a thread to scan them. */
const SCAN_THREAD_MIN_FILES = 2000;

/** Whether the last output is scanned up front: GAZETTE_SCAN_THREAD=1 or 0 when set (tests run both ways), else by its size. */
function scanUpFront(files: number, env: NodeJS.ProcessEnv = process.env): boolean {
  const configured = env.GAZETTE_SCAN_THREAD;
  if (configured === "1" || configured === "0") return configured === "1";
  return files >= SCAN_THREAD_MIN_FILES;
}

/**
 * Starts scanning the last output while the content loads, before the build knows whether the
 * page cache holds (the scan is used only if it does, see `scanUpFront`): when the last build's
 * page state says the output is large (~550 bytes a page), or GAZETTE_SCAN_THREAD=1. At 10,000
 * stories the scan's ~34,000 files in ~20,000 folders took 1.4-3.4 s, which a warm build after a
 * title edit spent waiting at the end of its plan. A scan not taken does not hold up the exit.
 */
async function startScanEarly(config: SiteConfig, env: NodeJS.ProcessEnv = process.env): Promise<StartedScan | null> {
  if (env.GAZETTE_SCAN_THREAD === "0") return null;
  const { pageStateBytes } = await import("./cache/page-cache.js");
  const bytes = pageStateBytes(config.root);
  if (bytes === 0 || (env.GAZETTE_SCAN_THREAD !== "1" && bytes < SCAN_THREAD_MIN_FILES * 550)) return null;
  return (await import("./output/scan-output.js")).startOutputScan(path.resolve(config.root, config.paths.out));
}

/** Below this many pages, starting the write thread (~30 ms) costs more than it saves. */
const WRITE_THREAD_MIN_ROUTES = 2000;

/** Whether pages are written from a thread of their own: GAZETTE_WRITE_THREAD=1 or 0 when set, else by size. */
function useWriteThread(routes: number, env: NodeJS.ProcessEnv = process.env): boolean {
  const configured = env.GAZETTE_WRITE_THREAD;
  if (configured === "1" || configured === "0") return configured === "1";
  return routes >= WRITE_THREAD_MIN_ROUTES;
}
