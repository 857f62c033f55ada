import { languageName } from "../i18n/format.js";
import type { Group, GroupKind } from "../i18n/site-index.js";
import { MAIN_BUNDLE } from "../output/search-slices.js";
import { baseView, entryCards, groupKey, language, languageOptions, translator, type RenderContext } from "./view-context.js";
import type { AlternateLink, PageView, PaginationView } from "./view-models.js";

/** A front page (page N of a language's listing). */
export function frontPage(lang: string, page: number, pages: number, context: RenderContext): PageView {
  const { urls, config } = context;
  const t = translator(context, lang);
  const entries = (context.index.listings.get(lang) ?? []).slice((page - 1) * config.perPage, page * config.perPage);
  const siteTitle = language(context, lang).title;
  const alternates: AlternateLink[] =
    page === 1 ? [...config.languages.map(({ code }) => ({ hreflang: code, href: urls.absolute(urls.front(code)) })), { hreflang: "x-default", href: urls.absolute(urls.home()) }] : [];
  const base = baseView(
    context,
    lang,
    { title: page === 1 ? siteTitle : `${t("latestStories")} – ${t("pageOf", { page, pages })}`, description: language(context, lang).description, canonical: urls.front(lang, page), alternates },
    languageOptions(context, lang, (code) => urls.front(code)),
  );
  return {
    ...base,
    kind: "listing",
    listing: {
      heading: page === 1 ? siteTitle : t("latestStories"),
      headingHidden: page === 1,
      intro: null,
      cards: entryCards(entries, lang, context),
      pagination: paginationView(lang, page, pages, (n) => urls.front(lang, n), context),
    },
  };
}

const HEADINGS: Record<GroupKind, string> = { topic: "articlesAbout", author: "articlesBy", source: "articlesFrom" };
const INDEX_HEADINGS: Record<GroupKind, string> = { topic: "allTopics", author: "allAuthors", source: "allSources" };

/** A topic, author or source page in one language. */
export function groupPage(lang: string, kind: GroupKind, group: Group, page: number, pages: number, context: RenderContext): PageView {
  const { urls, config } = context;
  const t = translator(context, lang);
  const entries = group.entries.slice((page - 1) * config.perPage, page * config.perPage);
  // The same topic in other languages, where a page for it exists.
  const inLanguage = (code: string) => (code === lang ? group : context.groupsById.get(groupKey(code, kind, group.id)));
  const alternates: AlternateLink[] = [];
  if (page === 1) {
    for (const { code } of config.languages) {
      const other = inLanguage(code);
      if (other) alternates.push({ hreflang: code, href: urls.absolute(urls.group(code, kind, other.slug)) });
    }
    const fallback = inLanguage(config.defaultLanguage);
    if (fallback) alternates.push({ hreflang: "x-default", href: urls.absolute(urls.group(config.defaultLanguage, kind, fallback.slug)) });
  }
  const heading = t(HEADINGS[kind], { name: group.name });
  const base = baseView(
    context,
    lang,
    { title: page === 1 ? heading : `${heading} – ${t("pageOf", { page, pages })}`, description: heading, canonical: urls.group(lang, kind, group.slug, page), alternates: alternates.length > 2 ? alternates : [] },
    languageOptions(context, lang, (code) => {
      const other = inLanguage(code);
      return other ? urls.group(code, kind, other.slug) : null;
    }),
  );
  return {
    ...base,
    kind: "listing",
    listing: {
      heading,
      headingHidden: false,
      intro: t("articleCount", { count: group.entries.length }),
      cards: entryCards(entries, lang, context),
      pagination: paginationView(lang, page, pages, (n) => urls.group(lang, kind, group.slug, n), context),
    },
  };
}

