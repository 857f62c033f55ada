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
 * cannot move), every part within the size limit, and no entry's lastmod changed (the index's
 * dates stay). Else a full build.
 */
import { open, readFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { RenderedPage } from "../types.js";
import { encodedEntryBytes, MAX_BYTES_PER_SITEMAP, MAX_URLS_PER_SITEMAP, sitemapEntryEncoder } from "../render/sitemaps.js";
import type { SitemapEdit } from "./render-edits.js";

const SITEMAP = "sitemap.xml";
const LOC_END = Buffer.from("</loc>\n");
const URL_START = Buffer.from("  <url>\n");
const URL_END = Buffer.from("  </url>\n");
const LASTMOD = /<lastmod>([^<]*)<\/lastmod>/;
/** A part's path at the end of its URL in the index. */
const PART = /sitemaps\/sitemap-\d+\.xml$/;

/** Whether the output's `sitemap.xml` is an index over parts; false when it is not, or cannot be read (the patch then tells). */
export async function sitemapInParts(outDir: string): Promise<boolean> {
  let file: FileHandle | null = null;
  try {
    file = await open(path.join(outDir, SITEMAP));
    const { buffer, bytesRead } = await file.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    return isIndex(buffer.subarray(0, bytesRead));
  } catch {
    return false;
  } finally {
    await file?.close().catch(() => undefined);
  }
}

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
  return patchedParts(parts, entries, baseUrl);
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
 * The parts of a sitemap index (in its order) with each entry's element replaced in the part that
 * has it: those that change, or a miss where the sitemap writer could split the entries otherwise
 * now, or the index's dates would change. `maxUrls`: the writer's count per part.
 */
export function patchedParts(parts: readonly { path: string; bytes: Buffer }[], entries: readonly SitemapEdit[], baseUrl: string, maxUrls = MAX_URLS_PER_SITEMAP): RenderedPage[] | { miss: string } {
  if (parts.slice(0, -1).some((part) => countOf(part.bytes, URL_START) !== maxUrls)) return { miss: "the sitemap is in parts split by size" };
  const encode = sitemapEntryEncoder(baseUrl);
  const now = parts.map((part) => part.bytes);
  for (const edit of entries) {
    const at = now.findIndex((bytes) => elementOf(bytes, edit, encode) !== null);
    if (at === -1) return { miss: `the sitemap has no entry for ${edit.was}` };
    const { start, end, element } = elementOf(now[at]!, edit, encode)!;
    const lastmod = (bytes: Buffer) => LASTMOD.exec(bytes.toString("latin1"))?.[1];
    if (lastmod(now[at]!.subarray(start, end)) !== lastmod(element)) return { miss: "an entry's lastmod changed in a sitemap in parts" };
    now[at] = Buffer.concat([now[at]!.subarray(0, start), element, now[at]!.subarray(end)]);
  }
  if (now.some((bytes) => bytes.length > MAX_BYTES_PER_SITEMAP)) return { miss: "a sitemap part would outgrow its size limit" };
  return parts.flatMap((part, i) => (now[i]!.equals(part.bytes) ? [] : [{ outputPath: part.path, body: now[i]! }]));
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
