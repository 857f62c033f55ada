/**
 * A delta build's listings after edits that change articles' dates or labels (see
 * apply-delta.ts). Every listing (a language's front pages, a group's pages) is newest first, so
 * a new date moves the article within each listing that holds it, and new topics, authors or a source move
 * its entries into and out of group pages (which ones: regroup-listings.ts): the pages between its
 * old and new place show other articles now, and are rendered again (every page of a group whose
 * number of articles changed, which they show, and its language's index of that kind); a page's sitemap
 * lastmod is the date of the article it shows first (a group's newest, on every page of the
 * group), written again where that changes. A redated article's language's feeds, the chooser's
 * latest articles and the news sitemap follow the same order. Nothing else a full build makes
 * depends on the date but the related lists (relist-related.ts) and what the checks below leave
 * to a full build:
 *
 * - a date after the build date (the article would not be published);
 * - a URL that an article published elsewhere wants, or could take (the earlier of two articles
 *   whose slugs clash keeps the plain slug: see `assignUrls`);
 * - a new newest year (every page shows it);
 * - a group whose first native article (it names the group, and its slug is the name's) would
 *   be another that spells the group's name otherwise, or carries another id of it, or none;
 * - a group whose number of pages changes;
 * - a news sitemap whose oldest article would be older than the snapshot says (a later build
 *   date could then drop it unseen: see `buildDateMiss`).
 *
 * The listings are taken from the snapshot, pages of one listing being consecutive listing
 * pages in route order; each move is a binary search by the listings' order (`compareNewest`:
 * date, then story key, then language) over the snapshot's dates and page ids.
 */
import type { Article } from "../types.js";
import { listingMember, type ListingPageInputs, type SiteSnapshot } from "../cache/site-snapshot.js";
import type { GroupKind } from "../i18n/site-index.js";
import { labelIds, labelName } from "../dev/group-names.js";
import { wantedElsewhere } from "./move-pages.js";
import type { AppliedEdit } from "./read-edits.js";
import type { Regrouping } from "./regroup-listings.js";

export interface UpdatedListings {
  /** Listing pages to render (snapshot numbers) with what they show now: their articles moved, or as the snapshot has them (an earlier delta's move undone). */
  listings: Map<number, ListingPageInputs>;
  /** The indexes of groups to render (a language's topics, say): their groups in order, with how many articles each has now (the first listing page of each). */
  indexes: { lang: string; kind: GroupKind; groups: [first: number, count: number][] }[];
  /** Listing pages whose sitemap lastmod is written again, with the date it has now (null: none). */
  lastmods: Map<number, string | null>;
  /** Per language of a redated article: its feed's articles now (page numbers, newest first). */
  feeds: Map<string, number[]>;
  /** Articles not edited that are in a feed now but not in the snapshot's (one pushed in by a redated article that left): their feed items are made from their records. */
  entering: number[];
  /** The news sitemap's articles now (page numbers, newest first); null when no article is redated. */
  news: number[] | null;
}

export interface UpdateInput {
  snapshot: SiteSnapshot;
  edits: readonly AppliedEdit[];
  /** The group pages that regrouped edits join and leave (see regroup-listings.ts). */
  regrouping: Regrouping;
  /** What earlier deltas since the last full build did: the files they redated, the listing pages they rendered and those whose lastmod they wrote. */
  earlier: { files: readonly string[]; listed: readonly number[]; lastmods: readonly number[] };
  perPage: number;
  buildDate: string;
  inNewsWindow: (date: string, buildDate: string) => boolean;
  /** The records of articles as last built (checked; edited ones too), by page number; a string says why they cannot be read. */
  articlesOf: (numbers: readonly number[]) => Promise<ReadonlyMap<number, Article> | string>;
}

/** One listing: its pages' numbers from `first`, its members as the snapshot has them and as they are now. */
interface Listing {
  first: number;
  pages: number;
  kind: "front" | "group";
  lang: string;
  topic: boolean;
  before: number[];
  now: number[];
}

