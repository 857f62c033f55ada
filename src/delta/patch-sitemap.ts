/**
 * The sitemap after a delta build's edits (see apply-delta.ts): an article page's entry holds its
 * last modification (`updated`, else its date), its URL and its versions' (a page that moves:
 * see move-pages.ts). The page's `<url>` element is found by the `<loc>` it has in the
 * `sitemap.xml` the output holds and replaced by the element the sitemap writer makes of the new
 * entry; every other byte stays. A sitemap in
 * parts (an index over files of 50,000 URLs) is not patched: an entry's new length could move the
 * split, and the index's dates would change too (a full build then).
 */
import { open, readFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { RenderedPage } from "../types.js";
import { encodedEntryBytes, sitemapEntryEncoder } from "../render/sitemaps.js";
import type { SitemapEdit } from "./render-edits.js";

const SITEMAP = "sitemap.xml";
const LOC_END = Buffer.from("</loc>\n");
const URL_END = Buffer.from("  </url>\n");

/** Whether the output's `sitemap.xml` is an index over parts (which `patchSitemap` cannot patch); false when it is not, or cannot be read (the patch then tells). */
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

/** `sitemap.xml` with the entries' elements in place of the ones with their `<loc>`; null when it would not change; a miss when it cannot be patched. */
export async function patchSitemap(outDir: string, entries: readonly SitemapEdit[], baseUrl: string): Promise<RenderedPage | null | { miss: string }> {
  if (entries.length === 0) return null;
  const old = await readFile(path.join(outDir, SITEMAP)).catch(() => null);
  if (old === null) return { miss: `the output has no ${SITEMAP}` };
  return patchedUrlset(old, entries, baseUrl);
}

/** The urlset `old` with each entry's element replaced (see `patchSitemap`). */
export function patchedUrlset(old: Buffer, entries: readonly SitemapEdit[], baseUrl: string): RenderedPage | null | { miss: string } {
  if (isIndex(old.subarray(0, HEAD_BYTES))) return { miss: "the sitemap is in parts" };
  const encode = sitemapEntryEncoder(baseUrl);
  let bytes = old;
  for (const { entry, was } of entries) {
    const element = Buffer.from(encodedEntryBytes(encode(entry)));
    // The old element's first lines, through its <loc>: unique in a urlset.
    const wasElement = was === entry.loc ? element : Buffer.from(encodedEntryBytes(encode({ loc: was })));
    const head = wasElement.subarray(0, wasElement.indexOf(LOC_END) + LOC_END.length);
    const start = bytes.indexOf(head);
    const end = start === -1 ? -1 : bytes.indexOf(URL_END, start);
    if (end === -1) return { miss: `the sitemap has no entry for ${was}` };
    bytes = Buffer.concat([bytes.subarray(0, start), element, bytes.subarray(end + URL_END.length)]);
  }
  return bytes.equals(old) ? null : { outputPath: SITEMAP, body: bytes };
}
