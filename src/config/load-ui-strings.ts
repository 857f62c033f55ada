import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ParsedSources } from "../cache/parsed-sources.js";
import { MissingTranslationError } from "../errors/site-error.js";
import type { DiagnosticSink } from "../errors/diagnostics.js";
import { isPlainObject } from "../util/text.js";
import { NOT_PLAIN, parsePlainYaml, plainValue } from "../util/plain-yaml.js";
import { newLineCounter, parseYamlDocument } from "../util/yaml.js";
import type { UiStrings } from "../i18n/ui-strings.js";

/**
 * Reads `<templates>/i18n/<lang>.yml` for every site language: the project's templates folder
 * first, then Gazette's own. A language with no file anywhere is an error (never blank UI text).
 */
export async function loadUiStrings(templateDirs: readonly string[], root: string, languages: readonly string[], sink: DiagnosticSink, sources?: ParsedSources): Promise<Map<string, UiStrings>> {
  const result = new Map<string, UiStrings>();
  await Promise.all(
    languages.map(async (lang) => {
      for (const dir of templateDirs) {
        const file = path.join(dir, "i18n", `${lang}.yml`);
        let text: string;
        try {
          text = await readFile(file, "utf8");
        } catch {
          continue;
        }
        const relative = path.relative(root, file).split(path.sep).join("/");
        type Parsed = { data: unknown; problem: { message: string; line: number; column: number } | null };
        const parse = async (): Promise<{ value: Parsed; keep: boolean }> => {
          // The plain subset of YAML without the `yaml` package (util/plain-yaml.ts); anything else, or a problem, with it.
          const plain = parsePlainYaml(text);
          const plainData = plain === NOT_PLAIN ? null : plainValue(plain);
          if (isPlainObject(plainData)) return { value: { data: plainData, problem: null }, keep: true };
          const lines = newLineCounter();
          const document = parseYamlDocument(text, { lineCounter: lines, prettyErrors: false });
          const error = document.errors[0];
          const data: unknown = error ? null : document.toJS();
          if (error || !isPlainObject(data)) {
            const position = error ? lines.linePos(error.pos[0]) : { line: 1, col: 1 };
            return { value: { data: null, problem: { message: error ? `: ${error.message.split("\n")[0]}` : "", line: position.line, column: position.col } }, keep: false };
          }
          return { value: { data, problem: null }, keep: true };
        };
        const { data, problem } = sources ? await sources.get("ui-strings", text, relative, parse) : (await parse()).value;
        if (problem || !isPlainObject(data)) {
          sink.error(
            new MissingTranslationError(`the UI strings file is not valid YAML${problem?.message ?? ""}.`, {
              location: { file: relative, line: problem?.line ?? 1, column: problem?.column ?? 1 },
            }),
          );
          return;
        }
        result.set(lang, { lang, file: relative, values: data });
        return;
      }
      sink.error(
        new MissingTranslationError(`there are no UI strings for the site language "${lang}".`, {
          location: { file: "gazette.config.yml" },
          hint: `Create templates/i18n/${lang}.yml (copy templates/i18n/en.yml and translate it).`,
        }),
      );
    }),
  );
  // In the site's language order, not the order the reads finished in.
  return new Map(languages.flatMap((lang) => (result.has(lang) ? [[lang, result.get(lang)!] as const] : [])));
}
