/**
 * JSON for `<script type="application/ld+json">`: `<`, `>` and `&` become \u escapes, so a title
 * containing `</script>` or `<!--` cannot end the script element; U+2028/2029 are escaped for old parsers.
 */
export function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export interface NewsArticleInput {
  url: string;
  headline: string;
  description: string;
  datePublished: string;
  dateModified: string | null;
  inLanguage: string;
  authors: { name: string; url: string }[];
  publisher: { name: string; url: string };
  section: string | null;
  keywords: string[];
  wordCount: number;
  dateline: string | null;
  /** The outlet the story was first published by. */
  basedOn: { name: string; url: string | null } | null;
  /** URL of the version this one was translated from. */
  translationOf: string | null;
  /** URLs of this version's translations. */
  translations: string[];
}

/** schema.org NewsArticle with the fields Google's article docs name, plus provenance. */
export function newsArticleJsonLd(input: NewsArticleInput): Record<string, unknown> {
  const data: Record<string, unknown> = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "@id": input.url,
    url: input.url,
    mainEntityOfPage: { "@type": "WebPage", "@id": input.url },
    headline: input.headline,
    description: input.description,
    datePublished: input.datePublished,
    dateModified: input.dateModified ?? input.datePublished,
    inLanguage: input.inLanguage,
    publisher: { "@type": "Organization", name: input.publisher.name, url: input.publisher.url },
    wordCount: input.wordCount,
  };
  if (input.authors.length > 0) data.author = input.authors.map((author) => ({ "@type": "Person", name: author.name, url: author.url }));
  else data.author = { "@type": "Organization", name: input.publisher.name, url: input.publisher.url };
  if (input.section) data.articleSection = input.section;
  if (input.keywords.length > 0) data.keywords = input.keywords;
  if (input.dateline) data.contentLocation = { "@type": "Place", name: input.dateline };
  if (input.basedOn) {
    const original: Record<string, unknown> = { "@type": "CreativeWork", publisher: { "@type": "Organization", name: input.basedOn.name } };
    if (input.basedOn.url) original.url = input.basedOn.url;
    data.isBasedOn = original;
  }
  if (input.translationOf) data.translationOfWork = { "@id": input.translationOf };
  if (input.translations.length > 0) data.workTranslation = input.translations.map((url) => ({ "@id": url }));
  return data;
}
