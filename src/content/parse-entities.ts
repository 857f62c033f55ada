import { NOT_PLAIN, parsePlainYaml, type YamlNode, type YamlPair, type YamlSeq } from "../util/plain-yaml.js";
import { newLineCounter, parseYamlDocument, yamlNodeOf } from "../util/yaml.js";
import type { DiagnosticSink } from "../errors/diagnostics.js";
import { MetadataError } from "../errors/site-error.js";
import type { EntityDefinition, EntityKind } from "../types.js";
import { slugify } from "../util/slugify.js";
// The definition type and the alias key live with the matcher, so that the conflicts reported
// here are exactly the spellings the matcher would confuse.
import { aliasKey } from "../util/entity-tokens.js";

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LANGUAGE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;
const KINDS: readonly EntityKind[] = ["person", "place", "organisation", "topic"];
const KNOWN_KEYS = ["kind", "names", "aliases", "exact"] as const;
const HAS_WORD = /[\p{L}\p{N}]/u;

/**
 * Parses and validates the text of an entity table; `file` is only used for error locations.
 * A table in the plain subset of YAML (util/plain-yaml.ts) is read without the `yaml` package;
 * any other, or one with errors, is parsed with it, so that errors are placed as it places them.
 */
export function parseEntities(text: string, file: string, sink: DiagnosticSink): EntityDefinition[] {
  const plain = parsePlainYaml(text);
  if (plain !== NOT_PLAIN) {
    let problems = 0;
    const definitions = readTable(plain, () => problems++);
    if (problems === 0) return definitions;
  }
  const lines = newLineCounter();
  const document = parseYamlDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const report: Report = (node, message, hint) => {
    const position = lines.linePos(node?.offset ?? 0);
    const options = { location: { file, line: position.line, column: position.col }, ...(hint ? { hint } : {}) };
    sink.error(new MetadataError(message, options));
  };

  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const position = lines.linePos(error.pos[0]);
      const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "").replace(/\.$/, "");
      sink.error(
        new MetadataError(`the entity table is not valid YAML: ${message}.`, {
          location: { file, line: position.line, column: position.col },
          hint: "Quote spellings that contain `,`, `:` or `#`, e.g. aliases: [\"Washington, D.C.\"].",
        }),
      );
    }
    return [];
  }
  return readTable(yamlNodeOf(document.contents), report);
}

/** The table's definitions; each problem is reported, its entry skipped. */
function readTable(contents: YamlNode | null, report: Report): EntityDefinition[] {
  if (contents === null || (contents.kind === "scalar" && (contents.value === null || contents.value === ""))) return [];
  if (contents.kind !== "map") {
    report(contents, "the entity table is not a list of `id:` entries.", "Start each entity with its id, e.g. `vladimir-putin:`.");
    return [];
  }
  const definitions: EntityDefinition[] = [];
  /** folded spelling -> the entity that claimed it first. */
  const owners = new Map<string, { id: string; spelling: string }>();
  for (const pair of contents.items) {
    const definition = readEntity(pair, report);
    if (definition === null) continue;
    definition.spellings = definition.spellings.filter(({ spelling, node, isName }) => {
      const key = aliasKey(spelling);
      const owner = owners.get(key);
      if (owner === undefined) {
        owners.set(key, { id: definition.id, spelling });
        return true;
      }
      if (owner.id === definition.id) return true;
      report(
        node,
        `the spelling "${spelling}" belongs to two entities, "${owner.id}"${owner.spelling === spelling ? "" : ` (as "${owner.spelling}")`} and "${definition.id}".`,
        `Keep it in one of them${isName ? " and give the other a distinct name" : ""}: a spelling must name one entity only.`,
      );
      return isName;
    });
    const entity: EntityDefinition = {
      id: definition.id,
      kind: definition.kind,
      names: definition.names,
      aliases: uniqueStrings(definition.spellings.filter((entry) => !entry.isName && !entry.isExact).map((entry) => entry.spelling)),
    };
    const exact = uniqueStrings(definition.spellings.filter((entry) => entry.isExact).map((entry) => entry.spelling));
    if (exact.length > 0) entity.exact = exact;
    definitions.push(entity);
  }
  return definitions;
}

type Report = (node: YamlNode | null | undefined, message: string, hint?: string) => void;

interface Spelling {
  spelling: string;
  node: YamlNode;
  isName: boolean;
  isExact: boolean;
}

interface RawEntity {
  id: string;
  kind: EntityKind;
  names: Record<string, string>;
  spellings: Spelling[];
}

