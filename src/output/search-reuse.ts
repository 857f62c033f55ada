/**
 * The search index language by language (see search-index.ts), or slice by slice for a language
 * indexed in slices (see search-slices.ts): Pagefind indexes each on its own (~250 pages a
 * second), so a build whose pages of a group give Pagefind what the last index was made of
 * takes that group's files from the last output instead of indexing it again (an English edit at
 * 10,000 stories: German and French are ~50 s of Pagefind).
 *
 * The key is what Pagefind reads of each article page (search-vocabulary.ts `indexedInput`: a
 * page whose related list changed reads the same), known only as the pages come: each language
 * group's pages are held back while they match the last build's, page for page; the first that
 * differs sends the held-back ones (the last output's files) and the rest to Pagefind. The page state keeps, per group, its pages' hashes, its files and its part of
 * pagefind-entry.json, and for a slice of a language in several slices the words of its pages:
 * a slice is reused only while its language's vocabulary is the last build's (see
 * search-vocabulary.ts).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { RenderedPage } from "../types.js";
import { isSearchGroup } from "../cache/page-cache.js";
import { hashText } from "../util/hash.js";
import { pageLanguage, type SearchIndexer } from "./search-index.js";
import { isSliceGroup, primaryLanguage, sliceLanguage, type SearchSlices } from "./search-slices.js";
import { indexedInput, languageWords, sameWords, wordsForState, type SliceWords } from "./search-vocabulary.js";

/** One language group of the index (a language and its regional variants), as the last build made it. */
export interface SearchGroup {
  /** Its article pages in order: URL, a hash of what Pagefind reads of the page (see `indexedInput`), and its file in the output. */
  pages: [href: string, hash: string, outputPath: string][];
  /** Its files (under pagefind/): those named by its languages. */
  files: string[];
  /** Its languages' part of pagefind-entry.json. */
  entry: Record<string, unknown>;
  /** A slice of a language in several slices: the words of its pages by language code, sorted. */
  words?: Record<string, string[]>;
}

export type SearchGroups = Record<string, SearchGroup>;

interface Held {
  href: string;
  outputPath: string;
  /** The page's HTML when this build rendered it; else it is the last output's file, read if the group is indexed again. */
  html: string | null;
}

interface GroupProgress {
  pages: [string, string, string][];
  /** Pages held back while they match the last build's, in order; null once the group is indexed again. */
  held: Held[] | null;
}

/** Feeds the article pages to the indexer, holding back each group's while they are the last build's. */
export class SearchFeeder {
  private readonly groups = new Map<string, GroupProgress>();

  private readonly previous: SearchGroups;

  /** The last index's page hashes by URL. */
  private readonly lastHashes = new Map<string, string>();

  /** `previous`: the last index's groups (from the page state: only well-formed ones are taken); `slices`: the index's slices (see search-slices.ts). */
  constructor(
    private readonly indexer: SearchIndexer,
    previous: SearchGroups | null,
    private readonly outDir: string,
    private readonly slices: SearchSlices | null = null,
  ) {
    this.previous = Object.fromEntries(Object.entries(previous ?? {}).filter(([, group]) => isSearchGroup(group)));
    for (const group of Object.values(this.previous)) for (const [href, hash] of group.pages) this.lastHashes.set(href, hash);
  }

  /**
   * An article page of `lang`, in route order: `html` as this build rendered it, or null for the
   * last output's file, kept as it was. A kept page has the bytes the last build hashed: its hash
   * comes from the state, and the file is read only if its group is indexed again.
   */
  async page(href: string, outputPath: string, lang: string, html: string | null): Promise<void> {
    const name = this.slices ? this.slices.groupOf(lang, href) : primaryLanguage(lang);
    let group = this.groups.get(name);
    if (!group) this.groups.set(name, (group = { pages: [], held: Object.hasOwn(this.previous, name) ? [] : null }));
    const known = html === null ? this.lastHashes.get(href) : undefined;
    const read = html === null && known === undefined ? await this.read(outputPath) : null;
    const pageHash = known ?? hashText(indexedInput((html ?? read)!));
    group.pages.push([href, pageHash, outputPath]);
    if (group.held !== null) {
      const last = this.previous[name]!.pages[group.pages.length - 1];
      if (last && last[0] === href && last[1] === pageHash) {
        group.held.push({ href, outputPath, html });
        return;
      }
      await this.release(group);
    }
    await this.indexer.add(href, html ?? read ?? (await this.read(outputPath)));
  }

