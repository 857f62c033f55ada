import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DiagnosticSink } from "../errors/diagnostics.js";
import { TemplateError } from "../errors/site-error.js";
import type { UiStrings } from "../i18n/ui-strings.js";
import { hashText } from "../util/hash.js";
import { toProjectPath } from "../util/paths.js";
import { loadUiStrings } from "./load-ui-strings.js";
import type { ParsedSources } from "../cache/parsed-sources.js";
import { CONFIG_FILE, defaults, type SiteConfig } from "./site-config.js";

/** Gazette's own default theme, shipped with the package. */
export const BUILTIN_TEMPLATES_DIR = fileURLToPath(new URL("../../templates/", import.meta.url));

export interface ThemeTemplate {
  name: string;
  file: string;
  source: string;
}

export interface ThemeAsset {
  name: string;
  /** Fingerprinted output path: assets/style.3f2a9c1b.css */
  outputPath: string;
  bytes: Uint8Array;
}

export interface Theme {
  templates: ThemeTemplate[];
  assets: ThemeAsset[];
  strings: Map<string, UiStrings>;
  /** Folders the theme was read from, lowest priority first. */
  dirs: string[];
}

/**
 * Reads the theme: Gazette's built-in templates, overridden file by file by the project's
 * templates folder (same relative name wins). Assets are fingerprinted by content.
 */
export async function loadTheme(config: SiteConfig, sink: DiagnosticSink, sources?: ParsedSources): Promise<Theme> {
  const projectDir = path.resolve(config.root, config.paths.templates);
  const dirs = [...new Set([path.resolve(BUILTIN_TEMPLATES_DIR), projectDir])];
  // The default templates/ is optional (the built-in theme stands in); a folder the config names
  // must exist, or the newsroom's theme would silently vanish from the site.
  if (config.paths.templates !== defaults.paths.templates && !(await isDirectory(projectDir))) {
    sink.error(
      new TemplateError(`the templates folder ${config.paths.templates}/ named in gazette.config.yml does not exist.`, {
        location: { file: CONFIG_FILE },
        hint: "Create it, fix paths.templates, or remove the setting to use Gazette's built-in theme.",
      }),
    );
  }
  const templates = new Map<string, ThemeTemplate>();
  const assets = new Map<string, { name: string; bytes: Uint8Array }>();
  for (const dir of dirs) {
    for (const file of await listFiles(dir)) {
      const relative = path.relative(dir, file).split(path.sep).join("/");
      if (relative.endsWith(".eta")) {
        templates.set(relative.slice(0, -4), { name: relative.slice(0, -4), file: toProjectPath(config.root, file), source: await readFile(file, "utf8") });
      } else if (relative.startsWith("assets/")) {
        const name = relative.slice("assets/".length);
        assets.set(name, { name, bytes: await readFile(file) });
      }
    }
  }
  if (templates.size === 0) {
    sink.error(
      new TemplateError(`no templates were found in ${dirs.map((dir) => toProjectPath(config.root, dir) || ".").join(" or ")}.`, {
        location: { file: config.paths.templates },
        hint: "Restore the templates folder (git checkout templates) or point paths.templates in gazette.config.yml at your theme.",
      }),
    );
  }
  const strings = await loadUiStrings([...dirs].reverse(), config.root, config.languages.map((language) => language.code), sink, sources);
  return {
    templates: [...templates.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    assets: [...assets.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((asset) => ({ ...asset, outputPath: `assets/${fingerprint(asset.name, asset.bytes)}` })),
    strings,
    dirs,
  };
}

/** style.css -> style.3f2a9c1b.css: a changed file gets a new URL, so it can be cached forever. */
function fingerprint(name: string, bytes: Uint8Array): string {
  const extension = path.posix.extname(name);
  return `${name.slice(0, name.length - extension.length)}.${hashText(bytes, 8)}${extension}`;
}

async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}
