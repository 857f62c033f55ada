/**
 * The persistent build cache (.gazette-cache/): a build that reuses records must give the same
 * bytes and the same warnings as a build without it, whatever changed in between, and a cache
 * that is corrupt, or made with another config or entity table, is ignored.
 */
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rmSync } from "node:fs";
import { CACHE_DIR } from "../../src/cache/record-cache.js";
import { SNAPSHOT_FILE } from "../../src/cache/site-snapshot.js";
import { REPO_ROOT, buildToMemory, copyProject, makeTempSite, removeTempSite, text } from "../helpers/temp-site.js";

let root: string;

beforeAll(async () => {
  root = await makeTempSite({});
  await copyProject(root);
});

afterAll(async () => {
  await removeTempSite(root);
});

/** The cache's record shards (records-v1/<n>.bin). */
async function shardFiles(): Promise<string[]> {
  const dir = path.join(root, CACHE_DIR, "records-v1");
  return (await readdir(dir)).filter((name) => name.endsWith(".bin")).map((name) => path.join(dir, name));
}

/** Builds with the cache; returns the files, the warnings and how many records were reused. */
async function cachedBuild(out?: string) {
  const { result, files } = await buildToMemory(root, { cache: true, ...(out ? { out } : {}) });
  const detail = result.timings.find((timing) => timing.stage === "load+normalize")!.detail;
  const reused = Number(/(\d+) from the cache/.exec(detail)?.[1]);
  const related = result.timings.find((timing) => timing.stage === "related")!.detail;
  return { files, warnings: result.warnings, reused, related, wroteCache: result.timings.some((timing) => timing.stage === "cache" && timing.detail === "written") };
}

/** A build without the cache: the reference. */
async function coldBuild() {
  const { result, files } = await buildToMemory(root);
  return { files, warnings: result.warnings };
}

function expectSameSite(actual: { files: Map<string, string | Uint8Array>; warnings: unknown[] }, expected: { files: Map<string, string | Uint8Array>; warnings: unknown[] }): void {
  expect([...actual.files.keys()].sort()).toEqual([...expected.files.keys()].sort());
  for (const [file, body] of expected.files) expect(text(actual.files.get(file)!), file).toBe(text(body));
  expect(actual.warnings).toEqual(expected.warnings);
}

