import type { Article, RenderedPage, Route } from "../types.js";
import type { ThemeAsset } from "../config/load-theme.js";
import { compareNewest } from "../i18n/site-index.js";
import { articlePage } from "./article-view.js";
import { renderAtom, renderJsonFeed, renderRss, type FeedInput } from "./feeds.js";
import { renderMarkdown } from "./markdown.js";
import { markdownOf } from "../util/article-markdown.js";
import { chooserPage, frontPage, groupIndexPage, groupPage, notFoundPage, searchPage } from "./page-views.js";
import { renderNewsSitemaps, renderRobotsTxt, sitemapWriter, type EncodedSitemapEntry, type NewsEntry, type SitemapEntry } from "./sitemaps.js";

export type { EncodedSitemapEntry, SitemapEntry } from "./sitemaps.js";
import type { TemplateSet } from "./templates.js";
import { groupKey, language, type RenderContext } from "./view-context.js";
import type { PageView } from "./view-models.js";

export interface PageRenderer {
  /** Renders one route; sitemaps wait for `finish`, because they list every other page. */
  render(route: Route): RenderedPage[];
  /** The sitemap entry of a rendered route (by output path); undefined when it is not in the sitemap. */
  sitemapEntry(outputPath: string): SitemapEntry | undefined;
  /** `sitemapEntry`, no longer kept here: for a caller that keeps the entries itself and passes them to `finish`. */
  takeSitemapEntry(outputPath: string): SitemapEntry | undefined;
  /**
   * The sitemaps, once every page has been rendered: over the entries of the rendered routes, in
   * route order, or over `entries` (`gazette dev` renders only the routes that changed). Each
   * sitemap part comes as soon as it is full (50,000 URLs, UTF-8 bytes): a caller that writes it
   * before taking the next never holds all of a large site's sitemap files at once.
   */
  finish(entries?: Iterable<SitemapEntry | EncodedSitemapEntry>, only?: "sitemap" | "news-sitemap"): Iterable<RenderedPage>;
  /** With `streamSitemap`: sitemap files already full, to be written now (each returned once). */
  takeSitemapParts(): RenderedPage[];
  /** The body HTML of each article in the feeds rendered so far, by id (kept for the next delta build: see cache/site-snapshot.ts). */
  feedBodies(): ReadonlyMap<string, string>;
  /**
   * Takes now the feed bodies of the feed articles without Markdown, for `feedBodies` (the site
   * snapshot needs every feed article's, and feeds the page cache reuses are not rendered): their
   * page HTML is their feed body, and it is let go once their page renders.
   */
  holdFeedBodies(): void;
}

const utf8 = new TextDecoder();

/**
 * Frees a buffer no longer needed now rather than at the next full collection: its holders came
 * in while loading and live in the old generation, so without this the bodies of all pages
 * stayed in memory to the end of the build (~230 MB at 30,000 stories). Moving the buffer to a
 * new holder, which dies young, lets the next minor collection free it.
 */
function release(buffer: ArrayBufferLike): void {
  structuredClone(buffer, { transfer: [buffer as ArrayBuffer] });
}

/**
 * What frees the bodies' buffers as their pages are rendered: a buffer once none of the bodies
 * that view it is left to render (a loading thread sends a batch's bodies in one buffer: see
 * `packBodies`). Its holders' views are detached then.
 */
export function bodyReleaser(bodies: Iterable<Uint8Array>): (rendered: Uint8Array) => void {
  const unrendered = new Map<ArrayBufferLike, number>();
  for (const body of bodies) unrendered.set(body.buffer, (unrendered.get(body.buffer) ?? 0) + 1);
  return (body) => {
    const left = (unrendered.get(body.buffer) ?? 1) - 1;
    if (left > 0) unrendered.set(body.buffer, left);
    else {
      unrendered.delete(body.buffer);
      release(body.buffer);
    }
  };
}

/** Google News sitemaps list articles of the last two days before the build. */
const NEWS_WINDOW_MS = 2 * 86_400_000;

/** Whether the news sitemap of a build at `buildDate` lists an article published at `date`. */
export function inNewsWindow(date: string, buildDate: string): boolean {
  const end = Date.parse(buildDate);
  const published = Date.parse(date);
  return published > end - NEWS_WINDOW_MS && published <= end;
}

export interface RendererOptions {
  /**
   * Article bodies already rendered (`renderArticleBody`, by the content-loading workers), UTF-8,
   * by source file. Each is taken out when its page is rendered, so that it is not held twice.
   * Feeds take theirs before that: they are planned before the articles (see plan-routes.ts).
   */
  bodies?: Map<string, Uint8Array>;
  /**
   * Writes the sitemap while pages render, in render order, instead of keeping every entry for
   * `finish`: full parts (50,000 URLs) are taken with `takeSitemapParts` as they fill. For a
   * build that renders every route in route order and calls `finish` without entries; then
   * `sitemapEntry` returns nothing.
   */
  streamSitemap?: boolean;
  /** Feed bodies kept from render to render (`gazette dev`): an article object's HTML stays what it was (same site origin). */
  feedHtml?: WeakMap<Article, string>;
}

