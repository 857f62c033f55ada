import path from "node:path";
import type { Article, Diagnostic, RelatedMap, RenderedPage, Route, SourceArticle } from "../types.js";
import { buildRelatedIndex, extractRelatedFeatures, type RelatedDoc } from "../related/index.js";
import { computeRelatedOnCores, startRelatedHelper } from "../related/related-on-cores.js";
import { buildDate, loadSite, planSite, prepareTheme, type LoadCaches, type PlannedSite, type PreparedTheme, type StageTiming } from "../build.js";
import type { ContentCache } from "../content/load-content.js";
import type { SiteConfig } from "../config/site-config.js";
import { sortByLocation } from "../errors/diagnostics.js";
import { BuildFailedError, SiteError } from "../errors/site-error.js";
import { articleLabelsKey, redateInIndex, replaceInIndex } from "../i18n/site-index.js";
import { redatedRoutes, redating, type Redating } from "./redate.js";
import { applyRelabeling, relabeledRoutes, relabeling, replanGroupRoutes, type Relabeling } from "./relabel.js";
import { movedArticleRoute } from "../output/plan-routes.js";
import type { NormalizeContext, NormalizeOutcome } from "../normalize/index.js";
import { createPageRenderer, inNewsWindow, type EncodedSitemapEntry, type PageRenderer, type SitemapEntry } from "../render/render-pages.js";
import { encodedEntryBytes, joinUrlset, sitemapEntryEncoder } from "../render/sitemaps.js";
import type { ChangeSet } from "./classify-change.js";
import { readQuickEdits, type KnownFile, type QuickEdit } from "./quick-edit.js";
import { RouteSignatures, type RouteSignature } from "../render/route-signatures.js";
import { readRelatedLists } from "../cache/related-cache.js";

export interface SessionOptions {
  root: string;
  /** Content folder, relative to the working directory or absolute. */
  content?: string;
  drafts?: boolean;
}

export interface RebuildReport {
  ok: boolean;
  /** Output paths written (new or changed bytes) and removed, sorted. */
  written: string[];
  removed: string[];
  /** Article pages at a new URL (a title their slug is made from changed): [removed, written] output paths. */
  moved: [from: string, to: string][];
  /** Routes rendered (the others were unchanged and skipped). */
  rendered: number;
  routes: number;
  errors: SiteError[];
  warnings: Diagnostic[];
  ms: number;
  /** Where the time went: load, normalize, index, related, plan, render. */
  timings: StageTiming[];
  /**
   * Related lists still come from before the change until `settle()` runs (every other part of
   * every page is up to date).
   */
  pending: boolean;
  /** The quick path was taken (see SiteSession). */
  quick: boolean;
}

/** What the quick path needs of the last good full rebuild. */
interface SiteState {
  plan: PlannedSite;
  normalize: NormalizeContext;
  contentDir: string;
  /** Content files by absolute path (those that made an article). */
  known: Map<string, KnownFile>;
  /** Per article record, the routes (indexes into plan.routes) whose pages show it; may hold a few more. */
  dependents: Map<Article, number[]>;
  /** Article id -> index of its page's route. */
  articleRoutes: Map<string, number>;
  /** Indexes of the sitemap routes: they are rendered last, over every page. */
  sitemapRoutes: number[];
  /** Loading and normalizing warnings (sorted by location), and the index's (skipped drafts...). */
  siteWarnings: Diagnostic[];
  planWarnings: readonly Diagnostic[];
}

type Report = Omit<RebuildReport, "ms" | "timings" | "pending" | "quick">;

/**
 * The site as `gazette dev` keeps it: the last good build in memory, and what it takes to rebuild
 * it after a change without redoing everything.
 *
 * The quick path: an edit of one article that keeps the site's shape (same language, story and
 * checks across articles: see quick-edit.ts), the everyday case of fixing a sentence, swaps the
 * new record into the last plan and renders only the routes that showed the old one, found in a
 * reverse index of the route signatures. A new URL, date, or new topics or byline move the
 * article's route or entries in place (dev/redate.ts, dev/relabel.ts) when that is all they
 * change. Related lists are global (document frequencies change with every word), so they are
 * recomputed afterwards by `settle()`, which re-renders the pages whose list changed.
 * The full path defers them the same way (except on the first build or after a config change).
 *
 * The full path: files read and normalized before are reused (the watcher says which changed);
 * index, related lists and routes are recomputed; only routes whose signature changed are
 * rendered; only changed bytes count as written.
 *
 * A failed rebuild changes nothing: the last good build stays served.
 */
