import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { OUTPUT_MARKER, createDiskWriter } from "../../../src/output/write-output.js";
import { scanOutput, type OutputScan } from "../../../src/output/scan-output.js";
import { makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

let root: string | null = null;

/** A temporary project whose public/ is a Gazette output (its marker written) holding `files`. */
async function lastOutput(files: Record<string, string>): Promise<{ project: string; out: string }> {
  const inOutput = Object.entries(files).map(([file, body]) => [`public/${file}`, body]);
  const project = await makeTempSite(Object.fromEntries([[`public/${OUTPUT_MARKER}`, JSON.stringify({ generator: "gazette" })], ...inOutput]));
  root = project;
  return { project, out: path.join(project, "public") };
}
afterEach(async () => {
  if (root) await removeTempSite(root);
  root = null;
});

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the disk writer's swap", () => {
  test("a large previous site is deleted (by a detached process) after the swap, and nothing else is touched", async () => {
    root = await makeTempSite({ "keep.txt": "mine" });
    const out = path.join(root, "public");
    // A previous Gazette output with 600 page folders: over the background-deletion threshold
    // (a 1,000-story site has ~2,000 entries in its top two levels, ~10,000 paths: 1.5 s to delete).
    await mkdir(out);
    await writeFile(path.join(out, OUTPUT_MARKER), JSON.stringify({ generator: "gazette" }));
    for (let i = 0; i < 600; i++) await mkdir(path.join(out, `page-${i}`));
    const writer = await createDiskWriter({ outDir: out, protectedDirs: { root: path.join(root, "project"), others: [] } });
    await writer.write({ outputPath: "index.html", body: "<p>new</p>" });
    await writer.commit();
    // The new site is in place at once; the old one is not waited for (Node's start alone outlasts this check).
    expect((await readdir(out)).sort()).toEqual([OUTPUT_MARKER, "index.html"].sort());
    expect((await readdir(root)).some((name) => name.startsWith(".gazette-old-"))).toBe(true);
    expect(await readFile(path.join(out, "index.html"), "utf8")).toBe("<p>new</p>");
    // The old one goes, and only it.
    await eventually(async () => !(await readdir(root!)).some((name) => name.startsWith(".gazette-old-")), "the old site to be deleted");
    expect((await readdir(root)).sort()).toEqual(["keep.txt", "public"]);
    expect(await readFile(path.join(root, "keep.txt"), "utf8")).toBe("mine");
  }, 60_000);

  test.each([
    ["the last swap's old site, its deletion still running", ".gazette-old-public-999999999"],
    ["the staging folder of a killed cold build", `.gazette-tmp-public-${spawnSync(process.execPath, ["-e", ""]).pid}-x`],
  ])("a large leftover beside the output (%s) is deleted without the next build waiting for it", async (_, name) => {
    root = await makeTempSite({});
    const out = path.join(root, "public");
    await mkdir(out);
    await writeFile(path.join(out, OUTPUT_MARKER), JSON.stringify({ generator: "gazette" }));
    const leftover = path.join(root, name);
    await mkdir(leftover);
    for (let i = 0; i < 600; i++) await mkdir(path.join(leftover, `page-${i}`));
    const writer = await createDiskWriter({ outDir: out, protectedDirs: { root: path.join(root, "project"), others: [] } });
    // Handed to a detached process (Node's start alone outlasts the rest of this call), not awaited.
    expect(existsSync(leftover)).toBe(true);
    await writer.write({ outputPath: "index.html", body: "<p>new</p>" });
    await writer.commit();
    await eventually(async () => !existsSync(leftover), "the leftover folder to be deleted");
    expect(await readFile(path.join(out, "index.html"), "utf8")).toBe("<p>new</p>");
  }, 60_000);

  test("a small previous site is deleted before commit returns", async () => {
    root = await makeTempSite({});
    const out = path.join(root, "public");
    const first = await createDiskWriter({ outDir: out, protectedDirs: { root: path.join(root, "project"), others: [] } });
    await first.write({ outputPath: "a/index.html", body: "a" });
    await first.commit();
    const second = await createDiskWriter({ outDir: out, protectedDirs: { root: path.join(root, "project"), others: [] } });
    await second.write({ outputPath: "b/index.html", body: "b" });
    await second.commit();
    expect((await readdir(root)).sort()).toEqual(["public"]);
    expect((await readdir(out)).sort()).toEqual([OUTPUT_MARKER, "b"].sort());
  });
});

