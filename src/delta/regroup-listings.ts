/**
 * A delta build's topic pages after edits that change articles' topics (their tags, or the
 * entities prominent in them: see `articleTopics`). An article's entry (its own language's, and
 * in each language whose listing shows it in place of its story's missing version) joins the
 * topic pages of the topics it gains and leaves those of the topics it drops; the pages show
 * the topic's number of articles, and its language's index of topics each topic's. This finds
 * which topic pages each edit joins and leaves, from the snapshot's table of groups (their
 * listing pages and merged ids: see cache/site-snapshot.ts); update-listings.ts moves the
 * entries. A full build decides, each checked here or there:
 *
 * - a topic of the article's own language that has no page yet (the edit would make it);
 * - a topic page whose number of pages changes (other routes would move);
 * - a topic page left without an article of its language (it would go), or whose first one
 *   (it names the page) would be another that spells the name otherwise.
 */
import type { ArticleTopic } from "../i18n/site-index.js";
import { articleTopics } from "../i18n/site-index.js";
import type { SiteSnapshot, SnapshotGroup } from "../cache/site-snapshot.js";
import type { AppliedEdit } from "./read-edits.js";

export interface Regrouping {
  /** Per regrouped article (page number): the first listing pages of the topic pages it joins and of those it leaves. */
  joins: Map<number, number[]>;
  leaves: Map<number, number[]>;
  /** Per regrouped article: the first listing pages of the topic pages it was on (it may name one: see update-listings.ts). */
  was: Map<number, number[]>;
  /** Per regrouped article: the group pages its own page links now (slug, name; null: none), in the order of `linkedGroupsOf`. */
  links: Map<number, ([slug: string, name: string] | null)[]>;
}

/** The topic pages that the regrouped edits join and leave; a string says why a full build must decide. */
export function regroupListings(snapshot: SiteSnapshot, edits: readonly AppliedEdit[]): Regrouping | string {
  const result: Regrouping = { joins: new Map(), leaves: new Map(), was: new Map(), links: new Map() };
  const regrouped = edits.filter((edit) => edit.regrouped && edit.page !== null);
  if (regrouped.length === 0) return result;
  const topics = topicTable(snapshot.groups());
  for (const edit of regrouped) {
    const { number, inputs } = edit.page!;
    const now: readonly ArticleTopic[] = articleTopics(edit.article);
    const ids = new Set(now.map((topic) => topic.id));
    // The languages its entry is in (its own, and those it stands in for), and the topic pages it is on.
    const entryLanguages = new Set<string>();
    const before = new Set<number>();
    for (const listed of inputs.listedOn) {
      const { params } = snapshot.listing(listed).route;
      if (params.kind === "front") entryLanguages.add(params.lang);
      else if (params.kind === "group" && params.group === "topic") before.add(listed - (params.page - 1));
    }
    if (!entryLanguages.has(edit.article.lang)) return `${edit.file}: its front pages are not in the site snapshot`;
    const [joins, leaves] = [[] as number[], [] as number[]];
    const evaluated = new Set<number>();
    for (const lang of entryLanguages) {
      const native = lang === edit.article.lang;
      const candidates = new Map<number, SnapshotGroup>();
      for (const id of ids) {
        const group = topics.get(`${lang}|${id}`);
        // Only an article of the page's language makes a topic page; one that stands in joins those there are.
        if (group) candidates.set(group[2], group);
        else if (native) return `${edit.file}: a topic of its would have a page of its own (${id})`;
      }
      for (const first of before) {
        const group = topics.get(`${lang}|${firstId(snapshot, first)}`);
        if (group?.[2] === first) candidates.set(first, group);
      }
      for (const [first, group] of candidates) {
        evaluated.add(first);
        const member = group[3].some((id) => ids.has(id));
        if (member && !before.has(first)) joins.push(first);
        else if (!member && before.has(first)) leaves.push(first);
      }
    }
    if ([...before].some((first) => !evaluated.has(first))) return "the site snapshot's topic pages are not in its table of groups";
    result.joins.set(number, joins);
    result.was.set(number, [...before]);
    result.leaves.set(number, leaves);
    // Its own page links its authors' pages, its topics' and its source's (see `linkedGroupsOf`): those but the topics' are as they were.
    const authors = edit.article.authors.length;
    const groupOf = (at: number) => snapshot.head.groups[at] ?? null;
    const source = edit.article.source ? [groupOf(inputs.groups.at(-1)!)] : [];
    const topicLinks = now.map((topic) => {
      const first = topics.get(`${edit.article.lang}|${topic.id}`)![2];
      const listing = snapshot.listing(first);
      const { params } = listing.route;
      return params.kind === "group" && listing.group ? ([params.slug, listing.group[1]] as [string, string]) : null;
    });
    result.links.set(number, [...inputs.groups.slice(0, authors).map(groupOf), ...topicLinks, ...source]);
  }
  return result;
}

/** The lead id of the group whose first listing page is `first`. */
function firstId(snapshot: SiteSnapshot, first: number): string {
  return snapshot.listing(first).group?.[0] ?? "";
}

/** Topic pages by `lang|id`, for every id they merge. */
function topicTable(groups: readonly SnapshotGroup[]): Map<string, SnapshotGroup> {
  const table = new Map<string, SnapshotGroup>();
  for (const group of groups) if (group[1] === "topic") for (const id of group[3]) table.set(`${group[0]}|${id}`, group);
  return table;
}
