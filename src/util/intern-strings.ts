/**
 * One copy of each repeated string in the loaded articles. Articles reach the main thread as
 * structured clones (from the loading threads, the cache, or this thread's own copied share), and
 * a clone has its own copy of every string: "politics", "Hamburg", "place", each language code and
 * tag slug thousands of times over. At 10,000 stories those copies were 30 MB of the 72 MB of
 * strings held while pages render (heap snapshot). Only fields whose values repeat across
 * articles go through the pool; titles, bodies and URLs are unique and left as they are (but
 * compacted: see compactLatin1).
 */
import { compactLatin1 } from "./text.js";
import type { Article, EntityMention, SourceRef, Tag } from "../types.js";
import type { RelatedDoc } from "../related/extract-features.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class StringPool {
  private readonly strings = new Map<string, string>();
  private readonly tags = new Map<string, Tag>();

  of(text: string): string {
    let pooled = this.strings.get(text);
    if (pooled === undefined) {
      // Keyed by the compact copy too (keys compare by content): `text` is not kept.
      pooled = compactLatin1(text);
      this.strings.set(pooled, pooled);
    }
    return pooled;
  }

  nullable(text: string | null): string | null {
    return text === null ? null : this.of(text);
  }

  all(texts: readonly string[]): string[] {
    return texts.map((text) => this.of(text));
  }

  /** One frozen object per distinct tag, as normalizing makes them within a thread. */
  tag(tag: Tag): Tag {
    const key = `${tag.id}\u0000${tag.name}\u0000${tag.slug}`;
    let pooled = this.tags.get(key);
    if (pooled === undefined) {
      pooled = Object.freeze({ id: this.of(tag.id), name: this.of(tag.name), slug: this.of(tag.slug) });
      this.tags.set(key, pooled);
    }
    return pooled;
  }
}

/**
 * Puts the article's repeated strings, and those of its related-list features, into `pool`, in
 * place: both were cloned for this thread and are not shared yet. Values do not change, only
 * which copy holds them.
 */
export function internArticle(article: Article, features: RelatedDoc | undefined, pool: StringPool): void {
  const target = article as Mutable<Article>;
  // The article's own identifiers, one byte per character (see compactLatin1): pages, routes and caches repeat them.
  target.id = compactLatin1(article.id);
  target.file = compactLatin1(article.file);
  target.url = compactLatin1(article.url);
  target.slug = compactLatin1(article.slug);
  target.hash = compactLatin1(article.hash);
  target.lang = pool.of(article.lang);
  target.storyKey = pool.of(article.storyKey);
  target.datePrecision = pool.of(article.datePrecision) as Article["datePrecision"];
  target.category = pool.nullable(article.category);
  target.dateline = pool.nullable(article.dateline);
  target.translatedFrom = pool.nullable(article.translatedFrom);
  target.authors = pool.all(article.authors);
  target.source = article.source && internSource(article.source, pool);
  target.references = article.references.map((reference) => internSource(reference, pool));
  target.tags = article.tags.map((tag) => pool.tag(tag));
  target.entities = article.entities.map((entity): EntityMention => ({ ...entity, id: pool.of(entity.id), name: pool.of(entity.name), kind: pool.of(entity.kind) as EntityMention["kind"] }));
  if (features === undefined) return;
  const doc = features as Mutable<RelatedDoc>;
  // The same values as the article's own: its copies serve both.
  if (doc.id === article.id) doc.id = article.id;
  if (doc.storyKey === target.storyKey) doc.storyKey = target.storyKey;
  doc.lang = pool.of(doc.lang);
  doc.entities = pool.all(doc.entities);
  doc.entityNames = pool.all(doc.entityNames);
  doc.topics = pool.all(doc.topics);
  doc.topicNames = pool.all(doc.topicNames);
  doc.pins = pool.all(doc.pins);
  doc.exclude = pool.all(doc.exclude);
}

function internSource(source: SourceRef, pool: StringPool): SourceRef {
  return { name: pool.of(source.name), url: pool.nullable(source.url) };
}
