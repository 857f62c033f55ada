/**
 * A delta build's pages (see apply-delta.ts): each edited article's page, and its language's
 * feeds where it is in them, rendered by the build's own renderer from a render context that holds
 * only what those pages show: the articles from their records, the feeds' other articles from the
 * snapshot's cards, the groups' slugs and names from the snapshot. When an edit changed its card,
 * the pages that show the card too: the listing pages (each from a context of its own, holding
 * its page of the listing), the article pages whose related list holds it, and the news sitemap
 * (from the snapshot's entries); and its page's sitemap entry, for patch-sitemap.ts.
 */
import type { Article, RelatedEntry, RenderedPage, Route } from "../types.js";
import { themeContext, type PreparedTheme } from "../build.js";
import type { SiteConfig } from "../config/site-config.js";
import type { RecordCache } from "../cache/record-cache.js";
import { articleFromCard, checkedAs, listingMember, type ListingPageInputs, type SiteSnapshot } from "../cache/site-snapshot.js";
import type { Group, ListingEntry, SiteIndex, Story } from "../i18n/site-index.js";
import { createPageRenderer, newsEntry } from "../render/render-pages.js";
import { renderNewsSitemaps, type SitemapEntry } from "../render/sitemaps.js";
import { linkedGroupsOf } from "../render/route-signatures.js";
import { groupKey, type RenderContext } from "../render/view-context.js";
import type { AppliedEdit, CardPages } from "./read-edits.js";
import type { PageMove } from "./move-pages.js";
import type { LastmodEdit } from "./patch-sitemap.js";
import type { UpdatedListings } from "./update-listings.js";
import type { Regrouping } from "./regroup-listings.js";
import { SiteUrls } from "../i18n/urls.js";
import { groupRoutes } from "../output/plan-routes.js";

/** A page's new `sitemap.xml` entry, and the URL its entry has in the output now (another when the page moves). */
export interface SitemapEdit {
  entry: SitemapEntry;
  was: string;
}

/**
 * The edited articles' pages, the pages whose related list changed (`relisted`: the new lists,
 * by page number) or did in an earlier delta (`again`), the pages that show an edited card
 * (`cards`: article pages and listing pages, by number), and the edited articles' languages'
 * feeds where they are in them: the rendered article pages' own articles come from their records
 * (`records`), the articles they and the listing pages show from the snapshot's cards. Pages
 * that move (`moves`) are rendered at their new URL. Edits that change dates or labels (`updated`) give listing pages, feeds and
 * the news sitemap their articles in a new order, listing pages new sitemap lastmods, and
 * indexes of groups new counts; a regrouped article's page links the group pages of `links`.
 */