describe("the disk writer with a scan of the output made before it", () => {
  test("reuses files the scan found unmodified; after finishing an interrupted update it scans again", async () => {
    const { project, out } = await lastOutput({ "index.html": "index.html", "de/a.html": "de/a.html", "de/b.html": "de/b.html" });
    const scan = scanOutput(out);
    const committedAt = Date.now() + 1000; // every file above was written before it
    // A killed build's update, not yet finished: it deletes de/b.html and brings de/c.html.
    const pid = spawnSync(process.execPath, ["-e", ""]).pid!;
    const staging = path.join(project, `.gazette-tmp-public-${pid}-x`);
    await mkdir(path.join(staging, "de"), { recursive: true });
    await writeFile(path.join(staging, "de/c.html"), "de/c.html");
    await writeFile(path.join(project, `.gazette-update-public-${pid}.json`), JSON.stringify({ outDir: out, staging, deletes: ["de/b.html"], moves: ["de/c.html"] }));

    const writer = await createDiskWriter({ outDir: out, protectedDirs: { root: path.join(project, "project"), others: [] }, update: true, scan: Promise.resolve(scan) });
    expect(await readdir(path.join(out, "de"))).toEqual(["a.html", "c.html"]);
    expect(writer.unchanged!("de/b.html", committedAt)).toBe(false); // the scan from before still listed it
    expect(await writer.reuse!("de/b.html", committedAt)).toBe(false);
    expect(await writer.reuse!("de/a.html", committedAt)).toBe(true);
    expect(await writer.reuse!("index.html", committedAt)).toBe(true);
    await writer.write({ outputPath: "de/b.html", body: "de/b.html, again" });
    await writer.commit();
    expect((await readdir(path.join(out, "de"))).sort()).toEqual(["a.html", "b.html"]);
    expect(await readFile(path.join(out, "de/b.html"), "utf8")).toBe("de/b.html, again");
  });

  test("a file the scan found modified after the last commit, or did not find, is not reused", async () => {
    const { project, out } = await lastOutput({ "a.html": "a" });
    const scan: OutputScan = { files: new Map([[OUTPUT_MARKER, 10], ["a.html", 500]]), plain: true };
    const writer = await createDiskWriter({ outDir: out, protectedDirs: { root: path.join(project, "project"), others: [] }, update: true, scan: Promise.resolve(scan) });
    expect(writer.unchanged!("a.html", 400)).toBe(false); // modified after the commit at 400
    expect(writer.unchanged!("a.html", 600)).toBe(true);
    expect(writer.unchanged!("b.html", 600)).toBe(false);
    expect(writer.unchanged!("../outside.html", 600)).toBe(false);
    await writer.abort();
  });
});

describe("the disk writer and a killed build's update it cannot finish", () => {
  test("says so, and how to recover, rather than that a folder could not be made", async () => {
    const { project, out } = await lastOutput({ "index.html": "old" });
    const pid = spawnSync(process.execPath, ["-e", ""]).pid!;
    // A journal that would move files out of the output: refused, nothing touched.
    await writeFile(path.join(project, `.gazette-update-public-${pid}.json`), JSON.stringify({ outDir: out, staging: "/etc", deletes: [], moves: ["passwd"] }));
    const failure = await createDiskWriter({ outDir: out, protectedDirs: { root: path.join(project, "project"), others: [] } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/a build killed while it updated .*public in place left it half done, and finishing that update failed/);
    expect((failure as { hint?: string }).hint).toMatch(/Delete .*public and the \.gazette-update-public-\* and \.gazette-tmp-public-\* files beside it/);
    expect(await readFile(path.join(out, "index.html"), "utf8")).toBe("old");
  });
});

describe("the disk writer patching the output (a delta build)", () => {
  test("writes its pages, deletes the files it is given, and leaves every other file as it was", async () => {
    const { project, out: outDir } = await lastOutput({ "a/index.html": "a", "pagefind/old.pf_fragment": "old", "keep.txt": "keep" });
    const writer = await createDiskWriter({ outDir, protectedDirs: { root: project, others: [] }, patch: true, deletes: ["pagefind/old.pf_fragment"] });
    await writer.write({ outputPath: "pagefind/new.pf_fragment", body: "new" });
    await writer.write({ outputPath: "a/index.html", body: "A" });
    await writer.commit();
    expect(await readFile(path.join(outDir, "a/index.html"), "utf8")).toBe("A");
    expect(await readFile(path.join(outDir, "pagefind/new.pf_fragment"), "utf8")).toBe("new");
    expect(existsSync(path.join(outDir, "pagefind/old.pf_fragment"))).toBe(false);
    expect(await readFile(path.join(outDir, "keep.txt"), "utf8")).toBe("keep");
  });

  test("refuses a file to delete outside the output, and changes nothing", async () => {
    const { project, out: outDir } = await lastOutput({ "a/index.html": "a" });
    await writeFile(path.join(project, "precious.md"), "mine");
    for (const escaping of ["../precious.md", "a/../../precious.md", "."]) {
      await expect(createDiskWriter({ outDir, protectedDirs: { root: project, others: [] }, patch: true, deletes: [escaping] })).rejects.toThrow(/outside the output folder/);
    }
    expect(await readFile(path.join(project, "precious.md"), "utf8")).toBe("mine");
    expect((await readdir(project)).filter((name) => name.startsWith(".gazette-tmp"))).toEqual([]);
  });
});
