/**
 * The checks across articles, apart from normalizing each file (index.ts): a build whose records all
 * come from the cache runs these without loading the normalizer.
 */
import type { Article, Diagnostic } from "../types.js";
import type { DiagnosticSink } from "../errors/diagnostics.js";
import { MetadataError } from "../errors/site-error.js";

/**
 * The checks that need every article (two versions of a story in one language, URL clashes,
 * dangling references, sections inherited by translations). Input in path order.
 */
export function checkAcrossArticles(articles: Article[], sink: DiagnosticSink): Article[] {
  const byId = new Map<string, Article>();
  const storyKeys = new Set(articles.map((article) => article.storyKey));
  const rejected = new Set<Article>();

  for (const article of articles) {
    const twin = byId.get(article.id);
    if (twin) {
      sink.error(
        new MetadataError(`the story "${article.storyKey}" has two ${article.lang} versions: ${twin.file} and ${article.file}.`, {
          location: { file: article.file, line: 1 },
          hint: "Keep one file per language in a story folder, or correct the language of one of them.",
        }),
      );
      rejected.add(article);
      continue;
    }
    byId.set(article.id, article);
  }
  const moved = assignUrls(articles.filter((article) => !rejected.has(article)), sink, rejected);
  // A translation without a section takes its story's: the section is a property of the story.
  const storySection = new Map<string, string>();
  for (const article of articles) {
    if (article.category && !rejected.has(article) && (!storySection.has(article.storyKey) || article.translatedFrom === null)) storySection.set(article.storyKey, article.category);
  }

  const result: Article[] = [];
  for (const loaded of articles) {
    if (rejected.has(loaded)) continue;
    const original = moved.get(loaded) ?? loaded;
    const inherited = original.category === null ? storySection.get(original.storyKey) : undefined;
    const article = inherited ? { ...original, category: inherited } : original; // for the checks below
    const warnings: Diagnostic[] = [];
    if (article.translatedFrom && !byId.has(`${article.storyKey}/${article.translatedFrom}`)) {
      warnings.push({
        severity: "warning",
        message: `"translated_from" is ${article.translatedFrom}, but the story has no ${article.translatedFrom} version.`,
        location: { file: article.file, line: 1 },
        hint: `Add ${article.storyKey}/${article.translatedFrom}.md, or check the language.`,
      });
    }
    for (const key of [...article.relatedPins, ...article.relatedExclude]) {
      if (!storyKeys.has(key)) {
        warnings.push({
          severity: "warning",
          message: `"related" names the story "${key}", which does not exist.`,
          location: { file: article.file, line: 1 },
          hint: "Use a folder name from the content folder.",
        });
      }
    }
    sink.warnings.push(...warnings);
    result.push(warnings.length === 0 && !inherited ? original : derived(original, inherited, warnings));
  }
  return result;
}

/**
 * What the checks across articles read of each article, but its URL, slug and date (the date only
 * orders the articles whose made-up slugs clash). While an edit leaves this the same for every
 * article, and the edited one's URL and date too or its URL is its own alone (see
 * `urlMovesAlone`), the checks come out the same for all of them (`reapplyAcrossArticles`).
 */
export function acrossArticlesKey(article: Article): string {
  return JSON.stringify([
    article.id,
    article.storyKey,
    article.lang,
    article.slugGiven,
    article.category,
    article.translatedFrom,
    article.relatedPins,
    article.relatedExclude,
  ]);
}

/**
 * `gazette dev` after an edit that left `acrossArticlesKey` unchanged: the checks across articles
 * would add to `next` exactly what they added to `previous` (the same URL, the same inherited
 * section, the same warnings), so this applies that to `next` without going over every article.
 * An edit that moved the article's URL (a title its slug is made from) keeps that URL: the caller
 * has found that the checks would give it (see `urlMovesAlone`), and what else they add does not
 * depend on it.
 */
export function reapplyAcrossArticles(next: Article, previous: { raw: Article; checked: Article }): Article {
  const { raw, checked } = previous;
  if (acrossArticlesKey(next) !== acrossArticlesKey(raw)) throw new Error("Internal: reapplyAcrossArticles needs an unchanged acrossArticlesKey.");
  const moved = next.url !== raw.url || next.slug !== raw.slug;
  if (moved && checked.url !== raw.url) throw new Error("Internal: a relocated article's URL is the checks' to move.");
  if (checked === raw) return next;
  const added = checked.diagnostics.slice(raw.diagnostics.length);
  return { ...next, ...(moved ? {} : { slug: checked.slug, url: checked.url }), category: checked.category, ...(added.length > 0 ? { diagnostics: [...next.diagnostics, ...added] } : {}) };
}

