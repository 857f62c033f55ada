// The CLI as one script with a V8 code cache (made by `npm run compile`, see make-bundle.ts): a
// five-story build spends ~0.1 s of its ~0.55 s resolving, reading and compiling ~100 ES modules
// before it reads an article; one script whose bytecode is cached skips both. Node 20 has no
// compile cache for ES modules (module.enableCompileCache came in Node 22), hence a CommonJS
// script run through vm.Script, which takes cachedData.
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";

/** dist/, where the bundle, its cache and the modules the bundle was made from live. */
export const DIST_DIR = fileURLToPath(new URL("../", import.meta.url));
export const BUNDLE_FILE = fileURLToPath(new URL("../gazette.cjs", import.meta.url));
export const CODE_CACHE_FILE = fileURLToPath(new URL("../gazette.cjs.v8-cache", import.meta.url));
/** Written by every `tsc` run that emits dist/ (tsconfig.build.json's tsBuildInfoFile). */
export const BUILD_INFO_FILE = fileURLToPath(new URL("../.tsbuildinfo", import.meta.url));

/** The wrapper's parameters that stand for what ES modules have and a script lacks (make-bundle.ts uses them). */
export const BUNDLE_PARAMS = {
  /** dist/ as a file URL: `import.meta.url` becomes `new URL("<module's path in dist>", base).href`. */
  base: "__gazetteDist",
  /** `import(specifier)` of a package: a script compiled with cachedData loses Node 20's dynamic-import callback. */
  importModule: "__gazetteImport",
  /** `import.meta.resolve(specifier)`. */
  resolve: "__gazetteResolve",
};

/** The bundle's first line: this prefix and the SHA-256 of the rest, which its code cache repeats. */
export const BUNDLE_ID_PREFIX = "// gazette-bundle ";

/**
 * The function around the bundle's code. V8 accepts a cache for a source of the same length
 * (its check), so the cache also starts with the bundle's id, and a cache of another bundle is
 * never used.
 */
export function wrapBundle(code: string): string {
  const { base, importModule, resolve } = BUNDLE_PARAMS;
  return `(function (exports, require, module, __filename, __dirname, ${base}, ${importModule}, ${resolve}) {${code}\n})`;
}

/** The id on a bundle's first line, or null. */
export function bundleIdOf(code: string): string | null {
  if (!code.startsWith(BUNDLE_ID_PREFIX)) return null;
  const end = code.indexOf("\n");
  return end < 0 ? null : code.slice(BUNDLE_ID_PREFIX.length, end);
}

/** The cache file's layout: the bundle's id, a newline, V8's data. */
export function cacheFileBytes(id: string, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${id}\n`, "latin1"), data]);
}

export interface LoadedBundle {
  main: (argv: string[]) => Promise<number>;
  /** "used", "rejected" by V8 (another Node or other flags), "stale" (another bundle's) or "missing". */
  cache: "used" | "rejected" | "stale" | "missing";
}

/** Runs the bundle (with its code cache when it is this bundle's) and returns its `main`. */
export function loadBundle(files: { bundle: string; cache: string } = { bundle: BUNDLE_FILE, cache: CODE_CACHE_FILE }): LoadedBundle {
  const code = readFileSync(files.bundle, "utf8");
  const id = bundleIdOf(code);
  let cachedData: Buffer | undefined;
  let cache: LoadedBundle["cache"] = "missing";
  try {
    const bytes = readFileSync(files.cache);
    const end = bytes.indexOf(10);
    if (id !== null && end > 0 && bytes.toString("latin1", 0, end) === id) cachedData = bytes.subarray(end + 1);
    else cache = "stale";
  } catch {
    // No cache: compiled as any script is.
  }
  const script = new vm.Script(wrapBundle(code), { filename: files.bundle, ...(cachedData ? { cachedData } : {}) });
  if (cachedData) cache = script.cachedDataRejected ? "rejected" : "used";
  const module = { exports: {} as { main?: LoadedBundle["main"] } };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  // Packages and Node's modules resolve from dist/, as they did from the modules (the bundle is in dist/).
  const importModule = (specifier: string) => import(specifier);
  const resolve = (specifier: string) => import.meta.resolve(specifier);
  const dist = path.dirname(files.bundle);
  run(module.exports, createRequire(files.bundle), module, files.bundle, dist, pathToFileURL(`${dist}/`).href, importModule, resolve);
  if (typeof module.exports.main !== "function") throw new Error(`${files.bundle} has no main(): run \`npm run compile\` again.`);
  return { main: module.exports.main, cache };
}

export interface CliEntry {
  main: LoadedBundle["main"];
  /** "bundle", or "modules" when tsc wrote dist/ after the bundle was made (`tsc --watch` while developing). */
  via: "bundle" | "modules";
  cache: LoadedBundle["cache"] | null;
}

/**
 * The CLI's `main`: from the bundle, unless tsc compiled dist/ again after it was made (only
 * `npm run compile` makes both): then from the ES modules themselves, which are what tsc wrote.
 */
export async function cliEntry(files = { bundle: BUNDLE_FILE, cache: CODE_CACHE_FILE, buildInfo: BUILD_INFO_FILE }): Promise<CliEntry> {
  const bundled = statSync(files.bundle, { throwIfNoEntry: false });
  const compiled = statSync(files.buildInfo, { throwIfNoEntry: false });
  if (bundled && (!compiled || compiled.mtimeMs <= bundled.mtimeMs)) {
    const { main, cache } = loadBundle(files);
    return { main, via: "bundle", cache };
  }
  const { main } = (await import(new URL("./main.js", import.meta.url).href)) as { main: LoadedBundle["main"] };
  return { main, via: "modules", cache: null };
}
