import type { Translate } from "../i18n/ui-strings.js";

/**
 * What templates receive (`it`). Everything is prepared here: formatted dates, hrefs, labels.
 * Templates only loop and print; they hold no business logic.
 */

export interface LinkView {
  href: string;
  text: string;
}

/** A date ready to print inside `<time datetime="iso">text</time>`. */
export interface TimeView {
  iso: string;
  text: string;
}

export interface LanguageOption {
  lang: string;
  /** The language's name in itself ("Deutsch"). */
  label: string;
  /** Null when this page has no version in the language: shown disabled, never a dead link. */
  href: string | null;
  current: boolean;
  /** Tooltip / accessible description ("Not available in English"). */
  note: string;
}

export interface AlternateLink {
  hreflang: string;
  href: string;
}

/** An article in a listing (front page, topic page, related list). */
export interface CardView {
  title: string;
  href: string;
  summary: string;
  published: TimeView;
  section: string | null;
  /** BCP 47 of the article, set as lang="" on the card when it differs from the page's. */
  lang: string;
  /** Visible marker when the story is shown in another language ("Auf Deutsch"); null otherwise. */
  languageMarker: string | null;
  byline: string;
  readingTime: string;
}

export interface PaginationView {
  label: string;
  /** "Page 2 of 7" */
  status: string;
  previous: LinkView | null;
  next: LinkView | null;
}

export interface HeadView {
  /** Full document title ("Headline – News"). */
  title: string;
  description: string;
  /** Absolute canonical URL. */
  canonical: string;
  alternates: AlternateLink[];
  /** "noindex" for syndicated copies that ask for it; null otherwise. */
  robots: string | null;
  openGraph: { type: "website" | "article"; title: string; description: string; url: string; siteName: string; locale: string; publishedTime?: string; modifiedTime?: string; section?: string; tags?: string[] };
  twitter: { card: "summary"; title: string; description: string };
  /** Serialized JSON-LD, already safe to place inside <script type="application/ld+json">. */
  jsonLd: string | null;
  feeds: { rss: string; atom: string; json: string } | null;
}

export interface SiteView {
  title: string;
  description: string;
  /** Root-relative href of this language's front page. */
  homeHref: string;
  publisher: string;
  /** Copyright year span of the content ("2025"). */
  year: string;
}

export interface NavView {
  home: string;
  topics: string;
  search: string;
  languages: LanguageOption[];
}

export interface BaseView {
  lang: string;
  dir: "ltr" | "rtl";
  t: Translate;
  site: SiteView;
  head: HeadView;
  nav: NavView;
  assets: { css: string };
}

export interface ArticleView {
  title: string;
  summary: string;
  bodyHtml: string;
  /** Authors with links to their pages. */
  authors: LinkView[];
  dateline: string | null;
  published: TimeView;
  updated: TimeView | null;
  readingTime: string;
  section: string | null;
  /** "First published by " + linked name + "." — split so the name can carry the link. */
  source: { before: string; name: string; after: string; href: string | null } | null;
  /** Further sources; not every one has a URL. */
  references: { text: string; href: string | null }[];
  /** "Translated from German." with a link to the original version when it exists. */
  translation: { notice: string; original: { href: string; lang: string } | null } | null;
  topics: LinkView[];
  related: CardView[];
}

export interface ListingView {
  heading: string;
  /** Visually hidden when the heading repeats the site title. */
  headingHidden: boolean;
  intro: string | null;
  cards: CardView[];
  pagination: PaginationView | null;
}

export interface GroupIndexView {
  heading: string;
  groups: { href: string; name: string; count: string }[];
  /** Links to the other kinds of index (topics, authors, sources). */
  siblings: LinkView[];
}

export interface ChooserView {
  heading: string;
  languages: { lang: string; dir: "ltr" | "rtl"; label: string; href: string; title: string; latest: CardView[] }[];
}

export type PageView =
  | (BaseView & { kind: "article"; article: ArticleView })
  | (BaseView & { kind: "listing"; listing: ListingView })
  | (BaseView & { kind: "group-index"; index: GroupIndexView })
  | (BaseView & { kind: "chooser"; chooser: ChooserView })
  | (BaseView & { kind: "search"; search: { heading: string; bundlePath: string; /** Bundles merged into it: the other slices of a language indexed in slices (see output/search-slices.ts). */ mergePaths: string[]; initScript: string } })
  | (BaseView & { kind: "not-found"; notFound: { heading: string; text: string; links: (LinkView & { lang: string })[] } });

export type PageKind = PageView["kind"];
