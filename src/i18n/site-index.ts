import type { Article, Diagnostic } from "../types.js";
import type { SiteConfig } from "../config/site-config.js";
import { slugify } from "../util/slugify.js";
import { foldText } from "../util/text.js";

/** A story shown in a language's listing: its own version, or (fallback) its original, marked. */
export interface ListingEntry {
  article: Article;
  /** True when `article.lang` differs from the listing's language. */
  fallback: boolean;
}

export interface Story {
  key: string;
  /** Versions by language, in the site's language order. */
  versions: ReadonlyMap<string, Article>;
  /** The version the others were translated from (or the first in site order). */
  original: Article;
}

export type GroupKind = "topic" | "author" | "source";

/** A topic, author or source page in one language. */
export interface Group {
  kind: GroupKind;
  /** Language-independent identity (topic id, folded author/source name). */
  id: string;
  /** Every id merged into this page (names that slugify alike): `id` first. */
  ids: string[];
  name: string;
  slug: string;
  /** Newest first. */
  entries: ListingEntry[];
}

export interface SiteIndex {
  /** Published articles by id. */
  articles: ReadonlyMap<string, Article>;
  stories: ReadonlyMap<string, Story>;
  /** Per site language: every story, newest first (own version, else fallback). */
  listings: ReadonlyMap<string, readonly ListingEntry[]>;
  /** Per site language, per kind: groups sorted by name. */
  groups: ReadonlyMap<string, Readonly<Record<GroupKind, readonly Group[]>>>;
  /** The articles left out (drafts, future dates), for the build summary. */
  skipped: readonly Diagnostic[];
}

export interface SiteIndexOptions {
  /** Include drafts and articles dated after the build date. */
  drafts: boolean;
  /** ISO build date (SOURCE_DATE_EPOCH or now). */
  buildDate: string;
}

/** Entities that make an article's topic links: the prominent people, places and organisations. */
const MAX_ENTITY_TOPICS = 6;

/**
 * Article[] -> SiteIndex: published set, stories with their versions, per-language listings with
 * fallbacks for untranslated stories, and topic/author/source groups. Pure; O(n log n).
 */
export function buildSiteIndex(all: readonly Article[], config: SiteConfig, options: SiteIndexOptions): SiteIndex {
  const buildEpoch = Date.parse(options.buildDate);
  const skipped: Diagnostic[] = [];
  const articles = new Map<string, Article>();
  for (const article of all) {
    if (!options.drafts && article.draft) {
      skipped.push({ severity: "warning", message: "skipped: a draft (build with --drafts to include it).", location: { file: article.file } });
    } else if (!options.drafts && Date.parse(article.date) > buildEpoch) {
      skipped.push({ severity: "warning", message: `skipped: dated ${article.date}, after the build date.`, location: { file: article.file }, hint: "It is published by the first build after that date (or with --drafts)." });
    } else {
      articles.set(article.id, article);
    }
  }

  const languageOrder = config.languages.map((language) => language.code);
  const stories = groupStories([...articles.values()], languageOrder, config.defaultLanguage);
  const newestFirst = [...stories.values()].sort((a, b) => compareNewest(a.original, b.original));

  const listings = new Map<string, ListingEntry[]>();
  const groups = new Map<string, Record<GroupKind, Group[]>>();
  // Each article's topics, once: it is listed in every language (own version or fallback). Not kept
  // past the index: at 30,000 stories they are ~25 MB that the rest of the build never reads.
  const topics = new Map<Article, readonly ArticleTopic[]>();
  for (const lang of languageOrder) {
    const entries: ListingEntry[] = [];
    for (const story of newestFirst) {
      const own = story.versions.get(lang);
      if (own) entries.push({ article: own, fallback: false });
      else if (config.listUntranslated) entries.push({ article: story.original, fallback: true });
    }
    entries.sort((a, b) => compareNewest(a.article, b.article));
    listings.set(lang, entries);
    groups.set(lang, buildGroups(entries, lang, topics));
  }
  return { articles, stories, listings, groups, skipped };
}

/**
 * What the index reads of an article: while an edit leaves this the same, the index keeps its
 * shape (which story, listing positions, groups, names and slugs) and only the record changes.
 */
export function indexKey(article: Article, { date = true, labels = true } = {}): string {
  return JSON.stringify([article.id, article.storyKey, article.lang, article.draft, date ? article.date : null, article.translatedFrom, ...(labels ? [articleLabelsKey(article)] : [])]);
}

/** What of an article makes its groups (topics, authors, source): see `dev/relabel.ts` for edits that change only this. */
export function articleLabelsKey(article: Article): string {
  return JSON.stringify([article.authors, article.source?.name ?? null, articleTopics(article)]);
}

/**
 * Puts `next` where `previous` was, in place (`gazette dev`, after an edit that kept `indexKey`):
 * the published set, its story and every listing and group entry (groups share the listings'
 * entry objects). Returns false, changing nothing, when `previous` is not published.
 */
export function replaceInIndex(index: SiteIndex, previous: Article, next: Article): boolean {
  if (indexKey(previous) !== indexKey(next)) throw new Error("Internal: replaceInIndex needs an unchanged indexKey.");
  return swapRecord(index, previous, next, () => undefined);
}

