/**
 * The sitemap after a delta build's edits (see apply-delta.ts): an article page's entry holds its
 * last modification (`updated`, else its date), its URL and its versions' (a page that moves:
 * see move-pages.ts). The page's `<url>` element is found by the `<loc>` it has in the sitemap the
 * output holds and replaced by the element the sitemap writer makes of the new entry; every other
 * byte stays.
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
const LASTMODS = /<lastmod>([^<]*)<\/lastmod>/g;
/** A part's path at the end of its URL in the index. */
const PART = /sitemaps\/sitemap-\d+\.xml$/;

/** The bytes of a sitemap that tell an index from a urlset: the XML declaration and the root element. */
const HEAD_BYTES = 200;

function isIndex(head: Buffer): boolean {
  return head.includes("<sitemapindex");
}

/** The sitemap files to write with the entries' elements in place of the ones with their `<loc>` (none when nothing changes); a miss when they cannot be patched. */
export async function patchSitemap(outDir: string, entries: readonly SitemapEdit[], baseUrl: string): Promise<RenderedPage[] | { miss: string }> {
  if (entries.length === 0) return [];
  const old = await readFile(path.join(outDir, SITEMAP)).catch(() => null);
  if (old === null) return { miss: `the output has no ${SITEMAP}` };
  if (!isIndex(old.subarray(0, HEAD_BYTES))) {
    const patched = patchedUrlset(old, entries, baseUrl);
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
  return patchedParts(old, parts, entries, baseUrl);
}

/** The urlset `old` with each entry's element replaced (see `patchSitemap`); null when it would not change. */
export function patchedUrlset(old: Buffer, entries: readonly SitemapEdit[], baseUrl: string): RenderedPage | null | { miss: string } {
  if (isIndex(old.subarray(0, HEAD_BYTES))) return { miss: "the sitemap is in parts" };
  const encode = sitemapEntryEncoder(baseUrl);
  let bytes = old;
  for (const edit of entries) {
    const found = elementOf(bytes, edit, encode);
    if (found === null) return { miss: `the sitemap has no entry for ${edit.was}` };
    bytes = Buffer.concat([bytes.subarray(0, found.start), found.element, bytes.subarray(found.end)]);
  }
  return bytes.equals(old) ? null : { outputPath: SITEMAP, body: bytes };
}

/**
 * The index `index` and its parts (in its order) with each entry's element replaced in the part
 * that has it, and each patched part's date in the index made again: the files that change, or a
 * miss where the sitemap writer could split the entries otherwise now. `maxUrls`: the writer's
 * count per part.
 */
export function patchedParts(index: Buffer, parts: readonly { path: string; bytes: Buffer }[], entries: readonly SitemapEdit[], baseUrl: string, maxUrls = MAX_URLS_PER_SITEMAP): RenderedPage[] | { miss: string } {
  if (parts.slice(0, -1).some((part) => countOf(part.bytes, URL_START) !== maxUrls)) return { miss: "the sitemap is in parts split by size" };
  const encode = sitemapEntryEncoder(baseUrl);
  const now = parts.map((part) => part.bytes);
  for (const edit of entries) {
    let at = 0;
    let found: ReturnType<typeof elementOf> = null;
    for (; at < now.length && found === null; at++) found = elementOf(now[at]!, edit, encode);
    if (found === null) return { miss: `the sitemap has no entry for ${edit.was}` };
    const bytes = now[--at]!;
    now[at] = Buffer.concat([bytes.subarray(0, found.start), found.element, bytes.subarray(found.end)]);
  }
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

/** Where in `bytes` the element of the edit's old URL (`was`) is, and the new entry's element; null when no element has that URL. */
function elementOf(bytes: Buffer, edit: SitemapEdit, encode: ReturnType<typeof sitemapEntryEncoder>): { start: number; end: number; element: Buffer } | null {
  const element = Buffer.from(encodedEntryBytes(encode(edit.entry)));
  // The old element's first lines, through its <loc>: unique in a urlset.
  const wasElement = edit.was === edit.entry.loc ? element : Buffer.from(encodedEntryBytes(encode({ loc: edit.was })));
  const head = wasElement.subarray(0, wasElement.indexOf(LOC_END) + LOC_END.length);
  const start = bytes.indexOf(head);
  const end = start === -1 ? -1 : bytes.indexOf(URL_END, start);
  return end === -1 ? null : { start, end: end + URL_END.length, element };
}

/** How often `needle` occurs in `bytes`. */
function countOf(bytes: Buffer, needle: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + needle.length)) count++;
  return count;
}
