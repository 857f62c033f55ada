import path from "node:path";
import type { Route, SourceLocation } from "../types.js";
import type { ThemeAsset } from "../config/load-theme.js";
import type { SiteConfig } from "../config/site-config.js";
import { OutputCollisionError, PathEscapeError, type SiteError } from "../errors/site-error.js";
import type { Group, GroupKind, SiteIndex } from "../i18n/site-index.js";
import { SiteUrls } from "../i18n/urls.js";
import { compactLatin1 } from "../util/text.js";


/**
 * Every page of the site, before rendering. Two routes that want one output file are an error
 * naming the files behind both (never a silent overwrite), and no route may leave the output folder.
 */
export function planRoutes(index: SiteIndex, config: SiteConfig, urls: SiteUrls, assets: readonly ThemeAsset[]): { routes: Route[]; errors: SiteError[] } {
  const routes: Route[] = [];
  const add = (given: string, params: Route["params"], source?: SourceLocation) => routes.push(makeRoute(given, params, source));

  add("/", { kind: "chooser" });
  add("/404.html", { kind: "not-found" });
  add("/robots.txt", { kind: "robots" });
  add("/sitemap.xml", { kind: "sitemap" });
  add("/news-sitemap.xml", { kind: "news-sitemap" });
  for (const asset of assets) routes.push({ url: `/${asset.outputPath}`, outputPath: asset.outputPath, params: { kind: "asset", name: asset.name } });

  for (const { code: lang } of config.languages) {
    const listing = index.listings.get(lang) ?? [];
    const pages = Math.max(1, Math.ceil(listing.length / config.perPage));
    for (let page = 1; page <= pages; page++) add(urls.front(lang, page), { kind: "front", lang, page, pages });
    for (const format of ["rss", "atom", "json"] as const) add(urls.feed(lang, format), { kind: "feed", lang, format });
    add(urls.search(lang), { kind: "search", lang });
    const groups = index.groups.get(lang);
    for (const kind of ["topic", "author", "source"] as const satisfies readonly GroupKind[]) groupRoutes(lang, kind, groups?.[kind] ?? [], config.perPage, urls, routes);
  }
  // Articles last: a build renders routes in this order, and an article page lets go of its body
  // HTML, which the feeds (above) take for articles loaded without their Markdown.
  for (const article of index.articles.values()) add(article.url, { kind: "article", id: article.id }, { file: article.file, line: 1 });

  return { routes, errors: checkRoutes(routes) };
}

/** The routes of one kind of group in one language, in the site's order: their index, then each group's pages. */
export function groupRoutes(lang: string, kind: GroupKind, groups: readonly Group[], perPage: number, urls: SiteUrls, routes: Route[] = []): Route[] {
  routes.push(makeRoute(urls.groupIndex(lang, kind), { kind: "group-index", lang, group: kind }));
  for (const group of groups) {
    const pages = Math.max(1, Math.ceil(group.entries.length / perPage));
    for (let page = 1; page <= pages; page++) routes.push(makeRoute(urls.group(lang, kind, group.slug, page), { kind: "group", lang, group: kind, slug: group.slug, page, pages }));
  }
  return routes;
}

function makeRoute(given: string, params: Route["params"], source?: SourceLocation): Route {
  // Kept to the end of the build, 100,000 of them at 30,000 stories: one byte per character (see
  // compactLatin1), and so is the output path made of it. An article's URL is its record's (compacted when loaded).
  const url = params.kind === "article" ? given : compactLatin1(given);
  const outputPath = SiteUrls.outputPath(url);
  return source ? { url, outputPath, params, source } : { url, outputPath, params };
}

/**
 * The article route `route` moved to `url` (`gazette dev`, after a title its slug is made from
 * changed), or null when `checkRoutes` would fault it there: outside the output folder, or at a
 * file another route wants.
 */
export function movedArticleRoute(routes: readonly Route[], route: Route, url: string): Route | null {
  const outputPath = SiteUrls.outputPath(url);
  if (confinementProblem(outputPath)) return null;
  const key = outputPath.toLowerCase();
  for (const other of routes) if (other !== route && other.outputPath.toLowerCase() === key) return null;
  return { ...route, url, outputPath };
}

/** Whether any of `added` would be faulted by `checkRoutes` beside `routes`: outside the output folder, or at a file another route wants. */
export function routeClashes(routes: readonly Route[], added: readonly Route[]): boolean {
  const taken = new Set(routes.map((route) => route.outputPath.toLowerCase()));
  for (const route of added) {
    const key = route.outputPath.toLowerCase();
    if (confinementProblem(route.outputPath) !== null || taken.has(key)) return true;
    taken.add(key);
  }
  return false;
}

/** Collisions and path confinement, over all routes at once (O(n)). */
export function checkRoutes(routes: readonly Route[]): SiteError[] {
  const errors: SiteError[] = [];
  const seen = new Map<string, Route>();
  for (const route of routes) {
    const escape = confinementProblem(route.outputPath);
    if (escape) {
      errors.push(new PathEscapeError(`the page ${route.url} would be written to "${route.outputPath}", ${escape}.`, route.source ? { location: route.source, hint: "Use a plain slug." } : { hint: "Use a plain slug." }));
      continue;
    }
    const key = route.outputPath.toLowerCase();
    const first = seen.get(key);
    if (first) {
      const who = (r: Route) => (r.source ? r.source.file : `Gazette's ${r.params.kind} page`);
      errors.push(
        new OutputCollisionError(`${who(route)} and ${who(first)} both want ${route.url}.`, {
          ...(route.source ? { location: route.source } : first.source ? { location: first.source } : {}),
          hint: route.source && first.source ? "Give one of them another slug." : "Give the article a `slug:` that does not clash with a page of the site (e.g. a topic or search page).",
        }),
      );
      continue;
    }
    // Case-insensitive: macOS and Windows hosts would serve one file for both.
    seen.set(key, route);
  }
  return errors;
}

/** Why an output path would not be inside the output folder, or null (a delta's moved page asks too: see delta/move-pages.ts). */
export function confinementProblem(outputPath: string): string | null {
  if (outputPath.includes("\0")) return "which contains a NUL byte";
  if (outputPath.includes("\\")) return "which contains a backslash";
  if (path.posix.isAbsolute(outputPath) || /^[a-zA-Z]:/.test(outputPath)) return "an absolute path";
  const normalized = path.posix.normalize(outputPath);
  if (normalized !== outputPath || normalized.startsWith("../") || normalized === ".." || outputPath.split("/").some((part) => part === "." || part === "..")) {
    return "outside the output folder";
  }
  return null;
}