  /**
   * After the last article page: the groups whose pages were all the last build's, in the same
   * order, and whose files are still as it wrote them (`unchanged`), keep their files; the others
   * send what they held back.
   */
  async finishArticles(unchanged: (file: string) => boolean): Promise<Map<string, SearchGroup>> {
    const reused = new Map<string, SearchGroup>();
    for (const [name, group] of this.groups) {
      if (group.held === null) continue;
      const last = this.previous[name]!;
      if (last.pages.length === group.pages.length && last.files.every(unchanged)) reused.set(name, last);
      else await this.release(group);
    }
    // A slice's files hold its language's vocabulary: kept only while that is the last build's.
    for (const language of new Set([...reused.keys()].filter(isSliceGroup).map(sliceLanguage))) {
      if (this.sameVocabulary(language, reused)) continue;
      for (const name of [...reused.keys()].filter((name) => isSliceGroup(name) && sliceLanguage(name) === language)) {
        reused.delete(name);
        await this.release(this.groups.get(name)!);
      }
    }
    return reused;
  }

  /** Whether a sliced language's vocabulary, its reused slices' words and the indexed ones', is the one the last build's slices carry. */
  private sameVocabulary(language: string, reused: ReadonlyMap<string, SearchGroup>): boolean {
    if (!this.slices?.splits(language)) return true;
    const ofLanguage = (name: string): boolean => isSliceGroup(name) && sliceLanguage(name) === language;
    const last = Object.entries(this.previous).filter(([name]) => ofLanguage(name));
    if (last.some(([, group]) => group.words === undefined)) return false;
    const now = [...this.groups.keys()].filter(ofLanguage).map((name) => (reused.has(name) ? stateWords(reused.get(name)!) : (this.indexer.wordsOf(name) ?? new Map())));
    return sameWords(languageWords(last.map(([, group]) => stateWords(group))), languageWords(now));
  }

  /** The groups of the index made now (`made`: the indexed groups' files and the shared ones) and of the reused ones. */
  state(made: readonly RenderedPage[], reused: ReadonlyMap<string, SearchGroup>): SearchGroups {
    const entryFile = made.find((page) => page.outputPath === "pagefind/pagefind-entry.json");
    const entry = entryFile ? (JSON.parse(Buffer.from(entryFile.body).toString("utf8")) as { languages?: Record<string, unknown> }) : {};
    const groups: SearchGroups = {};
    for (const lang of Object.keys(entry.languages ?? {})) {
      const name = primaryLanguage(lang);
      const progress = this.groups.get(name);
      if (reused.has(name) || !progress) continue;
      const group = (groups[name] ??= { pages: progress.pages, files: [], entry: {} });
      group.entry[lang] = entry.languages![lang];
      // Pagefind names a language's files by its code: fragment/de_…, index/de_…, pagefind.de_….pf_meta, wasm.de.pagefind.
      const named = [`pagefind/fragment/${lang}_`, `pagefind/index/${lang}_`, `pagefind/pagefind.${lang}_`];
      group.files.push(...made.map((page) => page.outputPath).filter((file) => named.some((prefix) => file.startsWith(prefix)) || file === `pagefind/wasm.${lang}.pagefind`));
    }
    // A slice's files are its bundle's, all of them.
    for (const [name, progress] of this.groups) {
      if (!isSliceGroup(name) || reused.has(name) || !this.slices) continue;
      const bundle = this.slices.bundleOf(name);
      const words = this.indexer.wordsOf(name);
      groups[name] = { pages: progress.pages, files: made.map((page) => page.outputPath).filter((file) => file.startsWith(bundle)), entry: {}, ...(words ? { words: wordsForState(words) } : {}) };
    }
    for (const [name, group] of reused) groups[name] = group;
    return groups;
  }

  /** Sends a group's held-back pages (the last output's files, or this build's HTML) and indexes the rest as it comes. */
  private async release(group: GroupProgress): Promise<void> {
    const held = group.held ?? [];
    group.held = null;
    for (const page of held) await this.indexer.add(page.href, page.html ?? (await this.read(page.outputPath)));
  }

  private read(outputPath: string): Promise<string> {
    return readFile(path.join(this.outDir, outputPath), "utf8");
  }
}

/** The words of a slice as the state keeps them. */
function stateWords(group: SearchGroup): SliceWords {
  return new Map(Object.entries(group.words ?? {}));
}

/** The reused slices' words, for their languages' vocabularies. */
export function reusedWords(reused: ReadonlyMap<string, SearchGroup>): Map<string, SliceWords> {
  return new Map([...reused].filter(([, group]) => group.words !== undefined).map(([name, group]) => [name, stateWords(group)]));
}

/** The reused groups' parts of pagefind-entry.json, as one languages map. */
export function reusedEntries(reused: ReadonlyMap<string, SearchGroup>): Record<string, unknown> {
  return Object.assign({}, ...[...reused.values()].map((group) => group.entry)) as Record<string, unknown>;
}