export async function updateListings(input: UpdateInput): Promise<UpdatedListings | { miss: string }> {
  const { snapshot, edits, earlier, perPage, buildDate, regrouping } = input;
  const { head } = snapshot;
  const again = new Set(earlier.files);
  // Redated now, or by an earlier delta (applied again: an undo puts the pages back).
  const redated = edits.filter((edit) => edit.page !== null && (edit.redated || again.has(edit.file)));
  const regrouped = edits.filter((edit) => edit.page !== null && regrouping.joins.has(edit.page.number));
  const result: UpdatedListings = { listings: new Map(), indexes: [], lastmods: new Map(), feeds: new Map(), entering: [], news: null };
  if (redated.length + regrouped.length + earlier.listed.length + earlier.lastmods.length === 0) return result;

  const dates = new Map(redated.map((edit) => [edit.page!.number, edit.article.date]));
  const lastDates = snapshot.dates();
  const dateOf = (number: number): string => dates.get(number) ?? lastDates[number]!;
  const buildAt = Date.parse(buildDate);
  for (const edit of redated) {
    if (Date.parse(edit.article.date) > buildAt) return { miss: `${edit.file}: dated after the build date` };
    if (wantedElsewhere(edit.article.url, head.relocated)) return { miss: `${edit.file}: an article published elsewhere wants its URL, or one like it (the earlier one gets it)` };
  }
  if (redated.length > 0) {
    let newest = "";
    for (let number = 0; number < lastDates.length; number++) if (dateOf(number) > newest) newest = dateOf(number);
    if (newest.slice(0, 4) !== head.year) return { miss: "the site's newest year changes (every page shows it)" };
  }

  // The listings that change: those of redated articles, the group pages regrouped ones join or were on, and those earlier deltas changed (applied again).
  const listings = new Map<number, Listing>();
  const numbers = [
    ...redated.flatMap((edit) => edit.page!.inputs.listedOn),
    ...regrouped.flatMap((edit) => [...regrouping.joins.get(edit.page!.number)!, ...regrouping.was.get(edit.page!.number)!]),
    ...earlier.listed,
    ...earlier.lastmods,
  ];
  for (const number of numbers) {
    if (!(number >= 0 && number + 1 < head.listingOffsets.length)) return { miss: "a listing page an earlier delta changed is not in the site snapshot" };
    const found = listingAt(snapshot, number, listings);
    if (typeof found === "string") return { miss: found };
  }
  const compare = newestFirst(snapshot, dateOf);
  const movers = new Set(dates.keys());
  const joining = new Map<number, number[]>();
  const leaving = new Set<string>();
  for (const edit of regrouped) {
    const { number } = edit.page!;
    for (const first of regrouping.joins.get(number)!) {
      const listing = listings.get(first)!;
      const list = joining.get(first) ?? [];
      list.push(listing.lang === edit.article.lang ? number : -1 - number);
      joining.set(first, list);
    }
    for (const first of regrouping.leaves.get(number)!) leaving.add(`${first}|${number}`);
  }
  const renamed: { listing: Listing; before: number; now: number }[] = [];
  const relabeled = new Set(regrouped.map((edit) => edit.page!.number));
  for (const listing of listings.values()) {
    const stays = (member: number) => !leaving.has(`${listing.first}|${listingMember(member).article}`);
    const now = listing.before.filter((member) => !movers.has(listingMember(member).article) && stays(member));
    for (const member of listing.before) if (movers.has(listingMember(member).article) && stays(member)) insertAt(now, member, compare);
    for (const member of joining.get(listing.first) ?? []) insertAt(now, member, compare);
    listing.now = now;
    if (now.length !== listing.before.length && Math.max(1, Math.ceil(now.length / perPage)) !== listing.pages) {
      return { miss: `a group's number of pages would change (${snapshot.listing(listing.first).route.url})` };
    }
    // The group's id, name and slug are its first native article's (see `buildGroups`): another may name it only alike.
    const [before, after] = [namer(listing.before, listing.topic), namer(listing.now, listing.topic)];
    // A regrouped article may name a group it stays in, and spell its topic otherwise now.
    if (listing.kind === "group" && (before !== after || (after !== undefined && relabeled.has(listingMember(after).article)))) {
      if (before === undefined || after === undefined) return { miss: `a group would be left without an article of its language (${snapshot.listing(listing.first).route.url})` };
      renamed.push({ listing, before: listingMember(before).article, now: listingMember(after).article });
    }
  }
  if (renamed.length > 0) {
    // The namer before, as last built; the namer now, as edited.
    const edited = new Map(edits.flatMap((edit) => (edit.page ? [[edit.page.number, edit.article] as const] : [])));
    const built = await input.articlesOf([...new Set(renamed.flatMap(({ before, now }) => [before, now]))]);
    if (typeof built === "string") return { miss: built };
    const idsOf = new Map(snapshot.groups().map(([, , first, ids]) => [first, ids]));
    for (const { listing, before, now } of renamed) {
      const { route, group } = snapshot.listing(listing.first);
      if (route.params.kind !== "group" || !group) return { miss: "the site snapshot's group page has no group" };
      const [id, name] = group;
      const kind = route.params.group;
      // The page's id is the namer's first label of the ids it merges, its name how the namer spells that one.
      const ids = idsOf.get(listing.first) ?? [id];
      const named = [built.get(before), edited.get(now) ?? built.get(now)].map((article) => {
        const lead = article && labelIds(article, kind).find((each) => ids.includes(each));
        return lead === id ? labelName(article!, kind, id) : undefined;
      });
      if (named[0] !== name || named[1] !== name) return { miss: `an edited article would change which article names a group, and how (${route.url})` };
    }
  }

  const listed = new Set(earlier.listed);
  const lastmodded = new Set(earlier.lastmods);
  const indexes = new Set<string>();
  for (const listing of listings.values()) {
    // A group's pages show its number of articles.
    const counted = listing.now.length !== listing.before.length;
    for (let page = 0; page < listing.pages; page++) {
      const number = listing.first + page;
      const [before, now] = [listing.before, listing.now].map((members) => members.slice(page * perPage, (page + 1) * perPage)) as [number[], number[]];
      if (counted || listed.has(number) || before.length !== now.length || before.some((member, i) => member !== now[i])) {
        const inputs = snapshot.listing(number);
        result.listings.set(number, { ...inputs, members: now, group: inputs.group && [inputs.group[0], inputs.group[1], listing.now.length, inputs.group[3]] });
        const { params } = inputs.route;
        // The language's index of the group's kind shows the count too (rendered again where an earlier delta changed a group's pages: an undo puts it back).
        if (params.kind === "group" && (counted || listed.has(number))) indexes.add(`${params.lang}|${params.group}`);
      }
      // As render-pages.ts dates them: a front page by its first article, a group's pages by the group's newest.
      const [leadBefore, leadNow] = listing.kind === "front" ? [before[0], now[0]] : [listing.before[0], listing.now[0]];
      const lastmodBefore = leadBefore === undefined ? null : lastDates[listingMember(leadBefore).article]!;
      const lastmodNow = leadNow === undefined ? null : dateOf(listingMember(leadNow).article);
      if (lastmodded.has(number) || lastmodNow !== lastmodBefore) result.lastmods.set(number, lastmodNow);
    }
  }
  if (indexes.size > 0) {
    const counts = new Map([...listings.values()].map((listing) => [listing.first, listing.now.length]));
    for (const key of [...indexes].sort()) {
      const [lang, kind] = key.split("|") as [string, GroupKind];
      const groups = snapshot.groups().flatMap(([groupLang, groupKind, first]): [number, number][] => (groupLang === lang && groupKind === kind ? [[first, counts.get(first) ?? snapshot.listing(first).group?.[2] ?? 0]] : []));
      result.indexes.push({ lang, kind, groups });
    }
  }

  // The chooser (listing page 0, the first route) shows each language's latest own articles.
  const chooser = head.listingOffsets.length > 1 ? snapshot.listing(0) : null;
  if (chooser?.route.params.kind === "chooser" && chooser.latest) {
    const latest = chooser.latest.map(([lang, numbers]): [string, number[]] => {
      const front = frontOf(listings, lang);
      return [lang, front ? front.now.filter((member) => member >= 0).slice(0, numbers.length) : numbers];
    });
    const changed = latest.some(([, numbers], i) => numbers.some((number, k) => number !== chooser.latest![i]![1][k]));
    if (changed || listed.has(0)) result.listings.set(0, { ...chooser, latest });
  }
  // Every page an earlier delta rendered or re-dated is done again (an undo puts it back).
  if ([...listed].some((number) => !result.listings.has(number)) || [...lastmodded].some((number) => !result.lastmods.has(number))) {
    return { miss: "a listing page an earlier delta changed would not be rendered again" };
  }
  if (redated.length === 0) return result;

  // Feeds: a language's newest own articles. A move into them pushes the last one out; one out of them lets the next one in.
  for (const lang of new Set(redated.map((edit) => edit.article.lang))) {
    const feed = head.feeds.find((each) => each.lang === lang);
    const front = frontOf(listings, lang);
    if (!feed || feed.routes.length === 0) continue;
    if (!front) return { miss: `the ${lang} front pages do not list a redated article` };
    const had = new Set(feed.members.map(([number]) => number));
    const now = front.now.filter((member) => member >= 0).slice(0, feed.members.length);
    result.entering.push(...now.filter((number) => !had.has(number) && !movers.has(number)));
    result.feeds.set(lang, now);
  }

  // The news sitemap: the articles of the last two days.
  const news = head.news.map(([number]) => number).filter((number) => !movers.has(number));
  const oldest = head.newsOldest === null ? -Infinity : Date.parse(head.newsOldest);
  for (const edit of redated) {
    if (!input.inNewsWindow(edit.article.date, buildDate)) continue;
    if (Date.parse(edit.article.date) < oldest || head.newsOldest === null) return { miss: `${edit.file}: its new date makes it the news sitemap's oldest article` };
    insertAt(news, edit.page!.number, compare);
  }
  result.news = news;
  return result;
}

