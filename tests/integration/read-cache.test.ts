/**
 * `gazette check`, `list` and `related` reuse what the last build cached (records of unchanged
 * files, the parsed config and entity table) and never write the cache: the same output as with
 * `--no-cache`, whatever changed since the build, and the cache's files untouched.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSite } from "../../src/build.js";
import { CACHE_DIR } from "../../src/cache/record-cache.js";
import { REPO_ROOT, article, buildToMemory, copyProject, makeTempSite, removeTempSite } from "../helpers/temp-site.js";

let root: string;

beforeAll(async () => {
  // The real articles, and two stories with one German title: the second gets a warning (a slug taken).
  root = await makeTempSite({
    "articles/gleicher-titel-eins/de.md": article({ title: "Gleicher Titel", date: "2025-02-13" }),
    "articles/gleicher-titel-zwei/de.md": article({ title: "Gleicher Titel", date: "2025-02-14" }),
  });
  await copyProject(root);
});

afterAll(async () => {
  await removeTempSite(root);
});

function gazette(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin/gazette.js"), ...args], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  // The summary's time is the only part that may differ between two runs.
  return { status: run.status, stdout: run.stdout, stderr: run.stderr.replace(/ in [\d.,]+ m?s\n/g, " in (time)\n") };
}

/** Every file of the cache with a hash of its bytes and its modification time. */
async function cacheFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file);
      else files.set(path.relative(root, file), `${createHash("sha256").update(await readFile(file)).digest("hex")} ${(await stat(file)).mtimeMs}`);
    }
  };
  await walk(path.join(root, CACHE_DIR));
  return files;
}

const COMMANDS = [["check"], ["list", "--json"], ["related", "trump-putin-telefonat-ohne-fortschritte", "--json"], ["related", "trump-putin-alaska-gipfel-ohne-waffenstillstand", "--lang", "en"]];

/** Each command with the cache and with --no-cache: the same exit code, output and warnings. */
function expectSameAsWithoutCache(): void {
  for (const command of COMMANDS) {
    const [cached, uncached] = [gazette(root, ...command), gazette(root, ...command, "--no-cache")];
    expect(cached, command.join(" ")).toEqual(uncached);
  }
}

describe("commands that read the build cache", () => {
  test("after a build, check, list and related reuse every record, print what they print without the cache, and leave the cache as it was", async () => {
    // In this process (Gazette's sources: a cache of their own, keyed by the code), then with the compiled CLI.
    await buildToMemory(root, { cache: true });
    const loaded = await loadSite({ root, cache: "read", dropMarkdown: true, features: false });
    expect(loaded.timings.find((timing) => timing.stage === "load+normalize")!.detail).toMatch(/14 from the cache/);
    expect(loaded.saveCache).toBeUndefined();
    expect(gazette(root, "build").status).toBe(0);
    const before = await cacheFiles();
    expect(before.size).toBeGreaterThan(0);
    expect(gazette(root, "check").stderr).toMatch(/check ok: 14 articles .* 1 warning/);
    expectSameAsWithoutCache();
    expect(await cacheFiles()).toEqual(before);
  });

  test("files edited since the build are read as they are now: a new error with its file and line, a new title", async () => {
    const broken = path.join(root, "articles/trump-offen-fuer-treffen-mit-putin/de.md");
    const retitled = path.join(root, "articles/gleicher-titel-zwei/de.md");
    const [brokenText, retitledText] = [await readFile(broken, "utf8"), await readFile(retitled, "utf8")];
    const before = await cacheFiles();
    try {
      await writeFile(broken, brokenText.replace(/^date: .*$/m, "date: 31/02/2025"));
      await writeFile(retitled, retitledText.replace("title: Gleicher Titel", "title: Ein anderer Titel"));
      const check = gazette(root, "check");
      expect(check.status).toBe(1);
      expect(check.stderr).toMatch(/articles\/trump-offen-fuer-treffen-mit-putin\/de\.md:\d+/);
      expect(check.stderr).not.toMatch(/already used/); // the slug clash is gone with the new title
      const listed = JSON.parse(gazette(root, "list", "--json").stdout) as { file: string; title: string }[];
      expect(listed.find((record) => record.file.endsWith("gleicher-titel-zwei/de.md"))?.title).toBe("Ein anderer Titel");
      expectSameAsWithoutCache();
      expect(await cacheFiles()).toEqual(before);
    } finally {
      await writeFile(broken, brokenText);
      await writeFile(retitled, retitledText);
    }
  });

  test("without a cache, check, list and related make none", async () => {
    const fresh = await makeTempSite({});
    try {
      await copyProject(fresh);
      for (const command of COMMANDS) expect(gazette(fresh, ...command).status, command.join(" ")).toBe(0);
      expect(existsSync(path.join(fresh, CACHE_DIR))).toBe(false);
    } finally {
      await removeTempSite(fresh);
    }
  });
});