/**
 * Whether `next`, the edited record of the article `previous` was, gets its own URL from the checks
 * across articles with every other article's as it was (`others`: each one's record before and
 * after the checks), whatever its date. Not when `previous` had been relocated, nor when another
 * article holds or wants either URL, nor when either could be one of a relocated article's
 * candidates (which take the first free one: see `assignUrls`).
 */
export function urlMovesAlone(next: Article, previous: { raw: Article; checked: Article }, others: Iterable<{ raw: Article; checked: Article }>): boolean {
  if (previous.checked.url !== previous.raw.url) return false;
  const urls = [previous.raw.url, next.url];
  for (const other of others) {
    if (other === previous) continue;
    const { raw, checked } = other;
    if (urls.includes(raw.url) || urls.includes(checked.url)) return false;
    if (checked.url !== raw.url && urls.some((url) => url.startsWith(`/${raw.lang}/${raw.slug}-`))) return false;
  }
  return true;
}

/**
 * One URL per article. A slug written in the frontmatter is the editor's choice: a clash with it
 * is an error naming both files. A slug made from the title yields: archives repeat headlines
 * ("Live-Ticker", "Das Wetter"), so the earlier article keeps the plain slug and a later one gets
 * its date appended (then its story key), with a warning. Earliest first, so adding a new article
 * never moves an old one's URL.
 */
function assignUrls(articles: Article[], sink: DiagnosticSink, rejected: Set<Article>): Map<Article, Article> {
  const taken = new Map<string, Article>();
  const moved = new Map<Article, Article>();
  for (const article of articles) {
    if (!article.slugGiven) continue;
    const clash = taken.get(article.url);
    if (clash) {
      sink.error(
        new MetadataError(`the slug "${article.slug}" is already used by ${clash.file}; both would be published at ${article.url}.`, {
          location: { file: article.file, line: 1 },
          hint: "Give one of them a different `slug:`.",
        }),
      );
      rejected.add(article);
      continue;
    }
    taken.set(article.url, article);
  }
  const derived = articles
    .filter((article) => !article.slugGiven)
    .sort((a, b) => Date.parse(a.date) - Date.parse(b.date) || compareText(a.storyKey, b.storyKey) || compareText(a.lang, b.lang));
  for (const article of derived) {
    const clash = taken.get(article.url);
    if (!clash) {
      taken.set(article.url, article);
      continue;
    }
    const prefix = `/${article.lang}/`;
    const candidates = [`${article.slug}-${article.date.slice(0, 10)}`, `${article.slug}-${article.storyKey.toLowerCase()}`];
    const slug = candidates.find((candidate) => !taken.has(`${prefix}${candidate}/`)) ?? `${article.slug}-${article.storyKey.toLowerCase()}-${article.date.slice(0, 10)}`;
    const url = `${prefix}${slug}/`;
    const warning: Diagnostic = {
      severity: "warning",
      message: `the slug "${article.slug}" is already used by ${clash.file}; this article is published at ${url}.`,
      location: { file: article.file, line: 1 },
      hint: "Add a `slug:` to choose its URL.",
    };
    sink.warnings.push(warning);
    let relocated = relocatedRecords.get(article);
    if (relocated?.url !== url || relocated.diagnostics.at(-1)?.message !== warning.message) {
      relocated = { ...article, slug, url, diagnostics: [...article.diagnostics, warning] };
      relocatedRecords.set(article, relocated);
    }
    moved.set(article, relocated);
    taken.set(url, relocated);
  }
  return moved;
}

/** Relocated records, reused while their URL stays (identity matters to `gazette dev`'s caches). */
const relocatedRecords = new WeakMap<Article, Article>();

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Derived records are reused while what they add is the same, so that an unchanged article keeps
 * its identity across `gazette dev` rebuilds (caches downstream are keyed by the object).
 */
const derivedRecords = new WeakMap<Article, { key: string; article: Article }>();

function derived(original: Article, inherited: string | undefined, warnings: Diagnostic[]): Article {
  const key = JSON.stringify([inherited ?? null, warnings]);
  const known = derivedRecords.get(original);
  if (known?.key === key) return known.article;
  const article: Article = {
    ...original,
    ...(inherited ? { category: inherited } : {}),
    ...(warnings.length > 0 ? { diagnostics: [...original.diagnostics, ...warnings] } : {}),
  };
  derivedRecords.set(original, { key, article });
  return article;
}