/** The listings' order over snapshot page numbers (fallback members by their article's): newest first, then by story key, then by language. */
function newestFirst(snapshot: SiteSnapshot, dateOf: (number: number) => string): (a: number, b: number) => number {
  const keys = new Map<number, { time: number; story: string; lang: string }>();
  const keyOf = (number: number) => {
    let key = keys.get(number);
    if (!key) {
      const id = snapshot.page(number).id;
      const slash = id.lastIndexOf("/");
      key = { time: Date.parse(dateOf(number)), story: id.slice(0, slash), lang: id.slice(slash + 1) };
      keys.set(number, key);
    }
    return key;
  };
  return (a, b) => {
    const [x, y] = [keyOf(listingMember(a).article), keyOf(listingMember(b).article)];
    if (x.time !== y.time) return y.time - x.time;
    if (x.story !== y.story) return x.story < y.story ? -1 : 1;
    return x.lang < y.lang ? -1 : x.lang > y.lang ? 1 : 0;
  };
}

/** Puts `member` at its place in `members` (in order by `compare`), after any equal one. */
export function insertAt(members: number[], member: number, compare: (a: number, b: number) => number): void {
  let low = 0;
  let high = members.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(members[middle]!, member) <= 0) low = middle + 1;
    else high = middle;
  }
  members.splice(low, 0, member);
}

