import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { loadEntities } from "../../../src/content/load-entities.js";
import { parseEntities } from "../../../src/content/parse-entities.js";
import { DiagnosticSink } from "../../../src/errors/diagnostics.js";
import { MetadataError } from "../../../src/errors/site-error.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const fixtures = path.join(root, "tests/fixtures/entities");

function parse(text: string): { ids: string[]; errors: MetadataError[] } {
  const sink = new DiagnosticSink();
  const definitions = parseEntities(text, "data/entities.yml", sink);
  return { ids: definitions.map((definition) => definition.id), errors: sink.errors as MetadataError[] };
}

describe("loadEntities", () => {
  test("reads <dataDir>/entities.yml: names, aliases (list or one string), exact spellings", async () => {
    const sink = new DiagnosticSink();
    const definitions = await loadEntities(root, path.join(fixtures, "valid"), sink);
    expect(sink.errors).toEqual([]);
    expect(definitions).toEqual([
      {
        id: "vladimir-putin",
        kind: "person",
        names: { de: "Wladimir Putin", en: "Vladimir Putin", fr: "Vladimir Poutine" },
        aliases: ["Putin", "Poutine"],
      },
      { id: "kyiv", kind: "place", names: { de: "Kiew", en: "Kyiv", fr: "Kiev" }, aliases: ["Kyjiw"] },
      { id: "politico", kind: "organisation", names: { en: "Politico" }, aliases: [], exact: ["Politico"] },
      { id: "ceasefire", kind: "topic", names: { de: "Waffenstillstand", en: "Ceasefire" }, aliases: ["Waffenruhe"] },
    ]);
  });

  test("a missing file or folder is an empty table, not an error", async () => {
    const sink = new DiagnosticSink();
    expect(await loadEntities(root, path.join(fixtures, "no-such-folder"), sink)).toEqual([]);
    expect(sink.errors).toEqual([]);
    expect(sink.warnings).toEqual([]);
  });

  test("reports every problem with file, line and column, and loads the valid entries", async () => {
    const sink = new DiagnosticSink();
    const definitions = await loadEntities(root, path.join(fixtures, "invalid"), sink);
    expect(definitions.map((definition) => definition.id)).toEqual(["vladimir-putin", "kremlin", "ukraine"]);
    // The conflicting alias goes to the entity that listed it first.
    expect(definitions.find((definition) => definition.id === "kremlin")?.aliases).toEqual([]);
    expect(sink.errors.every((error) => error instanceof MetadataError)).toBe(true);
    expect(
      sink.errors.map((error) => [error.location?.file, error.location?.line, error.location?.column, error.message]),
    ).toEqual([
      ["tests/fixtures/entities/invalid/entities.yml", 7, 1, 'the entity id "Putin_2" is not valid.'],
      ["tests/fixtures/entities/invalid/entities.yml", 12, 9, 'entity "kyiv" has an unknown kind "city".'],
      ["tests/fixtures/entities/invalid/entities.yml", 15, 1, 'entity "moscow" has no names.'],
      ["tests/fixtures/entities/invalid/entities.yml", 23, 3, 'entity "kremlin" has an unknown key "wikidata".'],
      ["tests/fixtures/entities/invalid/entities.yml", 22, 13, 'the spelling "Putin" belongs to two entities, "vladimir-putin" and "kremlin".'],
    ]);
    expect(sink.errors.every((error) => error.hint !== undefined && error.hint.length > 0)).toBe(true);
  });

  test("locations are project-relative: data/entities.yml", async () => {
    const project = await mkdtemp(path.join(tmpdir(), "gazette-entities-"));
    try {
      await mkdir(path.join(project, "data"));
      await writeFile(path.join(project, "data/entities.yml"), "ok:\n  kind: person\n  names: { en: OK }\nbad id:\n  kind: person\n");
      const sink = new DiagnosticSink();
      // dataDir may be relative to the root, as in the site config (`paths.data: data`).
      const definitions = await loadEntities(project, "data", sink);
      expect(definitions.map((definition) => definition.id)).toEqual(["ok"]);
      expect(sink.errors.map((error) => error.location)).toEqual([{ file: "data/entities.yml", line: 4, column: 1 }]);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });
});

test("an unreadable table is an error naming the reason", async () => {
  const project = await mkdtemp(path.join(tmpdir(), "gazette-entities-"));
  try {
    await mkdir(path.join(project, "data/entities.yml"), { recursive: true });
    const sink = new DiagnosticSink();
    expect(await loadEntities(project, "data", sink)).toEqual([]);
    expect(sink.errors).toHaveLength(1);
    expect(sink.errors[0]).toBeInstanceOf(MetadataError);
    expect(sink.errors[0]!.message).toBe("the entity table cannot be read (EISDIR).");
    expect(sink.errors[0]!.location).toEqual({ file: "data/entities.yml" });
  } finally {
    await rm(project, { recursive: true, force: true });
  }
});

describe("parseEntities", () => {
  test.each([
    ["invalid YAML (stray bracket)", "a:\n  kind: person\n  names: { en: A }\n  aliases: [a, b]]\n", 4, "is not valid YAML"],
    ["invalid YAML (indentation)", "a:\n  kind: person\n names: { en: A }\n", 3, "is not valid YAML"],
    ["duplicate id", "a:\n  kind: topic\n  names: { en: A }\na:\n  kind: topic\n  names: { en: B }\n", 4, "is not valid YAML"],
    ["not a mapping", "- a\n- b\n", 1, "is not a list of `id:` entries"],
    ["id with capitals", "Kyiv:\n  kind: place\n  names: { en: Kyiv }\n", 1, 'entity id "Kyiv" is not valid'],
    ["id with a space", "new york:\n  kind: place\n  names: { en: New York }\n", 1, 'entity id "new york" is not valid'],
    ["id with a trailing hyphen", "kyiv-:\n  kind: place\n  names: { en: Kyiv }\n", 1, 'entity id "kyiv-" is not valid'],
    ["entry not a mapping", "kyiv: Kyiv\n", 1, 'entity "kyiv" is not a mapping'],
    ["unknown kind", "kyiv:\n  kind: city\n  names: { en: Kyiv }\n", 2, 'unknown kind "city"'],
    ["missing kind", "kyiv:\n  names: { en: Kyiv }\n", 1, 'entity "kyiv" has no kind'],
    ["missing names", "kyiv:\n  kind: place\n  aliases: [Kiew]\n", 1, 'entity "kyiv" has no names'],
    ["empty names", "kyiv:\n  kind: place\n  names: {}\n", 3, 'entity "kyiv" has no names'],
    ["names as a list", "kyiv:\n  kind: place\n  names: [Kyiv]\n", 3, 'entity "kyiv" has no names'],
    ["bad language code", "kyiv:\n  kind: place\n  names: { English: Kyiv }\n", 3, 'name for "English", which is not a language code'],
    ["empty name", "kyiv:\n  kind: place\n  names: { en: \"\" }\n", 3, "empty or invalid en name"],
    ["empty alias", "kyiv:\n  kind: place\n  names: { en: Kyiv }\n  aliases: [Kiew, \"--\"]\n", 4, 'empty or invalid alias "--"'],
    ["aliases as a mapping", "kyiv:\n  kind: place\n  names: { en: Kyiv }\n  aliases: { de: Kiew }\n", 4, "aliases that are not a list"],
    ["unknown key", "kyiv:\n  kind: place\n  names: { en: Kyiv }\n  alias: [Kiew]\n", 4, 'unknown key "alias"'],
    [
      "alias of two entities",
      "kyiv:\n  kind: place\n  names: { en: Kyiv }\n  aliases: [Kiev]\nkiev-oblast:\n  kind: place\n  names: { en: Kyiv Oblast }\n  aliases: [KIEV]\n",
      8,
      'the spelling "KIEV" belongs to two entities, "kyiv" (as "Kiev") and "kiev-oblast"',
    ],
    [
      "name of one entity, alias of another (folded alike)",
      "kyiv:\n  kind: place\n  names: { de: Kiew }\nkiew-band:\n  kind: organisation\n  names: { en: The Band }\n  aliases: [Kíew]\n",
      7,
      '"Kíew" belongs to two entities, "kyiv" (as "Kiew") and "kiew-band"',
    ],
  ])("%s is an error", (_label, text, line, message) => {
    const { errors } = parse(text);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    const error = errors[0]!;
    expect(error).toBeInstanceOf(MetadataError);
    expect(error.location).toMatchObject({ file: "data/entities.yml", line });
    expect(error.location?.column).toBeGreaterThanOrEqual(1);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain("entities.yml");
  });

  test("the same spelling twice in one entity is fine (names are aliases too)", () => {
    const { ids, errors } = parse("kyiv:\n  kind: place\n  names: { en: Kyiv, fr: Kyiv }\n  aliases: [Kyiv, kyiv]\n");
    expect(errors).toEqual([]);
    expect(ids).toEqual(["kyiv"]);
  });

  test.each([["", "empty file"], ["# only comments\n", "comments only"], ["~\n", "null document"]])(
    "%j (%s) is an empty table",
    (text) => {
      expect(parse(text)).toEqual({ ids: [], errors: [] });
    },
  );

  test("numbers stay as written: ids and names", () => {
    const sink = new DiagnosticSink();
    const definitions = parseEntities("g20:\n  kind: organisation\n  names: { en: G20 }\n  aliases: [2020]\n", "x", sink);
    expect(sink.errors).toEqual([]);
    expect(definitions).toEqual([{ id: "g20", kind: "organisation", names: { en: "G20" }, aliases: ["2020"] }]);
  });
});

describe("data/entities.yml", () => {
  const sink = new DiagnosticSink();
  const definitions = parseEntities(readFileSync(path.join(root, "data/entities.yml"), "utf8"), "data/entities.yml", sink);

  test("loads without errors", () => {
    expect(sink.errors.map((error) => `${error.location?.line}: ${error.message}`)).toEqual([]);
    expect(definitions.length).toBeGreaterThan(60);
  });

  test("every entity is spelled in de, en and fr", () => {
    const incomplete = definitions.filter((definition) => !definition.names.de || !definition.names.en || !definition.names.fr);
    expect(incomplete.map((definition) => definition.id)).toEqual([]);
  });

  test.each([
    ["volodymyr-zelensky", "person"],
    ["vladimir-putin", "person"],
    ["kyiv", "place"],
    ["white-house", "organisation"],
    ["ceasefire", "topic"],
  ])("%s is a %s", (id, kind) => {
    expect(definitions.find((definition) => definition.id === id)?.kind).toBe(kind);
  });
});
