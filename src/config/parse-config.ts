import type { Document, LineCounter, Node } from "yaml";
import { NOT_PLAIN, parsePlainYaml, plainValue } from "../util/plain-yaml.js";
import { isMap, newLineCounter, parseYamlDocument } from "../util/yaml.js";
import { ConfigError } from "../errors/site-error.js";
import { isPlainObject } from "../util/text.js";
import type { SeoPolicy } from "../types.js";
import {
  CONFIG_FILE,
  defaults,
  directionOf,
  type LanguageConfig,
  type RelatedConfig,
  type SectionConfig,
  type SiteConfig,
} from "./site-config.js";
import { DEFAULT_SECTIONS } from "./default-sections.js";
import type { ConfigOverrides } from "./load-config.js";

const KNOWN_KEYS = new Set([
  "baseUrl",
  "languages",
  "defaultLanguage",
  "timeZone",
  "perPage",
  "feedSize",
  "sections",
  "related",
  "seo",
  "listUntranslated",
  "publisher",
  "search",
  "searchSlicePages",
  "paths",
]);

/** Parses and validates the text of `gazette.config.yml` into a SiteConfig; errors carry the config line. */
export function parseConfig(text: string, root: string, overrides: ConfigOverrides = {}): SiteConfig {
  // A config in the plain subset of YAML (util/plain-yaml.ts) is read without the `yaml` package,
  // which then parses it only to place an error.
  const plain = parsePlainYaml(text);
  const reader = new ConfigReader(() => parseYaml(text));
  const raw = (plain !== NOT_PLAIN ? plainValue(plain) : reader.document().toJS({ maxAliasCount: 100 })) ?? {};
  if (!isPlainObject(raw)) throw reader.error([], "must be a list of `key: value` settings.");
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) throw reader.error([key], `has an unknown setting "${key}".`, `Known settings: ${[...KNOWN_KEYS].join(", ")}.`);
  }

  const languages = readLanguages(raw.languages, reader);
  const codes = languages.map((language) => language.code);
  const defaultLanguage = raw.defaultLanguage === undefined ? codes[0]! : reader.string(["defaultLanguage"], raw.defaultLanguage);
  if (!codes.includes(defaultLanguage)) {
    throw reader.error(["defaultLanguage"], `"defaultLanguage" is "${defaultLanguage}", which is not one of the site's languages (${codes.join(", ")}).`);
  }

  const timeZone = raw.timeZone === undefined ? defaults.timeZone : reader.string(["timeZone"], raw.timeZone);
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw reader.error(["timeZone"], `"timeZone" is "${timeZone}", which is not an IANA time zone.`, 'Use a name such as "Europe/Berlin" or "UTC".');
  }

  const baseUrl = normalizeBaseUrl(overrides.baseUrl ?? (raw.baseUrl === undefined ? defaults.baseUrl : reader.string(["baseUrl"], raw.baseUrl)), () =>
    overrides.baseUrl !== undefined
      ? new ConfigError(`--base-url "${overrides.baseUrl}" is not an absolute http(s) URL.`, { hint: "Use e.g. --base-url https://news.example/." })
      : reader.error(["baseUrl"], `"baseUrl" is not an absolute http(s) URL.`, "Use e.g. https://news.example/."),
  );

  const pathsRaw = raw.paths === undefined ? {} : reader.object(["paths"], raw.paths);
  const paths = { ...defaults.paths };
  for (const key of Object.keys(pathsRaw)) {
    if (!(key in paths)) throw reader.error(["paths", key], `"paths" has an unknown entry "${key}".`, "Known: content, templates, data, out.");
    paths[key as keyof typeof paths] = reader.string(["paths", key], pathsRaw[key]);
  }
  if (overrides.content !== undefined) paths.content = overrides.content;
  if (overrides.out !== undefined) paths.out = overrides.out;

  const publisherRaw = raw.publisher === undefined ? {} : reader.object(["publisher"], raw.publisher);
  const publisher = {
    name: publisherRaw.name === undefined ? languages[0]!.title : reader.string(["publisher", "name"], publisherRaw.name),
    url: publisherRaw.url === undefined ? baseUrl : reader.string(["publisher", "url"], publisherRaw.url),
  };

  const seo = raw.seo === undefined ? defaults.seo : reader.oneOf(["seo"], raw.seo, ["self", "source", "noindex"] as const);

  return {
    root,
    baseUrl,
    languages,
    defaultLanguage,
    timeZone,
    perPage: raw.perPage === undefined ? defaults.perPage : reader.integer(["perPage"], raw.perPage, 1, 1000),
    feedSize: raw.feedSize === undefined ? defaults.feedSize : reader.integer(["feedSize"], raw.feedSize, 1, 1000),
    sections: raw.sections === undefined ? DEFAULT_SECTIONS : readSections(raw.sections, reader),
    related: readRelated(raw.related, reader),
    seo: seo as SeoPolicy,
    listUntranslated: raw.listUntranslated === undefined ? defaults.listUntranslated : reader.boolean(["listUntranslated"], raw.listUntranslated),
    publisher,
    search: raw.search === undefined ? defaults.search : reader.boolean(["search"], raw.search),
    searchSlicePages: raw.searchSlicePages === undefined ? defaults.searchSlicePages : readSlicePages(raw.searchSlicePages, reader),
    paths,
  };
}