export class SiteSession {
  /** Output path -> bytes of the last good build. */
  readonly files = new Map<string, string | Uint8Array>();
  config: SiteConfig | null = null;
  /** Errors of the last rebuild; empty after a good one. */
  errors: SiteError[] = [];
  private readonly contentCache: ContentCache = new Map();
  private normalizeCache = new WeakMap<SourceArticle, NormalizeOutcome>();
  private listing: LoadCaches["listing"] = null;
  private theme: PreparedTheme | null = null;
  private signatures = new Map<string, string>();
  private sitemapEntries = new Map<string, SitemapEntry | undefined>();
  /** Feed bodies by article object, from rebuild to rebuild (an edit renders three feeds of 50 articles each). */
  private feedHtml = new WeakMap<Article, string>();
  /** Each sitemap entry checked and written once, for its base URL: a sitemap made again after an edit joins them (34,000 written again took ~0.4 s). */
  private encodedEntries: { baseUrl: string; encode: (entry: SitemapEntry) => EncodedSitemapEntry; cache: WeakMap<SitemapEntry, { encoded: EncodedSitemapEntry; bytes: Uint8Array }> } | null = null;
  /** Output files of the last sitemap (not the news sitemap): kept while no entry changes. */
  private sitemapFiles: Map<string, string | Uint8Array> | null = null;
  /** The pages the sitemap lists, in its order; null when unknown (a quick edit moved a page): the next full rebuild writes the sitemap again. */
  private sitemapOrder: string | null = "";
  private readonly routeSignatures = new RouteSignatures();
  private readonly featureCache = new WeakMap<Article, RelatedDoc>();
  /** Fixed for the session, so that pages depending on "now" (news sitemap) do not churn. */
  private readonly date = buildDate();
  /** The last good full rebuild, as quick edits have changed it; null forces the full path. */
  private state: SiteState | null = null;
  /** Quick edits happened since related lists were last computed. */
  private relatedStale = false;
  /** The sitemap waits for `settle()` too (see `renderRoutes`). */
  private sitemapStale = false;
  /** A build in progress while no build has succeeded yet: its pages, rendered when asked for (see `page`). */
  private early: EarlyPages | null = null;
  private markFirstPages: () => void = () => undefined;
  /**
   * Resolves once the first build can serve pages (see `page`): its routes are planned (at 10,000
   * stories, a few seconds into a build that takes ~30), or it has ended.
   */
  readonly firstPages = new Promise<void>((resolve) => (this.markFirstPages = resolve));

  constructor(private readonly options: SessionOptions) {}

  /** Whether `page` can answer: a build succeeded, or the first one has planned its routes. */
  get serving(): boolean {
    return this.files.size > 0 || this.early !== null;
  }

  /**
   * The bytes of an output file: the last good build's, or, while the first build runs, the page
   * rendered now from its plan (the build then keeps it rather than rendering it again). A
   * sitemap waits for the build's end: it lists every page.
   */
  page(outputPath: string): string | Uint8Array | undefined {
    const kept = this.files.get(outputPath);
    if (kept !== undefined || this.early === null) return kept;
    const { byPath, renderer, pages } = this.early;
    const done = pages.get(outputPath);
    if (done !== undefined) return done.find((page) => page.outputPath === outputPath)?.body;
    const route = byPath.get(outputPath);
    if (route === undefined || route.params.kind === "sitemap" || route.params.kind === "news-sitemap") return undefined;
    const rendered = renderer.render(route).map((page) => ({ outputPath: page.outputPath, body: asBytes(page.body) }));
    pages.set(outputPath, rendered);
    return rendered.find((page) => page.outputPath === outputPath)?.body;
  }

  /** Whether `page(outputPath)` has an answer (without rendering it). */
  hasPage(outputPath: string): boolean {
    const route = this.early?.byPath.get(outputPath);
    return this.files.has(outputPath) || (route !== undefined && route.params.kind !== "sitemap" && route.params.kind !== "news-sitemap");
  }

  /** Related lists wait for `settle()`. */
  get pending(): boolean {
    return (this.relatedStale || this.sitemapStale) && this.state !== null;
  }

