import { Eta } from "eta";
import { TemplateError } from "../errors/site-error.js";
import type { PageKind, PageView } from "./view-models.js";

/** A template source as read from disk; `file` is project-relative (for errors). */
export interface TemplateSource {
  /** Name without extension, POSIX separators: "article", "partials/card". */
  name: string;
  file: string;
  source: string;
}

/** The page templates every theme must have, by page kind. */
export const PAGE_TEMPLATES: Record<PageKind, string> = {
  article: "article",
  listing: "listing",
  "group-index": "group-index",
  chooser: "chooser",
  search: "search",
  "not-found": "404",
};
export const REQUIRED_TEMPLATES = ["layout", ...Object.values(PAGE_TEMPLATES)];

const NEEDS_ESCAPE = /[&<>"']/;

/**
 * `&<>"'` as entities. Every printed value of every page goes through it (~7 million calls at
 * 10,000 stories): most need nothing, which one regex test finds; the rest are copied in slices.
 */
export function escapeHtml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  let out = "";
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    let entity: string;
    switch (text.charCodeAt(i)) {
      case 38:
        entity = "&amp;";
        break;
      case 60:
        entity = "&lt;";
        break;
      case 62:
        entity = "&gt;";
        break;
      case 34:
        entity = "&quot;";
        break;
      case 39:
        entity = "&#39;";
        break;
      default:
        continue;
    }
    out += text.slice(last, i) + entity;
    last = i + 1;
  }
  return out + text.slice(last);
}

/**
 * Printing `undefined` is always a template bug (a misspelled field): fail loudly instead of
 * publishing the word "undefined". `null` prints nothing.
 */
function strictFilter(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) throw new Error("the template printed an undefined value (a misspelled field?)");
  if (value === null) return "";
  return String(value);
}

export interface TemplateSet {
  render(view: PageView): string;
  /** Names and files, for dependency tracking in dev. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * Compiles every template once. Later sources override earlier ones by name, so a project's
 * templates/ folder overrides Gazette's built-in theme file by file.
 */
export function compileTemplates(sources: readonly TemplateSource[]): TemplateSet {
  const byName = new Map<string, TemplateSource>();
  for (const source of sources) byName.set(source.name, source);
  for (const name of REQUIRED_TEMPLATES) {
    if (!byName.has(name)) {
      throw new TemplateError(`the template "${name}.eta" is missing.`, {
        location: { file: `templates/${name}.eta` },
        hint: "Restore it from Gazette's default theme, or create it.",
      });
    }
  }
  const config = { autoEscape: true, autoFilter: true, filterFunction: strictFilter, escapeFunction: (value: unknown) => escapeHtml(typeof value === "string" ? value : String(value)), autoTrim: [false, "nl"] as ["nl" | false, "nl"], cache: true, debug: false };
  const fast = new Eta(config);
  // Only used to explain a failure: debug mode adds line numbers, at a cost we pay once.
  let debug: Eta | null = null;

  for (const source of byName.values()) {
    try {
      fast.loadTemplate(`@${source.name}`, source.source);
    } catch (cause) {
      throw new TemplateError(`the template does not compile: ${reasonOf(cause)}`, {
        location: { file: source.file, ...lineOf(cause) },
        hint: "Check the <% %> tags around that line.",
        cause,
      });
    }
  }

  return {
    files: new Map([...byName.values()].map((source) => [source.name, source.file])),
    render(view) {
      const name = PAGE_TEMPLATES[view.kind];
      try {
        return fast.render(`@${name}`, view);
      } catch (cause) {
        debug ??= createDebugEta(config, byName);
        let detailed: unknown = cause;
        try {
          debug.render(`@${name}`, view);
        } catch (again) {
          detailed = again;
        }
        const failing = byName.get(String((detailed as { template?: string }).template ?? "").slice(1)) ?? byName.get(name)!;
        throw new TemplateError(`the template failed to render: ${reasonOf(detailed)}`, {
          location: { file: failing.file, ...lineOf(detailed) },
          hint: "Fix the template, or the data it expects (see src/render/view-models.ts).",
          cause: detailed,
        });
      }
    },
  };
}

/**
 * Debug-mode Eta that also records which template (partial or page) an error came from:
 * the innermost render call to see the error tags it first.
 */
function createDebugEta(config: object, byName: Map<string, TemplateSource>): Eta {
  const eta = new Eta({ ...config, debug: true });
  // `render` is an instance property that compiled templates call for include(): wrap it.
  const render = eta.render.bind(eta);
  eta.render = ((template: Parameters<Eta["render"]>[0], data: object, meta?: { filepath: string }) => {
    try {
      return meta ? render(template, data, meta) : render(template, data);
    } catch (error) {
      if (error && typeof error === "object" && !("template" in error) && typeof template === "string") Object.assign(error, { template });
      throw error;
    }
  }) as Eta["render"];
  for (const source of byName.values()) eta.loadTemplate(`@${source.name}`, source.source);
  return eta;
}

/** The human part of an Eta error: the reason, without code frames. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !/^=+$/.test(line));
  let reason: string;
  if (lines[0] === "Bad template syntax") reason = `bad template syntax (${lines[1] ?? "?"})`;
  else reason = [...lines].reverse().find((line) => !/^(>>\s*)?\d+\|/.test(line) && !/^line \d+$/.test(line)) ?? lines[0] ?? "unknown error";
  return reason.replace(/\.$/, "") + ".";
}

/** The innermost "line N" (nested includes print one per level). */
function lineOf(error: unknown): { line?: number } {
  const message = error instanceof Error ? error.message : String(error);
  const matches = [...message.matchAll(/\bline (\d+)/g)];
  const last = matches[matches.length - 1];
  return last ? { line: Number(last[1]) } : {};
}
