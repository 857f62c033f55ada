/**
 * Which entry names a group (`gazette dev`'s quick edits): the site index gives a group the name
 * its first native entry carrying its id spells (in listing order, newest first), else, for
 * authors and sources, its first fallback entry's; topics are only made by native entries. An
 * edit that could change that entry's spelling must take the full path.
 */
import type { Article } from "../types.js";
import { articleTopics, compareNewest, foldName, type Group, type GroupKind, type ListingEntry } from "../i18n/site-index.js";

/**
 * The entry that makes the group's id `id` once `edited` is dated and labelled as `next` (a member
 * of the group when `member`): the first native entry that carries it, else (authors, sources)
 * the first fallback one. Undefined: none would, and the group would not exist.
 */
export function firstCarrier(group: Group, kind: GroupKind, id: string, edited: ListingEntry, next: Article, member = true): ListingEntry | undefined {
  const first = (fallback: boolean): ListingEntry | undefined => {
    const other = group.entries.find((entry) => entry !== edited && entry.fallback === fallback && labelName(entry.article, kind, id) !== undefined);
    if (!member || edited.fallback !== fallback) return other;
    return other === undefined || compareNewest(next, other.article) < 0 ? edited : other;
  };
  return first(false) ?? (kind === "topic" ? undefined : first(true));
}

/** The name the group of id `id` gets once `edited` is `next` (a member when `member`); undefined when it would not exist. */
export function groupNameAfter(group: Group, kind: GroupKind, id: string, edited: ListingEntry, next: Article, member = true): string | undefined {
  const first = firstCarrier(group, kind, id, edited, next, member);
  return first === undefined ? undefined : labelName(first === edited ? next : first.article, kind, id);
}

/** How the article names the group's id `id` (undefined: it does not carry it). */
export function labelName(article: Article, kind: GroupKind, id: string): string | undefined {
  if (kind === "topic") return articleTopics(article).find((topic) => topic.id === id)?.name;
  if (kind === "author") return article.authors.find((name) => foldName(name) === id);
  return article.source !== null && foldName(article.source.name) === id ? article.source.name : undefined;
}

export const GROUP_KINDS = ["topic", "author", "source"] as const satisfies readonly GroupKind[];

/** The ids an article gives groups of `kind`. */
export function labelIds(article: Article, kind: GroupKind): string[] {
  if (kind === "topic") return articleTopics(article).map((topic) => topic.id);
  if (kind === "author") return article.authors.map(foldName);
  return article.source ? [foldName(article.source.name)] : [];
}