  /** Rebuilds after `changes`; null means from scratch (start, or config/data changed). */
  async rebuild(changes: ChangeSet | null): Promise<RebuildReport> {
    const started = performance.now();
    if (changes === null || changes.full) {
      this.contentCache.clear();
      this.normalizeCache = new WeakMap();
      this.feedHtml = new WeakMap();
      this.theme = null;
    }
    if (changes?.theme) this.theme = null;
    if (this.theme === null) {
      this.signatures = new Map();
      this.sitemapEntries = new Map();
      this.sitemapFiles = null;
      this.state = null;
    }
    // A file or folder added or removed (or anything unclear): list the content folder again.
    if (changes === null || changes.full || [...changes.contentFiles.values()].some((event) => event !== "change")) this.listing = null;
    for (const [file] of changes?.contentFiles ?? []) {
      // A story folder (renamed, deleted) drops every file under it.
      for (const key of this.contentCache.keys()) if (key === file || key.startsWith(file + path.sep)) this.contentCache.delete(key);
    }
    try {
      const report = (await this.quickUpdate(changes)) ?? (await this.update());
      this.errors = [];
      return { ...report, ms: performance.now() - started };
    } catch (error) {
      this.early = null;
      // The next rebuild starts from the last good build's files, not from a half-applied state.
      this.state = null;
      const errors = error instanceof BuildFailedError ? [...error.errors] : error instanceof SiteError ? [error] : null;
      if (errors === null) throw error;
      this.errors = errors;
      return { ok: false, written: [], removed: [], moved: [], rendered: 0, routes: 0, errors, warnings: [], ms: performance.now() - started, timings: [], pending: false, quick: false };
    } finally {
      this.markFirstPages();
    }
  }

  /**
   * After quick edits: recomputes every related list and re-renders the pages whose list changed.
   * The site is then what a cold build makes of the same files.
   */
  async settle(): Promise<RebuildReport> {
    const started = performance.now();
    const state = this.state;
    if ((!this.relatedStale && !this.sitemapStale) || state === null) {
      return { ok: true, written: [], removed: [], moved: [], rendered: 0, routes: 0, errors: [], warnings: [], ms: 0, timings: [], pending: false, quick: false };
    }
    const previous = state.plan;
    const helper = startRelatedHelper(previous.index.articles.size);
    let related: RelatedMap;
    try {
      const features = [...previous.index.articles.values()].map((article) => {
        let doc = this.featureCache.get(article);
        if (doc === undefined) this.featureCache.set(article, (doc = extractRelatedFeatures(article)));
        return doc;
      });
      const options = { ...previous.context.config.related, explain: false };
      ({ lists: related } = await computeRelatedOnCores(features, options, buildRelatedIndex(features, options, undefined, helper !== null), helper));
    } finally {
      helper?.close();
    }
    const timings: StageTiming[] = [{ stage: "related", ms: performance.now() - started, detail: `${related.size} lists` }];
    const changed: number[] = [];
    for (const [id, list] of related) {
      const before = previous.related.get(id) ?? [];
      const route = state.articleRoutes.get(id);
      if (route !== undefined && (before.length !== list.length || before.some((entry, i) => entry.id !== list[i]!.id))) changed.push(route);
    }
    const plan: PlannedSite = { ...previous, related, context: { ...previous.context, related } };
    const renderStarted = performance.now();
    const report = this.renderRoutes(state, plan, changed.sort((a, b) => a - b), false);
    state.plan = plan;
    this.relatedStale = false;
    timings.push({ stage: "render", ms: performance.now() - renderStarted, detail: `${report.rendered} pages` });
    return { ...report, warnings: [...state.siteWarnings, ...state.planWarnings], ms: performance.now() - started, timings, pending: false, quick: false };
  }

