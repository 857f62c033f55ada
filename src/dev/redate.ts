/**
 * A quick edit that changes an article's date (`gazette dev`): its listing and group entries move
 * (`redateInIndex`), and the listing pages of its languages and groups are signed again. This says
 * whether that gives what a full rebuild would, and what it touches.
 */
import type { Article, Route } from "../types.js";
import type { PlannedSite } from "../build.js";
import type { Group, GroupKind } from "../i18n/site-index.js";
import { GROUP_KINDS, groupNameAfter, labelIds } from "./group-names.js";
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
  const labels = GROUP_KINDS.flatMap((kind) => labelIds(previous, kind).map((id): [GroupKind, string] => [kind, id]));
  const groups = new Map<string, Group[]>();
  for (const [lang, entries] of index.listings) {
    const entry = entries.find((each) => each.article === previous);
    if (!entry) continue;
    const own: Group[] = [];
    for (const [kind, id] of labels) {
      const group = plan.context.groupsById.get(groupKey(lang, kind, id));
      if (!group) continue;
      if (group.ids.length > 1) return null;
      if (groupNameAfter(group, kind, id, entry, next) !== group.name) return null;
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
