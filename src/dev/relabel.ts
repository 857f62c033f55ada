/**
 * A quick edit that changes an article's topics, authors or source (`gazette dev`): its entries
 * leave and join group pages, which it may make or leave empty (`relabelInIndex`); the routes of
 * the groups of those kinds are planned again (a group's pages come and go with its count), and
 * the pages that show those groups are signed again. This says whether that gives what a full
 * rebuild would, and what it touches.
 */
import type { Article, Route } from "../types.js";
import type { PlannedSite } from "../build.js";
import { groupSlug, relabelInIndex, type Group, type GroupKind, type ListingEntry } from "../i18n/site-index.js";
import { groupKey } from "../render/view-context.js";
import { groupRoutes, routeClashes } from "../output/plan-routes.js";
import { GROUP_KINDS, groupNameAfter, labelIds, labelName } from "./group-names.js";

type Changes = { leaves: Group[]; joins: Group[]; made: Group[]; gone: Group[] };

export interface Relabeling {
  /** Per language whose listing holds the article. */
  changes: Map<string, Changes>;
  /** The routes change: a group is made or goes, or its number of pages changes (see `replanGroupRoutes`). */
  reroutes: boolean;
}

/**
 * Null when the edit must take the full path: a group of several merged ids is touched (which id
 * leads depends on the order), a group's first entry carrying its id (it names the group) would
 * spell the name otherwise, or a group it makes would have a page another route wants (another
 * group's slug: the two would merge). An article not published changes no group.
 */
export function relabeling(plan: PlannedSite, previous: Article, next: Article): Relabeling | null {
  const { index, context } = plan;
  const changes = new Map<string, Changes>();
  if (index.articles.get(previous.id) !== previous) return { changes, reroutes: false };
  const pages = (entries: number) => Math.max(1, Math.ceil(entries / context.config.perPage));
  let reroutes = false;
  for (const [lang, entries] of index.listings) {
    const entry = entries.find((each) => each.article === previous);
    if (!entry) continue;
    const change: Changes = { leaves: [], joins: [], made: [], gone: [] };
    for (const kind of GROUP_KINDS) {
      const before = new Set(labelIds(previous, kind));
      const after = new Set(labelIds(next, kind));
      for (const id of new Set([...before, ...after])) {
        const member = after.has(id);
        const group = context.groupsById.get(groupKey(lang, kind, id));
        if (group === undefined) {
          // Only native entries make topics; any other label makes its group.
          if (!member || (kind === "topic" && entry.fallback)) continue;
          change.made.push(newGroup(lang, kind, id, entry, next, entries));
          continue;
        }
        if (group.ids.length > 1 || group.entries.includes(entry) !== before.has(id)) return null;
        const name = groupNameAfter(group, kind, id, entry, next, member);
        if (name === undefined) change.gone.push(group);
        else if (name !== group.name) return null;
        else if (member !== before.has(id)) {
          (member ? change.joins : change.leaves).push(group);
          if (pages(group.entries.length + (member ? 1 : -1)) !== pages(group.entries.length)) reroutes = true;
        }
      }
    }
    // A group made with another's slug would share its page (the two would merge): its pages clash.
    const madePages = change.made.flatMap((group) => groupRoutes(lang, group.kind, [group], context.config.perPage, context.urls).slice(1));
    if (madePages.length > 0 && routeClashes(plan.routes, madePages)) return null;
    if (change.made.length > 0 || change.gone.length > 0) reroutes = true;
    changes.set(lang, change);
  }
  return { changes, reroutes };
}

/**
 * Applies `relabeled` to the plan's index (`relabelInIndex`) and the render context's maps of
 * groups; false, changing nothing, when `previous` is not published. The routes follow with
 * `replanGroupRoutes`.
 */
export function applyRelabeling(plan: PlannedSite, previous: Article, next: Article, relabeled: Relabeling): boolean {
  const { context } = plan;
  const groupsById = context.groupsById as Map<string, Group>;
  const groupsBySlug = context.groupsBySlug as Map<string, Group>;
  if (!relabelInIndex(plan.index, previous, next, (lang) => relabeled.changes.get(lang))) return false;
  for (const [lang, { made, gone }] of relabeled.changes) {
    for (const group of gone) {
      groupsById.delete(groupKey(lang, group.kind, group.id));
      groupsBySlug.delete(groupKey(lang, group.kind, group.slug));
    }
    for (const group of made) {
      groupsById.set(groupKey(lang, group.kind, group.id), group);
      groupsBySlug.set(groupKey(lang, group.kind, group.slug), group);
    }
  }
  return true;
}

