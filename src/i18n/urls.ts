import type { GroupKind } from "./site-index.js";

/**
 * The site's URL scheme. Every URL here is site-relative with a trailing slash ("/de/themen/ukraine/");
 * `href` adds the deployment's base path, `absolute` the origin. Segments are localized:
 * topics live under /de/themen/, /en/topics/, /fr/sujets/.
 */
export interface Segments {
  topics: string;
  authors: string;
  sources: string;
  search: string;
}

export class SiteUrls {
  /** "/news/" when the site is deployed under a subpath, else "/". */
  readonly basePath: string;
  private readonly origin: string;

  constructor(
    baseUrl: string,
    private readonly segments: ReadonlyMap<string, Segments>,
  ) {
    const url = new URL(baseUrl);
    this.basePath = url.pathname;
    this.origin = url.origin;
  }

  segment(lang: string, kind: GroupKind | "search"): string {
    const segments = this.segments.get(lang);
    if (!segments) throw new Error(`Internal: no URL segments for language ${lang}`);
    return kind === "topic" ? segments.topics : kind === "author" ? segments.authors : kind === "source" ? segments.sources : segments.search;
  }

  home(): string {
    return "/";
  }

  front(lang: string, page = 1): string {
    return page <= 1 ? `/${lang}/` : `/${lang}/page/${page}/`;
  }

  groupIndex(lang: string, kind: GroupKind): string {
    return `/${lang}/${this.segment(lang, kind)}/`;
  }

  group(lang: string, kind: GroupKind, slug: string, page = 1): string {
    const base = `/${lang}/${this.segment(lang, kind)}/${slug}/`;
    return page <= 1 ? base : `${base}page/${page}/`;
  }

  search(lang: string): string {
    return `/${lang}/${this.segment(lang, "search")}/`;
  }

  feed(lang: string, format: "rss" | "atom" | "json"): string {
    return `/${lang}/${format === "rss" ? "feed.xml" : format === "atom" ? "atom.xml" : "feed.json"}`;
  }

  /** Root-relative link that works under the deployment's subpath. */
  href(url: string): string {
    return this.basePath + url.replace(/^\//, "");
  }

  absolute(url: string): string {
    return this.origin + this.href(url);
  }

  /** The file a URL is served from: "/de/x/" -> "de/x/index.html", "/de/feed.xml" -> "de/feed.xml". */
  static outputPath(url: string): string {
    const relative = url.replace(/^\//, "");
    return relative === "" || relative.endsWith("/") ? `${relative}index.html` : relative;
  }
}
