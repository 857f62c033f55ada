/**
 * The plain-YAML fast path (src/util/plain-yaml.ts) must give exactly the nodes the `yaml`
 * document gives (kinds, values, source text, offsets) and what its `toJS()` gives, or step
 * aside: compared on every YAML file the project has, on tricky inputs written here, and on
 * random documents from an alphabet of YAML's special characters.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { NOT_PLAIN, parsePlainYaml, plainValue } from "../../../src/util/plain-yaml.js";
import { parseYamlDocument, yamlNodeOf } from "../../../src/util/yaml.js";
import { REPO_ROOT } from "../../helpers/temp-site.js";

/** The fast path's outcome checked against `yaml`'s; true when the fast path took the text. */
function expectSame(text: string): boolean {
  const plain = parsePlainYaml(text);
  if (plain === NOT_PLAIN) return false;
  const document = parseYamlDocument(text, { prettyErrors: false, uniqueKeys: true });
  expect(document.errors.map((error) => error.message), JSON.stringify(text)).toEqual([]);
  expect(plain, JSON.stringify(text)).toEqual(yamlNodeOf(document.contents));
  expect(plainValue(plain), JSON.stringify(text)).toEqual(document.toJS());
  return true;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

describe("the plain-YAML fast path", () => {
  test("equals yaml on the project's config, entity table, UI strings and every fixture; takes the project's own", () => {
    const own = [path.join(REPO_ROOT, "gazette.config.yml"), ...yamlFiles(path.join(REPO_ROOT, "data")), ...yamlFiles(path.join(REPO_ROOT, "templates"))];
    const fixtures = yamlFiles(path.join(REPO_ROOT, "tests/fixtures"));
    expect(own.length).toBeGreaterThanOrEqual(5);
    expect(fixtures.length).toBeGreaterThan(3);
    // The project's own files are what every new site starts from: the fast path must take them, or it saves nothing.
    for (const file of own) expect(expectSame(readFileSync(file, "utf8")), file).toBe(true);
    for (const file of fixtures) expectSame(readFileSync(file, "utf8"));
  });

  test.each([
    ["", true],
    ["# only a comment\n\n", true],
    ["a: 1\nb: -2\nc: 0.5\nd: 1e3\ne: 010\nf: 0x1F\ng: +3\nh: .inf\ni: 12345678901234567890\n", false],
    ["a: 1\nb: -2\nc: 0.5\nd: 3.25\n", true],
    ["a: true\nb: False\nc: ~\nd: null\ne: yes\nf: on\ng: NULL\n", true],
    ["key:\nother: x\n", true],
    ["key:   # nothing here\nother: x\n", false],
    ["list:\n- a\n- b\nnext: c\n", true],
    ["list:\n  - a\n  - 'b c'\n  - \"d\"\n", true],
    ["nested:\n  deeper:\n    deepest: x\n  back: y\nout: z\n", true],
    ["names: { de: Kiew, en: \"Kyiv\", fr: 'Kiev' }\naliases: [Kyjiw, \"Washington, D.C.\", 'a: b']\n", true],
    ["empty: []\nmap: {}\nspaced: [ a , b ]\n", true],
    ["url: https://news.example/path?x=1#top\n", true],
    ["a: b # comment\nc: \"d\"   # comment\ne: [f]  # comment\n", true],
    ["a: b#c\n", true],
    ["a: b: c\n", false],
    ["a: b:\n", false],
    ["a: 'it''s'\n", false],
    ["a: \"tab\\there \\u00A0 \\\" \\\\ \\x41 \\U0001F600 \\_ \\/\"\n", true],
    ["a: \"\\q\"\n", false],
    ["a: \"\\uD800\"\n", false],
    ["a: \"unclosed\n", false],
    ["a: |\n  block\n", false],
    ["a: >\n  folded\n", false],
    ["a: &x 1\nb: *x\n", false],
    ["a: !!str 1\n", false],
    ["a: plain\n  continued\n", false],
    ["a: plain\n\n  continued after a blank\n", false],
    ["a:\n  b: 1\n   c: 2\n", false],
    ["a:\n  - x\n  b: 1\n", false],
    ["a: 1\na: 2\n", false],
    ["__proto__: x\n", false],
    ["\"quoted key\": x\n", false],
    ["? complex\n: key\n", false],
    ["a: [x, [y]]\n", false],
    ["a: [x,\n  y]\n", false],
    ["a: [x, ]\n", false],
    ["a: {b:c}\n", false],
    ["a: {b: c, b: d}\n", false],
    ["---\na: 1\n", false],
    ["a: 1\r\nb: 2\r\n", false],
    ["a:\tb\n", false],
    ["\ufeffa: 1\n", false],
    ["  indented: root\n", false],
    ["- a\n- b\n", true],
    ["- a: b\n", false],
    ["-\n  a\n", false],
    ["a: -b\nc: [-1, -x]\n", true],
    ["a: - b\n", false],
    ["a: \u00a0b\u00a0\n", true],
    ["a: x \u00a0\n", true],
    ["a: 1.\nb: .5\n", false],
    ["a: 2025-02-13\n", false],
    ["9-eleven: x\n", false],
    ["true: x\n", false],
    ["pt-BR: Kiev\nx.y_z: 1\n", true],
  ])("%j: taken %s, and then as yaml reads it", (text, taken) => {
    expect(expectSame(text)).toBe(taken);
  });

  const plainPiece = fc.constantFrom("a", "b", "Z", "ä", "日", "0", "1", ".", "e", "x", " ", "\u00a0");
  const specialPiece = fc.constantFrom("  ", ":", ": ", "#", " #", "-", "- ", '"', "'", "\\", "\\u0041", "[", "]", "{", "}", ", ", ",", "!", "&", "*", "|", ">", "%", "@", "`", "?", "~", "true", "null", "1", "-1", "0.5", "\n", "\n  ", "\n- ", "\n  - ", "\n    ");
  const value = fc.array(fc.oneof({ weight: 8, arbitrary: plainPiece }, { weight: 1, arbitrary: specialPiece }), { maxLength: 8 }).map((parts) => parts.join(""));

  test("random lines of YAML's special characters: the same as yaml, or left to it", () => {
    const line = fc
      .tuple(fc.constantFrom("a", "b_c", "de", "  en", "  fr", "    x", "- ", "  - ", "names"), fc.constantFrom(":", ": ", ":  ", ": [", ": {"), value)
      .map((parts) => parts.join(""));
    let taken = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        if (expectSame(`${lines.join("\n")}\n`)) taken++;
      }),
      { numRuns: 3000, seed: 20261206 },
    );
    // Both outcomes must be exercised: documents the fast path takes, and documents it leaves to yaml.
    expect(taken).toBeGreaterThan(50);
    expect(taken).toBeLessThan(2700);
  });

  test("random entries (inline, nested, listed, flow) of such values: the same as yaml, or left to it", () => {
    const key = fc.constantFrom("a", "b", "kind", "names", "pt-BR", "x_1");
    const entry = fc.oneof(
      fc.tuple(key, value).map(([k, v]) => `${k}: ${v}`),
      fc.tuple(key, key, value, key, value).map(([k, k1, v1, k2, v2]) => `${k}:\n  ${k1}: ${v1}\n  ${k2}: ${v2}`),
      fc.tuple(key, value, value, fc.constantFrom("", "  ")).map(([k, v1, v2, indent]) => `${k}:\n${indent}- ${v1}\n${indent}- ${v2}`),
      fc.tuple(key, value, value).map(([k, v1, v2]) => `${k}: [${v1}, ${v2}]`),
      fc.tuple(key, key, value, key, value).map(([k, k1, v1, k2, v2]) => `${k}: { ${k1}: ${v1}, ${k2}: ${v2} }`),
    );
    let taken = 0;
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 5 }), (entries) => {
        if (expectSame(`${entries.join("\n")}\n`)) taken++;
      }),
      { numRuns: 3000, seed: 20261207 },
    );
    expect(taken).toBeGreaterThan(300);
    expect(taken).toBeLessThan(2700);
  });
});