/**
 * The routes whose pages show what the edit changed of the groups: the pages of the groups left,
 * joined or made, their kinds' indexes, and (for groups made or gone) the pages of the same
 * group in other languages, which link to it.
 */
export function relabeledRoutes(plan: PlannedSite, relabeled: Relabeling): number[] {
  const groups = new Set<string>();
  const kinds = touchedKinds(relabeled);
  for (const [lang, { leaves, joins, made, gone }] of relabeled.changes) {
    for (const group of [...leaves, ...joins, ...made]) groups.add(groupKey(lang, group.kind, group.slug));
    for (const group of [...made, ...gone]) {
      for (const { code } of plan.context.config.languages) {
        const other = plan.context.groupsById.get(groupKey(code, group.kind, group.id));
        if (other) groups.add(groupKey(code, other.kind, other.slug));
      }
    }
  }
  const found: number[] = [];
  plan.routes.forEach((route, i) => {
    const params = route.params;
    if (params.kind === "group-index" && kinds.has(`${params.lang}|${params.group}`)) found.push(i);
    else if (params.kind === "group" && groups.has(groupKey(params.lang, params.group, params.slug))) found.push(i);
  });
  return found;
}

/** A group the edit makes in `lang`: named and slugged by the article; a topic takes in the fallback entries that carry it. */
function newGroup(lang: string, kind: GroupKind, id: string, entry: ListingEntry, next: Article, listing: readonly ListingEntry[]): Group {
  const name = labelName(next, kind, id)!;
  const slug = groupSlug(name, id, lang);
  // Other entries carrying an author or source would have made its group already.
  const entries = kind === "topic" ? listing.filter((other) => other === entry || (other.fallback && labelIds(other.article, "topic").includes(id))) : [entry];
  return { kind, id, ids: [id], name, slug, entries };
}

/** `lang|kind` of each kind of group the edit touches. */
function touchedKinds(relabeled: Relabeling): Set<string> {
  const kinds = new Set<string>();
  for (const [lang, { leaves, joins, made, gone }] of relabeled.changes) for (const group of [...leaves, ...joins, ...made, ...gone]) kinds.add(`${lang}|${group.kind}`);
  return kinds;
}

/**
 * Plans the routes of each kind of group `relabeled` touched again, in place (an index, then each
 * group's pages: one block; a group's pages come and go with its count). Returns, for each old
 * route index, its new one (-1: gone), the indexes of routes new to the plan, and the output paths
 * of those gone.
 */
export function replanGroupRoutes(plan: PlannedSite, relabeled: Relabeling): { remap: Int32Array; added: number[]; left: string[] } {
  const routes = plan.routes;
  const kinds = touchedKinds(relabeled);
  const remap = new Int32Array(routes.length);
  const added: number[] = [];
  const left: string[] = [];
  const blocks: { start: number; end: number; routes: Route[] }[] = [];
  let shift = 0;
  for (let i = 0; i < routes.length; ) {
    const params = routes[i]!.params;
    if (params.kind !== "group-index" || !kinds.has(`${params.lang}|${params.group}`)) {
      remap[i] = i + shift;
      i++;
      continue;
    }
    const { lang, group: kind } = params;
    let end = i + 1;
    while (end < routes.length && isGroupRoute(routes[end]!, lang, kind)) end++;
    const block = groupRoutes(lang, kind, plan.index.groups.get(lang)?.[kind] ?? [], plan.context.config.perPage, plan.context.urls);
    const start = i + shift;
    const at = new Map(block.map((route, k) => [route.outputPath, start + k]));
    const before = new Set<string>();
    for (let k = i; k < end; k++) {
      const outputPath = routes[k]!.outputPath;
      before.add(outputPath);
      remap[k] = at.get(outputPath) ?? -1;
      if (remap[k] === -1) left.push(outputPath);
    }
    block.forEach((route, k) => {
      if (!before.has(route.outputPath)) added.push(start + k);
    });
    blocks.push({ start: i, end, routes: block });
    shift += block.length - (end - i);
    i = end;
  }
  for (const { start, end, routes: block } of blocks.reverse()) routes.splice(start, end - start, ...block);
  return { remap, added, left };
}

function isGroupRoute(route: Route, lang: string, kind: GroupKind): boolean {
  return route.params.kind === "group" && route.params.lang === lang && route.params.group === kind;
}
