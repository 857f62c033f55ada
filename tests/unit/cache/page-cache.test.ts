/**
 * The page state (cache/page-cache.ts) is written in frames, never as one serialized copy of it
 * all: what comes back must be exactly what went in, across many frames, and a file that is cut
 * short, has bytes after its last frame, or is another key's is not trusted.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readPageState, writePageState, type PageState } from "../../../src/cache/page-cache.js";
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
  return { key: "the-key", buildId: "build-1", signatures, entries, search: { key: "search-key", files: ["pagefind/pagefind-entry.json"], groups: { de: { pages: [["/de/a/", "hash-a", "de/a/index.html"]], files: ["pagefind/x"], entry: { hash: "de_1" } } } } };
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
});
