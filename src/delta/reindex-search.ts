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
import { SiteUrls } from "../i18n/urls.js";

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
export async function reindexSearch(options: {
  root: string;
  outDir: string;
  config: SiteConfig;
  key: string;
  patched: PatchedPages;
  changed: readonly RenderedPage[];
  /** Pages that move: from the output path they have now to their new one and URL (see move-pages.ts). */
  moves?: readonly SearchMove[];
  /** Every article page's place in route order (the order a full build feeds them in), by output path now and after the moves. */
  routeOrder?: () => ReadonlyMap<string, number>;
}): Promise<SearchPatch | null | { miss: string }> {
  const { root, outDir, config, key, patched, changed } = options;
  // Only article pages are indexed (feeds are not): without one, the state need not be read.
  if (!changed.some((page) => page.outputPath.endsWith(".html"))) return null;
  const state = readSearchState(root, key, patched);
  if (!state?.groups) return { miss: "the search index's state does not read back" };
  const slices = sameSlices(state.groups, searchSlicePages(config.searchSlicePages));
  if (slices === false) return { miss: "the search index's slices changed" };
  /** The parts whose pages give Pagefind something else now (a page whose related list changed does not). */
  const changedGroups = new Set<string>();
  const withMoves = options.moves?.length ? movedPages(state.groups, options.moves, slices, new SiteUrls(config.baseUrl, new Map()), options.routeOrder!, changedGroups) : { groups: state.groups };
  if ("miss" in withMoves) return withMoves;
  const { groups } = withMoves;
  /** Each article page's part and the hash of what Pagefind read of it, by output path. */
  const pagesByOutput = new Map<string, { group: string; hash: string }>();
  for (const [group, { pages }] of Object.entries(groups)) for (const [, hash, outputPath] of pages) pagesByOutput.set(outputPath, { group, hash });
  const newHtml = new Map<string, string>();
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
  // A changed page's whole language is fed (its pages held back while they are the last index's):
  // a slice whose words change the language's vocabulary makes every slice of it again.
  const touched = [...new Set([...changedGroups].map(languageOf))].sort();
  const fed = Object.keys(groups)
    .filter((group) => touched.includes(languageOf(group)))
    .sort();
  const total = Object.values(groups).reduce((sum, group) => sum + group.pages.length, 0);
  const indexer = createSearchIndexer(touched, total, slices);
  try {
    // Against the parts as the index has them: one a page left or joined is not the same.
    const feeder = new SearchFeeder(indexer, state.groups, outDir, slices);
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

/** A page that moves, for the index: where it is now and where it goes (output paths), and its new URL. */
export interface SearchMove {
  now: string;
  next: string;
  url: string;
}

const languageOf = (group: string): string => (isSliceGroup(group) ? sliceLanguage(group) : group);

/**
 * The index's parts with the moved pages at their new URL: in their part, in place, or (in slices,
 * which a page's URL decides) out of it and into the one of its new URL, where route order puts
 * it, as a full build would feed it. Both parts are indexed again (`changedGroups`). A miss when a
 * move would empty a slice or begin one: the search pages list the slices they merge.
 */
function movedPages(
  groups: SearchGroups,
  moves: readonly SearchMove[],
  slices: SearchSlices | null,
  urls: SiteUrls,
  routeOrder: () => ReadonlyMap<string, number>,
  changedGroups: Set<string>,
): { groups: SearchGroups } | { miss: string } {
  const moved: SearchGroups = { ...groups };
  const pagesOf = (group: string) => (moved[group] = { ...moved[group]!, pages: [...moved[group]!.pages] }).pages;
  for (const move of moves) {
    const from = Object.keys(moved).find((group) => moved[group]!.pages.some(([, , outputPath]) => outputPath === move.now));
    if (from === undefined) return { miss: `the search index's state does not hold ${move.now}` };
    const href = urls.href(move.url);
    const to = slices ? slices.groupOf(languageOf(from), href) : from;
    if (!moved[to]) return { miss: "the search index's slices changed" };
    const leaving = pagesOf(from);
    const at = leaving.findIndex(([, , outputPath]) => outputPath === move.now);
    // The hash is the page's last: the page changed, so its part is indexed again whatever it is.
    const entry: [string, string, string] = [href, leaving[at]![1], move.next];
    changedGroups.add(from).add(to);
    if (to === from) {
      leaving[at] = entry;
      continue;
    }
    leaving.splice(at, 1);
    if (leaving.length === 0) return { miss: "the search index's slices changed" };
    const order = routeOrder();
    const place = (outputPath: string): number => order.get(outputPath) ?? -1;
    const joining = pagesOf(to);
    if (joining.some(([, , outputPath]) => place(outputPath) < 0) || place(move.next) < 0) return { miss: `the search index's pages are not the snapshot's` };
    const before = joining.findIndex(([, , outputPath]) => place(outputPath) > place(move.next));
    joining.splice(before < 0 ? joining.length : before, 0, entry);
  }
  return { groups: moved };
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
