import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ParsedSources } from "../cache/parsed-sources.js";
import { DiagnosticSink } from "../errors/diagnostics.js";
import { MetadataError } from "../errors/site-error.js";
import type { Diagnostic, EntityDefinition } from "../types.js";
import { toProjectPath } from "../util/paths.js";

export const ENTITIES_FILE = "entities.yml";

/**
 * Reads the alias table `<dataDir>/entities.yml` (optional: no file, no entities).
 *   Input:  volodymyr-zelensky: { kind: person, names: { de: Wolodymyr Selenskyj, en: … }, aliases: [Selensky] }
 *   Output: [{ id: "volodymyr-zelensky", kind: "person", names: { de: …, en: … }, aliases: ["Selensky"] }]
 * Every problem becomes a MetadataError with line and column in `sink`; invalid entries are
 * skipped and the rest still load (parse-entities.ts). A table without errors is kept in
 * `sources`, with its warnings, when given.
 */
export async function loadEntities(root: string, dataDir: string, sink: DiagnosticSink, sources?: ParsedSources): Promise<EntityDefinition[]> {
  const absolute = path.resolve(root, dataDir, ENTITIES_FILE);
  const file = toProjectPath(root, absolute);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    sink.error(
      new MetadataError(`the entity table cannot be read (${code ?? "unknown error"}).`, {
        location: { file },
        hint: "Check that the file is readable, or remove it to build without entities.",
        cause,
      }),
    );
    return [];
  }
  const parse = async (into: DiagnosticSink) => (await import("./parse-entities.js")).parseEntities(text, file, into);
  if (!sources) return parse(sink);
  const own = new DiagnosticSink();
  const { definitions, warnings, errors } = await sources.get("entities", text, file, async () => {
    const parsed = { definitions: await parse(own), warnings: own.warnings as Diagnostic[], errors: own.errors };
    return { value: parsed, keep: own.errors.length === 0 };
  });
  for (const error of errors) sink.error(error);
  sink.warnings.push(...warnings);
  return definitions;
}
