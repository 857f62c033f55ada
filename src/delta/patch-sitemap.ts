/**
 * The sitemap after a delta build's edits (see apply-delta.ts): an article page's entry holds its
 * last modification (`updated`, else its date), its URL and its versions' (a page that moves:
 * see move-pages.ts). The page's `<url>` element is found by the `<loc>` it has in the sitemap the
 * output holds and replaced by the element the sitemap writer makes of the new entry; every other
 * byte stays. A listing page's entry is dated by the article it shows first (a group's newest, on
 * every page of the group): when a new date moves articles (update-listings.ts), only its
 * `<lastmod>` line is written again.
 *
 * Above 50,000 URLs the sitemap is an index over parts (`sitemaps/sitemap-N.xml`), each listed
 * with its newest lastmod. A part is patched only where the sitemap writer would split the
 * entries as before: every part but the last full (a split by count, which an element's length
 * cannot move), and every part within the size limit; the index's date of a patched part is its
 * newest lastmod again. Else a full build.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { RenderedPage } from "../types.js";
import { encodedEntryBytes, MAX_BYTES_PER_SITEMAP, MAX_URLS_PER_SITEMAP, newestLastmod, sitemapEntryEncoder } from "../render/sitemaps.js";
import type { SitemapEdit } from "./render-edits.js";

const SITEMAP = "sitemap.xml";
const LOC_END = Buffer.from("</loc>\n");
const URL_START = Buffer.from("  <url>\n");
const URL_END = Buffer.from("  </url>\n");
const LASTMOD_START = Buffer.from("    <lastmod>");
const URL_TEXT = "  <url>\n";
const LOC_TEXT = "</loc>\n";
const LASTMODS = /<lastmod>([^<]*)<\/lastmod>/g;
/** A part's path at the end of its URL in the index. */
const PART = /sitemaps\/sitemap-\d+\.xml$/;

/** The bytes of a sitemap that tell an index from a urlset: the XML declaration and the root element. */
const HEAD_BYTES = 200;

function isIndex(head: Buffer): boolean {
  return head.includes("<sitemapindex");
}

/** A page whose sitemap entry keeps its URL and alternates, with a new lastmod (null: none). */
export interface LastmodEdit {
  loc: string;
  lastmod: string | null;
}

/** The sitemap files to write with the entries' elements in place of the ones with their `<loc>` (none when nothing changes); a miss when they cannot be patched. */
export async function patchSitemap(outDir: string, entries: readonly SitemapEdit[], baseUrl: string, lastmods: readonly LastmodEdit[] = []): Promise<RenderedPage[] | { miss: string }> {
  if (entries.length === 0 && lastmods.length === 0) return [];
  const old = await readFile(path.join(outDir, SITEMAP)).catch(() => null);
  if (old === null) return { miss: `the output has no ${SITEMAP}` };
  if (!isIndex(old.subarray(0, HEAD_BYTES))) {
    const patched = patchedUrlset(old, entries, baseUrl, lastmods);
    return patched === null ? [] : "miss" in patched ? patched : [patched];
  }
  const parts: { path: string; bytes: Buffer }[] = [];
  for (const [, loc] of old.toString("latin1").matchAll(/<loc>([^<]*)<\/loc>/g)) {
    const file = PART.exec(loc!)?.[0];
    if (file === undefined) return { miss: `the sitemap index lists ${loc}, not a part of the site's sitemap` };
    const bytes = await readFile(path.join(outDir, file)).catch(() => null);
    if (bytes === null) return { miss: `the output has no ${file}` };
    parts.push({ path: file, bytes });
  }
  return patchedParts(old, parts, entries, baseUrl, MAX_URLS_PER_SITEMAP, lastmods);
}

/** The urlset `old` with each entry's element replaced (see `patchSitemap`); null when it would not change. */
export function patchedUrlset(old: Buffer, entries: readonly SitemapEdit[], baseUrl: string, lastmods: readonly LastmodEdit[] = []): RenderedPage | null | { miss: string } {
  if (isIndex(old.subarray(0, HEAD_BYTES))) return { miss: "the sitemap is in parts" };
  const edits = elementEdits(entries, lastmods, baseUrl);
  const { bytes, found } = replaceElements(old, edits);
  const missing = edits.find((edit) => !found.has(edit));
  if (missing !== undefined) return { miss: `the sitemap has no entry for ${missing.was}` };
  return bytes.equals(old) ? null : { outputPath: SITEMAP, body: bytes };
}

/**
 * The index `index` and its parts (in its order) with each entry's element replaced in the part
 * that has it, and each patched part's date in the index made again: the files that change, or a
 * miss where the sitemap writer could split the entries otherwise now. `maxUrls`: the writer's
 * count per part.
 */
