import type { Article, Route } from "../types.js";
import type { PlannedSite } from "../build.js";
import { articleTopics } from "../i18n/site-index.js";
import type { Group, GroupKind, ListingEntry } from "../i18n/site-index.js";
import { groupKey } from "../render/view-context.js";
import { foldText } from "../util/text.js";

/**
 * What a route's page is made of, as one string: when it is the same as at the last rebuild, the
 * page is the same and is not rendered again. It lists every article the page shows (by content
 * stamp) and the group names and slugs it links; what all pages share (config, theme, UI strings)
 * resets every signature instead. null: always render (sitemaps list every page).
 *
 * Missing a dependency here would serve a stale page, so `tests/integration/dev-session.test.ts`
 * compares incremental rebuilds with cold builds byte for byte.
 */
export type RouteSignature = string | null;

export class RouteSignatures {
  /**
   * A version number per article object: normalization makes a new object whenever anything in
   * the record changes, and keeps the old one while nothing does (see normalize/index.ts), so the
   * object's identity stands for its content. (A new object with the same content only costs a
   * re-render whose bytes are then found unchanged.)
   */
  private readonly versions = new WeakMap<Article, number>();
  private nextVersion = 1;

  stamp(article: Article): number {
    let version = this.versions.get(article);
    if (version === undefined) {
      version = this.nextVersion++;
      this.versions.set(article, version);
    }
    return version;
  }

  of(route: Route, plan: PlannedSite): RouteSignature {
    const { index, related } = plan;
    const { config, groupsById, year } = plan.context;
    const parts: unknown[] = [year, route.url];
    const entries = (list: readonly ListingEntry[]) => list.map((entry) => `${entry.article.id}:${this.stamp(entry.article)}:${entry.fallback ? 1 : 0}`);
    const group = (lang: string, kind: GroupKind, id: string) => {
      const found = groupsById.get(groupKey(lang, kind, id));
      return found ? `${kind}:${id}>${found.slug}:${found.name}` : `${kind}:${id}>-`;
    };
    const params = route.params;
    switch (params.kind) {
      case "article": {
        const article = index.articles.get(params.id);
        if (!article) return null;
        parts.push(this.stamp(article));
        for (const version of index.stories.get(article.storyKey)?.versions.values() ?? []) parts.push(`${version.id}:${this.stamp(version)}`);
        for (const entry of related.get(article.id) ?? []) {
          const target = index.articles.get(entry.id);
          parts.push(`r:${entry.id}:${target ? this.stamp(target) : "-"}`);
        }
        for (const name of article.authors) parts.push(group(article.lang, "author", foldText(name)));
        for (const topic of articleTopics(article)) parts.push(group(article.lang, "topic", topic.id));
        if (article.source) parts.push(group(article.lang, "source", foldText(article.source.name)));
        break;
      }
      case "front": {
        const listing = index.listings.get(params.lang) ?? [];
        parts.push(params.pages, ...entries(listing.slice((params.page - 1) * config.perPage, params.page * config.perPage)));
        break;
      }
      case "group": {
        const found = index.groups.get(params.lang)?.[params.group].find((candidate) => candidate.slug === params.slug);
        if (!found) return null;
        parts.push(params.pages, found.name, found.id, ...found.ids);
        parts.push(...entries(found.entries.slice((params.page - 1) * config.perPage, params.page * config.perPage)));
        for (const { code } of config.languages) parts.push(group(code, params.group, found.id));
        break;
      }
      case "group-index":
        for (const found of index.groups.get(params.lang)?.[params.group] ?? ([] as Group[])) parts.push(`${found.slug}:${found.name}:${found.entries.length}`);
        break;
      case "chooser":
        for (const { code } of config.languages) parts.push(code, ...entries((index.listings.get(code) ?? []).filter((entry) => !entry.fallback).slice(0, 3)));
        break;
      case "feed":
        parts.push(params.format, ...entries((index.listings.get(params.lang) ?? []).filter((entry) => !entry.fallback).slice(0, config.feedSize)));
        break;
      case "search":
      case "not-found":
      case "robots":
      case "asset":
        break;
      case "sitemap":
      case "news-sitemap":
        return null;
      default:
        return null;
    }
    return parts.join("\n");
  }
}
