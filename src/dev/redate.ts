/**
 * A quick edit that changes an article's date (`gazette dev`): its listing and group entries move
 * (`redateInIndex`), and the listing pages of its languages and groups are signed again. This says
 * whether that gives what a full rebuild would, and what it touches.
 */
import type { Article, Route } from "../types.js";
import type { PlannedSite } from "../build.js";
import { articleTopics, compareNewest, foldName, type Group, type GroupKind, type ListingEntry } from "../i18n/site-index.js";
import { groupKey } from "../render/view-context.js";

export interface Redating {
  /** Per language whose listing holds the article: the groups its entry is in. */
  groups: Map<string, Group[]>;
}

/**
 * Null when the edit must take the full path: the article is not published, or would not be (a
 * date after the build date); the site's newest year changes (every page shows it); or one of its
 * groups could change: a group of several merged ids (which one leads depends on the order), or
 * one whose first entry carrying its id (natives first: it names the group) would spell the name
 * otherwise after the move.
 */
export function redating(plan: PlannedSite, previous: Article, next: Article, options: { buildDate: string; drafts: boolean }): Redating | null {
  const { index } = plan;
  if (index.articles.get(previous.id) !== previous) return null;
  if (!options.drafts && Date.parse(next.date) > Date.parse(options.buildDate)) return null;
  let newest = next.date;
  for (const article of index.articles.values()) if (article !== previous && article.date > newest) newest = article.date;
  if (newest.slice(0, 4) !== plan.context.year) return null;
  const labels: [GroupKind, string][] = [
    ...articleTopics(previous).map((topic): [GroupKind, string] => ["topic", topic.id]),
    ...previous.authors.map((name): [GroupKind, string] => ["author", foldName(name)]),
    ...(previous.source ? [["source", foldName(previous.source.name)] as [GroupKind, string]] : []),
  ];
  const groups = new Map<string, Group[]>();
  for (const [lang, entries] of index.listings) {
    const entry = entries.find((each) => each.article === previous);
    if (!entry) continue;
    const own: Group[] = [];
    for (const [kind, id] of labels) {
      const group = plan.context.groupsById.get(groupKey(lang, kind, id));
      if (!group) continue;
      if (group.ids.length > 1) return null;
      const first = firstCarrier(group, kind, id, entry, next);
      if (first === undefined || labelName(first === entry ? next : first.article, kind, id) !== group.name) return null;
      if (!own.includes(group)) own.push(group);
    }
    groups.set(lang, own);
  }
  return { groups };
}

/** The routes whose pages may show the article elsewhere than before: its languages' front pages and feeds, the chooser, its groups' pages. */
export function redatedRoutes(routes: readonly Route[], redated: Redating): number[] {
  const slugs = new Map([...redated.groups].map(([lang, groups]) => [lang, new Set(groups.map((group) => `${group.kind}\u0000${group.slug}`))]));
  const found: number[] = [];
  routes.forEach((route, i) => {
    const params = route.params;
    if (params.kind === "chooser") found.push(i);
    else if ((params.kind === "front" || params.kind === "feed") && slugs.has(params.lang)) found.push(i);
    else if (params.kind === "group" && slugs.get(params.lang)?.has(`${params.group}\u0000${params.slug}`)) found.push(i);
  });
  return found;
}

/**
 * The entry that makes the group's id `id` once `moved` is dated as `next`: the first native entry
 * that carries it, else (authors, sources) the first fallback one.
 */
function firstCarrier(group: Group, kind: GroupKind, id: string, moved: ListingEntry, next: Article): ListingEntry | undefined {
  const first = (fallback: boolean): ListingEntry | undefined => {
    const other = group.entries.find((entry) => entry !== moved && entry.fallback === fallback && labelName(entry.article, kind, id) !== undefined);
    if (moved.fallback !== fallback) return other;
    return other === undefined || compareNewest(next, other.article) < 0 ? moved : other;
  };
  return first(false) ?? (kind === "topic" ? undefined : first(true));
}

/** How the article names the group's id `id` (undefined: it does not carry it). */
function labelName(article: Article, kind: GroupKind, id: string): string | undefined {
  if (kind === "topic") return articleTopics(article).find((topic) => topic.id === id)?.name;
  if (kind === "author") return article.authors.find((name) => foldName(name) === id);
  return article.source !== null && foldName(article.source.name) === id ? article.source.name : undefined;
}