/** 0 (one index per language) or at least MIN_SLICE_PAGES: each slice is a bundle with its own ~650 KB of Pagefind's scripts. */
function readSlicePages(value: unknown, reader: ConfigReader): number {
  const pages = reader.integer(["searchSlicePages"], value, 0, 1_000_000);
  if (pages > 0 && pages < MIN_SLICE_PAGES) {
    throw reader.error(["searchSlicePages"], `"searchSlicePages" is ${pages}: each slice is a search bundle of its own (~650 KB of scripts), so slices need at least ${MIN_SLICE_PAGES} pages.`, "Use 0 (no slices) or a size such as 2000.");
  }
  return pages;
}

const MIN_SLICE_PAGES = 100;

function readLanguages(value: unknown, reader: ConfigReader): LanguageConfig[] {
  if (value === undefined) {
    return [
      language("de", "Nachrichten", "Nachrichten aus aller Welt"),
      language("en", "News", "News from around the world"),
      language("fr", "Actualités", "L’actualité du monde entier"),
    ];
  }
  const entries = reader.object(["languages"], value);
  const result: LanguageConfig[] = [];
  for (const [code, settings] of Object.entries(entries)) {
    let canonical: string;
    try {
      canonical = Intl.getCanonicalLocales(code)[0]!;
    } catch {
      throw reader.error(["languages", code], `"${code}" is not a BCP 47 language tag.`, "Use codes such as de, en, fr, pt-BR.");
    }
    if (canonical !== code) throw reader.error(["languages", code], `write the language code "${code}" as "${canonical}".`);
    const object = settings === null ? {} : reader.object(["languages", code], settings);
    const title = object.title === undefined ? code : reader.string(["languages", code, "title"], object.title);
    const description = object.description === undefined ? "" : reader.string(["languages", code, "description"], object.description);
    const entry = language(code, title, description);
    if (object.locale !== undefined) entry.locale = reader.string(["languages", code, "locale"], object.locale);
    result.push(entry);
  }
  if (result.length === 0) throw reader.error(["languages"], "lists no language.", "Add at least one, e.g. `de: { title: Nachrichten }`.");
  return result;
}

function language(code: string, title: string, description: string): LanguageConfig {
  return { code, title, description, locale: code, dir: directionOf(code) };
}

function readSections(value: unknown, reader: ConfigReader): SectionConfig[] {
  const entries = reader.object(["sections"], value);
  return Object.entries(entries).map(([id, settings]) => {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw reader.error(["sections", id], `section id "${id}" must be lowercase letters, digits and hyphens.`);
    const object = reader.object(["sections", id], settings);
    const names: Record<string, string> = {};
    let aliases: string[] = [];
    for (const [key, name] of Object.entries(object)) {
      if (key === "aliases") {
        if (!Array.isArray(name) || !name.every((alias) => typeof alias === "string")) {
          throw reader.error(["sections", id, "aliases"], "aliases must be a list of names.");
        }
        aliases = name as string[];
      } else {
        names[key] = reader.string(["sections", id, key], name);
      }
    }
    if (Object.keys(names).length === 0) throw reader.error(["sections", id], `section "${id}" has no name.`, "Give a name per language, e.g. `de: Politik`.");
    return { id, names, aliases };
  });
}