export function createPageRenderer(
  context: RenderContext,
  templates: TemplateSet,
  assets: ReadonlyMap<string, ThemeAsset>,
  buildDate: string,
  options: RendererOptions = {},
): PageRenderer {
  const { bodies, feedHtml: keptFeedHtml } = options;
  const { urls, config, index } = context;
  const rendered = bodyReleaser(bodies?.values() ?? []);
  const sitemapEntries = new Map<string, SitemapEntry>();
  const sitemapStream = options.streamSitemap ? sitemapWriter(config.baseUrl) : null;
  /** Article id -> body HTML for feeds: RSS, Atom and JSON Feed of a language carry the same items. */
  const feedBodies = new Map<string, string>();
  const deferred: Route[] = [];

  const html = (route: Route, view: PageView, lastmod: string | null): RenderedPage[] => {
    const body = templates.render(view);
    // A page belongs in the sitemap when it is its own canonical and may be indexed.
    if (view.head.robots === null && view.head.canonical === urls.absolute(route.url)) {
      const entry = { loc: view.head.canonical, lastmod, alternates: view.head.alternates };
      if (sitemapStream) sitemapStream.add(entry);
      else sitemapEntries.set(route.outputPath, entry);
    }
    return [{ outputPath: route.outputPath, body }];
  };

  return {
    render(route) {
      const params = route.params;
      switch (params.kind) {
        case "article": {
          const article = index.articles.get(params.id);
          if (!article) throw new Error(`Internal: route for unknown article ${params.id}`);
          const body = bodies?.get(article.file);
          if (body === undefined) return html(route, articlePage(article, context), article.updated ?? article.date);
          bodies!.delete(article.file);
          const bodyHtml = utf8.decode(body);
          rendered(body);
          return html(route, articlePage(article, context, bodyHtml), article.updated ?? article.date);
        }
        case "front": {
          const newest = index.listings.get(params.lang)?.[(params.page - 1) * config.perPage]?.article;
          return html(route, frontPage(params.lang, params.page, params.pages, context), newest?.date ?? null);
        }
        case "group": {
          const group = context.groupsBySlug.get(groupKey(params.lang, params.group, params.slug));
          if (!group) throw new Error(`Internal: route for unknown group ${params.slug}`);
          return html(route, groupPage(params.lang, params.group, group, params.page, params.pages, context), group.entries[0]?.article.date ?? null);
        }
        case "group-index":
          return html(route, groupIndexPage(params.lang, params.group, context), null);
        case "chooser":
          return html(route, chooserPage(context), null);
        case "search":
          return html(route, searchPage(params.lang, context), null);
        case "not-found":
          return [{ outputPath: route.outputPath, body: templates.render(notFoundPage(context)) }];
        case "feed":
          return [{ outputPath: route.outputPath, body: renderFeed(params.lang, params.format, context, buildDate, feedBodies, bodies, keptFeedHtml) }];
        case "robots":
          return [{ outputPath: route.outputPath, body: renderRobotsTxt(config.baseUrl, ["sitemap.xml", "news-sitemap.xml"]) }];
        case "asset": {
          const asset = assets.get(params.name);
          if (!asset) throw new Error(`Internal: unknown asset ${params.name}`);
          return [{ outputPath: route.outputPath, body: asset.bytes }];
        }
        case "sitemap":
        case "news-sitemap":
          deferred.push(route);
          return [];
        default:
          return assertNever(params);
      }
    },
    sitemapEntry(outputPath) {
      return sitemapEntries.get(outputPath);
    },
    takeSitemapEntry(outputPath) {
      const entry = sitemapEntries.get(outputPath);
      sitemapEntries.delete(outputPath);
      return entry;
    },
    *finish(entries, only) {
      const pagesOf = (files: readonly { path: string; content: string | Uint8Array }[]): RenderedPage[] => files.map(sitemapPage);
      for (const route of deferred) {
        if (only !== undefined && route.params.kind !== only) continue;
        if (route.params.kind === "news-sitemap") yield* pagesOf(renderNewsSitemaps(newsEntries(context, buildDate), config.baseUrl));
        else if (!sitemapStream) {
          const writer = sitemapWriter(config.baseUrl);
          for (const entry of entries ?? sitemapEntries.values()) {
            writer.add(entry);
            yield* pagesOf(writer.takeFull());
          }
          yield* pagesOf(writer.end());
        } else if (entries === undefined) yield* pagesOf(sitemapStream.end());
        else throw new Error("Internal: a streamed sitemap takes no entries at finish.");
      }
    },
    feedBodies() {
      return feedBodies;
    },
    holdFeedBodies() {
      const origin = new URL(config.baseUrl).origin;
      for (const { code } of config.languages) {
        for (const article of feedArticles(code, context)) if (article.body === undefined && article.packedBody === undefined) feedBody(article, origin, feedBodies, bodies, keptFeedHtml);
      }
    },
    takeSitemapParts() {
      return (sitemapStream?.takeFull() ?? []).map(sitemapPage);
    },
  };
}

