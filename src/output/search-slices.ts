/**
 * The search index in slices, for a large site (`searchSlicePages` in gazette.config.yml, 2,000
 * article pages by default). Pagefind indexes ~250 pages a second and has no incremental mode: a
 * language's index is made again whole when one of its pages changes (10,000 German pages:
 * ~40 s). With slices, a language with more article pages than the setting is indexed in
 * slices, each a Pagefind bundle of its own (`pagefind/de-3/`), which its search page merges
 * (Pagefind's `mergeIndex`): an edit indexes one slice again. A page's slice is a hash of its
 * URL, so it stays in its slice from build to build; the number of slices is a power of two, so
 * a language that grows past a limit splits each slice in two. Smaller languages share the one
 * bundle at `pagefind/`, as every language does without slices.
 *
 * Pagefind answers a word an index lacks with looser matches (a shorter word it starts with:
 * "Anleihen" finds "an"), and each slice decides alone: so that a word only some slices hold
 * does not find the others' loose matches, every slice of a language carries the language's
 * vocabulary (search-vocabulary.ts).
 */

import { fnv1a } from "../util/fnv.js";

/** The bundle shared by the languages that are not sliced. */
export const MAIN_BUNDLE = "pagefind/";

export interface SearchSlices {
  /**
   * Which part of the index an article page of `lang` at `href` belongs to: its language group
   * ("de", in the main bundle) or its slice ("de-3", in `pagefind/de-3/`).
   */
  groupOf(lang: string, href: string): string;
  /** The bundle (a folder of the output, ending in "/") of a group. */
  bundleOf(group: string): string;
  /** What the search page of `lang` loads: its bundle, and the bundles it merges into it. */
  bundlesFor(lang: string): { primary: string; merged: string[] };
  /** The slice groups of `lang` ("de-0", "de-3": those its pages fall in), none when it is not sliced. */
  groupsOf(lang: string): string[];
  /** Whether `lang`'s pages are in more than one bundle (its slices then carry its vocabulary: see search-vocabulary.ts). */
  splits(lang: string): boolean;
}

/** The slices for the site's article pages (`lang`: the page's language, `href`: its URL), at most `slicePages` each. */
export function planSearchSlices(pages: Iterable<{ lang: string; href: string }>, slicePages: number): SearchSlices {
  const hrefs = new Map<string, string[]>();
  for (const { lang, href } of pages) {
    const name = primaryLanguage(lang);
    let list = hrefs.get(name);
    if (!list) hrefs.set(name, (list = []));
    list.push(href);
  }
  const counts = new Map<string, number>();
  /** The slices used by each sliced language, in order (a slice no page falls in has no bundle). */
  const used = new Map<string, number[]>();
  for (const [name, list] of hrefs) {
    const count = sliceCount(list.length, slicePages);
    if (count === 1) continue;
    counts.set(name, count);
    used.set(name, [...new Set(list.map((href) => sliceOf(href, count)))].sort((a, b) => a - b));
  }
  const groupOf = (lang: string, href: string): string => {
    const name = primaryLanguage(lang);
    const count = counts.get(name);
    return count === undefined ? name : `${name}-${sliceOf(href, count)}`;
  };
  const bundleOf = (group: string): string => (isSliceGroup(group) ? `pagefind/${group}/` : MAIN_BUNDLE);
  const groupsOf = (lang: string): string[] => {
    const name = primaryLanguage(lang);
    return (used.get(name) ?? []).map((slice) => `${name}-${slice}`);
  };
  return {
    groupOf,
    bundleOf,
    bundlesFor(lang) {
      const [first, ...rest] = groupsOf(lang).map(bundleOf);
      return first === undefined ? { primary: MAIN_BUNDLE, merged: [] } : { primary: first, merged: rest };
    },
    groupsOf,
    splits: (lang) => (used.get(primaryLanguage(lang))?.length ?? 0) > 1,
  };
}

/** Whether a group is a slice of a language (with a bundle of its own) rather than a language of the main bundle. */
export function isSliceGroup(group: string): boolean {
  return /-\d+$/.test(group);
}

/** The language of a slice group ("de-3" -> "de"). */
export function sliceLanguage(group: string): string {
  return group.replace(/-\d+$/, "");
}

/** The number of a slice group ("de-3" -> 3). */
export function sliceNumber(group: string): number {
  return Number(/\d+$/.exec(group)?.[0] ?? 0);
}

/** The smallest power of two that cuts `pages` into slices of at most `slicePages` (1 when they fit in one). */
export function sliceCount(pages: number, slicePages: number): number {
  let count = 1;
  while (pages > count * slicePages) count *= 2;
  return count;
}

/** A page's slice: FNV-1a of its URL, so that it is the same in every build and process. */
export function sliceOf(href: string, count: number): number {
  return fnv1a(href) % count;
}

/** Which part of the index a language's pages go to: one per language, its regional variants with it (whatever Pagefind makes of "pt-BR" beside "pt", one service and one set of slices decide it). */
export function primaryLanguage(lang: string): string {
  return lang.split("-")[0]!.toLowerCase();
}

/** The slice size: `searchSlicePages` from the config, or GAZETTE_SEARCH_SLICE_PAGES when set (tests slice small sites); 0 for none. */
export function searchSlicePages(configured: number, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.GAZETTE_SEARCH_SLICE_PAGES;
  if (fromEnv === undefined || fromEnv === "") return configured;
  const pages = Number(fromEnv);
  return Number.isInteger(pages) && pages >= 0 ? pages : configured;
}
