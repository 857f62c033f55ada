import { availableParallelism } from "node:os";
import type { RenderedPage } from "../types.js";
import { OutputError } from "../errors/site-error.js";
import { wellFormed } from "../util/text.js";
import { isSliceGroup, MAIN_BUNDLE, primaryLanguage, sliceLanguage, sliceNumber, type SearchSlices } from "./search-slices.js";
import { indexedWords, languageWords, vocabularyRecords, withArticleFilter, type SliceWords, type WordsByLanguage } from "./search-vocabulary.js";

/**
 * Pagefind search index built from the rendered article pages, handed over in memory as they are
 * rendered. Its files come back in memory too and go through the same writer, so the search index
 * is part of the atomic swap. Pagefind splits the index by <html lang>: each language's search
 * page finds only its own articles.
 *
 * From SPLIT_MIN_PAGES article pages on, one Pagefind service (a process of its own) per
 * language: Pagefind indexes ~250 pages a second on one core, and each language's index depends
 * on that language's pages alone, so the languages are indexed side by side and their files
 * merged (the same bytes as one service indexing every page: a test compares). A small site
 * keeps one service: each costs its start and sends its own copy of Pagefind's ~700 KB of
 * scripts (five stories: ~0.05 s more with three).
 *
 * A language with many pages is indexed in slices (see search-slices.ts): an index per slice in
 * its language's service, whose files go to the slice's own bundle folder, and each slice of a
 * language in several gets the language's vocabulary (see search-vocabulary.ts).
 */
export interface SearchIndexer {
  add(url: string, html: string): Promise<void>;
  /** The words of the pages added to a slice of a language in several slices, by language code (undefined for other groups). */
  wordsOf(group: string): WordsByLanguage | undefined;
  /**
   * The index files (under pagefind/), after every page was added; `reused`: the entry parts of
   * languages whose files the last build made (see search-reuse.ts), and `reusedWords` the words
   * of the reused slices (their language's vocabulary includes them).
   */
  finish(reused?: Record<string, unknown>, reusedWords?: ReadonlyMap<string, SliceWords>): Promise<RenderedPage[]>;
  close(): Promise<void>;
}

type PagefindModule = typeof import("pagefind");
type PagefindIndex = NonNullable<Awaited<ReturnType<PagefindModule["createIndex"]>>["index"]>;

/** One language's Pagefind service (a process), starting in the background. */
interface Service {
  module: Promise<PagefindModule>;
  /** Its indexes by bundle (MAIN_BUNDLE, or a slice's folder), from each one's first page on. */
  indexes: Map<string, Promise<PagefindIndex>>;
  /** An index started with the service, for its first bundle (null once taken). */
  spare: Promise<PagefindIndex> | null;
  /** Pages added, not answered yet. */
  pending: Promise<unknown>[];
}

/** Services among which a language's slices are shared (the same bytes with any number: each slice is an index of its own). */
const SLICE_SERVICES = Math.max(1, Math.min(4, availableParallelism()));

/** Article pages from which each language gets a Pagefind service of its own (at 1,000 stories, 2,000 pages: a cold build 14.2-17.5 s -> 13.2-14.9 s). */
export const SPLIT_MIN_PAGES = 500;

/**
 * Starts Pagefind in the background and returns at once: the services (the site's `languages`',
 * for a site of `pages` article pages) start while the pages before the articles render; another
 * language's on its first page. A failure to start surfaces at the first `add` (or `finish`).
 */
