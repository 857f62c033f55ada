import type { Article, Diagnostic, SourceArticle } from "../types.js";
import type { DiagnosticSink } from "../errors/diagnostics.js";
import { MetadataError } from "../errors/site-error.js";
import { normalizeArticle, type NormalizeContext } from "./normalize-article.js";

/** What normalizing one file gives: an article (with its warnings), or errors, or a skip warning. */
export type NormalizeOutcome = ReturnType<typeof normalizeArticle>;

export type { NormalizeContext } from "./normalize-article.js";

/**
 * SourceArticle[] -> Article[]: every file normalized, then the checks that need several files
 * (two versions of a story in one language, two articles with one URL, dangling references).
 * Errors and warnings go to `sink`; the result holds only articles that normalized cleanly.
 */
export function normalizeArticles(
  sources: readonly SourceArticle[],
  context: NormalizeContext,
  sink: DiagnosticSink,
  /** Outcomes of sources normalized before with the same context (`gazette dev`): reused, not redone. */
  cache?: WeakMap<SourceArticle, NormalizeOutcome>,
): Article[] {
  const articles: Article[] = [];
  for (const source of sources) {
    let outcome = cache?.get(source);
    if (outcome === undefined) {
      outcome = normalizeArticle(source, context);
      cache?.set(source, outcome);
    }
    for (const error of outcome.errors) sink.error(error);
    if (outcome.article) {
      for (const warning of outcome.article.diagnostics) sink.warnings.push(warning);
      articles.push(outcome.article);
    } else if ("skipped" in outcome && outcome.skipped) {
      sink.warnings.push(outcome.skipped);
    }
  }
  return checkAcrossArticles(articles, sink);
}

function checkAcrossArticles(articles: Article[], sink: DiagnosticSink): Article[] {
  const byId = new Map<string, Article>();
  const byUrl = new Map<string, Article>();
  const storyKeys = new Set(articles.map((article) => article.storyKey));
  const rejected = new Set<Article>();

  for (const article of articles) {
    const twin = byId.get(article.id);
    if (twin) {
      sink.error(
        new MetadataError(`the story "${article.storyKey}" has two ${article.lang} versions: ${twin.file} and ${article.file}.`, {
          location: { file: article.file, line: 1 },
          hint: "Keep one file per language in a story folder, or correct the language of one of them.",
        }),
      );
      rejected.add(article);
      continue;
    }
    byId.set(article.id, article);
    const clash = byUrl.get(article.url);
    if (clash) {
      sink.error(
        new MetadataError(`the slug "${article.slug}" is already used by ${clash.file}; both would be published at ${article.url}.`, {
          location: { file: article.file, line: 1 },
          hint: "Give one of them a different title or a `slug:` of its own.",
        }),
      );
      rejected.add(article);
      continue;
    }
    byUrl.set(article.url, article);
  }

  // A translation without a section takes its story's: the section is a property of the story.
  const storySection = new Map<string, string>();
  for (const article of articles) {
    if (article.category && !rejected.has(article) && (!storySection.has(article.storyKey) || article.translatedFrom === null)) storySection.set(article.storyKey, article.category);
  }

  const result: Article[] = [];
  for (const original of articles) {
    if (rejected.has(original)) continue;
    const inherited = original.category === null ? storySection.get(original.storyKey) : undefined;
    const article = inherited ? { ...original, category: inherited } : original;
    const warnings: Diagnostic[] = [];
    if (article.translatedFrom && !byId.has(`${article.storyKey}/${article.translatedFrom}`)) {
      warnings.push({
        severity: "warning",
        message: `"translated_from" is ${article.translatedFrom}, but the story has no ${article.translatedFrom} version.`,
        location: { file: article.file, line: 1 },
        hint: `Add ${article.storyKey}/${article.translatedFrom}.md, or check the language.`,
      });
    }
    for (const key of [...article.relatedPins, ...article.relatedExclude]) {
      if (!storyKeys.has(key)) {
        warnings.push({
          severity: "warning",
          message: `"related" names the story "${key}", which does not exist.`,
          location: { file: article.file, line: 1 },
          hint: "Use a folder name from the content folder.",
        });
      }
    }
    sink.warnings.push(...warnings);
    result.push(warnings.length === 0 ? article : { ...article, diagnostics: [...article.diagnostics, ...warnings] });
  }
  return result;
}