/** The article that names a group: its first native member, else (authors, sources: fallbacks make those too) its first. */
export function namer(members: readonly number[], topic: boolean): number | undefined {
  return members.find((member) => member >= 0) ?? (topic ? undefined : members[0]);
}

/** Adds to `listings` the listing that listing page `number` is a page of (front or group pages; nothing for the chooser); a string says why it cannot. */
function listingAt(snapshot: SiteSnapshot, number: number, listings: Map<number, Listing>): string | null {
  const { params } = snapshot.listing(number).route;
  if (params.kind !== "front" && params.kind !== "group") return null;
  const first = number - (params.page - 1);
  if (listings.has(first)) return null;
  const before: number[] = [];
  for (let page = 1; page <= params.pages; page++) {
    const other = snapshot.listing(first + page - 1).route.params;
    const same = other.kind === params.kind && other.lang === params.lang && other.page === page && (other.kind !== "group" || (params.kind === "group" && other.group === params.group && other.slug === params.slug));
    if (!same) return "the site snapshot's listing pages are not in route order";
    before.push(...snapshot.listing(first + page - 1).members);
  }
  listings.set(first, { first, pages: params.pages, kind: params.kind, lang: params.lang, topic: params.kind === "group" && params.group === "topic", before, now: before });
  return null;
}

function frontOf(listings: ReadonlyMap<number, Listing>, lang: string): Listing | undefined {
  for (const listing of listings.values()) if (listing.kind === "front" && listing.lang === lang) return listing;
  return undefined;
}