  /** The quick path (see the class comment), or null when the changes need the full one. */
  private async quickUpdate(changes: ChangeSet | null): Promise<Omit<RebuildReport, "ms"> | null> {
    const state = this.state;
    if (state === null || this.errors.length > 0) return null;
    let started = performance.now();
    const edits = await readQuickEdits(changes, state.known, {
      root: this.options.root,
      contentDir: state.contentDir,
      normalize: state.normalize,
      contentCache: this.contentCache,
      normalizeCache: this.normalizeCache,
    });
    if (edits === null) return null;
    const timings: StageTiming[] = [{ stage: "load+normalize", ms: performance.now() - started, detail: `${edits.length} files` }];

    started = performance.now();
    const { plan } = state;
    // An article page at a new URL: its route moves, unless that clashes with another page's (the full path reports it).
    const movedRoutes = new Map<number, Route>();
    for (const { previous, next } of edits) {
      const routeIndex = state.articleRoutes.get(next.checked.id);
      if (next.checked.url === previous.checked.url || routeIndex === undefined || plan.index.articles.get(previous.checked.id) !== previous.checked) continue;
      const moved = movedArticleRoute(plan.routes, plan.routes[routeIndex]!, next.checked.url);
      if (moved === null) return null;
      movedRoutes.set(routeIndex, moved);
    }
    // An article at another date: its entries move, unless that could change a group (the full path then).
    const redated = new Map<QuickEdit, Redating>();
    for (const edit of edits) {
      if (edit.next.checked.date === edit.previous.checked.date) continue;
      const found = redating(plan, edit.previous.checked, edit.next.checked, { buildDate: this.date, drafts: this.options.drafts ?? false });
      if (found === null) return null;
      redated.set(edit, found);
    }
    // An article with other topics, authors or source: its entries leave and join groups, which may be made or go, unless one would be renamed or merged (the full path then).
    const relabeled = new Map<QuickEdit, Relabeling>();
    for (const edit of edits) {
      const { previous, next } = edit;
      if (articleLabelsKey(next.checked) === articleLabelsKey(previous.checked)) continue;
      // Each is checked against the index as it is: two edits could empty one group together.
      if (edits.length > 1 || redated.has(edit)) return null;
      const found = relabeling(plan, previous.checked, next.checked);
      // A page made for a group was checked against the routes as they were, not against a page that moves now.
      if (found === null || (movedRoutes.size > 0 && [...found.changes.values()].some((change) => change.made.length > 0))) return null;
      relabeled.set(edit, found);
    }
    const routes = new Set<number>();
    let newsSitemap = false;
    for (const edit of edits) {
      const { absolute, previous, next } = edit;
      state.known.set(absolute, next);
      const redate = redated.get(edit);
      const relabel = relabeled.get(edit);
      if (redate) {
        redateInIndex(plan.index, previous.checked, next.checked, (lang) => redate.groups.get(lang) ?? []);
        for (const route of redatedRoutes(plan.routes, redate)) routes.add(route);
        if (inNewsWindow(previous.checked.date, this.date)) newsSitemap = true;
      } else if (relabel) {
        if (!applyRelabeling(plan, previous.checked, next.checked, relabel)) continue;
      } else if (!replaceInIndex(plan.index, previous.checked, next.checked)) continue;
      const dependents = state.dependents.get(previous.checked) ?? [];
      for (const route of dependents) routes.add(route);
      state.dependents.delete(previous.checked);
      state.dependents.set(next.checked, dependents);
      if (inNewsWindow(next.checked.date, this.date)) newsSitemap = true;
    }
    state.siteWarnings = replaceWarnings(state.siteWarnings, edits);
    this.relatedStale = true;
    const left: string[] = [];
    const movedPages: [string, string][] = [];
    for (const [routeIndex, moved] of movedRoutes) {
      left.push(plan.routes[routeIndex]!.outputPath);
      movedPages.push([plan.routes[routeIndex]!.outputPath, moved.outputPath]);
      (plan.routes as Route[])[routeIndex] = moved;
    }
    // Groups' routes planned again (pages come and go with their counts): every route index after them moves.
    for (const relabel of relabeled.values()) {
      if (!relabel.reroutes) {
        for (const route of relabeledRoutes(plan, relabel)) routes.add(route);
        continue;
      }
      const { remap, added, left: gone } = replanGroupRoutes(plan, relabel);
      const kept = remapIndexes([...routes], remap);
      routes.clear();
      for (const route of [...kept, ...added, ...relabeledRoutes(plan, relabel)]) routes.add(route);
      // ~420,000 indexes at 10,000 stories: in place.
      for (const list of state.dependents.values()) remapIndexes(list, remap);
      for (const [id, index] of state.articleRoutes) state.articleRoutes.set(id, remap[index]!);
      remapIndexes(state.sitemapRoutes, remap);
      left.push(...gone);
      if (added.length > 0 || gone.length > 0) this.sitemapOrder = null;
    }
    timings.push({ stage: "index", ms: performance.now() - started, detail: `${routes.size} routes affected${movedPages.length > 0 ? `, ${movedPages.length} moved` : ""}${left.length > movedPages.length ? `, ${left.length - movedPages.length} gone` : ""}` });

    started = performance.now();
    const report = this.renderRoutes(state, plan, [...routes].sort((a, b) => a - b), newsSitemap, left, true);
    timings.push({ stage: "render", ms: performance.now() - started, detail: `${report.rendered} pages` });
    return { ...report, moved: movedPages, warnings: [...state.siteWarnings, ...state.planWarnings], timings, pending: true, quick: true };
  }

