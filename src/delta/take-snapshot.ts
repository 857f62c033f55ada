/**
 * The full build's half of delta builds (see apply-delta.ts): what it leaves in the site snapshot
 * (cache/site-snapshot.ts) once its output is committed and its page state saved.
 */
import type { Article, Diagnostic } from "../types.js";
import type { CheckedChange, PlannedSite } from "../build.js";
import type { Group, GroupKind, ListingEntry } from "../i18n/site-index.js";
import { feedHtml, inNewsWindow, newsArticles, newsEntry } from "../render/render-pages.js";
import { groupKey } from "../render/view-context.js";
import { idsDigest } from "../cache/related-features.js";
import { cardOf, listingMember, readSiteSnapshot, writeSiteSnapshot, type ArticlePageInputs, type ListingPageInputs, type SnapshotFeed, type SnapshotGroup, type SnapshotPage } from "../cache/site-snapshot.js";

export interface BuildToSnapshot {
  root: string;
  /** The page cache's key and the build's id (see cache/page-cache.ts). */
  key: string;
  buildId: string;
  buildDate: string;
  drafts: boolean;
  plan: PlannedSite;
  /** Every article normalized, drafts included. */
  articles: readonly Article[];
  fileStates: [file: string, stat: string, hash: string][];
  /** When the content was listed. */
  listedAt: number;
  /** Every file of the committed output but its marker. */
  outputs: string[];
  pages: { total: number; byKind: Record<string, number> };
  languages: string[];
  warnings: Diagnostic[];
  /** The feeds' body HTML this build rendered, by article id (feeds reused from the last output rendered none). */
  feedBodies: ReadonlyMap<string, string>;
  /** What the checks across articles changed (URL, slug, section; the URL the record wanted), by article id. */
  checked: ReadonlyMap<string, CheckedChange>;
  /** The groups an article page links (see `linkedGroupsOf`). */
  linkedGroups: (article: Article) => [GroupKind, string][];
}

export async function saveSnapshot(build: BuildToSnapshot): Promise<Error | null> {
  const { plan, buildDate } = build;
  const { index, context } = plan;
  const epoch = Date.parse(buildDate);
  let nextDue: string | null = null;
  let nextDueAt = Infinity;
  for (const article of build.articles) {
    if (!build.drafts && article.draft) continue;
    const at = Date.parse(article.date);
    if (at > epoch && at < nextDueAt) [nextDue, nextDueAt] = [article.date, at];
  }
  let newsOldest: string | null = null;
  let newsOldestAt = Infinity;
  for (const article of index.articles.values()) {
    const at = Date.parse(article.date);
    // Older than three days: outside the news sitemap's two, without asking it.
    if (at >= epoch - 3 * 86_400_000 && at < newsOldestAt && inNewsWindow(article.date, buildDate)) [newsOldest, newsOldestAt] = [article.date, at];
  }

  const articleRoutes = plan.routes.filter((route) => route.params.kind === "article");
  const articles = articleRoutes.map((route) => index.articles.get((route.params as { id: string }).id)!);
  // Keyed by the article object, which listings and stories hold: a lookup by id hashes the string (~300,000 lookups at 10,000 stories).
  const numbers = new Map(articles.map((article, i) => [article, i]));
  const numberOf = (article: Article): number => numbers.get(article) ?? fail(article.id);
  const feeds = await snapshotFeeds(build, numberOf);
  const groupNumbers = new Map<Group, number>();
  const groups: [string, string][] = [];
  const groupNumber = (group: Group | undefined): number => {
    if (!group) return -1;
    let number = groupNumbers.get(group);
    if (number === undefined) {
      groupNumbers.set(group, (number = groups.length));
      groups.push([group.slug, group.name]);
    }
    return number;
  };
  const related = articles.map((article) => (plan.related.get(article.id) ?? []).map((entry) => numberOf(index.articles.get(entry.id) ?? fail(entry.id))));
  /** Per article page: the listing pages that show its card, and the article pages whose related list does. */
  const listedOn = articles.map((): number[] => []);
  const shownBy = articles.map((): number[] => []);
  // The listing pages are made twice, here and as they are written, rather than held (~40,000 at 30,000 stories).
  const groupPages: SnapshotGroup[] = [];
  let listingNumber = 0;
  for (const { listing, ids } of listingPages(plan, numberOf)) {
    for (const member of listing.members) listedOn[listingMember(member).article]!.push(listingNumber);
    for (const [, latest] of listing.latest ?? []) for (const article of latest) listedOn[article]!.push(listingNumber);
    const { params } = listing.route;
    if (ids && params.kind === "group") groupPages.push([params.lang, params.group, listingNumber, ids]);
    listingNumber++;
  }
  related.forEach((list, i) => {
    for (const number of list) shownBy[number]!.push(i);
  });
  const pages = function* (): Generator<SnapshotPage> {
    for (const [i, route] of articleRoutes.entries()) {
      const article = articles[i]!;
      const story = index.stories.get(article.storyKey)!;
      const checked = build.checked.get(article.id);
      const inputs: ArticlePageInputs = {
        id: article.id,
        outputPath: route.outputPath,
        file: article.file,
        hash: article.hash,
        checked: checked ? [checked[0], checked[1], checked[2]] : 0,
        versions: [...story.versions.values()].map(numberOf),
        original: numberOf(story.original),
        related: related[i]!,
        groups: build.linkedGroups(article).map(([kind, id]) => groupNumber(context.groupsById.get(groupKey(article.lang, kind, id)))),
        listedOn: listedOn[i]!,
        shownBy: shownBy[i]!,
      };
      yield { inputs, card: cardOf(article) };
    }
  };
  return writeSiteSnapshot(build.root, {
    head: {
      key: build.key,
      buildId: build.buildId,
      buildDate,
      nextDue,
      newsOldest,
      emptyFeed: feeds.some((feed) => feed.routes.length > 0 && feed.members.length === 0),
      relatedKey: plan.relatedKey ?? null,
      pageOrder: idsDigest(articles.map((article) => article.id)),
      year: context.year,
      pages: build.pages,
      languages: build.languages,
      warnings: build.warnings,
      feeds,
      news: newsArticles(context, buildDate).map((article) => [numberOf(article), newsEntry(article, context)]),
      groups,
      // Drafts and future articles take part in the checks too: every URL wanted but not given.
      relocated: [...build.checked.values()].flatMap(([url, , , wanted]) => (url === wanted ? [] : [wanted])).sort(),
      unpublished: build.articles.flatMap((article) => (index.articles.has(article.id) ? [] : [article.url])).sort(),
    },
    listedAt: build.listedAt,
    files: build.fileStates,
    outputs: build.outputs.sort(),
    pages: pages(),
    listings: (function* () {
      for (const { listing } of listingPages(plan, numberOf)) yield listing;
    })(),
    dates: articles.map((article) => article.date),
    groups: groupPages,
  });
}