/**
 * `replaceInIndex` for an edit that changed the article's date too (`gazette dev`): its entries
 * move to their new places, in its listings and in its groups (`groupsOf`: those of one
 * language its entry is in). The caller has checked that no group's name, slug or ids depend on
 * where it stands (see `dev/redate.ts`).
 */
export function redateInIndex(index: SiteIndex, previous: Article, next: Article, groupsOf: (lang: string) => readonly Group[]): boolean {
  if (indexKey(previous, { date: false }) !== indexKey(next, { date: false })) throw new Error("Internal: redateInIndex needs an indexKey that only the date changed.");
  return swapRecord(index, previous, next, (lang, entries, entry) => {
    resort(entries, entry);
    for (const group of groupsOf(lang)) if (group.entries.includes(entry)) resort(group.entries, entry);
  });
}

/**
 * `replaceInIndex` for an edit that changed the article's topics, authors or source (`gazette dev`):
 * its entry leaves and joins the groups `changesOf` gives for each language its entry is in, and
 * the groups it makes or empties join or leave their language's list. The caller has checked that
 * every group it leaves or joins keeps its name, slug and ids, and made the new groups whole
 * (their entries, the article's among them): see `dev/relabel.ts`.
 */
export function relabelInIndex(index: SiteIndex, previous: Article, next: Article, changesOf: (lang: string) => GroupChanges | undefined): boolean {
  if (indexKey(previous, { labels: false }) !== indexKey(next, { labels: false })) throw new Error("Internal: relabelInIndex needs an indexKey that only the labels changed.");
  return swapRecord(index, previous, next, (lang, _entries, entry) => {
    const changes = changesOf(lang);
    if (changes === undefined) return;
    for (const group of changes.leaves) group.entries.splice(group.entries.indexOf(entry), 1);
    for (const group of changes.joins) insertNewest(group.entries, entry);
    const byKind = index.groups.get(lang) as Record<GroupKind, Group[]> | undefined;
    if (byKind === undefined) return;
    for (const group of changes.gone) byKind[group.kind].splice(byKind[group.kind].indexOf(group), 1);
    const compare = compareGroups(lang);
    for (const group of changes.made) {
      const groups = byKind[group.kind];
      let at = 0;
      while (at < groups.length && compare(groups[at]!, group) < 0) at++;
      groups.splice(at, 0, group);
    }
  });
}

/** What an edit does to the groups of one language (see `relabelInIndex`). */
export interface GroupChanges {
  /** Groups the article's entry leaves and joins. */
  leaves: readonly Group[];
  joins: readonly Group[];
  /** Groups it makes (with their entries, the article's among them) and those it leaves empty. */
  made: readonly Group[];
  gone: readonly Group[];
}

/** The slug of a group page: its name's, else (a name of no letters) its id's. */
export function groupSlug(name: string, id: string, lang: string): string {
  return slugify(name, lang, 80, slugify(id, lang));
}

/** The order of a language's groups of one kind: by name, then slug. */
export function compareGroups(lang: string): (a: Group, b: Group) => number {
  const collator = new Intl.Collator(lang);
  return (a, b) => collator.compare(a.name, b.name) || (a.slug < b.slug ? -1 : 1);
}

/** `next` in the published set, its story and each listing entry of `previous` (then given to `moved`); false when `previous` is not published. */
function swapRecord(index: SiteIndex, previous: Article, next: Article, moved: (lang: string, entries: ListingEntry[], entry: ListingEntry) => void): boolean {
  if (index.articles.get(previous.id) !== previous) return false;
  (index.articles as Map<string, Article>).set(next.id, next);
  const story = index.stories.get(next.storyKey);
  if (story) {
    (story.versions as Map<string, Article>).set(next.lang, next);
    if (story.original === previous) story.original = next;
  }
  for (const [lang, entries] of index.listings) {
    const entry = entries.find((each) => each.article === previous);
    if (!entry) continue;
    entry.article = next;
    moved(lang, entries as ListingEntry[], entry);
  }
  return true;
}

/** Moves `entry` to its place in `entries`, newest first (the others are in order). */
function resort(entries: ListingEntry[], entry: ListingEntry): void {
  entries.splice(entries.indexOf(entry), 1);
  insertNewest(entries, entry);
}

/** Puts `entry` at its place in `entries`, newest first. */
function insertNewest(entries: ListingEntry[], entry: ListingEntry): void {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareNewest(entries[middle]!.article, entry.article) < 0) low = middle + 1;
    else high = middle;
  }
  entries.splice(low, 0, entry);
}

