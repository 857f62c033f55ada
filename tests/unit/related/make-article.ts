import type { Article, EntityMention, Tag } from "../../../src/types.js";
import { extractRelatedFeatures, type RelatedDoc } from "../../../src/related/index.js";
import type { RelatedOptions } from "../../../src/related/compute-related.js";
import { defaults } from "../../../src/config/site-config.js";

/** A hand-made Article: only what the related stage reads needs a value. */
export interface ArticleSpec {
  key: string;
  lang?: string;
  title?: string;
  summary?: string;
  body?: string;
  /** ISO date; default 2025-08-01. */
  date?: string;
  /** Tag names; the id is the lowercase name unless given as "id:Name". */
  tags?: string[];
  /** Entity ids with counts, e.g. { "donald-trump": 3 }; names are the ids unless given in `names`. */
  entities?: Record<string, number>;
  names?: Record<string, string>;
  pins?: string[];
  exclude?: string[];
  draft?: boolean;
}

export function makeArticle(spec: ArticleSpec): Article {
  const lang = spec.lang ?? "en";
  const tags: Tag[] = (spec.tags ?? []).map((tag) => {
    const [id, name] = tag.includes(":") ? (tag.split(":") as [string, string]) : [tag.toLowerCase(), tag];
    return { id, name, slug: id };
  });
  const entities: EntityMention[] = Object.entries(spec.entities ?? {}).map(([id, count]) => ({
    id,
    name: spec.names?.[id] ?? id,
    kind: "person",
    count,
  }));
  return {
    id: `${spec.key}/${lang}`,
    storyKey: spec.key,
    lang,
    file: `articles/${spec.key}/${lang}.md`,
    slug: spec.key,
    slugGiven: false,
    url: `/${lang}/${spec.key}/`,
    title: spec.title ?? spec.key,
    date: spec.date ?? "2025-08-01T12:00:00+02:00",
    datePrecision: "time",
    updated: null,
    authors: [],
    source: null,
    references: [],
    tags,
    entities,
    category: null,
    dateline: null,
    summary: spec.summary ?? "",
    body: spec.body ?? "",
    bodyLine: 1,
    passages: [],
    wordCount: 0,
    readingMinutes: 1,
    translatedFrom: null,
    draft: spec.draft ?? false,
    relatedPins: spec.pins ?? [],
    relatedExclude: spec.exclude ?? [],
    seo: null,
    diagnostics: [],
    hash: "",
  };
}

export function makeDocs(specs: readonly ArticleSpec[]): RelatedDoc[] {
  return specs.map((spec) => extractRelatedFeatures(makeArticle(spec)));
}

/** The site defaults (gazette.config.yml without a `related:` key). */
export const DEFAULT_OPTIONS: RelatedOptions = defaults.related;

/** Options with only the named signals weighted (equally). */
export function onlySignals(...signals: Array<keyof RelatedOptions["weights"]>): RelatedOptions {
  const weights = { entities: 0, topics: 0, text: 0, time: 0 };
  for (const signal of signals) weights[signal] = 1;
  return { ...DEFAULT_OPTIONS, threshold: 0.01, weights };
}
