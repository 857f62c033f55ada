/**
 * An article's body as its page shows it: the Markdown rendered with the article's language, its
 * foreign-language passages marked (lang="…" on their blocks) and the site's origin for telling
 * internal from external links.
 *
 * A pure function of the normalized record and the site origin, so that the content-loading
 * workers can run it while they hold the Markdown (see workers/load-shard.ts), and the page
 * renderer takes their HTML instead of parsing the body again on the main thread.
 */
import type { Article } from "../types.js";
import { markdownOf } from "../util/article-markdown.js";
import { splitBlocks } from "../util/markdown-text.js";
import { renderMarkdown } from "./markdown.js";

export function renderArticleBody(article: Pick<Article, "file" | "body" | "packedBody" | "lang" | "passages">, siteOrigin: string): string {
  const body = markdownOf(article);
  const passages = new Map<string, string>();
  if (article.passages.length > 0) {
    const blocks = splitBlocks(body);
    for (const passage of article.passages) {
      const block = blocks[passage.block];
      if (block) passages.set(block.raw, passage.lang);
    }
  }
  return renderMarkdown(body, { lang: article.lang, passages, siteOrigin }).html;
}