describe("yaml is loaded only when a source needs it", () => {
  test("plain config, entities and UI strings leave it unloaded; an error in them loads it to place the error (compiled modules, fresh process)", () => {
    const script = `
      import { createRequire } from "node:module";
      const [configModule, entitiesModule, sinkModule] = process.argv.slice(1);
      const { parseConfig } = await import(configModule);
      const { parseEntities } = await import(entitiesModule);
      const { DiagnosticSink } = await import(sinkModule);
      const loaded = () => Object.keys(createRequire(configModule).cache).some((file) => file.includes("/node_modules/yaml/"));
      const config = parseConfig("languages:\\n  de:\\n    title: Nachrichten\\nperPage: 12\\n", "/site");
      const sink = new DiagnosticSink();
      const entities = parseEntities("kyiv:\\n  kind: place\\n  names: { de: Kiew, en: Kyiv }\\n", "data/entities.yml", sink);
      const before = loaded();
      let error = null;
      try { parseConfig("languages:\\n  de:\\n    title: Nachrichten\\nperPage: many\\n", "/site"); } catch (caught) { error = caught.location; }
      console.log(JSON.stringify({ before, after: loaded(), perPage: config.perPage, entities: entities.map((entity) => entity.id), error }));
    `;
    const dist = (file: string) => path.join(REPO_ROOT, "dist", file);
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script, dist("config/parse-config.js"), dist("content/parse-entities.js"), dist("errors/diagnostics.js")], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ before: false, after: true, perPage: 12, entities: ["kyiv"], error: { file: "gazette.config.yml", line: 4, column: 1 } });
  });
});