  private async update(): Promise<Omit<RebuildReport, "ms">> {
    const options = this.options;
    const previous = this.state;
    this.state = null;
    const caches: LoadCaches = { content: this.contentCache, normalized: this.normalizeCache, listing: this.listing };
    const site = await loadSite({ root: options.root, ...(options.content !== undefined ? { content: options.content } : {}) }, caches);
    this.listing = caches.listing ?? null;
    if (site.errors.length > 0) throw new BuildFailedError(site.errors);
    const configChanged = this.config !== null && JSON.stringify(this.config) !== JSON.stringify(site.config);
    if (configChanged) {
      // The watcher classifies the config file, but other paths (e.g. --content) could change it too.
      this.theme = null;
      this.feedHtml = new WeakMap(); // the site's origin is in it
      this.signatures = new Map();
      this.sitemapEntries = new Map();
      this.sitemapFiles = null;
    }
    this.config = site.config;
    this.theme ??= await prepareTheme(site.config);
    const timings: StageTiming[] = [...site.timings];
    // Related lists take half a second at 10,000 stories: the last ones serve until `settle()`
    // (on the first build, or after a config change or a failure, they are computed now).
    const relatedFrom = previous !== null && !configChanged ? previous.plan.related : undefined;
    const plan = await planSite(site.articles, site.config, this.theme, {
      drafts: options.drafts ?? false,
      buildDate: this.date,
      timings,
      featureCache: this.featureCache,
      // From the first load's threads (see workers/dev-prewarm.ts); kept in featureCache from then on.
      ...(site.features ? { featuresById: site.features } : {}),
      ...(relatedFrom ? { relatedFrom } : {}),
      // The first build takes the last `gazette build`'s lists when made from the same input (~1 s at 10,000 stories).
      ...(relatedFrom === undefined && site.engineKey && site.featureKeys ? { relatedCache: { engineKey: site.engineKey, featureKeys: site.featureKeys, stored: readRelatedLists(options.root) } } : {}),
    });
    // Lists taken from the cache leave the features unextracted: settle() needs them.
    for (const article of site.features ? plan.index.articles.values() : []) {
      const doc = site.features!.get(article.id);
      if (doc !== undefined && !this.featureCache.has(article)) this.featureCache.set(article, doc);
    }
    const started = performance.now();
    const state: SiteState = {
      plan,
      normalize: site.normalizeContext!,
      contentDir: path.resolve(options.root, site.config.paths.content),
      known: this.knownFiles(site.articles),
      dependents: new Map(),
      articleRoutes: new Map(),
      sitemapRoutes: [],
      siteWarnings: site.warnings,
      planWarnings: plan.warnings,
    };
    const report = await this.renderChanged(state, [...site.warnings, ...plan.warnings], site.bodies);
    this.state = state;
    // Article pages at another URL than before (a browser on one follows the article there).
    if (previous !== null) {
      for (const [id, routeIndex] of state.articleRoutes) {
        const before = previous.articleRoutes.get(id);
        const from = before === undefined ? undefined : previous.plan.routes[before]?.outputPath;
        const to = plan.routes[routeIndex]!.outputPath;
        if (from !== undefined && from !== to) report.moved.push([from, to]);
      }
    }
    this.relatedStale = relatedFrom !== undefined;
    timings.push({ stage: "render", ms: performance.now() - started, detail: `${report.rendered} pages` });
    return { ...report, timings, pending: this.relatedStale, quick: false };
  }

  /** The content files behind `articles`, with their records before and after the checks across articles. */
  private knownFiles(articles: readonly Article[]): Map<string, KnownFile> {
    const checkedByFile = new Map(articles.map((article) => [article.file, article]));
    const known = new Map<string, KnownFile>();
    for (const [absolute, cached] of this.contentCache) {
      const raw = cached.source ? this.normalizeCache.get(cached.source)?.article : null;
      const checked = raw ? checkedByFile.get(raw.file) : undefined;
      if (raw && checked) known.set(absolute, { storyKey: cached.source!.storyKey, raw, checked, readWarnings: cached.warnings });
    }
    return known;
  }

