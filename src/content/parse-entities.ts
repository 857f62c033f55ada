import type { Node, Pair, YAMLMap } from "yaml";
import { isMap, isScalar, isSeq, newLineCounter, parseYamlDocument } from "../util/yaml.js";
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

/** Parses and validates the text of an entity table; `file` is only used for error locations. */
export function parseEntities(text: string, file: string, sink: DiagnosticSink): EntityDefinition[] {
  const lines = newLineCounter();
  const document = parseYamlDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const report = (node: { range?: readonly number[] | null | undefined } | null | undefined, message: string, hint?: string): void => {
    const position = lines.linePos(node?.range?.[0] ?? 0);
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

  const contents = document.contents;
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ""))) return [];
  if (!isMap(contents)) {
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

type Report = (node: { range?: readonly number[] | null | undefined } | null | undefined, message: string, hint?: string) => void;

interface Spelling {
  spelling: string;
  node: Node;
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
function readEntity(pair: Pair, report: Report): RawEntity | null {
  const keyNode = pair.key as Node | null;
  if (!isScalar(keyNode) || (typeof keyNode.value !== "string" && typeof keyNode.value !== "number")) {
    report(keyNode, "an entity id is not a plain name.", "Use lowercase letters, digits and hyphens, e.g. `vladimir-putin:`.");
    return null;
  }
  const id = typeof keyNode.value === "string" ? keyNode.value : (keyNode.source ?? String(keyNode.value));
  if (!ID.test(id)) {
    report(keyNode, `the entity id "${id}" is not valid.`, `Use lowercase ASCII letters, digits and single hyphens, e.g. "${suggestId(id)}".`);
    return null;
  }
  const value = pair.value as Node | null;
  if (!isMap(value)) {
    report(value ?? keyNode, `entity "${id}" is not a mapping.`, "Give it `kind:`, `names:` and optionally `aliases:` on indented lines.");
    return null;
  }

  let kind: EntityKind | null = null;
  let names: Record<string, string> | null = null;
  let valid = true;
  const spellings: Spelling[] = [];
  let aliasesNode: Node | null = null;
  let exactNode: Node | null = null;
  for (const field of (value as YAMLMap<unknown, unknown>).items) {
    const fieldKey = field.key as Node | null;
    const name = isScalar(fieldKey) ? String(fieldKey.value) : "";
    const fieldValue = field.value as Node | null;
    switch (name) {
      case "kind": {
        const text = isScalar(fieldValue) && typeof fieldValue.value === "string" ? fieldValue.value : null;
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

function readNames(id: string, keyNode: Node | null, node: Node | null, report: Report, spellings: Spelling[]): Record<string, string> | null {
  if (!isMap(node) || node.items.length === 0) {
    report(node ?? keyNode, `entity "${id}" has no names.`, "Give its canonical spelling per language, e.g. `names: { de: Kiew, en: Kyiv, fr: Kiev }`.");
    return null;
  }
  const names: Record<string, string> = {};
  let valid = true;
  for (const pair of node.items) {
    const langNode = pair.key as Node | null;
    const lang = isScalar(langNode) ? String(langNode.value) : "";
    if (!LANGUAGE.test(lang)) {
      report(langNode, `entity "${id}" has a name for "${lang}", which is not a language code.`, "Use BCP 47 codes such as de, en, fr, pt-BR.");
      valid = false;
      continue;
    }
    const valueNode = pair.value as Node | null;
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
function readAliases(id: string, field: "aliases" | "exact", node: Node | null, report: Report, spellings: Spelling[]): void {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return;
  const items: (Node | null)[] = isSeq(node) ? (node.items as (Node | null)[]) : isScalar(node) ? [node] : [];
  if (!isSeq(node) && !isScalar(node)) {
    report(node, `entity "${id}" has ${field === "aliases" ? "aliases" : "exact spellings"} that are not a list.`, `Write them as a list, e.g. \`${field}: [Selensky, Zelenskyy]\`.`);
    return;
  }
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
function scalarText(node: Node | null | undefined): string | null {
  if (!isScalar(node)) return null;
  if (typeof node.value === "string") return node.value.trim();
  if (typeof node.value === "number" || typeof node.value === "bigint") return node.source ?? String(node.value);
  return null;
}

function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return "(empty)";
  if (isScalar(node)) return `"${String(node.value)}"`;
  return isSeq(node) ? "(a list)" : "(a mapping)";
}

function suggestId(id: string): string {
  return slugify(id, "", 80, "my-entity");
}

function uniqueStrings(values: readonly string[]): string[] {
  return [...new Set(values)];
}
