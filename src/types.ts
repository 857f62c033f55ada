/**
 * The contracts between pipeline stages. Every stage takes one of these and returns the next;
 * nothing unvalidated reaches the renderer, because raw and normalized records are different types.
 *
 *   content/   -> SourceArticle[]       (exactly as read)
 *   normalize/ -> Article[]             (canonical, readonly, JSON-serializable)
 *   i18n/      -> SiteIndex             (stories, languages, listings)
 *   related/   -> RelatedMap
 *   render/    -> RenderedPage[]
 *   output/    -> files on disk or in memory
 */

/** Project-relative path with POSIX separators, plus 1-based line/column when known. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface Diagnostic {
  severity: "warning";
  message: string;
  location?: SourceLocation;
  hint?: string;
}

/** One Markdown file of a story bundle, exactly as read from disk. */
export interface SourceArticle {
  /** `articles/<story-key>/<name>.md`, project-relative. */
  file: string;
  /** The story bundle folder name: groups the language versions of one story. */
  storyKey: string;
  /** File name without `.md` (`de`, `pt-BR`, `index.fr`, `index`): may name the language. */
  fileStem: string;
  /** Frontmatter as parsed (plain numbers keep their source text, so `010` stays "010"). */
  frontmatter: Record<string, unknown>;
  /** 1-based line of each top-level frontmatter key, for error locations. */
  keyLines: Record<string, number>;
  /** Markdown after the frontmatter, untouched. */
  body: string;
  /** 1-based line where the body starts. */
  bodyLine: number;
  /** Content hash of the raw file (for caches and incremental rebuilds). */
  hash: string;
  /** The file's size, times and inode when it was read (see `statKey`): the build cache trusts an unchanged one. */
  stat: string;
}

export interface Tag {
  /** Language-independent identity: an entity id, or the folded tag text. */
  id: string;
  /** Display name in the article's language. */
  name: string;
  /** URL segment, stable for a given name. */
  slug: string;
}

export interface EntityMention {
  /** Canonical entity id from the alias table (`vladimir-putin`). */
  id: string;
  /** Canonical spelling in the article's language. */
  name: string;
  kind: EntityKind;
  /** Occurrences in title, tags and body. */
  count: number;
}

export type EntityKind = "person" | "place" | "organisation" | "topic";

/** One entry of data/entities.yml. */
export interface EntityDefinition {
  id: string;
  kind: EntityKind;
  /** Canonical spelling per language (`de: Wolodymyr Selenskyj`, `en: Volodymyr Zelensky`). */
  names: Record<string, string>;
  /** Further spellings found in sources (`Selensky`, `Zelenskyy`, `Selenskyj`). */
  aliases: string[];
  /**
   * Spellings that count only as written, capitals and accents included: names that are also
   * common words (`Politico` is not the French "politico-diplomatique"). They are aliases too, and
   * any name or alias with the same folded spelling is matched as written as well.
   */
  exact?: string[];
}


export interface SourceRef {
  name: string;
  url: string | null;
}

/** A paragraph written in another language than its article (WCAG 3.1.2, Language of Parts). */
export interface ForeignPassage {
  /** 0-based index among the body's top-level blocks (paragraphs, headings, list items are one block each list). */
  block: number;
  lang: string;
  confidence: number;
}

export type SeoPolicy = "self" | "source" | "noindex";

