import { cp, mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED_DIR = path.resolve(REPO_ROOT, "../shared");

/**
 * Writes a small site from an inline file map into a fresh temp folder and returns its root.
 *   await makeTempSite({ "articles/a/de.md": "---\ntitle: A\n---\nText" })
 */
export async function makeTempSite(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "gazette-test-"));
  for (const [relative, content] of Object.entries(files)) {
    const absolute = path.join(root, relative);
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
  return root;
}

/** Copies a project's articles, entity table and config (the repository's, by default) into `root`. */
export async function copyProject(root: string, from = REPO_ROOT): Promise<void> {
  for (const entry of ["articles", "data", "gazette.config.yml"]) await cp(path.join(from, entry), path.join(root, entry), { recursive: true });
}

/**
 * A temporary copy of the repository's site for the tests of the file or block that calls this:
 * made before them, removed after them. Returns the copy's root (once they run).
 */
export function useProjectCopy(): () => string {
  let root: string | null = null;
  beforeAll(async () => {
    root = await makeTempSite({});
    await copyProject(root);
  });
  afterAll(async () => {
    if (root) await removeTempSite(root);
  });
  return () => {
    if (!root) throw new Error("the project copy is made before the tests run");
    return root;
  };
}

export async function removeTempSite(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

/** A minimal valid article in a language. */
export function article(fields: Record<string, string>, body = "Ein kurzer Text über die Gespräche in Berlin, der genügend Wörter enthält."): string {
  const lines = Object.entries(fields).map(([key, value]) => `${key}: ${value}`);
  return `---\n${lines.join("\n")}\n---\n\n${body}\n`;
}

/** Runs load + normalize (what `gazette check` runs) over an inline site. */
export async function loadFiles(files: Record<string, string | Uint8Array>) {
  const { loadSite } = await import("../../src/build.js");
  const root = await makeTempSite(files);
  try {
    return await loadSite({ root });
  } finally {
    await removeTempSite(root);
  }
}

/** Builds a site into memory (nothing on disk) with a fixed build date; returns the files. */
export async function buildToMemory(root: string, options: { content?: string; out?: string; baseUrl?: string; drafts?: boolean; epoch?: string; cache?: boolean } = {}) {
  const { buildSite } = await import("../../src/build.js");
  const { MemoryWriter } = await import("../../src/output/write-output.js");
  const writer = new MemoryWriter();
  const previous = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = options.epoch ?? "1755734400"; // 2025-08-21T00:00:00Z
  try {
    const result = await buildSite({
      root,
      writer,
      ...(options.content ? { content: options.content } : {}),
      ...(options.out ? { out: options.out } : {}),
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.drafts ? { drafts: true } : {}),
      ...(options.cache ? { cache: true } : {}),
    });
    return { result, files: writer.files };
  } finally {
    if (previous === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = previous;
  }
}

export function text(body: string | Uint8Array): string {
  return typeof body === "string" ? body : Buffer.from(body).toString("utf8");
}

/**
 * Large outputs are scanned up front, on a thread, while the build plans (output/scan-output.ts);
 * small ones are looked at file by file as pages are reused. Suites of the page cache run both ways:
 * `describe.each(OUTPUT_SCAN_MODES)("$mode", ({ scan }) => …)`, with GAZETTE_SCAN_THREAD set to `scan`.
 */
export const OUTPUT_SCAN_MODES = [
  { mode: "each file looked at as it is reused", scan: "0" },
  { mode: "the output scanned up front, as for large sites", scan: "1" },
] as const;
