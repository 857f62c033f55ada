import type { Article, RelatedMap } from "../types.js";
import type { LanguageConfig, SiteConfig } from "../config/site-config.js";
import { formatDate, languageName } from "../i18n/format.js";
import type { Group, GroupKind, ListingEntry, SiteIndex } from "../i18n/site-index.js";
import type { Translate } from "../i18n/ui-strings.js";
import type { SiteUrls } from "../i18n/urls.js";
import type { AlternateLink, BaseView, CardView, HeadView, LanguageOption, TimeView } from "./view-models.js";
import type { SearchSlices } from "../output/search-slices.js";

/** Everything a page view is built from. Made once per build; read-only while rendering. */
export interface RenderContext {
  config: SiteConfig;
  index: SiteIndex;
  related: RelatedMap;
  urls: SiteUrls;
  translators: ReadonlyMap<string, Translate>;
  /** Theme asset name -> root-relative href of its fingerprinted file. */
  assetHrefs: ReadonlyMap<string, string>;
  /** Per language, kind and id: the group page (topic/author/source) it belongs to. */
  groupsById: ReadonlyMap<string, Group>;
  /** Per language, kind and slug (`groupKey(lang, kind, slug)`): the group a group route renders. */
  groupsBySlug: ReadonlyMap<string, Group>;
  /** Year of the newest article: stable across builds, unlike the clock. */
  year: string;
  /** The search index's slices (see output/search-slices.ts), when the site has search. */
  searchSlices?: SearchSlices;
}

export function groupKey(lang: string, kind: GroupKind, id: string): string {
  return `${lang}|${kind}|${id}`;
}

export function indexGroups(index: SiteIndex): Map<string, Group> {
  const map = new Map<string, Group>();
  for (const [lang, byKind] of index.groups) {
    for (const kind of ["topic", "author", "source"] as const) {
      // Merged groups (two ids, one slug) answer for every id they hold.
      for (const group of byKind[kind]) for (const id of group.ids) map.set(groupKey(lang, kind, id), group);
    }
  }
  return map;
}

/** Group pages by slug, so that finding the group of each of 12,000 group routes is not a scan of all groups. */
export function indexGroupSlugs(index: SiteIndex): Map<string, Group> {
  const map = new Map<string, Group>();
  for (const [lang, byKind] of index.groups) {
    for (const kind of ["topic", "author", "source"] as const) for (const group of byKind[kind]) map.set(groupKey(lang, kind, group.slug), group);
  }
  return map;
}

export function language(context: RenderContext, lang: string): LanguageConfig {
  const found = context.config.languages.find((candidate) => candidate.code === lang);
  if (!found) throw new Error(`Internal: ${lang} is not a site language`);
  return found;
}

export function translator(context: RenderContext, lang: string): Translate {
  const t = context.translators.get(lang);
  if (!t) throw new Error(`Internal: no UI strings for ${lang}`);
  return t;
}

export function timeView(iso: string, lang: string, context: RenderContext, precision: Article["datePrecision"] | "card"): TimeView {
  const locale = language(context, lang).locale;
  const style = precision === "time" ? "long" : precision === "month" ? "month" : precision === "day" ? "day" : "medium";
  return { iso, text: formatDate(iso, locale, context.config.timeZone, style) };
}

export function sectionName(context: RenderContext, id: string | null, lang: string): string | null {
  if (!id) return null;
  const section = context.config.sections.find((candidate) => candidate.id === id);
  if (!section) return null;
  return section.names[lang] ?? section.names[context.config.defaultLanguage] ?? Object.values(section.names)[0] ?? null;
}

/**
 * Cards already made, per render context and article, by page language: a story's card appears on
 * its front page, every topic, author and source page and in related lists (~12 times per article
 * at 10,000 stories), always the same. Keyed by the context too: `gazette dev` keeps article
 * objects across rebuilds whose config or UI strings changed.
 */
const cards = new WeakMap<RenderContext, WeakMap<Article, Map<string, Readonly<CardView>>>>();

/** A listing card in the page's language, marked when the article is in another one. */
export function cardView(article: Article, pageLang: string, context: RenderContext): Readonly<CardView> {
  let byArticle = cards.get(context);
  if (!byArticle) cards.set(context, (byArticle = new WeakMap()));
  let byLang = byArticle.get(article);
  if (!byLang) byArticle.set(article, (byLang = new Map()));
  let card = byLang.get(pageLang);
  if (!card) byLang.set(pageLang, (card = Object.freeze(makeCard(article, pageLang, context))));
  return card;
}