export function renderEdits(
  edits: readonly AppliedEdit[],
  relisted: { lists: ReadonlyMap<number, readonly number[]>; again: readonly number[] },
  cards: CardPages,
  snapshot: SiteSnapshot,
  records: RecordCache,
  config: SiteConfig,
  theme: PreparedTheme,
  date: string,
  moves: readonly PageMove[] = [],
  updated: UpdatedListings | null = null,
  links: Regrouping["links"] = new Map(),
): { pages: RenderedPage[]; sitemap: SitemapEdit[]; lastmods: LastmodEdit[]; indexPaths: string[] } {
  const moving = new Map(moves.map((move) => [move.number, move]));
  const { feeds } = snapshot.head;
  const edited = new Map(edits.flatMap((edit) => (edit.page ? [[edit.page.number, edit.article] as const] : [])));
  const articles = new Map<string, Article>();
  /** An article whose own page is rendered, or whose feed item is made again: its record, as its page was last built (or as edited). */
  const recordOf = (number: number): Article => {
    const edit = edited.get(number);
    if (edit) return edit;
    const inputs = snapshot.page(number);
    const record = records.get(inputs.file);
    if (!record) throw new Error(`Internal: no record of ${inputs.file}`);
    return checkedAs(record.article, inputs);
  };
  const numbers = [...new Set([...edits.flatMap(({ page }) => (page ? [page.number] : [])), ...relisted.lists.keys(), ...relisted.again, ...cards.pages])].sort((a, b) => a - b);
  // The rendered pages' own articles first: the others are shown by their cards.
  for (const number of numbers) articles.set(snapshot.page(number).id, recordOf(number));
  /** An article another page shows (a card, a language switcher, an alternate): its record if its page is rendered too, else its card (or as edited). */
  const shownOf = (number: number): Article => {
    const { id } = snapshot.page(number);
    let article = articles.get(id);
    if (!article) articles.set(id, (article = edited.get(number) ?? snapshot.card(number)));
    return article;
  };
  const stories = new Map<string, Story>();
  const related = new Map<string, RelatedEntry[]>();
  const groupsById = new Map<string, Group>();
  const routes: Route[] = [];
  for (const number of numbers) {
    const inputs = snapshot.page(number);
    const article = articles.get(inputs.id)!;
    routes.push({ url: article.url, outputPath: moving.has(number) ? SiteUrls.outputPath(article.url) : inputs.outputPath, params: { kind: "article", id: article.id } });
    const versions = inputs.versions.map(shownOf);
    stories.set(article.storyKey, { key: article.storyKey, versions: new Map(versions.map((version) => [version.lang, version])), original: shownOf(inputs.original) });
    related.set(article.id, (relisted.lists.get(number) ?? inputs.related).map((each) => ({ id: shownOf(each).id, score: 0, reasons: [] })));
    const linked = links.get(number);
    linkedGroupsOf(article).forEach(([kind, id], i) => {
      const group = linked ? linked[i] : snapshot.head.groups[inputs.groups[i]!];
      if (group) groupsById.set(groupKey(article.lang, kind, id), { kind, id, ids: [id], slug: group[0], name: group[1], entries: [] });
    });
  }
  const listings = new Map<string, ListingEntry[]>();
  const feedBodies = new Map<string, Uint8Array>();
  const utf8 = new TextEncoder();
  for (const feed of feeds) {
    const order = updated?.feeds.get(feed.lang);
    if (!order && !feed.members.some(([number]) => edited.has(number))) continue;
    const stored = new Map(feed.members.map((member) => [member[0], member]));
    // Feed articles not edited are cards: the feeds read no more of them (see render-pages.ts).
    const members = (order ?? [...stored.keys()]).map((number) => {
      const article = edited.get(number);
      if (article) return { article, fallback: false };
      const member = stored.get(number);
      // One the snapshot's feed did not have (pushed in by a redated one that left): its item is made from its record.
      if (!member) return { article: recordOf(number), fallback: false };
      const [, , card, tags, html] = member;
      const carded = articleFromCard(snapshot.page(number).id, card, tags);
      feedBodies.set(carded.file, utf8.encode(html));
      return { article: carded, fallback: false };
    });
    listings.set(feed.lang, members);
    routes.unshift(...feed.routes); // feeds take their bodies before article pages (see render-pages.ts)
  }
  const index: SiteIndex = { articles, stories, listings, groups: new Map(), skipped: [] };
  const context: RenderContext = {
    ...themeContext(config, theme),
    index,
    related,
    groupsById,
    groupsBySlug: new Map(),
    year: snapshot.head.year,
  };
  const assets = new Map(theme.assets.map((asset) => [asset.name, asset]));
  const renderer = createPageRenderer(context, theme.templates, assets, date, { bodies: feedBodies });
  const pages = routes.flatMap((route) => renderer.render(route));
  // The sitemap entries of pages whose lastmod (the time updated) changed, now or in an earlier delta; none for a page the sitemap leaves out.
  const sitemap = cards.sitemap.flatMap((number): SitemapEdit[] => {
    const move = moving.get(number);
    const entry = renderer.sitemapEntry(move ? SiteUrls.outputPath(move.next) : snapshot.page(number).outputPath);
    return entry ? [{ entry, was: move ? context.urls.absolute(move.now) : entry.loc }] : [];
  });
  // The news sitemap lists headlines: written again when an edited article is in it (the same bytes unless its headline changed).
  const news = new Map(snapshot.head.news);
  const newsOrder = updated?.news ?? (snapshot.head.news.some(([number]) => edited.has(number)) ? [...news.keys()] : null);
  if (newsOrder) {
    const entries = newsOrder.map((number) => (edited.has(number) ? newsEntry(edited.get(number)!, context) : (news.get(number) ?? fail(`news article ${number}`))));
    pages.push(...renderNewsSitemaps(entries, config.baseUrl).map((file) => ({ outputPath: file.path, body: file.content })));
  }
  for (const number of listingNumbers(cards, updated)) {
    const listing = updated?.listings.get(number) ?? snapshot.listing(number);
    const listingContext: RenderContext = { ...context, ...listingOf(listing, shownOf, config.perPage), related: new Map() };
    pages.push(...createPageRenderer(listingContext, theme.templates, assets, date).render(listing.route));
  }
  // The indexes of groups whose counts changed: each group's name and slug from its first page, its count now.
  const indexPaths: string[] = [];
  for (const { lang, kind, groups } of updated?.indexes ?? []) {
    const listed = groups.map(([first, count]): Group => {
      const { route, group } = snapshot.listing(first);
      if (route.params.kind !== "group" || !group) return fail(`group page ${first}`);
      return { kind, id: group[0], ids: [group[0]], slug: route.params.slug, name: group[1], entries: new Array<ListingEntry>(count) };
    });
    const route = groupRoutes(lang, kind, [], config.perPage, context.urls)[0]!;
    const byKind = { topic: [], author: [], source: [], [kind]: listed };
    const indexContext: RenderContext = { ...context, index: { ...context.index, groups: new Map([[lang, byKind]]) } };
    pages.push(...createPageRenderer(indexContext, theme.templates, assets, date).render(route));
    indexPaths.push(route.outputPath);
  }
  const lastmods = [...(updated?.lastmods ?? [])].map(([number, lastmod]): LastmodEdit => ({ loc: context.urls.absolute(snapshot.listing(number).route.url), lastmod }));
  return { pages, sitemap, lastmods, indexPaths };
}