  /**
   * Renders the routes whose signature changed into a staging map, then applies it at once; notes
   * for each article which routes show it (the quick path's reverse index).
   */
  private async renderChanged(state: SiteState, warnings: Diagnostic[], bodies?: Map<string, Uint8Array>): Promise<Report> {
    const { plan } = state;
    // `bodies`: those the first load's threads rendered (see workers/dev-prewarm.ts), taken out as their pages render.
    const renderer = createPageRenderer(plan.context, plan.templates, plan.assets, this.date, { feedHtml: this.feedHtml, ...(bodies ? { bodies } : {}) });
    // No good build to serve yet: pages asked for are rendered from this plan meanwhile, and the loop lets the server answer.
    const early = this.files.size === 0 ? (this.early = { byPath: new Map(plan.routes.map((route) => [route.outputPath, route])), renderer, pages: new Map() }) : null;
    if (early) {
      this.markFirstPages();
      // Those waiting for it (the server's start) go first.
      await new Promise((resolve) => setImmediate(resolve));
    }
    let sliceStarted = performance.now();
    const staged = new Map<string, string | Uint8Array>();
    const signatures = new Map<string, string>();
    const entries = new Map<string, SitemapEntry | undefined>();
    const kept = new Set<string>();
    const recorder = dependencyRecorder(state.dependents);
    let rendered = 0;
    // The sitemap lists every page: rewritten only when an entry changed, appeared or went (or a quick edit left it to settle()).
    let sitemapChanged = this.sitemapFiles === null || this.sitemapStale;
    for (const [routeIndex, route] of plan.routes.entries()) {
      if (early && performance.now() - sliceStarted > 20) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
      if (route.params.kind === "article") state.articleRoutes.set(route.params.id, routeIndex);
      else if (route.params.kind === "sitemap" || route.params.kind === "news-sitemap") state.sitemapRoutes.push(routeIndex);
      const step = this.stageRoute(plan, renderer, route, recorder.at(routeIndex), staged, early?.pages.get(route.outputPath));
      if (step.signature !== null) signatures.set(route.outputPath, step.signature);
      entries.set(route.outputPath, step.entry);
      if (!step.rendered) kept.add(route.outputPath);
      else if (route.params.kind !== "sitemap" && route.params.kind !== "news-sitemap") rendered++;
      if (step.entryChanged) sitemapChanged = true;
    }
    // Pages that went, or the same pages in another order (a renamed story folder), change it too.
    const order = sitemapOrderOf(plan, entries);
    if (order !== this.sitemapOrder) sitemapChanged = true;
    this.signatures = signatures;
    this.sitemapEntries = entries;
    this.sitemapOrder = order;
    const sitemapPages = this.renderSitemaps(renderer, plan, sitemapChanged, true, staged);
    this.sitemapStale = false;

    // Everything rendered; nothing failed: apply.
    const written = this.apply(staged);
    this.early = null;
    const removed: string[] = [];
    for (const outputPath of this.files.keys()) {
      if (!kept.has(outputPath) && !staged.has(outputPath) && !sitemapPages.has(outputPath)) {
        this.files.delete(outputPath);
        removed.push(outputPath);
      }
    }
    return { ok: true, written: written.sort(), removed: removed.sort(), moved: [], rendered, routes: plan.routes.length, errors: [], warnings };
  }

