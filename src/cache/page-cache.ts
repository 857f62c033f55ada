import { createHash } from "node:crypto";
import { lstat, readFile, rename, rm, writeFile } from "node:fs/promises";
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import type { EncodedSitemapEntry } from "../render/sitemaps.js";
import type { SearchGroup, SearchGroups } from "../output/search-reuse.js";
import { OUTPUT_MARKER } from "../output/write-output.js";
import { confinementProblem } from "../output/plan-routes.js";
import { SiteUrls } from "../i18n/urls.js";
import { CACHE_DIR, cacheDir } from "./record-cache.js";

/**
 * The second half of the persistent cache: what the last build wrote, page by page. A route whose
 * signature (see render/route-signatures.ts: the content of every article it shows, the groups it
 * links) is the same as then is not rendered again: its file is hard-linked from the last output
 * into the new one. Valid only while the last output is still the one that build wrote (its
 * marker carries the build's id) and for the same engine, theme and options (the key); and only
 * for files not modified since the marker was written (a page edited in the output by hand is
 * rendered again, as a cold build would).
 */
const PAGES_FILE = "pages-v1.bin";
const FORMAT = "gazette-pages-6";

export interface PageState {
  key: string;
  /** Written into the output's marker: proves that the output on disk is this build's. */
  buildId: string;
  /** Route output path -> signature. */
  signatures: Map<string, string>;
  /** Route output path -> its sitemap entry as written (one string each: 34,000 of them read back fast), for the routes that have one. */
  entries: Map<string, EncodedSitemapEntry>;
  /** The search index's files, a hash of the article pages it was built from (URL and signature each), and its language groups (see output/search-reuse.ts). */
  search: { key: string; files: string[]; groups?: SearchGroups } | null;
}

export function pageCacheKey(engine: string, themeHash: string, options: { outDir: string; drafts: boolean }): string {
  return createHash("sha256").update(JSON.stringify([FORMAT, engine, themeHash, path.resolve(options.outDir), options.drafts])).digest("hex");
}

/** What the search index is made of: every article page, by URL and signature (null: unknown, never reused). */
export function searchKey(pages: readonly { href: string; signature: string | null }[]): string | null {
  const hash = createHash("sha256");
  for (const { href, signature } of pages) {
    if (signature === null) return null;
    hash.update(`${href}\u0000${signature}\u0000`);
  }
  return hash.digest("hex");
}