function groupStories(articles: Article[], languageOrder: string[], defaultLanguage: string): Map<string, Story> {
  const byKey = new Map<string, Article[]>();
  for (const article of articles) {
    const list = byKey.get(article.storyKey);
    if (list) list.push(article);
    else byKey.set(article.storyKey, [article]);
  }
  const rank = (lang: string) => {
    const index = languageOrder.indexOf(lang);
    return index === -1 ? languageOrder.length : index;
  };
  const stories = new Map<string, Story>();
  for (const [key, versions] of [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    versions.sort((a, b) => rank(a.lang) - rank(b.lang));
    const original =
      versions.find((version) => version.translatedFrom === null && version.lang === defaultLanguage) ??
      versions.find((version) => version.translatedFrom === null) ??
      versions[0]!;
    stories.set(key, { key, versions: new Map(versions.map((version) => [version.lang, version])), original });
  }
  return stories;
}

/** Newest first; ties by story key then language, so listings never flicker between builds. */
export function compareNewest(a: Article, b: Article): number {
  const byDate = publishedAt(b) - publishedAt(a);
  if (byDate !== 0) return byDate;
  if (a.storyKey !== b.storyKey) return a.storyKey < b.storyKey ? -1 : 1;
  return a.lang < b.lang ? -1 : a.lang > b.lang ? 1 : 0;
}

/** Date.parse once per article: sorting topic pages compares every article ~20 times (2M parses at 10,000 stories). */
const publishedTimes = new WeakMap<Article, number>();

function publishedAt(article: Article): number {
  let time = publishedTimes.get(article);
  if (time === undefined) {
    time = Date.parse(article.date);
    publishedTimes.set(article, time);
  }
  return time;
}

export interface ArticleTopic {
  id: string;
  name: string;
}

/** The topics an article links to: its tags, then its prominent entities (not already a tag). */
export function articleTopics(article: Article): ArticleTopic[] {
  const topics = article.tags.map((tag) => ({ id: tag.id, name: tag.name }));
  const seen = new Set(topics.map((topic) => topic.id));
  const titleFolded = foldText(article.title);
  const prominent = article.entities.filter(
    (entity) => entity.kind !== "topic" && !seen.has(entity.id) && (entity.count >= 2 || titleFolded.includes(foldName(entity.name))),
  );
  for (const entity of prominent.slice(0, MAX_ENTITY_TOPICS)) {
    topics.push({ id: entity.id, name: entity.name });
    seen.add(entity.id);
  }
  return topics;
}

/**
 * Topic, author and source groups of one language. Groups come from the language's own articles;
 * fallback entries join groups that exist natively, so a topic page never carries a foreign name.
 * Two ids whose names slugify alike ("Köln"/"Koeln") share one page.
 */
function buildGroups(entries: readonly ListingEntry[], lang: string, topics: Map<Article, readonly ArticleTopic[]>): Record<GroupKind, Group[]> {
  const bySlug: Record<GroupKind, Map<string, Group>> = { topic: new Map(), author: new Map(), source: new Map() };
  const byId: Record<GroupKind, Map<string, Group>> = { topic: new Map(), author: new Map(), source: new Map() };
  const create = (kind: GroupKind, id: string, name: string) => {
    if (byId[kind].has(id)) return;
    const slug = groupSlug(name, id, lang);
    let group = bySlug[kind].get(slug);
    if (!group) {
      group = { kind, id, ids: [id], name, slug, entries: [] };
      bySlug[kind].set(slug, group);
    } else {
      group.ids.push(id);
    }
    byId[kind].set(id, group);
  };
  const topicsOf = (article: Article): readonly ArticleTopic[] => {
    let found = topics.get(article);
    if (found === undefined) {
      found = articleTopics(article);
      topics.set(article, found);
    }
    return found;
  };
  const labels = entries.map((entry) => ({
    topic: topicsOf(entry.article),
    author: entry.article.authors.map((name) => ({ id: foldName(name), name })),
    source: entry.article.source ? [{ id: foldName(entry.article.source.name), name: entry.article.source.name }] : [],
  }));
  // Groups are made by native entries first, so that names and slugs come from the page's language.
  // Names of people and outlets do not change with the language, so fallbacks make those groups too.
  for (const pass of [false, true]) {
    entries.forEach((entry, i) => {
      if (entry.fallback !== pass) return;
      for (const kind of ["topic", "author", "source"] as const) {
        if (!pass || kind !== "topic") for (const label of labels[i]![kind]) create(kind, label.id, label.name);
      }
    });
  }
  // Then every entry joins its groups in listing order, so each group's entries are newest first without sorting.
  entries.forEach((entry, i) => {
    for (const kind of ["topic", "author", "source"] as const) {
      for (const label of labels[i]![kind]) {
        const group = byId[kind].get(label.id);
        if (group && group.entries[group.entries.length - 1] !== entry) group.entries.push(entry);
      }
    }
  });
  const compare = compareGroups(lang);
  const finish = (map: Map<string, Group>) => [...map.values()].sort(compare);
  return { topic: finish(bySlug.topic), author: finish(bySlug.author), source: finish(bySlug.source) };
}

/** `foldText` of author, source and entity names, remembered: the same few thousand names come up for every article. */
const foldedNames = new Map<string, string>();

export function foldName(name: string): string {
  let folded = foldedNames.get(name);
  if (folded === undefined) {
    if (foldedNames.size >= 10_000) foldedNames.clear();
    folded = foldText(name);
    foldedNames.set(name, folded);
  }
  return folded;
}
