/**
 * The search index after a delta build's pages (see apply-delta.ts): Pagefind has no incremental
 * mode, so each part of the index (a language, or a slice of one: see output/search-slices.ts)
 * that holds a page which gives Pagefind another input is indexed again whole, its other pages
 * read from the output, exactly as a full build with the cache does it (output/search-reuse.ts
 * decides, from the last index's page hashes, which parts it can keep). Every other part's files
 * stay as they are. Pagefind names its files by their content: the new files are written, the part's old
 * files no longer in the index deleted, and the page state's record of the index is kept up to
 * date in the patched-pages file, for the next delta and the next full build.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { RenderedPage } from "../types.js";
import type { SiteConfig } from "../config/site-config.js";
import { readSearchState, type PatchedPages, type PatchedSearch } from "../cache/page-cache.js";
import { createSearchIndexer } from "../output/search-index.js";
import { reusedEntries, reusedWords, SearchFeeder, type SearchGroup, type SearchGroups } from "../output/search-reuse.js";
import { indexedInput } from "../output/search-vocabulary.js";
import { isSliceGroup, MAIN_BUNDLE, planSearchSlices, searchSlicePages, sliceLanguage, type SearchSlices } from "../output/search-slices.js";
import { hashText } from "../util/hash.js";

export interface SearchPatch {
  /** Index files new or changed: to write. */
  write: RenderedPage[];
  /** Index files no longer in it: to delete. */
  deletes: string[];
  /** The index as it is now, for the patched-pages file. */
  search: PatchedSearch;
  /** The parts indexed again ("de", "de-3"). */
  indexed: string[];
}

/**
 * The index files to write and delete after the pages `changed` (their bytes differ from the
 * output's); null when none of them gives Pagefind another input (the index stays as it is).
 */
export async function reindexSearch(options: { root: string; outDir: string; config: SiteConfig; key: string; patched: PatchedPages; changed: readonly RenderedPage[] }): Promise<SearchPatch | null | { miss: string }> {
  const { root, outDir, config, key, patched, changed } = options;
  // Only article pages are indexed (feeds are not): without one, the state need not be read.
  if (!changed.some((page) => page.outputPath.endsWith(".html"))) return null;
  const state = readSearchState(root, key, patched);
  if (!state?.groups) return { miss: "the search index's state does not read back" };
  const groups = state.groups;
  /** Each article page's part and the hash of what Pagefind read of it, by output path. */
  const pagesByOutput = new Map<string, { group: string; hash: string }>();
  for (const [group, { pages }] of Object.entries(groups)) for (const [, hash, outputPath] of pages) pagesByOutput.set(outputPath, { group, hash });
  const newHtml = new Map<string, string>();
  /** The parts whose pages give Pagefind something else now (a page whose related list changed does not). */
  const changedGroups = new Set<string>();
  for (const page of changed) {
    const last = pagesByOutput.get(page.outputPath);
    if (!last) {
      // Feeds are not indexed; every article page is in the index.
      if (page.outputPath.endsWith(".html")) return { miss: `the search index's state does not hold ${page.outputPath}` };
      continue;
    }
    const html = typeof page.body === "string" ? page.body : Buffer.from(page.body).toString("utf8");
    newHtml.set(page.outputPath, html);
    if (hashText(indexedInput(html)) !== last.hash) changedGroups.add(last.group);
  }
  if (changedGroups.size === 0) return null;

  const slices = sameSlices(groups, searchSlicePages(config.searchSlicePages));
  if (slices === false) return { miss: "the search index's slices changed" };
  const languageOf = (group: string): string => (isSliceGroup(group) ? sliceLanguage(group) : group);
  // A changed page's whole language is fed (its pages held back while they are the last index's):
  // a slice whose words change the language's vocabulary makes every slice of it again.
  const touched = [...new Set([...changedGroups].map(languageOf))].sort();
  const fed = Object.keys(groups)
    .filter((group) => touched.includes(languageOf(group)))
    .sort();
  const total = Object.values(groups).reduce((sum, group) => sum + group.pages.length, 0);
  const indexer = createSearchIndexer(touched, total, slices);
  try {
    const feeder = new SearchFeeder(indexer, groups, outDir, slices);
    for (const group of fed) {
      for (const [href, , outputPath] of groups[group]!.pages) await feeder.page(href, outputPath, languageOf(group), newHtml.get(outputPath) ?? null);
    }
    // The output check (apply-delta.ts) has found every file as the last build wrote it.
    const reused = await feeder.finishArticles(() => true);
    const kept = new Map<string, SearchGroup>([...Object.entries(groups).filter(([group]) => !fed.includes(group)), ...reused]);
    const made = await indexer.finish(reusedEntries(kept), reusedWords(kept));
    const now: SearchGroups = { ...groups, ...feeder.state(made, reused) };
    const indexed = fed.filter((group) => !reused.has(group));

    // The files: those made now; in the bundles not made again, every file as it was; in those
    // made again, the kept parts' files (the main bundle holds several languages' files).
    const remade = new Set(made.map((page) => bundleOfFile(page.outputPath)));
    const keptFiles = new Set([...kept.keys()].flatMap((group) => now[group]!.files));
    const files = [...new Set([...made.map((page) => page.outputPath), ...state.files.filter((file) => !remade.has(bundleOfFile(file)) || keptFiles.has(file))])].sort();
    const inIndex = new Set(files);
    const deletes = state.files.filter((file) => !inIndex.has(file));
    const write: RenderedPage[] = [];
    for (const page of made) {
      const old = await readFile(path.join(outDir, page.outputPath)).catch(() => null);
      if (old === null || !old.equals(typeof page.body === "string" ? Buffer.from(page.body) : page.body)) write.push(page);
    }
    const was = new Set(state.files);
    const added = files.filter((file) => !was.has(file));
    // Only the groups made now: those kept are the state's already.
    return { write, deletes, indexed, search: { groups: { ...patched.search?.groups, ...Object.fromEntries(indexed.map((group) => [group, now[group]!])) }, ...sinceFullBuild(patched.search, deletes, added) } };
  } finally {
    await indexer.close();
  }
}

