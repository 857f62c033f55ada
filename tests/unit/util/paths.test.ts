/** The prefix fast paths of util/paths.ts must answer exactly as path.relative does. */
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isInside, toProjectPath } from "../../../src/util/paths.js";

function slowProjectPath(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join("/");
}

function slowIsInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (relative !== ".." && !relative.startsWith("../") && !path.isAbsolute(relative));
}

// Segments that make paths plain and not: dots, empty ones, names sharing a prefix ("a", "ab").
const segment = fc.constantFrom("a", "ab", "b", ".", "..", "", "articles", "articles-old", "de.md", "..x", ".hidden");
const anyPath = fc.array(segment, { maxLength: 6 }).chain((parts) => fc.constantFrom("/", "", "./").map((start) => start + parts.join("/")));

describe("toProjectPath and isInside", () => {
  test("agree with path.relative for absolute, relative, plain and unnormalized paths", () => {
    fc.assert(
      fc.property(anyPath, anyPath, (a, b) => {
        expect(toProjectPath(a, b)).toBe(slowProjectPath(a, b));
        expect(isInside(a, b)).toBe(slowIsInside(a, b));
      }),
      { numRuns: 20_000, seed: 20261205 },
    );
  });

  test("the common cases", () => {
    expect(toProjectPath("/site", "/site/articles/a/de.md")).toBe("articles/a/de.md");
    expect(toProjectPath("/site", "/site")).toBe("");
    expect(toProjectPath("/site", "/site-old/a.md")).toBe("../site-old/a.md");
    expect(toProjectPath("/", "/etc/x")).toBe("etc/x");
    expect(isInside("/out", "/out/de/index.html")).toBe(true);
    expect(isInside("/out", "/out")).toBe(true);
    expect(isInside("/out", "/outside/x")).toBe(false);
    expect(isInside("/out", "/out/../etc/passwd")).toBe(false);
    expect(isInside("/", "/anything")).toBe(true);
    expect(isInside("/out", "/out/..x/index.html")).toBe(true); // a name that starts with two dots is still inside
    expect(isInside("/out", "out/de")).toBe(isInside("/out", path.resolve("out/de"))); // relative: resolved from the working directory
  });
});