export function createSearchIndexer(languages: readonly string[] = [], pages = 0, slices: SearchSlices | null = null): SearchIndexer {
  const split = pages >= SPLIT_MIN_PAGES;
  const services = new Map<string, Service>();
  const problems: string[] = [];
  /** Words of the pages of each slice whose language is in several (see search-vocabulary.ts), and the slice's index. */
  const sliceWords = new Map<string, { words: WordsByLanguage; index: Promise<PagefindIndex> }>();
  const serviceFor = (lang: string, group = ""): Service => {
    // A language in slices shares them among a few services, one per core: an edit that changes
    // its words indexes every slice again, which one process would do on one core.
    const key = !split ? "" : isSliceGroup(group) ? `${primaryLanguage(lang)}/${sliceNumber(group) % SLICE_SERVICES}` : primaryLanguage(lang);
    let service = services.get(key);
    if (!service) services.set(key, (service = startService(key)));
    return service;
  };
  for (const lang of split ? languages : languages.slice(0, 1)) {
    const groups = split ? (slices?.groupsOf(lang) ?? []) : [];
    if (groups.length > 0) for (const group of groups) serviceFor(lang, group);
    else serviceFor(lang);
  }
  // The main bundle is made whenever a language's search page loads it, even with none of its
  // pages indexed now (the languages kept from the last build take their files as they were).
  const mainNeeded = !slices || languages.length === 0 || languages.some((lang) => slices.bundlesFor(lang).primary === MAIN_BUNDLE);
  return {
    async add(url, html) {
      const lang = pageLanguage(html);
      const group = slices ? slices.groupOf(lang, url) : "";
      const service = serviceFor(lang, group);
      const pending = indexOf(service, slices ? slices.bundleOf(group) : MAIN_BUNDLE);
      // Pagefind's service dies (an uncaught exception, not a rejection) on a lone UTF-16 surrogate;
      // the page is written as UTF-8, where one becomes U+FFFD anyway.
      let content = wellFormed(html);
      if (slices?.splits(lang)) {
        let slice = sliceWords.get(group);
        if (!slice) sliceWords.set(group, (slice = { words: new Map(), index: pending }));
        // By the code as Pagefind keys its languages (lowercased), which the vocabulary record is given.
        const code = lang.toLowerCase();
        let words = slice.words.get(code);
        if (!words) slice.words.set(code, (words = new Set()));
        indexedWords(content, words);
        content = withArticleFilter(content);
      }
      const index = await pending;
      const added = index.addHTMLFile({ url, content }).then((response) => {
        if (response.errors.length > 0) problems.push(`${url}: ${response.errors.join("; ")}`);
      });
      // A build that fails before `finish` closes Pagefind with requests in flight, which then
      // reject ("backend closed"): handled here, so that they are not unhandled rejections
      // (Node would end the process with a stack trace); `finish` still sees any rejection.
      added.catch(() => undefined);
      service.pending.push(added);
      // Bounded: Pagefind answers over a pipe; thousands of unanswered requests only cost memory.
      if (service.pending.length >= 256) await Promise.all(service.pending.splice(0));
    },
    wordsOf(group) {
      return sliceWords.get(group)?.words;
    },
    async finish(reused = {}, reusedWords = new Map()) {
      const first = services.values().next();
      if (mainNeeded && !first.done && ![...services.values()].some((service) => service.indexes.has(MAIN_BUNDLE))) void indexOf(first.value, MAIN_BUNDLE);
      // Each slice indexed now gets its language's vocabulary, the reused slices' words included, after its pages.
      const vocabularies = new Map<string, Map<string, string>>();
      const recordsOf = (language: string): Map<string, string> => {
        let records = vocabularies.get(language);
        if (!records) {
          const slicesOf = (groups: Iterable<[string, SliceWords]>) => [...groups].filter(([group]) => sliceLanguage(group) === language).map(([, words]) => words);
          records = vocabularyRecords(languageWords([...slicesOf([...sliceWords].map(([group, slice]) => [group, slice.words])), ...slicesOf(reusedWords)]));
          vocabularies.set(language, records);
        }
        return records;
      };
      const addVocabulary = async (group: string, index: PagefindIndex): Promise<void> => {
        for (const [language, content] of recordsOf(sliceLanguage(group))) {
          const response = await index.addCustomRecord({ url: `/${slices!.bundleOf(group)}vocabulary`, content, language });
          if (response.errors.length > 0) problems.push(`the vocabulary of ${group}: ${response.errors.join("; ")}`);
        }
      };
      const made = await Promise.all(
        [...services.values()].map(async (service) => {
          const indexes = await Promise.all([...service.indexes].map(async ([bundle, index]) => [bundle, await index] as const));
          await Promise.all(service.pending.splice(0));
          // After the slice's pages have been answered: the same place in its index in every build.
          const own = new Set(service.indexes.values());
          for (const [group, slice] of sliceWords) if (own.has(slice.index)) await addVocabulary(group, await slice.index);
          if (problems.length > 0) return [];
          return Promise.all(
            indexes.map(async ([bundle, index]) => {
              // getFiles, not writeFiles: Pagefind answers a writeFiles before its files are all on disk
              // (read back at once, pagefind-entry.json was sometimes empty).
              const { errors, files } = await index.getFiles();
              if (errors.length > 0) throw new OutputError(`the search index could not be written: ${errors.join("; ")}.`);
              return { bundle, files };
            }),
          );
        }),
      );
      if (problems.length > 0) throw new OutputError(`the search indexer rejected ${problems.length} page(s): ${problems.slice(0, 3).join(" | ")}.`);
      const bundles = new Map<string, { path: string; content: Uint8Array }[][]>();
      for (const { bundle, files } of made.flat()) bundles.set(bundle, [...(bundles.get(bundle) ?? []), files]);
      // The main bundle takes the entry parts of the languages kept from the last build; a slice's bundle is all its own.
      const pages = [...bundles].flatMap(([bundle, each]) => mergeIndexFiles(bundle, each, bundle === MAIN_BUNDLE ? reused : {}));
      return pages.sort((a, b) => (a.outputPath < b.outputPath ? -1 : 1));
    },
    async close() {
      await Promise.all(
        [...services.values()].map(async (service) => {
          await Promise.all([...service.indexes.values(), service.spare].map((index) => index?.catch(() => {})));
          await (await service.module.catch(() => null))?.close();
        }),
      );
    },
  };
}

