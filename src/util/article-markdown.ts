/**
 * Where an article's Markdown is kept. Normalizing makes `body`; a build renders each body while
 * loading (see render/article-body.ts), after which its pages need the HTML only. Kept as a
 * string on the main thread, 60,000 bodies were a quarter of a 30,000-story build's memory
 * (UTF-16: news prose has typographic quotes), so a build hands articles on either without the
 * Markdown or with it deflated (`packedBody`: ~1/6 of the bytes), for the persistent cache.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { Article } from "../types.js";

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** An article's Markdown, unpacked if need be; an internal error when the build let go of it. */
export function markdownOf(article: Pick<Article, "file" | "body" | "packedBody">): string {
  if (article.body !== undefined) return article.body;
  if (article.packedBody !== undefined) return fromUtf8.decode(inflateRawSync(article.packedBody));
  throw new Error(`Internal: the Markdown of ${article.file} was dropped, but its body is needed again`);
}

/**
 * Without its Markdown, when nothing after loading can need it: its page HTML is rendered and it
 * has no foreign passages (feeds show bodies without their marks: its page HTML is theirs too).
 */
export function withoutMarkdown(article: Article): Article {
  if (article.passages.length > 0 || article.body === undefined) return article;
  const { body: _markdown, ...rest } = article;
  return rest;
}

/** Without its Markdown in any form, for callers that only report on records (`gazette check`, `list`). */
export function withoutAnyMarkdown(article: Article): Article {
  if (article.body === undefined && article.packedBody === undefined) return article;
  const { body: _markdown, packedBody: _packed, ...rest } = article;
  return rest;
}

/** With its Markdown deflated (level 1: a fraction of the time of parsing it, most of the gain). */
export function withPackedMarkdown(article: Article): Article {
  if (article.body === undefined) return article;
  const { body, ...rest } = article;
  // A copy of exactly its bytes: zlib's result is a view of a 16 KB buffer, all of which would be kept (and posted).
  return { ...rest, packedBody: new Uint8Array(deflateRawSync(utf8.encode(body), { level: 1 })) };
}
