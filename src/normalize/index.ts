import type { Article, SourceArticle } from "../types.js";
import type { DiagnosticSink } from "../errors/diagnostics.js";
import { normalizeArticle, type NormalizeContext } from "./normalize-article.js";
import { checkAcrossArticles } from "./check-across.js";

export { acrossArticlesKey, checkAcrossArticles, reapplyAcrossArticles, urlMovesAlone } from "./check-across.js";

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
  return checkAcrossArticles(normalizeEach(sources, context, sink, cache), sink);
}

/** Each file on its own (what build workers run on their share of the files); no cross-file checks. */
export function normalizeEach(
  sources: readonly SourceArticle[],
  context: NormalizeContext,
  sink: DiagnosticSink,
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
  return articles;
}
