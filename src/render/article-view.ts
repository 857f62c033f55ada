import type { Article } from "../types.js";
import { languageName } from "../i18n/format.js";
import { articleTopics, foldName } from "../i18n/site-index.js";
import { newsArticleJsonLd, serializeJsonLd } from "./json-ld.js";
import { renderArticleBody } from "./article-body.js";
import {
  baseView,
  cardView,
  groupKey,
  language,
  languageOptions,
  sectionName,
  splitAround,
  timeView,
  translator,
  type RenderContext,
} from "./view-context.js";
import type { AlternateLink, ArticleView, LinkView, PageView } from "./view-models.js";

/**
 * An article page: body rendered once (or taken as `bodyHtml`, rendered ahead by the loading
 * workers: see article-body.ts), everything else looked up in the SiteIndex.
 */
export function articlePage(article: Article, context: RenderContext, bodyHtml?: string): PageView {
  const { urls, index, config } = context;
  const t = translator(context, article.lang);
  const locale = language(context, article.lang).locale;
  const story = index.stories.get(article.storyKey);
  if (!story) throw new Error(`Internal: story ${article.storyKey} missing from the index`);

  const group = (kind: "topic" | "author" | "source", id: string) => context.groupsById.get(groupKey(article.lang, kind, id));
  const authorPages = article.authors.map((name) => {
    const page = group("author", foldName(name));
    return { name, url: page ? urls.group(article.lang, "author", page.slug) : urls.groupIndex(article.lang, "author") };
  });
  const authors: LinkView[] = authorPages.map((author) => ({ text: author.name, href: urls.href(author.url) }));
  const topics: LinkView[] = [];
  for (const topic of articleTopics(article)) {
    const page = group("topic", topic.id);
    if (page && !topics.some((link) => link.text === page.name)) topics.push({ text: page.name, href: urls.href(urls.group(article.lang, "topic", page.slug)) });
  }

  const original = article.translatedFrom ? story.versions.get(article.translatedFrom) ?? null : null;
  const translation = article.translatedFrom
    ? {
        notice: t("translatedFrom", { language: languageName(article.translatedFrom, locale) }),
        original: original ? { lang: original.lang, href: urls.href(original.url) } : null,
      }
    : null;

  let source: ArticleView["source"] = null;
  if (article.source) {
    const [before, after] = splitAround(t("sourceAttribution"), "source");
    source = { before, name: article.source.name, after, href: article.source.url };
  }

  const related = (context.related.get(article.id) ?? [])
    .map((entry) => index.articles.get(entry.id))
    .filter((candidate): candidate is Article => candidate !== undefined)
    .map((candidate) => cardView(candidate, article.lang, context));

  const policy = article.seo ?? config.seo;
  // Copies follow the site's syndication policy; translations are our own work and stay self-canonical.
  const isCopy = article.source !== null && article.translatedFrom === null;
  const canonicalToSource = isCopy && policy === "source" && article.source?.url ? article.source.url : null;
  const noindex = isCopy && policy === "noindex";
  const indexable = (version: Article) => {
    const versionPolicy = version.seo ?? config.seo;
    const versionIsCopy = version.source !== null && version.translatedFrom === null;
    return !(versionIsCopy && (versionPolicy === "noindex" || (versionPolicy === "source" && version.source?.url)));
  };
  const alternates: AlternateLink[] = [];
  if (indexable(article)) {
    const versions = [...story.versions.values()].filter(indexable);
    for (const version of versions) alternates.push({ hreflang: version.lang, href: urls.absolute(version.url) });
    const fallback = versions.find((version) => version.lang === config.defaultLanguage) ?? (indexable(story.original) ? story.original : versions[0]);
    if (fallback) alternates.push({ hreflang: "x-default", href: urls.absolute(fallback.url) });
  }

  const section = sectionName(context, article.category, article.lang);
  const keywords = topics.map((topic) => topic.text);
  const jsonLd = newsArticleJsonLd({
    url: urls.absolute(article.url),
    headline: article.title,
    description: article.summary,
    datePublished: article.date,
    dateModified: article.updated,
    inLanguage: article.lang,
    authors: authorPages.map((author) => ({ name: author.name, url: urls.absolute(author.url) })),
    publisher: { name: config.publisher.name, url: config.publisher.url },
    section,
    keywords,
    wordCount: article.wordCount,
    dateline: article.dateline,
    basedOn: article.source,
    translationOf: original ? urls.absolute(original.url) : null,
    translations: [...story.versions.values()].filter((version) => version.translatedFrom === article.lang).map((version) => urls.absolute(version.url)),
  });

  const languages = languageOptions(context, article.lang, (lang) => story.versions.get(lang)?.url ?? null);
  const base = baseView(
    context,
    article.lang,
    {
      title: article.title,
      description: article.summary,
      canonical: canonicalToSource ?? article.url,
      alternates,
      robots: noindex ? "noindex" : null,
      type: "article",
      jsonLd: serializeJsonLd(jsonLd),
      article: {
        publishedTime: article.date,
        ...(article.updated ? { modifiedTime: article.updated } : {}),
        ...(section ? { section } : {}),
        tags: keywords,
      },
    },
    languages,
  );

  const view: ArticleView = {
    title: article.title,
    summary: article.summary,
    bodyHtml: bodyHtml ?? renderArticleBody(article, new URL(config.baseUrl).origin),
    authors,
    dateline: article.dateline,
    published: timeView(article.date, article.lang, context, article.datePrecision),
    updated: article.updated ? timeView(article.updated, article.lang, context, "time") : null,
    readingTime: t("readingTime", { count: article.readingMinutes }),
    section,
    source,
    references: article.references.map((reference) => ({ text: reference.name, href: reference.url })),
    translation,
    topics,
    related,
  };
  return { ...base, kind: "article", article: view };
}
