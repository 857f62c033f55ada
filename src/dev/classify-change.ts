import path from "node:path";
import type { SiteConfig } from "../config/site-config.js";
import { CONFIG_FILE } from "../config/site-config.js";

/**
 * What a changed file means for the site:
 *   content  an article file: re-normalize it, re-render what shows it
 *   template a template or UI strings file: every page may change
 *   asset    a theme asset (CSS, JS): new fingerprint, every page links it; CSS swaps live
 *   data     data/entities.yml: every article may get other entities
 *   config   gazette.config.yml: everything
 *   ignored  anything else (editor swap files, the output folder, dotfiles)
 */
export type ChangeKind = "content" | "template" | "asset" | "data" | "config" | "ignored";

export interface Change {
  kind: ChangeKind;
  /** Absolute path. */
  path: string;
  event: "add" | "change" | "unlink";
}

const EDITOR_NOISE = /(^\.|~$|\.swp$|\.swx$|\.tmp$|^#.*#$|^4913$)/;

export function classifyChange(absolute: string, config: SiteConfig, themeDirs: readonly string[]): ChangeKind {
  const file = path.resolve(absolute);
  const name = path.basename(file);
  if (EDITOR_NOISE.test(name)) return "ignored";
  const root = config.root;
  const inside = (dir: string) => {
    const relative = path.relative(path.resolve(root, dir), file);
    return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  };
  if (inside(config.paths.out)) return "ignored";
  if (file === path.join(root, CONFIG_FILE)) return "config";
  if (inside(config.paths.content)) return file.endsWith(".md") ? "content" : "ignored";
  if (inside(config.paths.data)) return name === "entities.yml" ? "data" : "ignored";
  for (const dir of themeDirs) {
    const relative = path.relative(dir, file);
    if (relative.startsWith("..") || path.isAbsolute(relative)) continue;
    if (relative.startsWith(`assets${path.sep}`)) return "asset";
    if (file.endsWith(".eta") || (relative.startsWith(`i18n${path.sep}`) && file.endsWith(".yml"))) return "template";
  }
  return "ignored";
}

/**
 * The work a burst of changes needs: the broadest kind wins (config > data > template > asset > content),
 * and content changes keep their files (last event per file wins).
 */
export interface ChangeSet {
  full: boolean;
  theme: boolean;
  assetsOnly: boolean;
  contentFiles: Map<string, Change["event"]>;
}

export function summarizeChanges(changes: readonly Change[]): ChangeSet {
  const set: ChangeSet = { full: false, theme: false, assetsOnly: false, contentFiles: new Map() };
  let assets = false;
  for (const change of changes) {
    switch (change.kind) {
      case "config":
      case "data":
        set.full = true;
        break;
      case "template":
        set.theme = true;
        break;
      case "asset":
        assets = true;
        break;
      case "content":
        set.contentFiles.set(change.path, change.event);
        break;
      case "ignored":
        break;
      default:
        assertNever(change.kind);
    }
  }
  if (assets) set.theme = true;
  set.assetsOnly = assets && !set.full && changes.every((change) => change.kind === "asset" || change.kind === "ignored");
  return set;
}

function assertNever(value: never): never {
  throw new Error(`Internal: unhandled change kind ${String(value)}`);
}
