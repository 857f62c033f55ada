/**
 * The page state (cache/page-cache.ts) is written in frames, never as one serialized copy of it
 * all: what comes back must be exactly what went in, across many frames, and a file that is cut
 * short, has bytes after its last frame, or is another key's is not trusted.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readPageState, readPatched, readSearchState, writePageState, writePatched, type PageState } from "../../../src/cache/page-cache.js";
import { CACHE_DIR } from "../../../src/cache/record-cache.js";
import { OUTPUT_MARKER } from "../../../src/output/write-output.js";
import { makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

let root: string | null = null;

afterEach(async () => {
  if (root) await removeTempSite(root);
  root = null;
});

/** A state like a 3,000-story build's: more signatures and sitemap entries than one frame holds. */
function largeState(): PageState {
  const signatures = new Map<string, string>();
  const entries = new Map<string, string>();
  for (let i = 0; i < 10_000; i++) {
    const page = `de/artikel-${i}-straße/index.html`;
    signatures.set(page, `sig-${i.toString(36)}`);
    if (i % 2 === 0) entries.set(page, `2025-01-01T10:00:00+01:00\n  <url>\n    <loc>https://news.example/de/artikel-${i}/</loc>\n  </url>\n`);
  }
  return { key: "the-key", buildId: "build-1", signatures, entries, search: { key: "search-key", files: ["pagefind/pagefind-entry.json", "pagefind/x"], groups: { de: { pages: [["/de/a/", "hash-a", "de/a/index.html"]], files: ["pagefind/x"], entry: { hash: "de_1" } } } } };
}

async function siteWithOutput(buildId: string): Promise<{ root: string; outDir: string }> {
  const at = await makeTempSite({});
  const outDir = path.join(at, "public");
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, OUTPUT_MARKER), JSON.stringify({ build: buildId }));
  return { root: at, outDir };
}

describe("the page state", () => {
  it("reads back exactly, across many frames", async () => {
    const site = await siteWithOutput("build-1");
    root = site.root;
    const state = largeState();
    expect(await writePageState(root, state)).toBeNull();
    const back = await readPageState(root, "the-key", site.outDir);
    expect(back).not.toBeNull();
    expect([...back!.signatures]).toEqual([...state.signatures]);
    expect([...back!.entries]).toEqual([...state.entries]);
    expect(back!.search).toEqual(state.search);
    expect(back!.buildId).toBe("build-1");
    // Another key's state, or one for another output, is not this build's.
    expect(await readPageState(root, "another-key", site.outDir)).toBeNull();
    await writeFile(path.join(site.outDir, OUTPUT_MARKER), JSON.stringify({ build: "build-2" }));
    expect(await readPageState(root, "the-key", site.outDir)).toBeNull();
  });

  it("is not trusted when cut short or followed by other bytes", async () => {
    const site = await siteWithOutput("build-1");
    root = site.root;
    expect(await writePageState(root, largeState())).toBeNull();
    const file = path.join(root, CACHE_DIR, "pages-v1.bin");
    const bytes = await readFile(file);
    for (const broken of [bytes.subarray(0, Math.floor(bytes.length / 2)), bytes.subarray(0, bytes.length - 1), Buffer.concat([bytes, bytes.subarray(0, 40)])]) {
      await writeFile(file, broken);
      expect(await readPageState(root, "the-key", site.outDir)).toBeNull();
    }
    await writeFile(file, bytes);
    expect(await readPageState(root, "the-key", site.outDir)).not.toBeNull();
  });

  it("gives a delta build its search index alone, as the deltas since left it; a full build reads the same", async () => {
    const site = await siteWithOutput("build-1");
    root = site.root;
    const state = largeState();
    expect(await writePageState(root, state)).toBeNull();
    const none = await readPatched(root, "build-1");
    expect(readSearchState(root, "the-key", none)).toEqual(state.search);
    expect(readSearchState(root, "another-key", none)).toBeNull();
    expect(readSearchState(root, "the-key", { ...none, buildId: "build-0" })).toBeNull();
    // A delta indexed German again: its group and the index's files replace the full build's; the key matches no build's.
    const de = { pages: [["/de/a/", "hash-b", "de/a/index.html"]] as [string, string, string][], files: ["pagefind/y"], entry: { hash: "de_2" } };
    await writePatched(root, { ...none, pages: ["de/a/index.html"], search: { groups: { de }, removed: ["pagefind/x"], added: ["pagefind/y"] } });
    const patched = await readPatched(root, "build-1");
    const expected = { key: "", files: ["pagefind/pagefind-entry.json", "pagefind/y"], groups: { de } };
    expect(readSearchState(root, "the-key", patched)).toEqual(expected);
    expect((await readPageState(root, "the-key", site.outDir))!.search).toEqual(expected);
    // A patched-pages file whose index is not one is not trusted at all.
    const file = path.join(root, CACHE_DIR, "patched-v1.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"removed":["pagefind/x"]', '"removed":[7]'));
    expect(await readPatched(root, "build-1")).toEqual(none);
    // A state file whose first frame claims more bytes than the file has.
    const pages = path.join(root, CACHE_DIR, "pages-v1.bin");
    const bytes = await readFile(pages);
    bytes.writeUInt32LE(bytes.length + 100, 0);
    await writeFile(pages, bytes);
    expect(readSearchState(root, "the-key", none)).toBeNull();
  });

  it("keeps the pages deltas moved, and trusts none of the file when a moved page's URL would lead out of the output", async () => {
    const site = await siteWithOutput("build-1");
    root = site.root;
    const none = await readPatched(root, "build-1");
    const moved: [string, string, string][] = [["articles/a/de.md", "/de/alt/", "/de/neu/"]];
    await writePatched(root, { ...none, pages: ["de/neu/index.html"], moved });
    expect((await readPatched(root, "build-1")).moved).toEqual(moved);
    for (const url of ["/de/../../etwas/", "de/neu/", "/de/neu"]) {
      await writePatched(root, { ...none, pages: ["de/neu/index.html"], moved: [["articles/a/de.md", "/de/alt/", url]] });
      expect(await readPatched(root, "build-1"), url).toEqual(none);
    }
  });
});
