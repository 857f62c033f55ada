/**
 * A delta build's group pages after edits that change articles' labels: their topics (tags, or
 * the entities prominent in them: see `articleTopics`), authors or source. An article's entry (its
 * own language's, and in each language whose listing shows it in place of its story's missing
 * version) joins the pages of the groups it gains and leaves those of the groups it drops; the
 * pages show the group's number of articles, and its language's index of the kind each group's.
 * This finds which group pages each edit joins and leaves, from the snapshot's table of groups
 * (their listing pages and merged ids: see cache/site-snapshot.ts); update-listings.ts moves the
 * entries. A full build decides, each checked here or there:
 *
 * - a group that has no page yet in a language the entry is in (the edit would make it; topics are
 *   made only by articles of the page's language, authors and sources by any entry);
 * - a group page whose number of pages changes (other routes would move);
 * - a group page left without an article (of its language, for a topic: it would go), or whose
 *   first one (it names the page) would be another that spells the name otherwise.
 */
import type { SiteSnapshot, SnapshotGroup } from "../cache/site-snapshot.js";
import { GROUP_KINDS, labelIds } from "../dev/group-names.js";
import { linkedGroupsOf } from "../render/route-signatures.js";
import { groupKey } from "../render/view-context.js";
import type { AppliedEdit } from "./read-edits.js";

export interface Regrouping {
  /** Per regrouped article (page number): the first listing pages of the group pages it joins and of those it leaves. */
  joins: Map<number, number[]>;
  leaves: Map<number, number[]>;
  /** Per regrouped article: the first listing pages of the group pages it was on (it may name one: see update-listings.ts). */
  was: Map<number, number[]>;
  /** Per regrouped article: the group pages its own page links now (slug, name), in the order of `linkedGroupsOf`. */
  links: Map<number, ([slug: string, name: string] | null)[]>;
}

/** The group pages that the regrouped edits join and leave; a string says why a full build must decide. */
export function regroupListings(snapshot: SiteSnapshot, edits: readonly AppliedEdit[]): Regrouping | string {
  const result: Regrouping = { joins: new Map(), leaves: new Map(), was: new Map(), links: new Map() };
  const regrouped = edits.filter((edit) => edit.regrouped && edit.page !== null);
  if (regrouped.length === 0) return result;
  const table = groupTable(snapshot.groups());
  for (const edit of regrouped) {
    const { number, inputs } = edit.page!;
    const ids = new Map(GROUP_KINDS.map((kind) => [kind, new Set(labelIds(edit.article, kind))]));
    // The languages its entry is in (its own, and those it stands in for), and the group pages it is on.
    const entryLanguages = new Set<string>();
    const before = new Set<number>();
    for (const listed of inputs.listedOn) {
      const { params } = snapshot.listing(listed).route;
      if (params.kind === "front") entryLanguages.add(params.lang);
      else if (params.kind === "group") before.add(listed - (params.page - 1));
    }
    if (!entryLanguages.has(edit.article.lang)) return `${edit.file}: its front pages are not in the site snapshot`;
    const [joins, leaves] = [[] as number[], [] as number[]];
    const evaluated = new Set<number>();
    for (const lang of entryLanguages) {
      const candidates = new Map<number, SnapshotGroup>();
      for (const kind of GROUP_KINDS) {
        for (const id of ids.get(kind)!) {
          const group = table.get(groupKey(lang, kind, id));
          // Only an article of the page's language makes a topic page; one that stands in joins those there are.
          if (group) candidates.set(group[2], group);
          else if (kind !== "topic" || lang === edit.article.lang) return `${edit.file}: its ${kind} ${id} would have a page of its own in ${lang}`;
        }
      }
      for (const first of before) {
        const { route, group: shown } = snapshot.listing(first);
        const group = route.params.kind === "group" && shown ? table.get(groupKey(lang, route.params.group, shown[0])) : undefined;
        if (group?.[2] === first) candidates.set(first, group);
      }
      for (const [first, group] of candidates) {
        evaluated.add(first);
        const member = group[3].some((id) => ids.get(group[1])!.has(id));
        if (member && !before.has(first)) joins.push(first);
        else if (!member && before.has(first)) leaves.push(first);
      }
    }
    if ([...before].some((first) => !evaluated.has(first))) return "the site snapshot's group pages are not in its table of groups";
    result.joins.set(number, joins);
    result.leaves.set(number, leaves);
    result.was.set(number, [...before]);
    // Its own page links its authors' pages, its topics' and its source's (each found above, in its language).
    result.links.set(
      number,
      linkedGroupsOf(edit.article).map(([kind, id]) => {
        const listing = snapshot.listing(table.get(groupKey(edit.article.lang, kind, id))![2]);
        const { params } = listing.route;
        return params.kind === "group" && listing.group ? [params.slug, listing.group[1]] : null;
      }),
    );
  }
  return result;
}

/** Group pages by language, kind and each id they merge. */
function groupTable(groups: readonly SnapshotGroup[]): Map<string, SnapshotGroup> {
  const table = new Map<string, SnapshotGroup>();
  for (const group of groups) for (const id of group[3]) table.set(groupKey(group[0], group[1], id), group);
  return table;
}