  /**
   * Renders the routes `routeIndexes` of `plan` whose signature changed (the site's shape is that of
   * the last full rebuild: the same routes), the sitemap if an entry changed, the news sitemap if
   * asked; then applies the pages at once.
   */
  private renderRoutes(state: SiteState, plan: PlannedSite, routeIndexes: readonly number[], newsSitemap: boolean, left: readonly string[] = [], deferSitemap = false): Report {
    const renderer = createPageRenderer(plan.context, plan.templates, plan.assets, this.date, { feedHtml: this.feedHtml });
    const staged = new Map<string, string | Uint8Array>();
    // The files of pages that moved: gone, and the sitemap lists them at their new URLs.
    for (const outputPath of left) {
      this.signatures.delete(outputPath);
      this.sitemapEntries.delete(outputPath);
    }
    const recorder = dependencyRecorder(state.dependents);
    const steps = routeIndexes.map((routeIndex) => ({ route: plan.routes[routeIndex]!, ...this.stageRoute(plan, renderer, plan.routes[routeIndex]!, recorder.at(routeIndex), staged) }));
    // Nothing failed: the signatures and entries of what was rendered now describe the served files.
    const rendered = steps.filter((step) => step.rendered);
    for (const { route, signature, entry } of rendered) {
      if (signature !== null) this.signatures.set(route.outputPath, signature);
      this.sitemapEntries.set(route.outputPath, entry);
    }
    if (left.length > 0) this.sitemapOrder = null;
    // A changed sitemap is written now, or (after a quick edit) when the session settles: it lists every page, ~7 MB at 10,000 stories.
    const sitemapChanged = this.sitemapStale || left.length > 0 || rendered.some((step) => step.entryChanged);
    const sitemapNow = sitemapChanged && !deferSitemap;
    for (const index of state.sitemapRoutes) renderer.render(plan.routes[index]!);
    const sitemapPages = this.renderSitemaps(renderer, plan, sitemapNow, newsSitemap, staged);
    this.sitemapStale = sitemapChanged && deferSitemap;
    if (sitemapNow && this.sitemapOrder === null) this.sitemapOrder = sitemapOrderOf(plan, this.sitemapEntries);
    const written = this.apply(staged);
    // A sitemap split in fewer files than before: the others go.
    const removed: string[] = [];
    for (const outputPath of this.files.keys()) {
      const isSitemap = (sitemapNow && this.isSitemapFile(outputPath)) || (newsSitemap && isNewsSitemap(outputPath));
      if ((isSitemap && !sitemapPages.has(outputPath)) || (left.includes(outputPath) && !staged.has(outputPath))) {
        this.files.delete(outputPath);
        removed.push(outputPath);
      }
    }
    return { ok: true, written: written.sort(), removed: removed.sort(), moved: [], rendered: rendered.length, routes: plan.routes.length, errors: [], warnings: [] };
  }

  /**
   * One route of a rebuild: its signature (telling `showsArticle` which articles it shows), and,
   * when that is not the one of the served page, its pages staged and its sitemap entry compared.
   */
  private stageRoute(
    plan: PlannedSite,
    renderer: PageRenderer,
    route: Route,
    showsArticle: (article: Article) => void,
    staged: Map<string, string | Uint8Array>,
    renderedEarly?: readonly RenderedPage[],
  ): { signature: RouteSignature; rendered: boolean; entry: SitemapEntry | undefined; entryChanged: boolean } {
    const signature = this.routeSignatures.of(route, plan, showsArticle);
    if (signature !== null && this.signatures.get(route.outputPath) === signature && this.files.has(route.outputPath)) {
      return { signature, rendered: false, entry: this.sitemapEntries.get(route.outputPath), entryChanged: false };
    }
    for (const page of renderedEarly ?? renderer.render(route)) staged.set(page.outputPath, asBytes(page.body));
    const entry = renderer.sitemapEntry(route.outputPath);
    return { signature, rendered: true, entry, entryChanged: JSON.stringify(entry) !== JSON.stringify(this.sitemapEntries.get(route.outputPath)) };
  }

  /**
   * Stages the sitemap (when `sitemap`; else keeps the last one) and the news sitemap (when `news`);
   * returns the output paths of both, staged or kept.
   */
  private renderSitemaps(renderer: PageRenderer, plan: PlannedSite, sitemap: boolean, news: boolean, staged: Map<string, string | Uint8Array>): Set<string> {
    const paths = new Set<string>();
    if (!sitemap && !news) {
      for (const outputPath of this.files.keys()) if (isNewsSitemap(outputPath)) paths.add(outputPath);
    } else {
      const inOrder = sitemap ? plan.routes.flatMap((route) => this.encodedEntry(plan.context.config.baseUrl, this.sitemapEntries.get(route.outputPath)) ?? []) : [];
      const sitemapFiles = sitemap ? new Map<string, string | Uint8Array>() : this.sitemapFiles!;
      // One sitemap file is joined of the entries' bytes; an index and its parts are written.
      const joined = sitemap ? joinUrlset(inOrder.map((entry) => entry.bytes)) : null;
      const only = joined !== null ? (news ? "news-sitemap" : null) : !news ? "sitemap" : !sitemap ? "news-sitemap" : undefined;
      const pages: Iterable<RenderedPage> = [
        ...(joined !== null ? [{ outputPath: "sitemap.xml", body: joined }] : []),
        ...(only === null ? [] : renderer.finish(inOrder.map((entry) => entry.encoded), only)),
      ];
      for (const page of pages) {
        paths.add(page.outputPath);
        const body = asBytes(page.body);
        staged.set(page.outputPath, body);
        if (sitemap && !isNewsSitemap(page.outputPath)) sitemapFiles.set(page.outputPath, body);
      }
      this.sitemapFiles = sitemapFiles;
    }
    for (const outputPath of this.sitemapFiles?.keys() ?? []) paths.add(outputPath);
    if (!news) for (const outputPath of this.files.keys()) if (isNewsSitemap(outputPath)) paths.add(outputPath);
    return paths;
  }