/** A sitemap file as a page: its bytes, when it is bytes, are its own (see `RenderedPage.movable`). */
function sitemapPage(file: { path: string; content: string | Uint8Array }): RenderedPage {
  return typeof file.content === "string" ? { outputPath: file.path, body: file.content } : { outputPath: file.path, body: file.content, movable: true };
}

function newsEntries(context: RenderContext, buildDate: string): NewsEntry[] {
  return newsArticles(context, buildDate).map((article) => newsEntry(article, context));
}

/** The articles the news sitemap of a build at `buildDate` lists, newest first. */
export function newsArticles(context: RenderContext, buildDate: string): Article[] {
  return [...context.index.articles.values()].filter((article) => inNewsWindow(article.date, buildDate)).sort(compareNewest);
}

/** An article's entry in the news sitemap. */
export function newsEntry(article: Article, context: Pick<RenderContext, "urls" | "config">): NewsEntry {
  return { loc: context.urls.absolute(article.url), publicationName: context.config.publisher.name, language: article.lang, published: article.date, title: article.title };
}

/** A language's feed: its own articles only (readers expect one language per feed), newest first. */
function renderFeed(
  lang: string,
  format: "rss" | "atom" | "json",
  context: RenderContext,
  buildDate: string,
  feedBodies: Map<string, string>,
  pageBodies: ReadonlyMap<string, Uint8Array> | undefined,
  kept: WeakMap<Article, string> | undefined,
): string {
  const { urls, config } = context;
  const languageConfig = language(context, lang);
  const articles = feedArticles(lang, context);
  const origin = new URL(config.baseUrl).origin;
  const feed: FeedInput = {
    lang,
    title: languageConfig.title,
    description: languageConfig.description || languageConfig.title,
    homeUrl: urls.absolute(urls.front(lang)),
    feedUrls: { rss: urls.absolute(urls.feed(lang, "rss")), atom: urls.absolute(urls.feed(lang, "atom")), json: urls.absolute(urls.feed(lang, "json")) },
    updated: articles.reduce((newest, article) => (Date.parse(article.updated ?? article.date) > Date.parse(newest) ? (article.updated ?? article.date) : newest), articles[0]?.date ?? buildDate),
    publisher: config.publisher.name,
    generator: "Gazette",
    items: articles.map((article) => ({
      url: urls.absolute(article.url),
      title: article.title,
      summary: article.summary,
      contentHtml: feedBody(article, origin, feedBodies, pageBodies, kept),
      published: article.date,
      updated: article.updated,
      authors: [...article.authors],
      tags: article.tags.map((tag) => tag.name),
      lang: article.lang,
      source: article.source,
    })),
  };
  return format === "rss" ? renderRss(feed) : format === "atom" ? renderAtom(feed) : renderJsonFeed(feed);
}

/** The articles a language's feeds carry: its own, newest first. */
function feedArticles(lang: string, context: RenderContext): Article[] {
  return (context.index.listings.get(lang) ?? [])
    .filter((entry) => !entry.fallback)
    .slice(0, context.config.feedSize)
    .map((entry) => entry.article);
}

/**
 * Feeds show the body without foreign-passage marks. An article whose Markdown was dropped has
 * none (see util/article-markdown.ts), so its page's HTML is the same.
 */
function feedBody(article: Article, origin: string, feedBodies: Map<string, string>, pageBodies: ReadonlyMap<string, Uint8Array> | undefined, kept: WeakMap<Article, string> | undefined): string {
  let html = feedBodies.get(article.id);
  if (html === undefined) {
    html = kept?.get(article);
    if (html === undefined) {
      const page = article.body === undefined && article.packedBody === undefined ? pageBodies?.get(article.file) : undefined;
      html = page ? utf8.decode(page) : feedHtml(article, origin);
      kept?.set(article, html);
    }
    feedBodies.set(article.id, html);
  }
  return html;
}

/** An article's body as feeds carry it: from its Markdown, without foreign-passage marks. */
export function feedHtml(article: Pick<Article, "file" | "body" | "packedBody" | "lang">, origin: string): string {
  return renderMarkdown(markdownOf(article), { lang: article.lang, siteOrigin: origin }).html;
}

function assertNever(value: never): never {
  throw new Error(`Internal: unhandled route ${JSON.stringify(value)}`);
}