function readRelated(value: unknown, reader: ConfigReader): RelatedConfig {
  const base = defaults.related;
  if (value === undefined) return { ...base, weights: { ...base.weights } };
  const object = reader.object(["related"], value);
  const weights = { ...base.weights };
  if (object.weights !== undefined) {
    const raw = reader.object(["related", "weights"], object.weights);
    for (const [key, weight] of Object.entries(raw)) {
      if (!(key in weights)) throw reader.error(["related", "weights", key], `unknown related signal "${key}".`, "Known: entities, topics, text, time.");
      weights[key as keyof typeof weights] = reader.number(["related", "weights", key], weight, 0, 100);
    }
  }
  for (const key of Object.keys(object)) {
    if (!["limit", "threshold", "weights", "halfLifeDays"].includes(key)) {
      throw reader.error(["related", key], `"related" has an unknown setting "${key}".`, "Known: limit, threshold, weights, halfLifeDays.");
    }
  }
  return {
    limit: object.limit === undefined ? base.limit : reader.integer(["related", "limit"], object.limit, 0, 100),
    threshold: object.threshold === undefined ? base.threshold : reader.number(["related", "threshold"], object.threshold, 0, 1),
    weights,
    halfLifeDays: object.halfLifeDays === undefined ? base.halfLifeDays : reader.number(["related", "halfLifeDays"], object.halfLifeDays, 0.1, 100000),
  };
}

function normalizeBaseUrl(value: string, fail: () => ConfigError): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail();
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw fail();
  url.search = "";
  url.hash = "";
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}

/** The config as a `yaml` document with its lines; a YAML error is thrown with its place. */
function parseYaml(text: string): { document: Document.Parsed; lines: LineCounter } {
  const lines = newLineCounter();
  const document = parseYamlDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError) {
    const position = lines.linePos(firstError.pos[0]);
    throw new ConfigError(`${CONFIG_FILE} is not valid YAML: ${firstError.message.split("\n")[0]}`, {
      location: { file: CONFIG_FILE, line: position.line, column: position.col },
    });
  }
  return { document, lines };
}

/** Typed reads from the parsed config, with errors that name the line of the offending key. */
class ConfigReader {
  private parsed: { document: Document.Parsed; lines: LineCounter } | undefined;

  constructor(private readonly parse: () => { document: Document.Parsed; lines: LineCounter }) {}

  /** The `yaml` document, parsed on first use. */
  document(): Document.Parsed {
    return (this.parsed ??= this.parse()).document;
  }

  error(keyPath: string[], message: string, hint?: string): ConfigError {
    const document = this.document();
    const node = keyPath.length ? (document.getIn(keyPath, true) as Node | undefined) : (document.contents as Node | null);
    const keyNode = keyPath.length ? this.keyNode(keyPath) : undefined;
    const offset = keyNode?.range?.[0] ?? node?.range?.[0];
    const location: { file: string; line?: number; column?: number } = { file: CONFIG_FILE };
    if (offset !== undefined) {
      const position = this.parsed!.lines.linePos(offset);
      location.line = position.line;
      location.column = position.col;
    }
    return new ConfigError(message, hint === undefined ? { location } : { location, hint });
  }

  private keyNode(keyPath: string[]): Node | undefined {
    const document = this.document();
    const parent = keyPath.length > 1 ? document.getIn(keyPath.slice(0, -1), true) : document.contents;
    if (!isMap(parent)) return undefined;
    const last = keyPath[keyPath.length - 1];
    const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === last);
    return (pair?.key as Node | undefined) ?? undefined;
  }

  string(keyPath: string[], value: unknown): string {
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    if (typeof value === "number") return String(value);
    throw this.error(keyPath, `"${keyPath.join(".")}" must be a non-empty text.`);
  }

  number(keyPath: string[], value: unknown, min: number, max: number): number {
    if (typeof value === "number" && Number.isFinite(value) && value >= min && value <= max) return value;
    throw this.error(keyPath, `"${keyPath.join(".")}" must be a number from ${min} to ${max}.`);
  }

  integer(keyPath: string[], value: unknown, min: number, max: number): number {
    const number = this.number(keyPath, value, min, max);
    if (Number.isInteger(number)) return number;
    throw this.error(keyPath, `"${keyPath.join(".")}" must be a whole number.`);
  }

  boolean(keyPath: string[], value: unknown): boolean {
    if (typeof value === "boolean") return value;
    throw this.error(keyPath, `"${keyPath.join(".")}" must be true or false.`);
  }

  object(keyPath: string[], value: unknown): Record<string, unknown> {
    if (isPlainObject(value)) return value;
    throw this.error(keyPath, `"${keyPath.join(".")}" must be a group of \`key: value\` settings.`);
  }

  oneOf<T extends string>(keyPath: string[], value: unknown, allowed: readonly T[]): T {
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    throw this.error(keyPath, `"${keyPath.join(".")}" must be one of ${allowed.join(", ")}.`);
  }
}
