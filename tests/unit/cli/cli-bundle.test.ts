// The CLI bundle and its code cache (src/cli/cli-bundle.ts, make-bundle.ts), as `npm run compile` made them in dist/.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { bundleIdOf, cacheFileBytes } from "../../../src/cli/cli-bundle.js";
import { binFlags, rewriteModule } from "../../../src/cli/make-bundle.js";
import { REPO_ROOT } from "../../helpers/temp-site.js";

const BUNDLE = path.join(REPO_ROOT, "dist/gazette.cjs");
const CACHE = path.join(REPO_ROOT, "dist/gazette.cjs.v8-cache");
const FLAGS = binFlags(readFileSync(path.join(REPO_ROOT, "bin/gazette.js"), "utf8"));
const temp = mkdtempSync(path.join(tmpdir(), "gazette-bundle-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/**
 * Runs `gazette --version` in a fresh Node (with `flags`) through the loader's `entry` given
 * `files`: its exit code, what the entry says of the cache (and of the code it ran), and what it printed.
 */
function versionThrough(flags: string[], entry: "loadBundle" | "cliEntry", files: Record<string, string>): { via?: string; cache: string | null; code: number; stdout: string } {
  const loader = pathToFileURL(path.join(REPO_ROOT, "dist/cli/cli-bundle.js")).href;
  const script = `import { ${entry} } from ${JSON.stringify(loader)}; const loaded = await ${entry}(${JSON.stringify(files)}); const code = await loaded.main(["--version"]); console.log(JSON.stringify({ via: loaded.via, cache: loaded.cache, code }));`;
  const run = spawnSync(process.execPath, [...flags, "--input-type=module", "-e", script], { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  const lines = run.stdout.trim().split("\n");
  return { ...(JSON.parse(lines.at(-1)!) as { via?: string; cache: string | null; code: number }), stdout: lines.slice(0, -1).join("\n") };
}

/** Loads the bundle in a fresh Node (with `flags`) and runs `gazette --version` through it. */
const loadIn = (flags: string[], files = { bundle: BUNDLE, cache: CACHE }) => versionThrough(flags, "loadBundle", files);

describe("the bin's flags", () => {
  test("are what follows node on the first line", () => {
    expect(binFlags("#!/usr/bin/env -S node --max-semi-space-size=32 --stack-size=2000\nimport x;")).toEqual(["--max-semi-space-size=32", "--stack-size=2000"]);
    expect(binFlags("#!/usr/bin/env node\n")).toEqual([]);
    expect(() => binFlags("#!/bin/sh\nexec node x")).toThrow(/does not run node/);
  });
});

describe("a module's code in the bundle", () => {
  test("has import.meta and imports of packages in terms of the wrapper's parameters; relative imports stay for the bundler", () => {
    const code = [
      'const WORKER = new URL("./load-worker.js", import.meta.url);',
      'const entry = import.meta.resolve("eld/extrasmall");',
      "const pagefind = await import(`${import.meta.resolve(\"pagefind\")}?language=de`);",
      'const { spawn } = await import("node:child_process");',
      'const near = await import("./near.js"); const far = await import(\'../far.js\');',
      "thing.import(x); reimport(y);",
    ].join("\n");
    const out = rewriteModule(code, "workers/parallel-load.js");
    expect(out).toContain('new URL("./load-worker.js", new URL("workers/parallel-load.js", __gazetteDist).href)');
    expect(out).toContain('__gazetteResolve("eld/extrasmall")');
    expect(out).toContain('await __gazetteImport(`${__gazetteResolve("pagefind")}?language=de`)');
    expect(out).toContain('await __gazetteImport("node:child_process")');
    expect(out).toContain('await import("./near.js")');
    expect(out).toContain("await import('../far.js')");
    expect(out).toContain("thing.import(x); reimport(y);");
    expect(out).not.toContain("import.meta");
  });
});

describe("the compiled bundle", () => {
  const code = readFileSync(BUNDLE, "utf8");

  test("starts with the SHA-256 of the rest, and keeps nothing only an ES module has", () => {
    const id = bundleIdOf(code);
    expect(id).toBe(createHash("sha256").update(code.slice(code.indexOf("\n") + 1)).digest("hex"));
    expect(code).not.toMatch(/\bimport\.meta\b/);
    expect(code).not.toMatch(/(?<![\w$.])import\(/);
  });

  test("carries dist/'s code hash, the one the ES modules make from the files (a cache filled by either is the other's)", () => {
    const module = pathToFileURL(path.join(REPO_ROOT, "dist/cache/record-cache.js")).href;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", `import { hashCode } from ${JSON.stringify(module)}; console.log(hashCode());`], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const hash = run.stdout.trim();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(code).toContain(JSON.stringify(hash));
  });

  test("runs a module reached by import() only when it is imported: a build from the cache never runs the normalizer or the scoring", () => {
    for (const module of ["normalize/normalize-article.js", "related/compute-related.js", "workers/load-shard.js", "dev/dev-server.js"]) {
      expect(code, module).toMatch(new RegExp(`= __esm\\(\\{\\s*"dist/${module.replace(/[./]/g, "\\$&")}"\\(\\)`));
    }
  });

  test("its code cache is taken under the bin's flags, and refused (the CLI running as well) under others", () => {
    expect(loadIn(FLAGS)).toMatchObject({ cache: "used", code: 0, stdout: expect.stringMatching(/^gazette \d+\.\d+\.\d+$/) });
    const other = loadIn(["--max-semi-space-size=8"]);
    expect(other).toMatchObject({ cache: "rejected", code: 0, stdout: expect.stringMatching(/^gazette /) });
  });

  test("a cache of another bundle is not given to V8; without a cache the bundle is compiled as it is", () => {
    const stale = path.join(temp, "stale.v8-cache");
    writeFileSync(stale, cacheFileBytes("0".repeat(64), readFileSync(CACHE).subarray(65)));
    expect(loadIn(FLAGS, { bundle: BUNDLE, cache: stale })).toMatchObject({ cache: "stale", code: 0 });
    expect(loadIn(FLAGS, { bundle: BUNDLE, cache: path.join(temp, "none") })).toMatchObject({ cache: "missing", code: 0 });
    const garbled = path.join(temp, "garbled.v8-cache");
    writeFileSync(garbled, cacheFileBytes(bundleIdOf(readFileSync(BUNDLE, "utf8"))!, Buffer.alloc(4096, 7)));
    expect(loadIn(FLAGS, { bundle: BUNDLE, cache: garbled })).toMatchObject({ cache: "rejected", code: 0 });
  });
});

describe("the CLI's entry", () => {
  /** Which code a fresh Node runs `gazette --version` with, given dist/'s build info file. */
  function entryIn(buildInfo: string): { via?: string; cache: string | null; code: number } {
    const { stdout: _printed, ...entry } = versionThrough(FLAGS, "cliEntry", { bundle: BUNDLE, cache: CACHE, buildInfo });
    return entry;
  }

  test("is the bundle when it was made after tsc last wrote dist/, else the ES modules tsc wrote (tsc --watch while developing)", () => {
    const buildInfo = path.join(temp, ".tsbuildinfo");
    writeFileSync(buildInfo, "{}");
    utimesSync(buildInfo, new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect(entryIn(buildInfo)).toEqual({ via: "bundle", cache: "used", code: 0 });
    const later = new Date(Date.now() + 60_000);
    utimesSync(buildInfo, later, later);
    expect(entryIn(buildInfo)).toEqual({ via: "modules", cache: null, code: 0 });
    expect(entryIn(path.join(temp, "no-build-info"))).toMatchObject({ via: "bundle" });
  });
});

