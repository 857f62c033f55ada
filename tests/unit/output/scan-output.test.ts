/**
 * The scan of the last build's output (src/output/scan-output.ts): every regular file with its
 * modification time, and whether the output holds anything else. The compiled module runs it on
 * a worker thread; both must give the same answer.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { scanOutput, unchangedInScan, type OutputScan } from "../../../src/output/scan-output.js";
import { REPO_ROOT } from "../../helpers/temp-site.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A parent folder holding `public/` with `files`. */
function setup(files: Record<string, string>): { parent: string; outDir: string } {
  const parent = mkdtempSync(path.join(os.tmpdir(), "gazette-scan-"));
  dirs.push(parent);
  const outDir = path.join(parent, "public");
  mkdirSync(outDir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
    writeFileSync(path.join(outDir, file), text);
  }
  return { parent, outDir };
}

describe("scanOutput", () => {
  test("lists every file under the output with its modification time, folders walked, paths with /", () => {
    const { outDir } = setup({ "index.html": "a", "de/x/index.html": "b", "de/feed.xml": "c" });
    utimesSync(path.join(outDir, "de/feed.xml"), new Date("2025-01-02T03:04:05Z"), new Date("2025-01-02T03:04:05Z"));
    const scan = scanOutput(outDir)!;
    expect(scan.plain).toBe(true);
    expect([...scan.files.keys()].sort()).toEqual(["de/feed.xml", "de/x/index.html", "index.html"]);
    expect(scan.files.get("de/feed.xml")).toBe(Date.parse("2025-01-02T03:04:05Z"));
    expect(scan.files.get("index.html")).toBe(lstatSync(path.join(outDir, "index.html")).mtimeMs);
  });

  test("a symlink anywhere (to a folder or a file): not plain, and neither it nor what it leads to is listed", () => {
    const { outDir, parent } = setup({ "de/x/index.html": "b" });
    mkdirSync(path.join(parent, "elsewhere"));
    writeFileSync(path.join(parent, "elsewhere/index.html"), "not ours");
    symlinkSync(path.join(parent, "elsewhere"), path.join(outDir, "de/y"));
    let scan = scanOutput(outDir)!;
    expect(scan.plain).toBe(false);
    expect([...scan.files.keys()]).toEqual(["de/x/index.html"]);
    rmSync(path.join(outDir, "de/y"));
    writeFileSync(path.join(parent, "user.txt"), "mine");
    symlinkSync(path.join(parent, "user.txt"), path.join(outDir, "de/x/feed.xml"));
    scan = scanOutput(outDir)!;
    expect(scan.plain).toBe(false);
    expect(scan.files.has("de/x/feed.xml")).toBe(false);
  });

  test("an output that does not exist gives null", () => {
    const { parent } = setup({});
    expect(scanOutput(path.join(parent, "nothing-here"))).toBeNull();
  });

  test("unchangedInScan: a listed file modified strictly before the time", () => {
    const scan: OutputScan = { files: new Map([["a.html", 1000]]), plain: true };
    expect(unchangedInScan(scan, "a.html", 1001)).toBe(true);
    expect(unchangedInScan(scan, "a.html", 1000)).toBe(false); // a coarse clock: the same ms is not "before"
    expect(unchangedInScan(scan, "b.html", 5000)).toBe(false);
  });
});

describe("scanOutputInBackground (compiled, on a worker thread)", () => {
  test("gives what the scan on this thread gives, for a plain output, one with a symlink, and none", async () => {
    const compiled = path.join(REPO_ROOT, "dist/output/scan-output.js");
    if (!existsSync(compiled)) throw new Error("dist/ is missing: `npm test` compiles it first (npm run compile)");
    expect(existsSync(path.join(REPO_ROOT, "dist/output/scan-worker.js"))).toBe(true); // else it would fall back to this thread
    const { scanOutputInBackground } = (await import(compiled)) as typeof import("../../../src/output/scan-output.js");
    const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`de/story-${i}/index.html`, `<p>${i}</p>`]));
    const { outDir, parent } = setup({ ...files, "sitemap.xml": "<urlset/>" });
    expect(await scanOutputInBackground(outDir)).toEqual(scanOutput(outDir));
    symlinkSync(parent, path.join(outDir, "de/up"));
    const withLink = await scanOutputInBackground(outDir);
    expect(withLink?.plain).toBe(false);
    expect(withLink).toEqual(scanOutput(outDir));
    expect(await scanOutputInBackground(path.join(parent, "missing"))).toBeNull();
  });
});
