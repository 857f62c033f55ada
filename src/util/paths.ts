import path from "node:path";

/** Project-relative POSIX path, the form every location and record uses. */
export function toProjectPath(root: string, absolute: string): string {
  const relative = path.relative(root, absolute);
  return relative.split(path.sep).join("/");
}

/** True when `child` is `parent` itself or lies inside it (both absolute, resolved). */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
