import type { Article } from "../types.js";

export interface PublishableOptions {
  /** Include drafts and future-dated articles (`gazette build --drafts`, `gazette dev`). Default false. */
  drafts: boolean;
  /** The build's "now", ms since the epoch: articles dated later are not published yet. */
  buildTime: number;
}

/**
 * The articles a build publishes, hence the only ones related lists may point to: no drafts and nothing
 * dated after the build, unless building drafts. Keeps the input order.
 */
export function selectPublishable<T extends Pick<Article, "draft" | "date">>(articles: readonly T[], options: PublishableOptions): T[] {
  if (options.drafts) return [...articles];
  return articles.filter((article) => !article.draft && !(Date.parse(article.date) > options.buildTime));
}