function makeCard(article: Article, pageLang: string, context: RenderContext): CardView {
  const t = translator(context, pageLang);
  const locale = language(context, pageLang).locale;
  const foreign = article.lang !== pageLang;
  return {
    title: article.title,
    href: context.urls.href(article.url),
    summary: article.summary,
    published: timeView(article.date, pageLang, context, "card"),
    section: sectionName(context, article.category, pageLang),
    lang: article.lang,
    languageMarker: foreign ? t("inLanguage", { language: languageName(article.lang, locale) }) : null,
    byline: article.authors.join(", "),
    readingTime: t("readingTime", { count: article.readingMinutes }),
  };
}

export function entryCards(entries: readonly ListingEntry[], pageLang: string, context: RenderContext): Readonly<CardView>[] {
  return entries.map((entry) => cardView(entry.article, pageLang, context));
}

/**
 * The language switcher: every site language, linked where this page exists in it, disabled
 * (with a reason) where it does not — never a dead link.
 */
export function languageOptions(context: RenderContext, pageLang: string | null, hrefFor: (lang: string) => string | null): LanguageOption[] {
  return context.config.languages.map(({ code, locale }) => {
    const href = hrefFor(code);
    const pageLocale = pageLang ? language(context, pageLang).locale : locale;
    const t = translator(context, pageLang ?? code);
    return {
      lang: code,
      label: languageName(code, locale),
      href: href === null ? null : context.urls.href(href),
      current: code === pageLang,
      note: href === null ? t("notTranslated", { language: languageName(code, pageLocale) }) : languageName(code, pageLocale),
    };
  });
}

export interface HeadInput {
  title: string;
  description: string;
  /** Site-relative URL of this page, or an absolute canonical elsewhere. */
  canonical: string;
  alternates: AlternateLink[];
  robots?: string | null;
  type?: "website" | "article";
  jsonLd?: string | null;
  article?: Pick<HeadView["openGraph"], "publishedTime" | "modifiedTime" | "section" | "tags">;
}

export function baseView(context: RenderContext, lang: string, head: HeadInput, languages: LanguageOption[]): BaseView {
  const { urls } = context;
  const t = translator(context, lang);
  const languageConfig = language(context, lang);
  const siteTitle = languageConfig.title;
  const canonical = /^https?:/.test(head.canonical) ? head.canonical : urls.absolute(head.canonical);
  const description = head.description || languageConfig.description || siteTitle;
  const openGraph: HeadView["openGraph"] = {
    type: head.type ?? "website",
    title: head.title,
    description,
    url: canonical,
    siteName: siteTitle,
    locale: languageConfig.locale.replace("-", "_"),
    ...(head.article ?? {}),
  };
  return {
    lang,
    dir: languageConfig.dir,
    t,
    site: { title: siteTitle, description: languageConfig.description, homeHref: urls.href(urls.front(lang)), publisher: context.config.publisher.name, year: context.year },
    head: {
      title: head.title === siteTitle ? siteTitle : `${head.title} – ${siteTitle}`,
      description,
      canonical,
      alternates: head.alternates,
      robots: head.robots ?? null,
      openGraph,
      twitter: { card: "summary", title: head.title, description },
      jsonLd: head.jsonLd ?? null,
      feeds: { rss: urls.href(urls.feed(lang, "rss")), atom: urls.href(urls.feed(lang, "atom")), json: urls.href(urls.feed(lang, "json")) },
    },
    nav: { home: urls.href(urls.front(lang)), topics: urls.href(urls.groupIndex(lang, "topic")), search: urls.href(urls.search(lang)), languages },
    assets: { css: context.assetHrefs.get("style.css") ?? urls.href("/assets/style.css") },
  };
}

/** Splits a UI string around one placeholder, so the placeholder can become a link. */
export function splitAround(text: string, placeholder: string): [string, string] {
  const at = text.indexOf(`{${placeholder}}`);
  return at === -1 ? [text + " ", ""] : [text.slice(0, at), text.slice(at + placeholder.length + 2)];
}