describe("the persistent build cache", () => {
  test("a second build reuses every record and gives the same bytes and warnings", async () => {
    const first = await cachedBuild();
    expect(first.reused).toBe(0);
    expect(first.wroteCache).toBe(true);
    const second = await cachedBuild();
    expect(second.reused).toBe(12);
    expect(second.wroteCache).toBe(false); // nothing changed: not rewritten
    expectSameSite(second, await coldBuild());
    expectSameSite(first, second);
  });

  test("a build into another output folder reuses every record: they do not depend on where the pages go", async () => {
    await cachedBuild();
    const elsewhere = await cachedBuild("elsewhere");
    expect(elsewhere.reused).toBe(12);
    expectSameSite(elsewhere, await coldBuild());
  });

  test("an edited article is parsed again; the others are reused", async () => {
    const file = path.join(root, "articles/trump-offen-fuer-treffen-mit-putin/de.md");
    const source = await readFile(file, "utf8");
    await writeFile(file, source.replace(/^title: .*$/m, "title: Trump offen für ein Gipfeltreffen").replace(/\n*$/, "\n\nDer Kreml äußerte sich zunächst nicht.\n"));
    const warm = await cachedBuild();
    expect(warm.reused).toBe(11);
    expect(warm.wroteCache).toBe(true);
    expectSameSite(warm, await coldBuild());
    expect(text(warm.files.get("de/trump-offen-fuer-ein-gipfeltreffen/index.html")!)).toContain("Der Kreml äußerte sich zunächst nicht.");
  });

  test("related lists are reused while no article's features change, and computed again when one does", async () => {
    await cachedBuild();
    const unchanged = await cachedBuild();
    expect(unchanged.related).toMatch(/from the cache/);
    expectSameSite(unchanged, await coldBuild());

    // Who wrote it is no related-articles feature: the lists are reused, the pages still follow the edit.
    const file = path.join(root, "articles/trump-offen-fuer-treffen-mit-putin/de.md");
    const source = await readFile(file, "utf8");
    const page = [...unchanged.files.keys()].find((name) => name.startsWith("de/trump-offen-fuer-") && name.endsWith("/index.html"))!; // its title was edited above
    expect(page).toBeDefined();
    try {
      await writeFile(file, source.replace(/^author: .*$/m, "author: Erika Musterfrau"));
      const byline = await cachedBuild();
      expect(byline.related).toMatch(/from the cache/);
      expect(text(byline.files.get(page)!)).toContain("Erika Musterfrau");
      expectSameSite(byline, await coldBuild());

      // Stories excluded from its list are: every list is computed again, and the page lists none of them.
      const others = ["diplomatische-bemuehungen-trump-putin-stagnieren", "trump-putin-alaska-gipfel-ohne-waffenstillstand", "trump-putin-telefonat-ohne-fortschritte", "trump-putin-verhandlungen-ukraine-krieg"];
      await writeFile(file, source.replace(/^author: .*$/m, `author: Erika Musterfrau\nrelated_exclude: [${others.join(", ")}]`));
      const pinned = await cachedBuild();
      expect(pinned.related).not.toMatch(/from the cache/);
      expect(text(pinned.files.get(page)!)).not.toBe(text(byline.files.get(page)!));
      expectSameSite(pinned, await coldBuild());
      expect((await cachedBuild()).related).toMatch(/from the cache/);

      // Lists whose bytes changed are computed again, even when they still parse (one digit of the last list).
      const listsFile = path.join(root, CACHE_DIR, "related-v1.bin");
      const bytes = await readFile(listsFile);
      const digit = bytes.lastIndexOf(",0,-1") - 1; // the last digit of a score
      expect(digit).toBeGreaterThan(0);
      bytes[digit] = bytes[digit] === 0x31 ? 0x32 : 0x31;
      await writeFile(listsFile, bytes);
      const corrupt = await cachedBuild();
      expect(corrupt.related).not.toMatch(/from the cache/);
      expectSameSite(corrupt, await coldBuild());
    } finally {
      await writeFile(file, source);
    }
  });

  test("a corrupt or truncated cache is ignored and rewritten", async () => {
    const shards = await shardFiles();
    expect(shards.length).toBeGreaterThan(1);
    for (const shard of shards) {
      const good = await readFile(shard);
      await writeFile(shard, good.subarray(0, Math.max(8, Math.floor(good.length / 2))));
    }
    const truncated = await cachedBuild();
    expect(truncated.reused).toBe(0);
    expectSameSite(truncated, await coldBuild());
    expect((await cachedBuild()).reused).toBe(12); // rewritten
    for (const shard of shards) await writeFile(shard, Buffer.from("not a cache at all"));
    const garbage = await cachedBuild();
    expect(garbage.reused).toBe(0);
    expectSameSite(garbage, await coldBuild());
    expect((await cachedBuild()).reused).toBe(12);
  });

  test("editing one article rewrites one shard of the cache", async () => {
    const before = new Map<string, number>();
    const { stat } = await import("node:fs/promises");
    for (const shard of await shardFiles()) before.set(shard, (await stat(shard)).mtimeMs);
    const file = path.join(root, "articles/trump-putin-telefonat-ohne-fortschritte/de.md");
    const source = await readFile(file, "utf8");
    await writeFile(file, `${source.trimEnd()}\n\nDas Gespräch dauerte eine Stunde.\n`);
    await new Promise((resolve) => setTimeout(resolve, 20)); // distinct mtimes
    expect((await cachedBuild()).reused).toBe(11);
    let rewritten = 0;
    for (const shard of await shardFiles()) if ((await stat(shard)).mtimeMs !== before.get(shard)) rewritten++;
    expect(rewritten).toBe(1);
    await writeFile(file, source);
  });

  test("a changed config or entity table reuses nothing", async () => {
    const configFile = path.join(root, "gazette.config.yml");
    const config = await readFile(configFile, "utf8");
    await writeFile(configFile, config.replace(/^timeZone: .*$/m, "timeZone: America/New_York"));
    const otherZone = await cachedBuild();
    expect(otherZone.reused).toBe(0);
    expectSameSite(otherZone, await coldBuild());
    await writeFile(configFile, config);

    const entitiesFile = path.join(root, "data/entities.yml");
    const entities = await readFile(entitiesFile, "utf8");
    const edited = `${entities.trimEnd()}\n\nerika-musterfrau:\n  kind: person\n  names: { de: Erika Musterfrau }\n  aliases: []\n`;
    await writeFile(entitiesFile, edited);
    const otherEntities = await cachedBuild();
    expect(otherEntities.reused).toBe(0);
    expectSameSite(otherEntities, await coldBuild());
    await writeFile(entitiesFile, entities);
  });

  test("a build that fails on one file keeps the others' records; the fix reuses them", async () => {
    await cachedBuild();
    const file = path.join(root, "articles/trump-putin-verhandlungen-ukraine-krieg/en.md");
    const source = await readFile(file, "utf8");
    await writeFile(file, source.replace(/^date: .*$/m, "date: 2025-02-30"));
    const failure: unknown = await buildToMemory(root, { cache: true }).then(
      () => null,
      (error: unknown) => error,
    );
    expect((failure as { errors?: { location?: { file?: string } }[] } | null)?.errors?.[0]?.location?.file).toBe("articles/trump-putin-verhandlungen-ukraine-krieg/en.md");
    await writeFile(file, source);
    const fixed = await cachedBuild();
    expect(fixed.reused).toBe(11);
    expectSameSite(fixed, await coldBuild());
  });

  test("temporary files of a build killed while writing the cache are removed; a running build's are not", async () => {
    await cachedBuild();
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!; // exited: its pid names a dead build
    const records = path.join(root, CACHE_DIR, "records-v1");
    const stale = [path.join(root, CACHE_DIR, `pages-v1.bin.${gone}.tmp`), path.join(records, `7.bin.${gone}.tmp`)];
    const running = path.join(records, `8.bin.${process.pid}.tmp`);
    for (const file of [...stale, running]) await writeFile(file, "partial");
    const edited = path.join(root, "articles/trump-offen-fuer-treffen-mit-putin/de.md");
    const source = await readFile(edited, "utf8");
    await writeFile(edited, source.replace(/^title: .*$/m, "title: Trump offen für ein Treffen"));
    try {
      expect((await cachedBuild()).wroteCache).toBe(true);
      for (const file of stale) await expect(readFile(file), file).rejects.toThrow(/ENOENT/);
      expect(await readFile(running, "utf8")).toBe("partial");
    } finally {
      await writeFile(edited, source);
      await rm(running);
    }
  });

  test("a cache folder that is a link is not written through", async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), "gazette-elsewhere-"));
    try {
      await rm(path.join(root, CACHE_DIR), { recursive: true, force: true });
      await symlink(elsewhere, path.join(root, CACHE_DIR));
      const { result, files } = await buildToMemory(root, { cache: true });
      expect(result.timings.find((timing) => timing.stage === "cache")?.detail).toMatch(/not written \(.*is a link/);
      expect(await readdir(elsewhere)).toEqual([]);
      expectSameSite({ files, warnings: result.warnings }, await coldBuild());
    } finally {
      await rm(path.join(root, CACHE_DIR), { force: true });
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  test("a touched file (same bytes, new times) is read again but not parsed, then trusted again", async () => {
    const { utimes } = await import("node:fs/promises");
    await cachedBuild();
    const file = path.join(root, "articles/trump-putin-telefonat-ohne-fortschritte/de.md");
    const later = new Date(Date.now() + 60_000);
    await utimes(file, later, later);
    const touched = await cachedBuild();
    expect(touched.reused).toBe(12); // the content hash matched
    expect(touched.wroteCache).toBe(true); // with the new stat
    const again = await cachedBuild();
    expect(again.reused).toBe(12);
    expect(again.wroteCache).toBe(false);
    expectSameSite(again, await coldBuild());
  });

  test("an edit that keeps the size and puts the old modification time back is still seen", async () => {
    const { execFileSync } = await import("node:child_process");
    const { stat } = await import("node:fs/promises");
    await cachedBuild();
    const file = path.join(root, "articles/trump-putin-telefonat-ohne-fortschritte/en.md");
    const source = await readFile(file, "utf8");
    const reference = path.join(root, "reference-times");
    execFileSync("cp", ["-p", file, reference]);
    const edited = source.replace("Trump", "TRUMP");
    expect(edited.length).toBe(source.length);
    await writeFile(file, edited);
    execFileSync("touch", ["-r", reference, file]); // the old times to the nanosecond, as rsync -t or cp -p do
    expect((await stat(file, { bigint: true })).mtimeNs).toBe((await stat(reference, { bigint: true })).mtimeNs);
    const build = await cachedBuild();
    expect(build.reused).toBe(11);
    expectSameSite(build, await coldBuild());
    await writeFile(file, source);
    await rm(reference);
  });

  test("UI strings and config read from the cache follow their files' edits, and a broken one is still an error", async () => {
    const { mkdir } = await import("node:fs/promises");
    await cachedBuild();
    await mkdir(path.join(root, "templates/i18n"), { recursive: true });
    const strings = await readFile(path.join(REPO_ROOT, "templates/i18n/de.yml"), "utf8");
    const edited = strings.replace(/^skipToContent: .*$/m, "skipToContent: Gazette-Testtext");
    expect(edited).not.toBe(strings);
    await writeFile(path.join(root, "templates/i18n/de.yml"), edited);
    const withStrings = await cachedBuild();
    expectSameSite(withStrings, await coldBuild());
    expect([...withStrings.files.values()].some((body) => text(body).includes("Gazette-Testtext"))).toBe(true);
    await writeFile(path.join(root, "templates/i18n/de.yml"), `${edited}\nbroken: [unclosed\n`);
    const failure: unknown = await buildToMemory(root, { cache: true }).then(
      () => null,
      (error: unknown) => error,
    );
    expect((failure as { errors?: { location?: { file?: string } }[] } | null)?.errors?.[0]?.location?.file).toBe("templates/i18n/de.yml");
    await rm(path.join(root, "templates"), { recursive: true });
    expectSameSite(await cachedBuild(), await coldBuild());
  });

  test("the compiled CLI with the content listed and the output scanned on threads: an edit is seen, the rest reused, the same bytes as without the cache", async () => {
    const { readTree } = await import("../quality/support/tree.js");
    // Full builds (without the site snapshot a delta build would start from): their cache is the test.
    const gazette = (...args: string[]) => {
      rmSync(path.join(root, CACHE_DIR, SNAPSHOT_FILE), { force: true });
      const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin/gazette.js"), "build", "--verbose", ...args], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, GAZETTE_SCAN_THREAD: "1", SOURCE_DATE_EPOCH: "1755734400" },
      });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout + run.stderr;
    };
    const sameAsUncached = async (out: string) => {
      gazette("--no-cache", "--out", "out-cold");
      const [warm, cold] = [await readTree(path.join(root, out)), await readTree(path.join(root, "out-cold"))];
      for (const tree of [warm, cold]) tree.delete(".gazette-output");
      expect([...warm.keys()].sort()).toEqual([...cold.keys()].sort());
      for (const [file, bytes] of cold) expect(warm.get(file)!.equals(bytes), file).toBe(true);
    };
    gazette("--out", "out-threads");
    expect(gazette("--out", "out-threads")).toMatch(/12 from the cache/);
    const article = path.join(root, "articles/trump-putin-telefonat-ohne-fortschritte/de.md");
    const original = await readFile(article, "utf8");
    try {
      await writeFile(article, `${original}\nEin Absatz, erst nach dem Bau geschrieben.\n`);
      const warm = gazette("--out", "out-threads");
      expect(warm).toMatch(/11 from the cache/);
      const pages = [...(await readTree(path.join(root, "out-threads"))).values()].filter((bytes) => bytes.includes("erst nach dem Bau geschrieben"));
      expect(pages.length).toBeGreaterThan(0);
      await sameAsUncached("out-threads");
    } finally {
      await writeFile(article, original);
    }
  });

  test("a build whose records all come from the cache loads neither the normalizer nor the related-articles scoring (fresh CLI process)", async () => {
    // ~25 ms of a five-story build; a file parsed again needs them, and so do lists computed again.
    const hooks = `export async function resolve(specifier, context, next) { const result = await next(specifier, context); if (/\\/dist\\/(normalize\\/normalize-article|related\\/compute-related|workers\\/load-shard)\\.js$/.test(result.url)) process.stderr.write("LOADED " + result.url.split("/dist/")[1] + "\\n"); return result; }`;
    const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
    // The CLI's ES modules, not bin/gazette.js's bundle of them (which keeps their code lazy as they are: cli-bundle.test.ts).
    const cli = `import { main } from ${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, "dist/cli/main.js")).href)}; process.exitCode = await main(process.argv.slice(1));`;
    const loaded = (): string[] => {
      const run = spawnSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(register)}`, "--input-type=module", "-e", cli, "build", "--out", "out-lazy"], { cwd: root, encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      return [...new Set(run.stderr.split("\n").filter((line) => line.startsWith("LOADED ")).map((line) => line.slice("LOADED ".length)))].sort();
    };
    expect(loaded()).toEqual(["normalize/normalize-article.js", "related/compute-related.js", "workers/load-shard.js"]); // fills the cache
    expect(loaded()).toEqual([]);
    const article = path.join(root, "articles/trump-offen-fuer-treffen-mit-putin/de.md");
    const original = await readFile(article, "utf8");
    try {
      await writeFile(article, `${original}\nEin neuer Absatz.\n`);
      expect(loaded()).toContain("normalize/normalize-article.js");
    } finally {
      await writeFile(article, original);
    }
  });

  test("a build whose config, entities, UI strings and articles are plain YAML, or come from the cache, never loads the YAML parser (fresh CLI process)", async () => {
    // Loading `yaml` and running it the first time cost ~150 ms of a first build; only a source outside the plain subset (util/plain-yaml.ts) needs it.
    const yamlLoaded = (...args: string[]): boolean => {
      const script = `import moduleApi from "node:module"; process.on("exit", () => process.stderr.write("YAML " + Object.keys(moduleApi.createRequire(process.argv[1]).cache).some((file) => file.includes("/node_modules/yaml/")) + "\\n"));`;
      const run = spawnSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(script)}`, path.join(REPO_ROOT, "bin/gazette.js"), "build", "--out", "out-yaml", ...args], { cwd: root, encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      // One line per thread (a delta build checks on a worker): loaded if any loaded it.
      const answers = [...run.stderr.matchAll(/YAML (true|false)/g)].map((match) => match[1]);
      expect(answers.length, run.stderr).toBeGreaterThan(0);
      return answers.includes("true");
    };
    expect(yamlLoaded("--no-cache")).toBe(false); // the site's YAML files are all plain
    yamlLoaded(); // fills the cache
    expect(yamlLoaded()).toBe(false);
    const article = path.join(root, "articles/trump-offen-fuer-treffen-mit-putin/de.md");
    const config = path.join(root, "gazette.config.yml");
    const [articleText, configText] = [await readFile(article, "utf8"), await readFile(config, "utf8")];
    try {
      await writeFile(article, `${articleText}\nEin neuer Absatz.\n`); // stays on the frontmatter fast path
      expect(yamlLoaded()).toBe(false);
      await writeFile(config, `${configText}\n# edited\n`); // read again, still plain
      expect(yamlLoaded()).toBe(false);
      expect(configText).toMatch(/^seo: self$/m);
      await writeFile(config, configText.replace(/^seo: self$/m, "seo: !!str self")); // a tag: for the full parser
      expect(yamlLoaded()).toBe(true);
      expect(yamlLoaded("--no-cache")).toBe(true);
    } finally {
      await writeFile(article, articleText);
      await writeFile(config, configText);
    }
  });
});