export function patchedParts(
  index: Buffer,
  parts: readonly { path: string; bytes: Buffer }[],
  entries: readonly SitemapEdit[],
  baseUrl: string,
  maxUrls = MAX_URLS_PER_SITEMAP,
  lastmods: readonly LastmodEdit[] = [],
): RenderedPage[] | { miss: string } {
  if (parts.slice(0, -1).some((part) => countOf(part.bytes, URL_START) !== maxUrls)) return { miss: "the sitemap is in parts split by size" };
  // Each edit in the first part that has its URL (a URL is in one part only).
  let left = elementEdits(entries, lastmods, baseUrl);
  const now = parts.map((part) => {
    if (left.length === 0) return part.bytes;
    const { bytes, found } = replaceElements(part.bytes, left);
    left = left.filter((edit) => !found.has(edit));
    return bytes;
  });
  if (left.length > 0) return { miss: `the sitemap has no entry for ${left[0]!.was}` };
  if (now.some((bytes) => bytes.length > MAX_BYTES_PER_SITEMAP)) return { miss: "a sitemap part would outgrow its size limit" };
  const changed = parts.flatMap((part, i) => (now[i]!.equals(part.bytes) ? [] : [{ outputPath: part.path, body: now[i]! }]));
  let newIndex = index.toString("latin1");
  for (const part of changed) {
    const newest = newestLastmod([...part.body.toString("latin1").matchAll(LASTMODS)].map((match) => match[1]!));
    // The part's element in the index: its <loc> line, then its lastmod line if it has one.
    const dated = new RegExp(`(<loc>[^<]*${part.outputPath.replace(/[.]/g, "\\.")}</loc>\n)(    <lastmod>[^<]*</lastmod>\n)?`);
    if (!dated.test(newIndex)) return { miss: `the sitemap index does not list ${part.outputPath}` };
    newIndex = newIndex.replace(dated, (_, loc: string) => `${loc}${newest === null ? "" : `    <lastmod>${newest}</lastmod>\n`}`);
  }
  const indexBytes = Buffer.from(newIndex, "latin1");
  return [...(indexBytes.equals(index) ? [] : [{ outputPath: SITEMAP, body: indexBytes }]), ...changed];
}

/**
 * An element to replace: found by its first lines through its `<loc>` (`head`: unique in a urlset),
 * replaced by `element`, or, with `lastmod`, by itself with that `<lastmod>` line instead of its own.
 */
interface ElementEdit {
  was: string;
  head: Buffer;
  element?: Buffer;
  lastmod?: Buffer;
}

function elementEdits(entries: readonly SitemapEdit[], lastmods: readonly LastmodEdit[], baseUrl: string): ElementEdit[] {
  const encode = sitemapEntryEncoder(baseUrl);
  const headOf = (element: Buffer) => element.subarray(0, element.indexOf(LOC_END) + LOC_END.length);
  return [
    ...entries.map((edit): ElementEdit => {
      const element = Buffer.from(encodedEntryBytes(encode(edit.entry)));
      const wasElement = edit.was === edit.entry.loc ? element : Buffer.from(encodedEntryBytes(encode({ loc: edit.was })));
      return { was: edit.was, head: headOf(wasElement), element };
    }),
    ...lastmods.map((edit): ElementEdit => {
      // The writer's own lastmod line: what follows the <loc> line of a dated element (empty without a date).
      const element = Buffer.from(encodedEntryBytes(encode({ loc: edit.loc, lastmod: edit.lastmod })));
      const head = headOf(element);
      return { was: edit.loc, head, lastmod: element.subarray(head.length, element.length - URL_END.length) };
    }),
  ];
}

/** Above this many edits, the elements are found from one pass over the sitemap that notes where each `<loc>` is, not one search each. */
const SEARCHES = 8;

/** `bytes` with the elements of the edits found replaced, made once; and which edits were found. */
function replaceElements(bytes: Buffer, edits: readonly ElementEdit[]): { bytes: Buffer; found: Set<ElementEdit> } {
  const locs = edits.length > SEARCHES ? headPositions(bytes, edits.map((edit) => edit.head.toString("latin1"))) : null;
  const replacements: { start: number; end: number; bytes: Buffer }[] = [];
  const found = new Set<ElementEdit>();
  for (const edit of edits) {
    const start = locs ? (locs.get(edit.head.toString("latin1")) ?? -1) : bytes.indexOf(edit.head);
    const end = start === -1 ? -1 : bytes.indexOf(URL_END, start);
    if (end === -1) continue;
    found.add(edit);
    const old = bytes.subarray(start, end + URL_END.length);
    if (edit.element) {
      replacements.push({ start, end: end + URL_END.length, bytes: edit.element });
    } else {
      // The element's own lastmod line, if it has one, follows its <loc> line.
      const after = old.subarray(edit.head.length);
      const own = after.subarray(0, after.indexOf(LASTMOD_START) === 0 ? after.indexOf(10) + 1 : 0);
      replacements.push({ start: start + edit.head.length, end: start + edit.head.length + own.length, bytes: edit.lastmod! });
    }
  }
  if (replacements.length === 0) return { bytes, found };
  replacements.sort((a, b) => a.start - b.start);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const replacement of replacements) {
    if (replacement.start < at) throw new Error("Internal: two sitemap edits of one element.");
    pieces.push(bytes.subarray(at, replacement.start), replacement.bytes);
    at = replacement.end;
  }
  pieces.push(bytes.subarray(at));
  return { bytes: Buffer.concat(pieces), found };
}

/**
 * Where the elements with these first lines through their `<loc>` (as latin1 text) start, from one
 * pass over the sitemap: an element is compared only with the heads of its own head's length, and
 * no element's text is copied (a map of all 34,000 cost ~30 ms of a delta at 10,000 stories).
 */
function headPositions(bytes: Buffer, heads: readonly string[]): Map<string, number> {
  const text = bytes.toString("latin1");
  const wanted = new Set(heads);
  const byLength = new Map<number, string[]>();
  for (const head of wanted) {
    const same = byLength.get(head.length);
    if (same) same.push(head);
    else byLength.set(head.length, [head]);
  }
  const positions = new Map<string, number>();
  for (let start = text.indexOf(URL_TEXT); start !== -1 && positions.size < wanted.size; start = text.indexOf(URL_TEXT, start + 1)) {
    const end = text.indexOf(LOC_TEXT, start);
    if (end === -1) break;
    for (const head of byLength.get(end + LOC_TEXT.length - start) ?? []) {
      if (text.startsWith(head, start)) {
        if (!positions.has(head)) positions.set(head, start);
        break;
      }
    }
  }
  return positions;
}

/** How often `needle` occurs in `bytes`. */
function countOf(bytes: Buffer, needle: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + needle.length)) count++;
  return count;
}
