// The CLI bundle (see cli-bundle.ts), made by `npm run compile` after tsc (write-bundle.ts):
// dist/cli/main.js and the modules it imports (not the packages, not the worker threads' modules,
// which load as they are) as one CommonJS script, dist/gazette.cjs, and V8's code cache of it with
// every function compiled.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { build, type Plugin } from "esbuild";
import { hashCode } from "../cache/record-cache.js";
import { BUNDLE_FILE, BUNDLE_ID_PREFIX, BUNDLE_PARAMS, CODE_CACHE_FILE, DIST_DIR, bundleIdOf, cacheFileBytes, wrapBundle } from "./cli-bundle.js";

export const BIN_FILE = fileURLToPath(new URL("../../bin/gazette.js", import.meta.url));

/** The Node flags on bin/gazette.js's first line: V8 takes a code cache only under the flags it was made with. */
export function binFlags(shebang: string): string[] {
  const match = /^#!.*?\bnode\b(.*)$/m.exec(shebang.split("\n", 1)[0] ?? "");
  if (!match) throw new Error(`${BIN_FILE}: its first line does not run node.`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}

/** What the bundle's code has in place of `import.meta` and of `import()` of a package, per module. */
export function rewriteModule(code: string, pathInDist: string): string {
  const { base, importModule, resolve } = BUNDLE_PARAMS;
  return (
    code
      .replaceAll("import.meta.url", `new URL(${JSON.stringify(pathInDist)}, ${base}).href`)
      .replaceAll("import.meta.resolve(", `${resolve}(`)
      // Relative imports are bundled; what is left (packages, a computed specifier) is imported.
      .replace(/(?<![\w$.])import\((?!\s*["']\.)/g, `${importModule}(`)
  );
}

const rewriteDist: Plugin = {
  name: "gazette-dist",
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.js$/ }, (args) => {
      const pathInDist = path.relative(DIST_DIR, args.path).split(path.sep).join("/");
      if (pathInDist.startsWith("..")) return undefined;
      return { contents: rewriteModule(readFileSync(args.path, "utf8"), pathInDist), loader: "js" };
    });
  },
};

export async function makeBundle(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(DIST_DIR, "cli", "main.js")],
    // The modules' names in the bundle are relative to it: the same bundle from any working folder.
    absWorkingDir: path.dirname(DIST_DIR),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    write: false,
    logLevel: "warning",
    plugins: [rewriteDist],
    // dist/'s code hash, as the modules would make it from the files (record-cache.ts).
    define: { GAZETTE_CODE_HASH: JSON.stringify(hashCode()) },
  });
  const body = result.outputFiles[0]!.text;
  // A module left as ES would fail only when run: refuse it here.
  const left = /\bimport\.meta\b|(?<![\w$.])import\(/.exec(body);
  if (left) throw new Error(`the bundle still has \`${left[0]}\` near: ${body.slice(Math.max(0, left.index - 80), left.index + 40)}`);
  const id = createHash("sha256").update(body).digest("hex");
  return `${BUNDLE_ID_PREFIX}${id}\n${body}`;
}

/** V8's cache of the wrapped bundle with every function compiled, not only those V8 compiles up front. */
export function codeCache(code: string): Buffer {
  v8.setFlagsFromString("--no-lazy");
  let script: vm.Script;
  try {
    script = new vm.Script(wrapBundle(code), { filename: BUNDLE_FILE });
  } finally {
    // Back as before the cache is made, or it would carry the flags' hash of --no-lazy and be refused.
    v8.setFlagsFromString("--lazy");
  }
  return script.createCachedData();
}

function writeAtomically(file: string, bytes: string | Uint8Array): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, file);
}

/**
 * Writes the bundle and its cache. V8 takes a cache only under the flags it was made with, so
 * this runs again under bin/gazette.js's flags when the process has others.
 */
export async function writeBundle(script: string): Promise<void> {
  const flags = binFlags(readFileSync(BIN_FILE, "utf8"));
  if (flags.join(" ") !== process.execArgv.join(" ")) {
    // Once: a Node that reports its flags otherwise than given would not start a third.
    if (process.env.GAZETTE_BUNDLE_FLAGS === flags.join(" ")) throw new Error(`run with ${flags.join(" ")}, Node reports its flags as "${process.execArgv.join(" ")}".`);
    execFileSync(process.execPath, [...flags, script], { stdio: "inherit", env: { ...process.env, GAZETTE_BUNDLE_FLAGS: flags.join(" ") } });
    return;
  }
  rmSync(CODE_CACHE_FILE, { force: true });
  const code = await makeBundle();
  writeAtomically(BUNDLE_FILE, code);
  writeAtomically(CODE_CACHE_FILE, cacheFileBytes(bundleIdOf(code)!, codeCache(code)));
}
