import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { OUTPUT_MARKER, createDiskWriter } from "../../../src/output/write-output.js";
import { makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

let root: string | null = null;
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
    // A previous Gazette output with 6,000 page folders: over the background-deletion threshold.
    await mkdir(out);
    await writeFile(path.join(out, OUTPUT_MARKER), JSON.stringify({ generator: "gazette" }));
    for (let i = 0; i < 6000; i++) await mkdir(path.join(out, `page-${i}`));
    const writer = await createDiskWriter({ outDir: out, protectedDirs: { root: path.join(root, "project"), others: [] } });
    await writer.write({ outputPath: "index.html", body: "<p>new</p>" });
    await writer.commit();
    // The new site is in place at once.
    expect((await readdir(out)).sort()).toEqual([OUTPUT_MARKER, "index.html"].sort());
    expect(await readFile(path.join(out, "index.html"), "utf8")).toBe("<p>new</p>");
    // The old one goes, and only it.
    await eventually(async () => !(await readdir(root!)).some((name) => name.startsWith(".gazette-old-")), "the old site to be deleted");
    expect((await readdir(root)).sort()).toEqual(["keep.txt", "public"]);
    expect(await readFile(path.join(root, "keep.txt"), "utf8")).toBe("mine");
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
