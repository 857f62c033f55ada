import path from "node:path";

/**
 * An absolute POSIX path with no `.`, `..` or empty segment and no trailing `/`: for two such
 * paths, being inside the other is a matter of prefixes. `path.relative` normalizes both paths on
 * every call, and builds call these helpers for every content file and every page (~0.3 s of a
 * warm 10,000-story build); the paths they get are nearly always of this form.
 */
function isPlainAbsolute(p: string): boolean {
  if (path.sep !== "/" || p.charCodeAt(0) !== 47 /* / */) return false;
  if (p.length === 1) return true;
  return !p.endsWith("/") && !p.includes("//") && !p.includes("/./") && !p.includes("/../") && !p.endsWith("/.") && !p.endsWith("/..");
}

/** Project-relative POSIX path, the form every location and record uses. */
export function toProjectPath(root: string, absolute: string): string {
  if (isPlainAbsolute(root) && isPlainAbsolute(absolute)) {
    if (absolute === root) return "";
    const prefix = root === "/" ? root : `${root}/`;
    if (absolute.startsWith(prefix)) return absolute.slice(prefix.length);
    // Outside the root (a content folder given with --content elsewhere): up to the common folder, then down.
    const from = root === "/" ? [] : root.slice(1).split("/");
    const to = absolute === "/" ? [] : absolute.slice(1).split("/");
    let shared = 0;
    while (shared < from.length && shared < to.length && from[shared] === to[shared]) shared++;
    return [...Array<string>(from.length - shared).fill(".."), ...to.slice(shared)].join("/");
  }
  const relative = path.relative(root, absolute);
  return relative.split(path.sep).join("/");
}

/** True when `child` is `parent` itself or lies inside it (both absolute, resolved). */
export function isInside(parent: string, child: string): boolean {
  if (isPlainAbsolute(parent) && isPlainAbsolute(child)) {
    return child === parent || child.startsWith(parent === "/" ? parent : `${parent}/`);
  }
  const relative = path.relative(parent, child);
  // "..x" is a name inside; only ".." itself (or a path through it) leads out.
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}
