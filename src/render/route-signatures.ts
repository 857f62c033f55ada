import type { Article, Route } from "../types.js";
import type { PlannedSite } from "../build.js";
import { articleTopics, foldName } from "../i18n/site-index.js";
import type { Group, GroupKind, ListingEntry } from "../i18n/site-index.js";
import { groupKey } from "./view-context.js";
import { hashText } from "../util/hash.js";

/**
 * What a route's page is made of, as one string: when it is the same as at the last rebuild, the
 * page is the same and is not rendered again. It lists every article the page shows (by content
 * stamp) and the group names and slugs it links; what all pages share (config, theme, UI strings)
 * resets every signature instead. null: always render (sitemaps list every page).
 *
 * Missing a dependency here would serve a stale page (in `gazette dev`) or keep one (the build
 * cache), so dev-session, page-cache and dev-random-edits tests (tests/integration/) compare
 * incremental and cached builds with cold builds byte for byte.
 */
export type RouteSignature = string | null;

/** The groups an article page links: its authors, topics and source (in the article's language). */
export function linkedGroupsOf(article: Article): [GroupKind, string][] {
  return [
    ...article.authors.map((name): [GroupKind, string] => ["author", foldName(name)]),
    ...articleTopics(article).map((topic): [GroupKind, string] => ["topic", topic.id]),
    ...(article.source ? [["source", foldName(article.source.name)] as [GroupKind, string]] : []),
  ];
}

export class RouteSignatures {
  /**
   * A version number per article object: normalization makes a new object whenever anything in
   * the record changes, and keeps the old one while nothing does (see normalize/index.ts), so the
   * object's identity stands for its content. (A new object with the same content only costs a
   * re-render whose bytes are then found unchanged.)
   */
  private readonly versions = new WeakMap<Article, number>();
  private nextVersion = 1;

  stamp(article: Article): number | string {
    let version = this.versions.get(article);
    if (version === undefined) {
      version = this.nextVersion++;
      this.versions.set(article, version);
    }
    return version;
  }

  /** The groups an article page links (authors, topics, source), once per article object. */
  private readonly groupKeys = new WeakMap<Article, [GroupKind, string][]>();

  linkedGroups(article: Article): [GroupKind, string][] {
    let keys = this.groupKeys.get(article);
    if (keys === undefined) {
      keys = linkedGroupsOf(article);
      this.groupKeys.set(article, keys);
    }
    return keys;
  }

  /** Small numbers for the (slug, name) pairs of linked groups, so signatures stay short. */
  private readonly groupIds = new Map<string, number>();

  protected groupId(group: Group | undefined): number | string {
    if (!group) return 0;
    const key = `${group.slug}\u0001${group.name}`;
    let id = this.groupIds.get(key);
    if (id === undefined) {
      id = this.groupIds.size + 1;
      this.groupIds.set(key, id);
    }
    return id;
  }