  private encodedEntry(baseUrl: string, entry: SitemapEntry | undefined): { encoded: EncodedSitemapEntry; bytes: Uint8Array } | undefined {
    if (entry === undefined) return undefined;
    if (this.encodedEntries?.baseUrl !== baseUrl) this.encodedEntries = { baseUrl, encode: sitemapEntryEncoder(baseUrl), cache: new WeakMap() };
    const { encode, cache } = this.encodedEntries;
    let kept = cache.get(entry);
    if (kept === undefined) {
      const encoded = encode(entry);
      cache.set(entry, (kept = { encoded, bytes: encodedEntryBytes(encoded) }));
    }
    return kept;
  }

  private isSitemapFile(outputPath: string): boolean {
    return outputPath === "sitemap.xml" || (outputPath.startsWith("sitemaps/") && !isNewsSitemap(outputPath));
  }

  /** Puts staged pages into the served files; returns the paths whose bytes changed. */
  private apply(staged: ReadonlyMap<string, string | Uint8Array>): string[] {
    const written: string[] = [];
    for (const [outputPath, body] of staged) {
      const before = this.files.get(outputPath);
      if (before !== undefined && sameBytes(before, body)) continue;
      this.files.set(outputPath, body);
      written.push(outputPath);
    }
    return written;
  }
}

/** The first build's pages rendered before it reached them, because the server was asked for them. */
interface EarlyPages {
  byPath: Map<string, Route>;
  renderer: PageRenderer;
  /** By route output path: the pages its route rendered. */
  pages: Map<string, { outputPath: string; body: Uint8Array }[]>;
}

/** The pages the sitemap lists, in its order. */
function sitemapOrderOf(plan: PlannedSite, entries: ReadonlyMap<string, SitemapEntry | undefined>): string {
  return plan.routes.flatMap((route) => (entries.get(route.outputPath) !== undefined ? [route.outputPath] : [])).join("\n");
}

/** Each route index in `indexes` replaced by `remap`'s, in place; those it maps to -1 (gone) dropped. Keeps the order. */
function remapIndexes(indexes: number[], remap: Int32Array): number[] {
  let kept = 0;
  for (const index of indexes) {
    const to = remap[index]!;
    if (to >= 0) indexes[kept++] = to;
  }
  indexes.length = kept;
  return indexes;
}

/** The last warnings with those of the edited files replaced, in the order a full load gives. */
function replaceWarnings(warnings: readonly Diagnostic[], edits: readonly QuickEdit[]): Diagnostic[] {
  const files = new Set(edits.map((edit) => edit.next.checked.file));
  const kept = warnings.filter((warning) => !files.has(warning.location?.file ?? ""));
  for (const { next } of edits) kept.push(...next.readWarnings, ...next.checked.diagnostics);
  return sortByLocation(kept);
}

/**
 * Notes, per article, the routes that show it (`at(route)` gives the callback for one route).
 * Routes come in increasing order within a pass; an article's list keeps each route once.
 */
function dependencyRecorder(dependents: Map<Article, number[]>): { at(routeIndex: number): (article: Article) => void } {
  let current = 0;
  const shows = (article: Article): void => {
    let routes = dependents.get(article);
    if (routes === undefined) dependents.set(article, (routes = []));
    const last = routes[routes.length - 1];
    // A full pass only ever appends; a partial one may meet lists that hold later routes already.
    if (last === undefined || last < current || (last !== current && !routes.includes(current))) routes.push(current);
  };
  return {
    at(routeIndex) {
      current = routeIndex;
      return shows;
    },
  };
}

function isNewsSitemap(outputPath: string): boolean {
  return outputPath === "news-sitemap.xml" || outputPath.startsWith("sitemaps/news-sitemap-");
}

const utf8 = new TextEncoder();

/**
 * A page as the session keeps it: UTF-8 bytes, outside the JavaScript heap. Kept as strings, the
 * 34,000 pages of a 10,000-story site grew the heap by ~1 GB while the first build rendered them,
 * and garbage collection took ~40 % of that render marking them again and again.
 */
function asBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === "string" ? utf8.encode(body) : body;
}

function sameBytes(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (typeof a === "string" && typeof b === "string") return a === b;
  const view = (bytes: string | Uint8Array) => (typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return view(a).equals(view(b));
}