/** The list of all topics (or authors, or sources) of a language. */
export function groupIndexPage(lang: string, kind: GroupKind, context: RenderContext): PageView {
  const { urls, config } = context;
  const t = translator(context, lang);
  const groups = context.index.groups.get(lang)?.[kind] ?? [];
  const heading = t(INDEX_HEADINGS[kind]);
  const alternates: AlternateLink[] = [
    ...config.languages.map(({ code }) => ({ hreflang: code, href: urls.absolute(urls.groupIndex(code, kind)) })),
    { hreflang: "x-default", href: urls.absolute(urls.groupIndex(config.defaultLanguage, kind)) },
  ];
  const base = baseView(context, lang, { title: heading, description: heading, canonical: urls.groupIndex(lang, kind), alternates }, languageOptions(context, lang, (code) => urls.groupIndex(code, kind)));
  return {
    ...base,
    kind: "group-index",
    index: {
      heading,
      groups: groups.map((group) => ({ href: urls.href(urls.group(lang, kind, group.slug)), name: group.name, count: t("articleCount", { count: group.entries.length }) })),
      siblings: (["topic", "author", "source"] as const).filter((other) => other !== kind).map((other) => ({ href: urls.href(urls.groupIndex(lang, other)), text: t(INDEX_HEADINGS[other]) })),
    },
  };
}

/** `/`: the language chooser, in the default language, each choice in its own language. */
export function chooserPage(context: RenderContext): PageView {
  const { urls, config } = context;
  const lang = config.defaultLanguage;
  const t = translator(context, lang);
  const alternates: AlternateLink[] = [
    ...config.languages.map(({ code }) => ({ hreflang: code, href: urls.absolute(urls.front(code)) })),
    { hreflang: "x-default", href: urls.absolute(urls.home()) },
  ];
  const base = baseView(
    context,
    lang,
    { title: config.publisher.name, description: config.languages.map((language) => language.title).join(" · "), canonical: urls.home(), alternates },
    languageOptions(context, null, (code) => urls.front(code)),
  );
  return {
    ...base,
    kind: "chooser",
    chooser: {
      heading: t("chooseLanguage"),
      languages: config.languages.map((language) => ({
        lang: language.code,
        dir: language.dir,
        label: languageName(language.code, language.locale),
        href: urls.href(urls.front(language.code)),
        title: language.title,
        latest: entryCards((context.index.listings.get(language.code) ?? []).filter((entry) => !entry.fallback).slice(0, 3), language.code, context),
      })),
    },
  };
}

export function searchPage(lang: string, context: RenderContext): PageView {
  const { urls, config } = context;
  const t = translator(context, lang);
  const alternates: AlternateLink[] = [
    ...config.languages.map(({ code }) => ({ hreflang: code, href: urls.absolute(urls.search(code)) })),
    { hreflang: "x-default", href: urls.absolute(urls.search(config.defaultLanguage)) },
  ];
  const base = baseView(context, lang, { title: t("search"), description: t("searchPlaceholder"), canonical: urls.search(lang), alternates }, languageOptions(context, lang, (code) => urls.search(code)));
  // A language indexed in slices merges the other slices' bundles into its first one's (see output/search-slices.ts).
  const bundles = context.searchSlices?.bundlesFor(lang) ?? { primary: MAIN_BUNDLE, merged: [] };
  const search = { heading: t("search"), bundlePath: urls.href(`/${bundles.primary}`), mergePaths: bundles.merged.map((bundle) => urls.href(`/${bundle}`)), initScript: context.assetHrefs.get("search.js") ?? urls.href("/assets/search.js") };
  return { ...base, kind: "search", search };
}

/** `/404.html`: served by static hosts for any missing URL, so every link is root-relative. */
export function notFoundPage(context: RenderContext): PageView {
  const { urls, config } = context;
  const lang = config.defaultLanguage;
  const t = translator(context, lang);
  const base = baseView(context, lang, { title: t("notFoundTitle"), description: t("notFoundText"), canonical: "/404.html", alternates: [], robots: "noindex" }, languageOptions(context, null, (code) => urls.front(code)));
  return {
    ...base,
    kind: "not-found",
    notFound: {
      heading: t("notFoundTitle"),
      text: t("notFoundText"),
      // Each link speaks its own language: "Zur Startseite", "Go to the front page", …
      links: config.languages.map((language) => ({ href: urls.href(urls.front(language.code)), text: translator(context, language.code)("notFoundBack"), lang: language.code })),
    },
  };
}

function paginationView(lang: string, page: number, pages: number, urlOf: (page: number) => string, context: RenderContext): PaginationView | null {
  if (pages <= 1) return null;
  const t = translator(context, lang);
  const { urls } = context;
  return {
    label: t("pagination"),
    status: t("pageOf", { page, pages }),
    previous: page > 1 ? { href: urls.href(urlOf(page - 1)), text: t("newer") } : null,
    next: page < pages ? { href: urls.href(urlOf(page + 1)), text: t("older") } : null,
  };
}