/** One `id: { kind, names, aliases }` entry; null (after reporting) when it cannot be used. */
function readEntity(pair: YamlPair, report: Report): RawEntity | null {
  const keyNode = pair.key;
  if (keyNode?.kind !== "scalar" || (typeof keyNode.value !== "string" && typeof keyNode.value !== "number")) {
    report(keyNode, "an entity id is not a plain name.", "Use lowercase letters, digits and hyphens, e.g. `vladimir-putin:`.");
    return null;
  }
  const id = typeof keyNode.value === "string" ? keyNode.value : keyNode.source;
  if (!ID.test(id)) {
    report(keyNode, `the entity id "${id}" is not valid.`, `Use lowercase ASCII letters, digits and single hyphens, e.g. "${suggestId(id)}".`);
    return null;
  }
  const value = pair.value;
  if (value?.kind !== "map") {
    report(value ?? keyNode, `entity "${id}" is not a mapping.`, "Give it `kind:`, `names:` and optionally `aliases:` on indented lines.");
    return null;
  }

  let kind: EntityKind | null = null;
  let names: Record<string, string> | null = null;
  let valid = true;
  const spellings: Spelling[] = [];
  let aliasesNode: YamlNode | null = null;
  let exactNode: YamlNode | null = null;
  for (const field of value.items) {
    const fieldKey = field.key;
    const name = fieldKey?.kind === "scalar" ? String(fieldKey.value) : "";
    const fieldValue = field.value;
    switch (name) {
      case "kind": {
        const text = fieldValue?.kind === "scalar" && typeof fieldValue.value === "string" ? fieldValue.value : null;
        if (text !== null && (KINDS as readonly string[]).includes(text)) kind = text as EntityKind;
        else {
          report(fieldValue ?? fieldKey, `entity "${id}" has an unknown kind ${describe(fieldValue)}.`, `Use one of: ${KINDS.join(", ")}.`);
          valid = false;
        }
        break;
      }
      case "names":
        names = readNames(id, fieldKey, fieldValue, report, spellings);
        if (names === null) valid = false;
        break;
      case "aliases":
        aliasesNode = fieldValue;
        break;
      case "exact":
        exactNode = fieldValue;
        break;
      default:
        report(fieldKey, `entity "${id}" has an unknown key "${name}".`, `Known keys: ${KNOWN_KEYS.join(", ")}.`);
    }
  }
  if (kind === null && valid) {
    report(keyNode, `entity "${id}" has no kind.`, `Add \`kind:\` with one of: ${KINDS.join(", ")}.`);
    valid = false;
  }
  if (names === null && valid) {
    report(keyNode, `entity "${id}" has no names.`, "Add its canonical spelling per language, e.g. `names: { de: Kiew, en: Kyiv, fr: Kiev }`.");
    valid = false;
  }
  readAliases(id, "aliases", aliasesNode, report, spellings);
  readAliases(id, "exact", exactNode, report, spellings);
  if (!valid || kind === null || names === null) return null;
  return { id, kind, names, spellings };
}

function readNames(id: string, keyNode: YamlNode | null, node: YamlNode | null, report: Report, spellings: Spelling[]): Record<string, string> | null {
  if (node?.kind !== "map" || node.items.length === 0) {
    report(node ?? keyNode, `entity "${id}" has no names.`, "Give its canonical spelling per language, e.g. `names: { de: Kiew, en: Kyiv, fr: Kiev }`.");
    return null;
  }
  const names: Record<string, string> = {};
  let valid = true;
  for (const pair of node.items) {
    const langNode = pair.key;
    const lang = langNode?.kind === "scalar" ? String(langNode.value) : "";
    if (!LANGUAGE.test(lang)) {
      report(langNode, `entity "${id}" has a name for "${lang}", which is not a language code.`, "Use BCP 47 codes such as de, en, fr, pt-BR.");
      valid = false;
      continue;
    }
    const valueNode = pair.value;
    const spelling = scalarText(valueNode);
    if (spelling === null || !HAS_WORD.test(spelling)) {
      report(valueNode ?? langNode, `entity "${id}" has an empty or invalid ${lang} name ${describe(valueNode)}.`, "Write the name as plain text, e.g. `en: Kyiv`.");
      valid = false;
      continue;
    }
    names[lang] = spelling;
    spellings.push({ spelling, node: valueNode ?? langNode!, isName: true, isExact: false });
  }
  return valid ? names : null;
}

/** `aliases:` and `exact:` are lists; one plain string is accepted as a list of one. */
function readAliases(id: string, field: "aliases" | "exact", node: YamlNode | null, report: Report, spellings: Spelling[]): void {
  if (node === null || (node.kind === "scalar" && node.value === null)) return;
  if (node.kind !== "seq" && node.kind !== "scalar") {
    report(node, `entity "${id}" has ${field === "aliases" ? "aliases" : "exact spellings"} that are not a list.`, `Write them as a list, e.g. \`${field}: [Selensky, Zelenskyy]\`.`);
    return;
  }
  const items: YamlSeq["items"] = node.kind === "seq" ? node.items : [node];
  for (const item of items) {
    const spelling = scalarText(item);
    if (spelling === null || !HAS_WORD.test(spelling)) {
      const what = field === "aliases" ? "alias" : "exact spelling";
      report(item ?? node, `entity "${id}" has an empty or invalid ${what} ${describe(item)}.`, `Each ${what} is plain text with at least one letter or digit; remove the empty item.`);
      continue;
    }
    spellings.push({ spelling, node: item!, isName: false, isExact: field === "exact" });
  }
}

/** Text of a string or number scalar ("G20", `2024` keeps its source); null otherwise. */
function scalarText(node: YamlNode | null | undefined): string | null {
  if (node?.kind !== "scalar") return null;
  if (typeof node.value === "string") return node.value.trim();
  if (typeof node.value === "number" || typeof node.value === "bigint") return node.source;
  return null;
}

function describe(node: YamlNode | null | undefined): string {
  if (node === null || node === undefined || (node.kind === "scalar" && node.value === null)) return "(empty)";
  if (node.kind === "scalar") return `"${String(node.value)}"`;
  return node.kind === "seq" ? "(a list)" : node.kind === "map" ? "(a mapping)" : "(an alias)";
}

function suggestId(id: string): string {
  return slugify(id, "", 80, "my-entity");
}

function uniqueStrings(values: readonly string[]): string[] {
  return [...new Set(values)];
}