/** The service's index for a bundle: the one started with the service for its first bundle, a new one for each other. */
function indexOf(service: Service, bundle: string): Promise<PagefindIndex> {
  let index = service.indexes.get(bundle);
  if (!index) {
    index = service.spare ?? newIndex(service.module);
    service.spare = null;
    service.indexes.set(bundle, index);
  }
  return index;
}

function startService(lang: string): Service {
  // A module instance of its own per language (the query makes one): each keeps its own service process.
  const module = (async () => {
    try {
      return (await import(`${import.meta.resolve("pagefind")}?language=${encodeURIComponent(lang)}`)) as PagefindModule;
    } catch (cause) {
      throw new OutputError("the search indexer (Pagefind) is not installed.", { hint: "Run npm ci, or set `search: false` in gazette.config.yml.", cause });
    }
  })();
  module.catch(() => {}); // reported where it is awaited, not as an unhandled rejection
  // The process and a first index start now, while the pages before the articles render.
  return { module, indexes: new Map(), spare: newIndex(module), pending: [] };
}

function newIndex(module: Promise<PagefindModule>): Promise<PagefindIndex> {
  const index = module.then(async (pagefind) => {
    const created = await pagefind.createIndex({ keepIndexUrl: false });
    if (!created.index) throw new OutputError(`the search indexer (Pagefind) did not start: ${created.errors.join("; ")}.`, { hint: "Set `search: false` in gazette.config.yml to build without search." });
    return created.index;
  });
  index.catch(() => {}); // reported where it is awaited, not as an unhandled rejection
  return index;
}

/** The page's `<html lang>`, as Pagefind reads it ("" without one). */
export function pageLanguage(html: string): string {
  return /<html\b[^>]*?\slang="([^"]*)"/i.exec(html.slice(0, 2000))?.[1] ?? "";
}


/**
 * The services' files as one index: each language's files are its own; the shared ones (the
 * scripts, the WebAssembly) come out the same from every service, and pagefind-entry.json lists
 * every language, in order, so that the same site gives the same bytes. A file two services made
 * differently is an error rather than a guess.
 */
function mergeIndexFiles(bundle: string, each: readonly { path: string; content: Uint8Array }[][], reused: Record<string, unknown>): RenderedPage[] {
  const merged = new Map<string, Uint8Array>();
  let entry = null as { languages?: Record<string, unknown> } | null;
  for (const files of each) {
    for (const file of files) {
      const outputPath = `${bundle}${file.path.replace(/^\/+/, "")}`;
      if (outputPath === `${bundle}pagefind-entry.json`) {
        const part = JSON.parse(Buffer.from(file.content).toString("utf8")) as { languages?: Record<string, unknown> };
        if (entry && JSON.stringify({ ...entry, languages: null }) !== JSON.stringify({ ...part, languages: null })) throw new OutputError("the search index's services disagree on pagefind-entry.json.");
        entry = { ...part, languages: { ...entry?.languages, ...part.languages } };
        continue;
      }
      const known = merged.get(outputPath);
      if (known && !Buffer.from(known).equals(Buffer.from(file.content))) throw new OutputError(`the search index's services made ${outputPath} differently.`);
      merged.set(outputPath, file.content);
    }
  }
  const pages: RenderedPage[] = [...merged].map(([outputPath, body]) => ({ outputPath, body }));
  // Languages not indexed now (their files are the last build's) are listed as it listed them.
  if (entry) pages.push({ outputPath: `${bundle}pagefind-entry.json`, body: sortEntryLanguages({ ...entry, languages: { ...entry.languages, ...reused } }) });
  return pages;
}

/**
 * Pagefind lists the languages of pagefind-entry.json in hash-map order, which changes from run to
 * run: sorted, the same site gives the same bytes. Input/Output: {"languages":{"fr":…,"de":…}} -> {"languages":{"de":…,"fr":…}}
 */
function sortEntryLanguages(entry: { languages?: Record<string, unknown> }): Uint8Array {
  const sorted = entry.languages ? { ...entry, languages: Object.fromEntries(Object.entries(entry.languages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) } : entry;
  return Buffer.from(JSON.stringify(sorted));
}
