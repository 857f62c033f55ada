/**
 * The frontmatter fast path (src/content/fast-frontmatter.ts) must give exactly what the `yaml`
 * document gives, or step aside: parseFrontmatter with and without it is compared on every
 * Markdown file the project has (site, fixtures, a generated corpus), on tricky inputs written
 * here, and on random blocks from an alphabet of YAML's special characters.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseFastFrontmatter } from "../../../src/content/fast-frontmatter.js";
import { parseFrontmatter } from "../../../src/content/parse-frontmatter.js";
import { REPO_ROOT, SHARED_DIR } from "../../helpers/temp-site.js";

function outcome(text: string, fastPath: boolean): unknown {
  try {
    return parseFrontmatter(text, "a.md", { fastPath });
  } catch (error) {
    const failed = error as Error & { location?: unknown; hint?: unknown };
    return { error: failed.message, location: failed.location, hint: failed.hint };
  }
}

function expectSame(text: string): void {
  expect(outcome(text, true), JSON.stringify(text)).toEqual(outcome(text, false));
}

/** The YAML block of a file with plain fences, as the fast path gets it; null for others. */
function block(text: string): string | null {
  if (!text.startsWith("---\n")) return null;
  const close = text.indexOf("\n---", 3);
  return close === -1 ? null : text.slice(4, close);
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

let corpus: string;
beforeAll(async () => {
  corpus = await mkdtemp(path.join(os.tmpdir(), "gazette-fast-fm-"));
  execFileSync(process.execPath, [path.join(SHARED_DIR, "bench/make-corpus.mjs"), "--out", corpus, "--stories", "300", "--seed", "11"], { stdio: "ignore" });
}, 60_000);
afterAll(async () => {
  await rm(corpus, { recursive: true, force: true });
});

describe("the frontmatter fast path", () => {
  test("equals the yaml path on every Markdown file of the site, the fixtures and a generated corpus", () => {
    const files = [...markdownFiles(path.join(REPO_ROOT, "articles")), ...markdownFiles(path.join(REPO_ROOT, "tests/fixtures")), ...markdownFiles(corpus)];
    expect(files.length).toBeGreaterThan(600);
    for (const file of files) expectSame(readFileSync(file, "utf8"));
  });

  test("takes every file of the site and of the generated corpus (or it would save nothing)", () => {
    for (const file of [...markdownFiles(path.join(REPO_ROOT, "articles")), ...markdownFiles(corpus)]) {
      const yamlBlock = block(readFileSync(file, "utf8").replace(/\r\n?/g, "\n"));
      expect(yamlBlock, file).not.toBeNull();
      expect(parseFastFrontmatter(yamlBlock!, 2), file).not.toBeNull();
    }
  });

  test.each([
    ["numbers keep their text", 'title: 010\nslug: 1e3\nx: 0x1F\ny: .inf\nz: +12\nw: 1_000\n'],
    ["YAML 1.2 booleans and nulls", "draft: true\na: False\nb: TRUE\nc: yes\nd: ~\ne: null\nf: NULL\ng:\n"],
    ["dates stay text", "date: 2026-02-30\nupdated: 2019-01-03T18:50:00+01:00\n"],
    ["quotes", `title: "Trump: the talks # 1"\nb: 'it''s'\nc: "a \\"b\\""\nd: 'back\\slash'\ne: ""\nf: "x" # c\ng: "open\n`],
    ["a colon or hash in plain text", "a: b: c\nb: C#\nc: x #y\nd: ends:\ne: a:b\n"],
    ["block lists", "tags:\n  - Politik\n  - \"EU\"\n# a comment\n  - 'x'\nkeywords:\n- a\n- b\nc:\n  -\nd:\n  - a\n   - b\n"],
    ["flow lists", "tags: [Politik, \"EU\", 'x']\nb: []\nc: [ ]\nd: [a, b,]\ne: [a,,b]\nf: [[a]]\ng: [a: b]\nh: [a] # c\ni: [\"a, b\"]\n"],
    ["nested maps", 'source:\n  name: "Hanse Kurier"\n  url: https://x.example/a?b=c#d\nauthor:\n  name: A\n   url: b\nc:\n  d:\n    e: f\n'],
    ["lists of maps", "authors:\n  - name: A\n    url: b\n"],
    ["multi-line scalars", "title: a\n  b\nsummary: >\n  folded\nc: |\n  literal\nd: \"x\n  y\"\n"],
    ["anchors, aliases, tags", "a: &x 1\nb: *x\nc: !!str 5\nd: <<\n"],
    ["duplicate keys", "title: a\ntitle: b\n"],
    ["odd keys", 'true: a\nnull: b\n"q": c\n? d\n: e\n1: f\nkey with space: g\n__proto__: h\n'],
    ["tabs and odd whitespace", "a:\tb\nc: d\t\n\te: f\ng: h  \n  \ni: \u2028\n"],
    ["no space after the colon", "title:Trump\n"],
    ["document markers and directives", "%YAML 1.2\na: b\n...\n"],
    ["control characters", 'a: "\u0007"\nb: \u0085x\n'],
    ["empty", ""],
    ["only comments", "# nothing\n\n"],
  ])("%s: the same as yaml", (_name, yamlBlock) => {
    const lines = yamlBlock.split("\n");
    // Each line alone, each prefix, and the whole block, between plain fences and with a body.
    for (let n = 1; n <= lines.length; n++) expectSame(`---\n${lines.slice(0, n).join("\n")}\n---\nBody.\n`);
    for (const line of lines) expectSame(`---\n${line}\n---\n\nBody text.\n`);
    expectSame(`---\n${yamlBlock}---\n`);
    expectSame(`---\n${yamlBlock}---`);
    expectSame(`---\n${yamlBlock}---\r\nBody\r\n`);
    expectSame(`---\n${yamlBlock}--- \nBody\n`);
    expectSame(`\uFEFF---\n${yamlBlock}---\nBody\n`);
  });

  test("random blocks of YAML's special characters: the same as yaml", () => {
    const plain = fc.constantFrom("a", "b", "Z", "ä", "日", "0", "1", ".", "e", "x", " ");
    const special = fc.constantFrom("  ", ":", ": ", "#", " #", "-", "- ", '"', "'", "\\", "[", "]", "{", "}", ",", "!", "&", "*", "|", ">", "%", "@", "`", "?", "\t", "~", "true", "null", "\n", "\n  ", "\n- ", "\n  - ");
    const piece = fc.oneof({ weight: 5, arbitrary: plain }, { weight: 2, arbitrary: special });
    const value = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(""));
    const line = fc.tuple(fc.constantFrom("title", "tags", "a", "b_c", "  name", "- x", "  - "), fc.constantFrom(":", ": ", ":  "), value).map((parts) => parts.join(""));
    let taken = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        expectSame(`---\n${lines.join("\n")}\n---\nBody.\n`);
        if (parseFastFrontmatter(lines.join("\n"), 2) !== null) taken++;
      }),
      { numRuns: 3000, seed: 20261205 },
    );
    // Both outcomes must be exercised: blocks the fast path takes, and blocks it leaves to yaml.
    expect(taken).toBeGreaterThan(150);
    expect(taken).toBeLessThan(2700);
  });
});

describe("gray-matter is loaded only when a file needs it", () => {
  test("a fast-path file leaves it unloaded; the first other file loads it (compiled module, fresh process)", () => {
    const script = `
      import { createRequire } from "node:module";
      const { parseFrontmatter } = await import(process.argv[1]);
      const loaded = () => Object.keys(createRequire(process.argv[1]).cache).some((file) => file.includes("/node_modules/gray-matter/"));
      const fast = parseFrontmatter("---\\ntitle: Eins\\n---\\nText.\\n", "articles/a/de.md");
      const before = loaded();
      const slow = parseFrontmatter("---\\ntitle: |\\n  Zwei\\n---\\nText.\\n", "articles/b/de.md");
      console.log(JSON.stringify({ before, after: loaded(), fast: fast.frontmatter.title, slow: slow.frontmatter.title }));
    `;
    const compiled = path.join(REPO_ROOT, "dist/content/parse-frontmatter.js");
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script, compiled], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ before: false, after: true, fast: "Eins", slow: "Zwei\n" });
  });
});
