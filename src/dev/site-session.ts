import path from "node:path";
import type { Article, Diagnostic, SourceArticle } from "../types.js";
import type { RelatedDoc } from "../related/index.js";
import { buildDate, loadSite, planSite, prepareTheme, type LoadCaches, type PlannedSite, type PreparedTheme, type StageTiming } from "../build.js";
import type { ContentCache } from "../content/load-content.js";
import type { SiteConfig } from "../config/site-config.js";
import { BuildFailedError, SiteError } from "../errors/site-error.js";
import type { NormalizeOutcome } from "../normalize/index.js";
import { createPageRenderer, type SitemapEntry } from "../render/render-pages.js";
import type { ChangeSet } from "./classify-change.js";
import { RouteSignatures } from "./route-signatures.js";

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
  /** Routes rendered (the others were unchanged and skipped). */
  rendered: number;
  routes: number;
  errors: SiteError[];
  warnings: Diagnostic[];
  ms: number;
  /** Where the time went: load, normalize, index, related, plan, render. */
  timings: StageTiming[];
}

/**
 * The site as `gazette dev` keeps it: the last good build in memory, and what it takes to rebuild
 * it after a change without redoing everything. Files read and normalized before are reused (the
 * watcher says which changed); index, related lists and routes are recomputed (they are cheap and
 * cross-cutting); only routes whose signature changed are rendered; only changed bytes count as
 * written. A failed rebuild changes nothing: the last good build stays served.
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
  /** Output files of the last sitemap (not the news sitemap): kept while no entry changes. */
  private sitemapFiles: Map<string, string | Uint8Array> | null = null;
  private sitemapOrder = "";
  private readonly routeSignatures = new RouteSignatures();
  private readonly featureCache = new WeakMap<Article, RelatedDoc>();
  /** Fixed for the session, so that pages depending on "now" (news sitemap) do not churn. */
  private readonly date = buildDate();

  constructor(private readonly options: SessionOptions) {}

  /** Rebuilds after `changes`; null means from scratch (start, or config/data changed). */
  async rebuild(changes: ChangeSet | null): Promise<RebuildReport> {
    const started = performance.now();
    if (changes === null || changes.full) {
      this.contentCache.clear();
      this.normalizeCache = new WeakMap();
      this.theme = null;
    }
    if (changes?.theme) this.theme = null;
    if (this.theme === null) {
      this.signatures = new Map();
      this.sitemapEntries = new Map();
      this.sitemapFiles = null;
    }
    // A file or folder added or removed (or anything unclear): list the content folder again.
    if (changes === null || changes.full || [...changes.contentFiles.values()].some((event) => event !== "change")) this.listing = null;
    for (const [file] of changes?.contentFiles ?? []) {
      // A story folder (renamed, deleted) drops every file under it.
      for (const key of this.contentCache.keys()) if (key === file || key.startsWith(file + path.sep)) this.contentCache.delete(key);
    }
    try {
      const report = await this.update();
      this.errors = [];
      return { ...report, ms: performance.now() - started };
    } catch (error) {
      const errors = error instanceof BuildFailedError ? [...error.errors] : error instanceof SiteError ? [error] : null;
      if (errors === null) throw error;
      this.errors = errors;
      return { ok: false, written: [], removed: [], rendered: 0, routes: 0, errors, warnings: [], ms: performance.now() - started, timings: [] };
    }
  }

  private async update(): Promise<Omit<RebuildReport, "ms">> {
    const options = this.options;
    const caches: LoadCaches = { content: this.contentCache, normalized: this.normalizeCache, listing: this.listing };
    const site = await loadSite({ root: options.root, ...(options.content !== undefined ? { content: options.content } : {}) }, caches);
    this.listing = caches.listing ?? null;
    if (site.errors.length > 0) throw new BuildFailedError(site.errors);
    if (this.config !== null && JSON.stringify(this.config) !== JSON.stringify(site.config)) {
      // The watcher classifies the config file, but other paths (e.g. --content) could change it too.
      this.theme = null;
      this.signatures = new Map();
      this.sitemapEntries = new Map();
      this.sitemapFiles = null;
    }
    this.config = site.config;
    this.theme ??= await prepareTheme(site.config);
    const timings: StageTiming[] = [...site.timings];
    const plan = await planSite(site.articles, site.config, this.theme, { drafts: options.drafts ?? false, buildDate: this.date, timings, featureCache: this.featureCache });
    const started = performance.now();
    const report = this.renderChanged(plan, [...site.warnings, ...plan.warnings]);
    timings.push({ stage: "render", ms: performance.now() - started, detail: `${report.rendered} pages` });
    return { ...report, timings };
  }

  /** Renders the routes whose signature changed into a staging map, then applies it at once. */
  private renderChanged(plan: PlannedSite, warnings: Diagnostic[]): Omit<RebuildReport, "ms" | "timings"> {
    const renderer = createPageRenderer(plan.context, plan.templates, plan.assets, this.date);
    const staged = new Map<string, string | Uint8Array>();
    const signatures = new Map<string, string>();
    const entries = new Map<string, SitemapEntry | undefined>();
    const current = new Set<string>();
    let rendered = 0;
    // The sitemap lists every page: rewritten only when an entry changed, appeared or went.
    let sitemapChanged = this.sitemapFiles === null;
    for (const route of plan.routes) {
      const signature = this.routeSignatures.of(route, plan);
      const reuse = signature !== null && this.signatures.get(route.outputPath) === signature && this.files.has(route.outputPath);
      if (reuse) {
        current.add(route.outputPath);
        signatures.set(route.outputPath, signature);
        entries.set(route.outputPath, this.sitemapEntries.get(route.outputPath));
        continue;
      }
      const pages = renderer.render(route);
      if (route.params.kind !== "sitemap" && route.params.kind !== "news-sitemap") rendered++;
      for (const page of pages) {
        current.add(page.outputPath);
        staged.set(page.outputPath, page.body);
      }
      if (signature !== null) signatures.set(route.outputPath, signature);
      const entry = renderer.sitemapEntry(route.outputPath);
      entries.set(route.outputPath, entry);
      if (!sitemapChanged && JSON.stringify(entry) !== JSON.stringify(this.sitemapEntries.get(route.outputPath))) sitemapChanged = true;
    }
    const listed = plan.routes.filter((route) => entries.get(route.outputPath) !== undefined);
    const inOrder = listed.map((route) => entries.get(route.outputPath)!);
    // Pages that went, or the same pages in another order (a renamed story folder), change it too.
    const order = listed.map((route) => route.outputPath).join("\n");
    if (order !== this.sitemapOrder) sitemapChanged = true;
    const sitemapFiles = sitemapChanged ? new Map<string, string | Uint8Array>() : this.sitemapFiles!;
    for (const page of renderer.finish(inOrder, sitemapChanged ? undefined : "news-sitemap")) {
      current.add(page.outputPath);
      staged.set(page.outputPath, page.body);
      if (sitemapChanged && !isNewsSitemap(page.outputPath)) sitemapFiles.set(page.outputPath, page.body);
    }
    for (const outputPath of sitemapFiles.keys()) current.add(outputPath);

    // Everything rendered; nothing failed: apply.
    const written: string[] = [];
    for (const [outputPath, body] of staged) {
      const before = this.files.get(outputPath);
      if (before !== undefined && sameBytes(before, body)) continue;
      this.files.set(outputPath, body);
      written.push(outputPath);
    }
    const removed: string[] = [];
    for (const outputPath of this.files.keys()) {
      if (!current.has(outputPath)) {
        this.files.delete(outputPath);
        removed.push(outputPath);
      }
    }
    this.signatures = signatures;
    this.sitemapEntries = entries;
    this.sitemapFiles = sitemapFiles;
    this.sitemapOrder = order;
    return { ok: true, written: written.sort(), removed: removed.sort(), rendered, routes: plan.routes.length, errors: [], warnings };
  }
}

function isNewsSitemap(outputPath: string): boolean {
  return outputPath === "news-sitemap.xml" || outputPath.startsWith("sitemaps/news-sitemap-");
}

function sameBytes(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (typeof a === "string" && typeof b === "string") return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}