/** The pages that list article cards (front, topic, author and source pages, the chooser), in route order, with what they show; a group's first page with the group's ids. */
function* listingPages(plan: PlannedSite, numberOf: (article: Article) => number): Generator<{ listing: ListingPageInputs; ids: string[] | null }> {
  const { index, context } = plan;
  const { perPage, languages } = context.config;
  const membersOf = (entries: readonly ListingEntry[]): ListingPageInputs["members"] => entries.map((entry) => (entry.fallback ? -1 - numberOf(entry.article) : numberOf(entry.article)));
  for (const route of plan.routes) {
    const { params } = route;
    if (params.kind === "front") {
      const entries = (index.listings.get(params.lang) ?? []).slice((params.page - 1) * perPage, params.page * perPage);
      yield { listing: { route, members: membersOf(entries), group: null, latest: null }, ids: null };
    } else if (params.kind === "group") {
      const group = context.groupsBySlug.get(groupKey(params.lang, params.group, params.slug));
      if (!group) throw new Error(`Internal: route for unknown group ${params.slug}`);
      const others = languages.flatMap(({ code }): [string, string][] => {
        const other = code === params.lang ? undefined : context.groupsById.get(groupKey(code, params.group, group.id));
        return other ? [[code, other.slug]] : [];
      });
      const entries = group.entries.slice((params.page - 1) * perPage, params.page * perPage);
      yield { listing: { route, members: membersOf(entries), group: [group.id, group.name, group.entries.length, others], latest: null }, ids: params.page === 1 ? group.ids : null };
    } else if (params.kind === "chooser") {
      const latest = languages.map(({ code }): [string, number[]] => [code, (index.listings.get(code) ?? []).filter((entry) => !entry.fallback).slice(0, 3).map((entry) => numberOf(entry.article))]);
      yield { listing: { route, members: [], group: null, latest }, ids: null };
    }
  }
}

/**
 * Each language's feed articles with their HTML: as this build rendered it, else as the last
 * snapshot kept it for the same content, else made again from the Markdown.
 */
async function snapshotFeeds(build: BuildToSnapshot, numberOf: (article: Article) => number): Promise<SnapshotFeed[]> {
  const { plan } = build;
  const { config, index } = plan.context;
  const origin = new URL(config.baseUrl).origin;
  let previous: Map<string, [string, string]> | null = null;
  const feeds: SnapshotFeed[] = [];
  for (const { code } of config.languages) {
    const members: SnapshotFeed["members"] = [];
    const own = (index.listings.get(code) ?? []).filter((entry) => !entry.fallback).slice(0, config.feedSize);
    for (const { article } of own) {
      let html = build.feedBodies.get(article.id);
      if (html === undefined) {
        previous ??= await previousFeedBodies(build.root, build.key);
        const kept = previous.get(article.id);
        html = kept && kept[0] === article.hash ? kept[1] : feedHtml(article, origin);
      }
      members.push([numberOf(article), article.hash, cardOf(article), article.tags, html]);
    }
    const routes = plan.routes.filter((route) => route.params.kind === "feed" && route.params.lang === code);
    feeds.push({ lang: code, routes, members });
  }
  return feeds;
}

async function previousFeedBodies(root: string, key: string): Promise<Map<string, [string, string]>> {
  const snapshot = await readSiteSnapshot(root);
  if (snapshot?.head.key !== key) return new Map(); // made with other code or settings: other HTML
  return new Map(snapshot.head.feeds.flatMap((feed) => feed.members.map(([article, hash, , , html]): [string, [string, string]] => [snapshot.page(article).id, [hash, html]])));
}

function fail(id: string): never {
  throw new Error(`Internal: ${id} is listed but not published or loaded`);
}