/** The id of a build's output: a hash of what the state says it is made of (key, every signature, the search index). */
export function buildIdOf(state: Omit<PageState, "buildId">): string {
  const hash = createHash("sha256").update(state.key);
  // Sorted: links complete in any order, and the id must not depend on it.
  for (const [outputPath, signature] of [...state.signatures].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${outputPath}\u0000${signature}\u0000`);
  hash.update(state.search?.key ?? "");
  return hash.digest("hex").slice(0, 24);
}

/** The last build's state, and when it committed its output (the marker's modification time, ms). */
export interface PreviousPages extends PageState {
  committedAt: number;
}

/** The last build's pages, if that build had the same key and its output is still in `outDir`. */
export async function readPageState(root: string, key: string, outDir: string): Promise<PreviousPages | null> {
  let state: PageState;
  try {
    const read = parseStateFrames(await readFile(path.join(root, CACHE_DIR, PAGES_FILE)), key);
    if (!read) return null;
    state = read;
  } catch {
    return null;
  }
  const marker = await readOutputMarker(outDir);
  if (marker?.build !== state.buildId) return null;
  // Pages a delta build rewrote since (under the same id): their signatures no longer say what they show.
  const patched = await readPatched(root, state.buildId);
  for (const page of patched.pages) state.signatures.delete(page);
  return { ...state, search: patchedSearch(state.search, patched), committedAt: marker.committedAt };
}

/**
 * The search index as the last build left it and the delta builds since changed it: their groups
 * replace its, their files removed and added change its list, and the key matches no build's (the
 * pages they indexed changed under it).
 */
function patchedSearch(search: PageState["search"], patched: PatchedPages): PageState["search"] {
  if (!search || !patched.search) return search;
  const removed = new Set(patched.search.removed);
  const files = [...new Set([...search.files.filter((file) => !removed.has(file)), ...patched.search.added])].sort();
  return { key: "", files, groups: { ...search.groups, ...patched.search.groups } };
}

/**
 * Only the search index of the last build's state (its first frame), as delta builds since
 * changed it; null when the state is of another key or build, or has no index.
 */
export function readSearchState(root: string, key: string, patched: PatchedPages): PageState["search"] {
  let fd: number | null = null;
  try {
    fd = openSync(path.join(root, CACHE_DIR, PAGES_FILE), "r");
    const length = Buffer.alloc(4);
    if (readSync(fd, length, 0, 4, 0) !== 4) return null;
    if (length.readUInt32LE(0) > fstatSync(fd).size - 4) return null;
    const body = Buffer.alloc(length.readUInt32LE(0));
    if (readSync(fd, body, 0, body.length, 4) !== body.length) return null;
    const head = deserialize(body) as Partial<StateHead> | null;
    if (head?.format !== FORMAT || head.key !== key || head.buildId !== patched.buildId || !head.search?.groups) return null;
    return patchedSearch(head.search, patched);
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * The state file: length-prefixed frames, each v8-serialized: a head (format, key, build id,
 * search), then the signatures and the sitemap entries, up to FRAME_PAIRS pairs a frame. In
 * frames, so that writing it never makes one copy of it all: at 30,000 stories it is ~60 MB,
 * and serialized in one piece it grew the build's peak memory by ~250 MB.
 */
const FRAME_PAIRS = 4096;

interface StateHead {
  format: string;
  key: string;
  buildId: string;
  search: PageState["search"];
  signatures: number;
  entries: number;
}

/** The state, or null when it is another format's or key's; throws when it does not read back. */
function parseStateFrames(bytes: Buffer, key: string): PageState | null {
  let offset = 0;
  const frame = (): unknown => {
    if (offset + 4 > bytes.length) throw new Error("truncated");
    const length = bytes.readUInt32LE(offset);
    if (offset + 4 + length > bytes.length) throw new Error("truncated");
    offset += 4 + length;
    return deserialize(bytes.subarray(offset - length, offset));
  };
  const head = frame() as Partial<StateHead> | null;
  if (typeof head !== "object" || head === null || head.format !== FORMAT || head.key !== key) return null;
  const { buildId, search, signatures: signatureCount, entries: entryCount } = head;
  if (typeof buildId !== "string" || !Number.isInteger(signatureCount) || !Number.isInteger(entryCount)) return null;
  if (search !== null && (typeof search?.key !== "string" || !Array.isArray(search.files))) return null;
  const pairs = (count: number): Map<string, string> => {
    const map = new Map<string, string>();
    while (map.size < count) {
      const chunk = frame();
      if (!Array.isArray(chunk) || chunk.length === 0 || chunk.length % 2 !== 0) throw new Error("inconsistent");
      for (let i = 0; i < chunk.length; i += 2) {
        if (typeof chunk[i] !== "string" || typeof chunk[i + 1] !== "string") throw new Error("inconsistent");
        map.set(chunk[i] as string, chunk[i + 1] as string);
      }
    }
    if (map.size !== count) throw new Error("inconsistent");
    return map;
  };
  const signatures = pairs(signatureCount!);
  const entries = pairs(entryCount!);
  if (offset !== bytes.length) throw new Error("trailing bytes");
  return { key, buildId, signatures, entries, search: search ?? null };
}

/** The state as frames (see `parseStateFrames`), made one at a time. */
function* stateFrames(state: PageState): Generator<Uint8Array> {
  const framed = (value: unknown): Uint8Array[] => {
    const body = serialize(value);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(body.length);
    return [length, body];
  };
  const head: StateHead = { format: FORMAT, key: state.key, buildId: state.buildId, search: state.search, signatures: state.signatures.size, entries: state.entries.size };
  yield* framed(head);
  for (const map of [state.signatures, state.entries]) {
    let chunk: string[] = [];
    for (const [name, value] of map) {
      chunk.push(name, value);
      if (chunk.length === 2 * FRAME_PAIRS) {
        yield* framed(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) yield* framed(chunk);
  }
}

/** The size of the last build's page state file, in bytes (0 when there is none): ~550 bytes a page. */
export function pageStateBytes(root: string): number {
  return statSync(path.join(root, CACHE_DIR, PAGES_FILE), { throwIfNoEntry: false })?.size ?? 0;
}

/** The output's marker: the id of the build that wrote the output, and when it committed (the marker's modification time, ms); null when there is none. */
export async function readOutputMarker(outDir: string): Promise<{ build: unknown; committedAt: number } | null> {
  const file = path.join(outDir, OUTPUT_MARKER);
  try {
    const marker = JSON.parse(await readFile(file, "utf8")) as { build?: unknown } | null;
    return { build: marker?.build, committedAt: (await lstat(file)).mtimeMs };
  } catch {
    return null;
  }
}

/** Saves the state of the build just committed; errors are returned (a cache that cannot be written only costs time). */
export async function writePageState(root: string, state: PageState): Promise<Error | null> {
  const temporary = path.join(root, CACHE_DIR, `${PAGES_FILE}.${process.pid}.tmp`);
  try {
    const dir = await cacheDir(root);
    await writeFile(temporary, stateFrames(state));
    await rename(temporary, path.join(dir, PAGES_FILE));
    // This build rendered the pages a delta had patched, or took them as they now are.
    await rm(path.join(dir, PATCHED_FILE), { force: true });
    return null;
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    return error as Error;
  }
}

const PATCHED_FILE = "patched-v1.json";

/**
 * What delta builds (see src/delta/) changed since the last full build `buildId`: the output
 * files they rewrote and the content files they applied. The output keeps that build's id (its
 * other files are still what the page state says), so the full build after renders these pages
 * again, and each delta applies these files again (an edit may have been undone since).
 */
export interface PatchedPages {
  buildId: string;
  pages: string[];
  files: string[];
  /** Article pages (snapshot numbers) rendered because their related list changed: every later delta renders them again. */
  relisted: number[];
  /** Files whose card (headline, summary, reading time, time updated) a delta changed: every later delta renders the pages that show it, and its sitemap entry, again. */
  carded: string[];
  /** Files whose page's `sitemap.xml` entry a delta wrote (its time updated changed): every later delta writes it again. */
  sitemapped: string[];
  /** Files whose page a delta moved (a new headline, a new slug: see delta/move-pages.ts): the URL the last full build published it at, and the one it is at now. */
  moved: [file: string, from: string, to: string][];
  /** Files whose date a delta changed, the listing pages (snapshot numbers) it rendered for new dates or topics, and those whose sitemap lastmod it wrote (see delta/update-listings.ts): every later delta does them again. */
  redated: string[];
  listed: number[];
  lastmods: number[];
  /** The search index, when deltas indexed part of it again (see delta/reindex-search.ts). */
  search?: PatchedSearch;
}

export interface PatchedSearch {
  /** Its groups that deltas indexed again, as they made them. */
  groups: SearchGroups;
  /** Files of the last full build's output that deltas deleted, and files they added: the index's files and what the output check expects now. */
  removed: string[];
  added: string[];
}

/** The patches made on top of the build `buildId` (none when the list is for another build). */
export async function readPatched(root: string, buildId: string): Promise<PatchedPages> {
  try {
    const stored = JSON.parse(await readFile(path.join(root, CACHE_DIR, PATCHED_FILE), "utf8")) as Partial<PatchedPages>;
    if (stored.buildId === buildId && Array.isArray(stored.pages) && Array.isArray(stored.files)) {
      const [relisted, listed, lastmods] = [stored.relisted, stored.listed, stored.lastmods].map((numbers) => (Array.isArray(numbers) ? numbers : []));
      // A list this build did not write cannot be trusted to name every page a delta changed.
      if (![relisted, listed, lastmods].every((numbers) => numbers!.every((number) => Number.isSafeInteger(number) && number >= 0))) throw new Error("not page numbers");
      const search = stored.search === undefined ? undefined : wellFormedSearch(stored.search);
      if (search === null) throw new Error("not a search index");
      const carded = Array.isArray(stored.carded) ? stored.carded.map(String) : [];
      const sitemapped = Array.isArray(stored.sitemapped) ? stored.sitemapped.map(String) : [];
      const redated = Array.isArray(stored.redated) ? stored.redated.map(String) : [];
      const moved = stored.moved ?? [];
      // Pages where the output check would not look for them: nothing of the file is trusted.
      if (!Array.isArray(moved) || !moved.every((move) => strings(move) && move.length === 3 && move.slice(1).every(articleUrl))) throw new Error("not moved pages");
      return { buildId, pages: stored.pages.map(String), files: stored.files.map(String), relisted: relisted!, carded, sitemapped, moved, redated, listed: listed!, lastmods: lastmods!, ...(search ? { search } : {}) };
    }
  } catch {
    // none
  }
  return { buildId, pages: [], files: [], relisted: [], carded: [], sitemapped: [], moved: [], redated: [], listed: [], lastmods: [] };
}

/** Saved before a delta changes the output: if it is killed half way, the pages listed are only rendered once more. */
export async function writePatched(root: string, patched: PatchedPages): Promise<void> {
  const dir = await cacheDir(root);
  const temporary = path.join(dir, `${PATCHED_FILE}.${process.pid}.tmp`);
  const search = patched.search ? { ...patched.search, removed: [...new Set(patched.search.removed)].sort(), added: [...new Set(patched.search.added)].sort() } : undefined;
  const sortedNumbers = (list: readonly number[]) => [...new Set(list)].sort((a, b) => a - b);
  const sortedStrings = (list: readonly string[]) => [...new Set(list)].sort();
  await writeFile(
    temporary,
    JSON.stringify({
      buildId: patched.buildId,
      pages: sortedStrings(patched.pages),
      files: sortedStrings(patched.files),
      relisted: sortedNumbers(patched.relisted),
      carded: sortedStrings(patched.carded),
      sitemapped: sortedStrings(patched.sitemapped),
      moved: [...patched.moved].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
      redated: sortedStrings(patched.redated),
      listed: sortedNumbers(patched.listed),
      lastmods: sortedNumbers(patched.lastmods),
      search,
    }),
  );
  await rename(temporary, path.join(dir, PATCHED_FILE));
}

/** A site-relative article URL whose file stays inside the output folder (a moved page's, as stored: deltas delete its file). */
function articleUrl(url: string): boolean {
  return url.startsWith("/") && url.endsWith("/") && confinementProblem(SiteUrls.outputPath(url)) === null;
}

/** The patched search index as stored, or null when it is not one (then nothing of the file is trusted). */
function wellFormedSearch(value: unknown): PatchedSearch | null {
  const search = value as Partial<PatchedSearch> | null;
  if (typeof search !== "object" || search === null || !strings(search.removed) || !strings(search.added)) return null;
  if (typeof search.groups !== "object" || search.groups === null || !Object.values(search.groups).every(isSearchGroup)) return null;
  return { groups: search.groups, removed: search.removed, added: search.added };
}

/** Whether a group of the search index read from the cache has the shape one is written in (else it is not trusted). */
export function isSearchGroup(value: unknown): value is SearchGroup {
  const group = value as Partial<SearchGroup> | null;
  return (
    Array.isArray(group?.pages) &&
    group.pages.every((page) => strings(page) && page.length === 3) &&
    strings(group.files) &&
    typeof group.entry === "object" &&
    group.entry !== null &&
    (group.words === undefined || (typeof group.words === "object" && group.words !== null && Object.values(group.words).every(strings)))
  );
}

function strings(list: unknown): list is string[] {
  return Array.isArray(list) && list.every((each) => typeof each === "string");
}
