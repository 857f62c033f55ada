import { createRequire } from "node:module";
import type { Document, DocumentOptions, LineCounter, ParseOptions, Scalar, SchemaOptions, YAMLMap, YAMLSeq } from "yaml";
import type { YamlNode } from "./plain-yaml.js";

type Yaml = typeof import("yaml");
let loaded: Yaml | undefined;

/**
 * The `yaml` package, loaded on first use: loading it costs ~40 ms (and its first run ~100 ms
 * more). The config, entity table and UI strings in plain YAML (util/plain-yaml.ts) and most
 * frontmatter (content/fast-frontmatter.ts) are read without it, and a build with the cache takes
 * them parsed from `.gazette-cache/`: it loads only for a source outside those subsets, or an error.
 */
function yaml(): Yaml {
  return (loaded ??= createRequire(import.meta.url)("yaml") as Yaml);
}

/** The options Gazette parses every YAML source with (positions kept, errors collected, not thrown). */
export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

export function parseYamlDocument(text: string, options: YamlOptions): Document.Parsed {
  return yaml().parseDocument(text, options);
}

export function newLineCounter(): LineCounter {
  return new (yaml().LineCounter)();
}

export function isMap(node: unknown): node is YAMLMap {
  return yaml().isMap(node);
}

export function isSeq(node: unknown): node is YAMLSeq {
  return yaml().isSeq(node);
}

export function isScalar(node: unknown): node is Scalar {
  return yaml().isScalar(node);
}

/** A `yaml` node as the plain-YAML fast path gives it (util/plain-yaml.ts): one walker reads both. */
export function yamlNodeOf(node: unknown): YamlNode | null {
  if (node === null || node === undefined) return null;
  const offset = (node as { range?: readonly number[] | null }).range?.[0] ?? 0;
  if (isScalar(node)) return { kind: "scalar", value: node.value, source: node.source ?? String(node.value), offset };
  if (isMap(node)) return { kind: "map", items: node.items.map((pair) => ({ key: yamlNodeOf(pair.key), value: yamlNodeOf(pair.value) })), offset };
  if (isSeq(node)) return { kind: "seq", items: node.items.map(yamlNodeOf), offset };
  return { kind: "other", offset };
}