  /**
   * The signature is a short string of numbers: 34,000 routes get one on every rebuild, and
   * building them from ids and names was most of a 10,000-story rebuild's time. `onArticle` hears
   * of every article the signature stamps: the articles the page shows.
   */
  of(route: Route, plan: PlannedSite, onArticle?: (article: Article) => void): RouteSignature {
    const stamp = onArticle ? (article: Article) => (onArticle(article), this.stamp(article)) : (article: Article) => this.stamp(article);
    const { index, related } = plan;
    const { config, groupsById, groupsBySlug, year } = plan.context;
    const params = route.params;
    let sig = `${params.kind}|${year}|`;
    const entries = (list: readonly ListingEntry[], from: number, to: number, ownOnly = false): void => {
      let taken = 0;
      for (let i = ownOnly ? 0 : from; i < list.length && (ownOnly ? taken < to : i < to); i++) {
        const entry = list[i]!;
        if (ownOnly && entry.fallback) continue;
        taken++;
        sig += entry.fallback ? `${stamp(entry.article)}+,` : `${stamp(entry.article)},`;
      }
    };
    switch (params.kind) {
      case "article": {
        const article = index.articles.get(params.id);
        if (!article) return null;
        sig += `${stamp(article)}|`;
        for (const version of index.stories.get(article.storyKey)?.versions.values() ?? []) sig += `${stamp(version)},`;
        sig += "|";
        for (const entry of related.get(article.id) ?? []) {
          const target = index.articles.get(entry.id);
          sig += target ? `${stamp(target)},` : `${entry.id},`;
        }
        sig += "|";
        for (const [kind, id] of this.linkedGroups(article)) sig += `${this.groupId(groupsById.get(groupKey(article.lang, kind, id)))},`;
        return sig;
      }
      case "front": {
        sig += `${params.pages}|`;
        entries(index.listings.get(params.lang) ?? [], (params.page - 1) * config.perPage, params.page * config.perPage);
        return sig;
      }
      case "group": {
        const found = groupsBySlug.get(groupKey(params.lang, params.group, params.slug));
        if (!found) return null;
        sig += `${params.pages}|${this.groupId(found)}|${found.ids.join(",")}|`;
        // Every page of a group says how many articles it has, and is dated (sitemap lastmod) by its newest.
        sig += `${found.entries.length}|`;
        if (found.entries[0]) sig += `${stamp(found.entries[0].article)}|`;
        entries(found.entries, (params.page - 1) * config.perPage, params.page * config.perPage);
        sig += "|";
        for (const { code } of config.languages) sig += `${this.groupId(groupsById.get(groupKey(code, params.group, found.id)))},`;
        return sig;
      }
      case "group-index":
        for (const found of index.groups.get(params.lang)?.[params.group] ?? ([] as Group[])) sig += `${this.groupId(found)}:${found.entries.length},`;
        return sig;
      case "chooser":
        for (const { code } of config.languages) {
          sig += `${code}:`;
          entries(index.listings.get(code) ?? [], 0, 3, true);
        }
        return sig;
      case "feed":
        sig += `${params.format}|`;
        entries(index.listings.get(params.lang) ?? [], 0, config.feedSize, true);
        return sig;
      case "search":
        // The bundles its search merges (see output/search-slices.ts).
        return `${sig}${route.outputPath}|${plan.context.searchSlices ? JSON.stringify(plan.context.searchSlices.bundlesFor(params.lang)) : ""}`;
      case "not-found":
      case "robots":
      case "asset":
        return sig + route.outputPath;
      case "sitemap":
      case "news-sitemap":
        return null;
      default:
        return null;
    }
  }
}

/**
 * Signatures that mean the same in the next process (`gazette build` with the persistent cache):
 * an article is stamped by its file's content hash and what the checks across articles gave it
 * (URL, section), a group by its slug and name; the engine (code, config, entities, theme) is in
 * the cache's key. `buildDate` goes into the pages that show it when they have nothing newer.
 * Kept as a digest: the cache holds one per page (the strings were 14 M characters at 10,000
 * stories, and the state file 51 MB), and only equality matters.
 */
export class ContentSignatures extends RouteSignatures {
  private readonly stamps = new WeakMap<Article, string>();

  constructor(private readonly buildDate: string) {
    super();
  }

  override stamp(article: Article): string {
    let stamp = this.stamps.get(article);
    if (stamp === undefined) {
      stamp = hashText(`${article.hash}\u0001${article.url}\u0001${article.category ?? ""}`, 12);
      this.stamps.set(article, stamp);
    }
    return stamp;
  }

  protected override groupId(group: Group | undefined): string {
    return group ? `${group.slug}\u0002${group.name}` : "";
  }

  override of(route: Route, plan: PlannedSite, onArticle?: (article: Article) => void): RouteSignature {
    const signature = super.of(route, plan, onArticle);
    if (signature === null) return null;
    // A feed with no article yet is dated by the build.
    return hashText(route.params.kind === "feed" && signature.endsWith("|") ? `${signature}${this.buildDate}` : signature, 24);
  }
}
