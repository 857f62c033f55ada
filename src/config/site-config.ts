import type { SeoPolicy } from "../types.js";

export interface LanguageConfig {
  /** BCP 47 code (`de`, `pt-BR`): also the URL prefix `/de/`. */
  code: string;
  /** Site title in this language. */
  title: string;
  /** One-line site description for feeds and the home page. */
  description: string;
  /** Locale for dates and numbers (`de-DE`); defaults to the code. */
  locale: string;
  /** Text direction, from the script of the language (ar, he, fa, ur are rtl). */
  dir: "ltr" | "rtl";
}

export interface SectionConfig {
  /** Stable id (`politics`). */
  id: string;
  /** Display name per language; the first language's name is used where one is missing. */
  names: Record<string, string>;
  /** Further labels sources use for it (`Krieg`, `Ausland`), matched case- and accent-insensitively. */
  aliases: string[];
}

export interface RelatedConfig {
  /** How many related articles an article lists. Default 5. */
  limit: number;
  /**
   * Minimum score (0..1) from what two articles share (entities, topics, text) for a candidate to be
   * listed at all; closeness in time orders candidates but never admits one. Default 0.15.
   */
  threshold: number;
  /** Weights of the signals; they are normalized to sum to 1. */
  weights: { entities: number; topics: number; text: number; time: number };
  /** Days after which closeness in time counts half. Default 30. */
  halfLifeDays: number;
}

export interface SiteConfig {
  /** Absolute project root (the folder holding gazette.config.yml). */
  root: string;
  /** Absolute base URL with a trailing slash; its path is the site's subpath. */
  baseUrl: string;
  /** Languages in display order; the first is the default unless `defaultLanguage` says otherwise. */
  languages: LanguageConfig[];
  defaultLanguage: string;
  /** IANA time zone for dates given without an offset. */
  timeZone: string;
  /** Articles per front-page and topic page. */
  perPage: number;
  /** Items per feed. */
  feedSize: number;
  sections: SectionConfig[];
  related: RelatedConfig;
  /** How search engines treat copies of sourced articles: self-canonical, canonical to the source, or noindex. */
  seo: SeoPolicy;
  /** List stories not translated into a language on its pages, in their original language, marked. */
  listUntranslated: boolean;
  publisher: { name: string; url: string };
  /** Build a Pagefind search index and per-language search pages. */
  search: boolean;
  /**
   * Article pages per slice of a language's search index (see output/search-slices.ts); 0: one
   * index per language. Slices make an edit re-index one slice (all of its language's when the
   * edit changes the language's words, which every slice holds: see output/search-vocabulary.ts).
   */
  searchSlicePages: number;
  /** Project-relative folders. */
  paths: { content: string; templates: string; data: string; out: string };
}

export const CONFIG_FILE = "gazette.config.yml";

const RTL_LANGUAGES = new Set(["ar", "he", "fa", "ur", "ps", "sd", "yi", "dv", "ug", "ckb"]);

export function directionOf(code: string): "ltr" | "rtl" {
  return RTL_LANGUAGES.has(code.split("-")[0]!.toLowerCase()) ? "rtl" : "ltr";
}

/** Used for every key the config file leaves out, so a fresh clone builds with no edits. */
export const defaults = {
  baseUrl: "http://localhost:4321/",
  timeZone: "Europe/Berlin",
  perPage: 20,
  feedSize: 50,
  seo: "self",
  listUntranslated: true,
  search: true,
  searchSlicePages: 2000,
  related: {
    limit: 5,
    threshold: 0.15,
    weights: { entities: 0.35, topics: 0.2, text: 0.35, time: 0.1 },
    halfLifeDays: 30,
  },
  paths: { content: "articles", templates: "templates", data: "data", out: "public" },
} satisfies Partial<Omit<SiteConfig, "root">>;