/** A normalized language version of a story. Made only by `normalize/`. */
export interface Article {
  /** `<storyKey>/<lang>`: unique across the site. */
  readonly id: string;
  readonly storyKey: string;
  /** BCP 47 (`de`, `pt-BR`). */
  readonly lang: string;
  readonly file: string;
  readonly slug: string;
  /** The slug was written in the frontmatter (a clash is then an error), not made from the title. */
  readonly slugGiven: boolean;
  /** Site-relative URL with trailing slash (`/de/trump-und-putin/`). */
  readonly url: string;
  readonly title: string;
  /** ISO 8601 with offset. */
  readonly date: string;
  /** How exact `date` is: sources without a date get one inferred to the day or month. */
  readonly datePrecision: "time" | "day" | "month";
  readonly updated: string | null;
  readonly authors: readonly string[];
  readonly source: SourceRef | null;
  readonly references: readonly SourceRef[];
  readonly tags: readonly Tag[];
  readonly entities: readonly EntityMention[];
  /** Section id from the site config (`politics`), or null. */
  readonly category: string | null;
  /** Dateline in proper case (`München`). */
  readonly dateline: string | null;
  readonly summary: string;
  /**
   * Cleaned Markdown body. Absent only in `gazette build`, after the loading threads rendered
   * the page's HTML (see util/article-markdown.ts): then either not needed any more, or kept as
   * `packedBody`. Read it with `markdownOf`.
   */
  readonly body?: string;
  /**
   * The body as deflated UTF-8, instead of `body` (see util/article-markdown.ts). Read from the
   * cache, it views a buffer shared with its shard's other articles: never transfer it.
   */
  readonly packedBody?: Uint8Array;
  readonly bodyLine: number;
  readonly passages: readonly ForeignPassage[];
  readonly wordCount: number;
  readonly readingMinutes: number;
  readonly translatedFrom: string | null;
  readonly draft: boolean;
  /** Story keys pinned to the top of the related list, and story keys never to show. */
  readonly relatedPins: readonly string[];
  readonly relatedExclude: readonly string[];
  /** How search engines should treat a copy of a sourced article (null: the site default). */
  readonly seo: SeoPolicy | null;
  /** Warnings raised while normalizing this article. */
  readonly diagnostics: readonly Diagnostic[];
  /** Content hash of the source file. */
  readonly hash: string;
}

/** One signal's share of a related-article score, with what produced it (for `gazette related`). */
export interface RelatedReason {
  signal: "entities" | "topics" | "text" | "time" | "pinned";
  /** Contribution to the final score (weighted). */
  score: number;
  /** What was shared: entity names, topic names, stemmed terms, or "3 days apart". */
  details: string[];
}

export interface RelatedEntry {
  /** Article id of the related version (`<storyKey>/<lang>`). */
  id: string;
  score: number;
  reasons: RelatedReason[];
  /** Set when the entry is a version in another language, filling a short own-language list. */
  fallbackLang?: string;
  /** Pinned by the editor (`related:` in frontmatter): listed first, whatever its score. */
  pinned?: boolean;
}

/** Article id -> its related list, best first. */
export type RelatedMap = ReadonlyMap<string, readonly RelatedEntry[]>;

/** What a page shows; the renderer builds its view from this and the SiteIndex. */
export type RouteParams =
  | { kind: "article"; id: string }
  | { kind: "front"; lang: string; page: number; pages: number }
  | { kind: "group"; lang: string; group: "topic" | "author" | "source"; slug: string; page: number; pages: number }
  | { kind: "group-index"; lang: string; group: "topic" | "author" | "source" }
  | { kind: "chooser" }
  | { kind: "search"; lang: string }
  | { kind: "not-found" }
  | { kind: "feed"; lang: string; format: "rss" | "atom" | "json" }
  | { kind: "sitemap" }
  | { kind: "news-sitemap" }
  | { kind: "robots" }
  | { kind: "asset"; name: string };

export interface Route {
  /** Site-relative URL ("/de/slug/"). */
  url: string;
  /** Relative to the output folder, POSIX ("de/slug/index.html"). */
  outputPath: string;
  params: RouteParams;
  /** The content file that asked for this page, for collision errors. */
  source?: SourceLocation;
}

export interface RenderedPage {
  outputPath: string;
  body: string | Uint8Array;
  /** The body's bytes were made for this file alone (a sitemap part): the writer may move them to its thread, leaving them empty here. */
  movable?: boolean;
}
