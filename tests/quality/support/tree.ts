import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";

/**
 * Every entry under `dir` (POSIX relative path -> "dir", "link -> target" or the file's SHA-256),
 * skipping the relative paths in `exclude` and everything below them.
 *   snapshotTree("/tmp/x", ["project/public"]) -> Map { "project" => "dir", "project/a.md" => "9f…" }
 */
export async function snapshotTree(dir: string, exclude: readonly string[] = []): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const skip = new Set(exclude);
  async function walk(relative: string): Promise<void> {
    const absolute = path.join(dir, relative);
    const entries = await readdir(absolute, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (skip.has(child)) continue;
      const full = path.join(dir, child);
      if (entry.isSymbolicLink()) out.set(child, `link -> ${await readlink(full)}`);
      else if (entry.isDirectory()) {
        out.set(child, "dir");
        await walk(child);
      } else out.set(child, sha256(await readFile(full)));
    }
  }
  await walk("");
  return out;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The differences between two snapshots, as readable lines ("+ a", "- b", "~ c"). */
export function diffTrees(before: Map<string, string>, after: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [name, value] of after) {
    if (!before.has(name)) lines.push(`+ ${name}`);
    else if (before.get(name) !== value) lines.push(`~ ${name}`);
  }
  for (const name of before.keys()) if (!after.has(name)) lines.push(`- ${name}`);
  return lines.sort();
}

/** The files of a built site (bytes by POSIX relative path), symlinks and folders left out. */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, full).split(path.sep).join("/"), await readFile(full));
  }
  return out;
}

export async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}
