/**
 * The content scan (src/content/scan-content.ts): the listing and each file's stat key, with the
 * listing's problems. The compiled module runs it on a worker thread for large folders; that
 * must give the same files, stat keys, errors (same classes, messages, locations) and warnings.
 */
import { existsSync } from "node:fs";
import { mkdir, symlink, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { changedContent, scanContent } from "../../../src/content/scan-content.js";
import { ContentError } from "../../../src/errors/site-error.js";
import { REPO_ROOT, makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

let root: string | null = null;
afterEach(async () => {
  if (root) await removeTempSite(root);
  root = null;
});

/** A content folder with two good files and three kinds of problem. */
async function messyContent(): Promise<{ root: string; contentDir: string }> {
  root = await makeTempSite({});
  const contentDir = path.join(root, "articles");
  await mkdir(path.join(contentDir, "gipfel"), { recursive: true });
  await writeFile(path.join(contentDir, "gipfel/de.md"), "---\ntitle: Gipfel\n---\nText.\n");
  await writeFile(path.join(contentDir, "gipfel/en.md"), "---\ntitle: Summit\n---\nText.\n");
  await utimes(path.join(contentDir, "gipfel/en.md"), new Date("2025-01-01T00:00:00Z"), new Date("2025-01-01T00:00:00Z"));
  await writeFile(path.join(contentDir, "gipfel/notes.txt"), "not an article");
  await mkdir(path.join(contentDir, "bad key!"));
  await writeFile(path.join(root, "outside.md"), "---\ntitle: Outside\n---\n");
  await mkdir(path.join(contentDir, "linked"));
  await symlink(path.join(root, "outside.md"), path.join(contentDir, "linked/de.md"));
  return { root, contentDir };
}

describe("scanContent", () => {
  test("lists the Markdown files with their stat keys, and reports what it skipped or refused", async () => {
    const site = await messyContent();
    const scan = await scanContent(site);
    expect(scan.files.map((file) => path.relative(site.contentDir, file.absolute))).toEqual(["gipfel/de.md", "gipfel/en.md"]);
    expect(scan.stats).toHaveLength(2);
    expect(scan.stats[1]).toMatch(/^\d+:1735689600000000000:\d+:\d+$/); // size, mtime (ns), ctime (ns), inode
    expect(scan.errors.map((error) => [error.constructor.name, error.location?.file])).toEqual([
      ["ContentError", "articles/bad key!"],
      ["ContentError", "articles/linked/de.md"],
    ]);
    expect(scan.warnings.map((warning) => warning.location?.file)).toEqual(["articles/gipfel/notes.txt"]);
  });

  test("a missing content folder: one error naming it, no files", async () => {
    root = await makeTempSite({});
    const scan = await scanContent({ root, contentDir: path.join(root, "articles") });
    expect(scan.files).toEqual([]);
    expect(scan.errors).toHaveLength(1);
    expect(scan.errors[0]).toBeInstanceOf(ContentError);
    expect(scan.errors[0]!.message).toMatch(/the content folder articles\/ cannot be read \(ENOENT\)/);
  });
});

describe("scanContentSoon (compiled, on a worker thread)", () => {
  test("gives what the scan on this thread gives, errors revived as the same classes", async () => {
    const compiled = path.join(REPO_ROOT, "dist/content/scan-content.js");
    if (!existsSync(compiled)) throw new Error("dist/ is missing: `npm test` compiles it first (npm run compile)");
    expect(existsSync(path.join(REPO_ROOT, "dist/content/scan-content-worker.js"))).toBe(true); // else it would run on this thread
    const compiledModule = (await import(compiled)) as typeof import("../../../src/content/scan-content.js");
    const compiledErrors = (await import(path.join(REPO_ROOT, "dist/errors/site-error.js"))) as typeof import("../../../src/errors/site-error.js");
    const site = await messyContent();
    const threaded = await compiledModule.scanContentSoon(site, { GAZETTE_SCAN_THREAD: "1" });
    const here = await compiledModule.scanContent(site);
    expect(threaded.files).toEqual(here.files);
    expect(threaded.stats).toEqual(here.stats);
    expect(threaded.warnings).toEqual(here.warnings);
    expect(threaded.errors.map((error) => [error.constructor.name, error.message, error.location, error.hint])).toEqual(here.errors.map((error) => [error.constructor.name, error.message, error.location, error.hint]));
    expect(threaded.errors.every((error) => error instanceof compiledErrors.ContentError)).toBe(true);
  });
});

describe("changedContent", () => {
  test("hears first of the file modified last before the listing, wherever it comes; answers in listing order", async () => {
    root = await makeTempSite({});
    const contentDir = path.join(root, "articles");
    const stories = ["alpha", "beta", "gamma", "delta"];
    for (const [i, story] of stories.entries()) {
      await mkdir(path.join(contentDir, story), { recursive: true });
      await writeFile(path.join(contentDir, story, "de.md"), `---\ntitle: ${story}\n---\nText.\n`);
      // "beta" was written last, "alpha" first.
      const at = new Date(Date.UTC(2025, 0, i === 1 ? 9 : 1 + i));
      await utimes(path.join(contentDir, story, "de.md"), at, at);
    }
    const scan = await scanContent({ root, contentDir });
    expect(scan.files.map((file) => file.file)).toEqual(stories.map((story) => `articles/${story}/de.md`).sort());
    const known = { root, contentDir, files: scan.files.map((file, i) => [file.file, scan.stats[i]!] as const), listedAt: scan.listedAt };
    // Every file edited since: the one written last comes first, then the others newest first.
    for (const story of stories) await writeFile(path.join(contentDir, story, "de.md"), `---\ntitle: ${story}\n---\nText, edited.\n`);
    const heard: string[] = [];
    const changed = changedContent(known, (index) => heard.push(scan.files[index]!.file));
    expect(heard).toEqual(["beta", "delta", "gamma", "alpha"].map((story) => `articles/${story}/de.md`));
    expect(changed?.map(([index]) => index)).toEqual([0, 1, 2, 3]);
  });

  test("hears of the newest files before it reads the content folder: an edit is heard even when a story added since makes the answer null", async () => {
    root = await makeTempSite({});
    const contentDir = path.join(root, "articles");
    for (const [i, story] of ["alpha", "beta"].entries()) {
      await mkdir(path.join(contentDir, story), { recursive: true });
      await writeFile(path.join(contentDir, story, "de.md"), `---\ntitle: ${story}\n---\nText.\n`);
      const at = new Date(Date.UTC(2025, 0, 1 + i));
      await utimes(path.join(contentDir, story, "de.md"), at, at);
    }
    const scan = await scanContent({ root, contentDir });
    const known = { root, contentDir, files: scan.files.map((file, i) => [file.file, scan.stats[i]!] as const), listedAt: scan.listedAt };
    await writeFile(path.join(contentDir, "beta", "de.md"), `---\ntitle: beta\n---\nText, edited.\n`);
    await mkdir(path.join(contentDir, "gamma"));
    await writeFile(path.join(contentDir, "gamma", "de.md"), `---\ntitle: gamma\n---\nNew.\n`);
    const heard: string[] = [];
    expect(changedContent(known, (index) => heard.push(scan.files[index]!.file))).toBeNull();
    expect(heard).toEqual(["articles/beta/de.md"]);
  });
});