/** The listing pages a delta renders (snapshot numbers, in order): those that show an edited card, and those a new date changed. */
export function listingNumbers(cards: CardPages, updated: UpdatedListings | null): number[] {
  return [...new Set([...cards.listings, ...(updated?.listings.keys() ?? [])])].sort((a, b) => a - b);
}

function fail(what: string): never {
  throw new Error(`Internal: the site snapshot has no ${what}`);
}

/**
 * What a listing page reads of the site index, for it alone: its page of its listing or group
 * (the entries before it left empty: the views read only the page's own and the whole length),
 * its group in the other languages (their slugs, for the language switcher), or the chooser's
 * latest articles of each language.
 */
function listingOf(listing: ListingPageInputs, articleOf: (number: number) => Article, perPage: number): Pick<RenderContext, "index" | "groupsById" | "groupsBySlug"> {
  const { params } = listing.route;
  const listings = new Map<string, ListingEntry[]>();
  const groupsById = new Map<string, Group>();
  const groupsBySlug = new Map<string, Group>();
  const pageOf = (length: number, page: number): ListingEntry[] => {
    const entries = new Array<ListingEntry>(length);
    listing.members.forEach((member, i) => {
      const { article, fallback } = listingMember(member);
      entries[(page - 1) * perPage + i] = { article: articleOf(article), fallback };
    });
    return entries;
  };
  if (params.kind === "front") {
    listings.set(params.lang, pageOf((params.page - 1) * perPage + listing.members.length, params.page));
  } else if (params.kind === "group" && listing.group) {
    const [id, name, count, others] = listing.group;
    const group: Group = { kind: params.group, id, ids: [id], slug: params.slug, name, entries: pageOf(count, params.page) };
    groupsBySlug.set(groupKey(params.lang, params.group, params.slug), group);
    groupsById.set(groupKey(params.lang, params.group, id), group);
    for (const [lang, slug] of others) groupsById.set(groupKey(lang, params.group, id), { ...group, slug, entries: [] });
  } else if (params.kind === "chooser" && listing.latest) {
    for (const [lang, latest] of listing.latest) listings.set(lang, latest.map((number) => ({ article: articleOf(number), fallback: false })));
  } else {
    throw new Error(`Internal: listing page ${listing.route.outputPath} without what it lists`);
  }
  return { index: { articles: new Map(), stories: new Map(), listings, groups: new Map(), skipped: [] }, groupsById, groupsBySlug };
}