/**
 * The slices the config makes of the last index's pages, if they are that index's (false when
 * they are not: the slice size was changed, and a full build makes them again); null without slices.
 */
function sameSlices(groups: SearchGroups, slicePages: number): SearchSlices | null | false {
  const names = Object.keys(groups);
  if (slicePages === 0) return names.some(isSliceGroup) ? false : null;
  const pages = Object.entries(groups).flatMap(([group, { pages }]) => pages.map(([href]) => ({ lang: isSliceGroup(group) ? sliceLanguage(group) : group, href, group })));
  const slices = planSearchSlices(pages, slicePages);
  return pages.every(({ lang, href, group }) => slices.groupOf(lang, href) === group) ? slices : false;
}

/** The bundle a file of the index is in: a slice's folder (`pagefind/de-3/`) or the main one. */
function bundleOfFile(file: string): string {
  const folder = /^pagefind\/([^/]+)\//.exec(file)?.[1];
  return folder !== undefined && isSliceGroup(folder) ? `pagefind/${folder}/` : MAIN_BUNDLE;
}

/** The files the delta builds since the last full one deleted and added, with this delta's (an undo cancels out). */
function sinceFullBuild(earlier: PatchedSearch | undefined, deletes: readonly string[], added: readonly string[]): { removed: string[]; added: string[] } {
  const [removedBefore, addedBefore] = [new Set(earlier?.removed), new Set(earlier?.added)];
  const [deletedNow, addedNow] = [new Set(deletes), new Set(added)];
  return {
    removed: [...[...removedBefore].filter((file) => !addedNow.has(file)), ...deletes.filter((file) => !addedBefore.has(file))].sort(),
    added: [...[...addedBefore].filter((file) => !deletedNow.has(file)), ...added.filter((file) => !removedBefore.has(file))].sort(),
  };
}
