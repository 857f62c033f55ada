import { createRequire } from "node:module";
import type { Document, LineCounter, Node } from "yaml";
import { isMap, isScalar, isSeq, newLineCounter, parseYamlDocument } from "../util/yaml.js";
import { FrontmatterError } from "../errors/site-error.js";
import { parseFastFrontmatter } from "./fast-frontmatter.js";

export interface ParsedFile {
  frontmatter: Record<string, unknown>;
  keyLines: Record<string, number>;
  body: string;
  bodyLine: number;
}

/** What our YAML engine hands back to gray-matter instead of plain data: positions survive. */
interface ParsedYaml {
  document: Document.Parsed;
  lines: LineCounter;
}

/**
 * gray-matter splits the file; the `yaml` package parses the block, because gray-matter's bundled
 * js-yaml 3 mangles values (`010` -> 8, `2026-02-30` -> a March date) and loses positions.
 * The block starts right after the opening `---`, so YAML line N is file line N.
 */
const matterOptions = {
  engines: {
    yaml: {
      parse: (source: string): object => {
        const lines = newLineCounter();
        const document = parseYamlDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
        return { document, lines } satisfies ParsedYaml;
      },
      stringify: (): string => {
        throw new Error("Internal: Gazette never writes frontmatter through gray-matter");
      },
    },
  },
};

type GrayMatter = typeof import("gray-matter");
let grayMatter: GrayMatter | undefined;
/**
 * Loaded on the first file off the fast path: gray-matter requires js-yaml 3 as it loads (~50 ms
 * of a five-story build), and most sites never need it.
 */
function matter(input: string, options: object): ReturnType<GrayMatter> {
  grayMatter ??= createRequire(import.meta.url)("gray-matter") as GrayMatter;
  return grayMatter(input, options as never);
}

const CLOSING_FENCE = /\r?\n---[ \t]*(?:\r?\n|$)/g;

/** Splits and parses one Markdown file. Throws FrontmatterError with file, line and column. */
export function parseFrontmatter(input: string, file: string, options: { fastPath?: boolean } = {}): ParsedFile {
  // CRLF and lone CR become LF first: line numbers stay the same, and no value ends in "\r".
  const text = input.includes("\r") ? input.replace(/\r\n?/g, "\n") : input;
  const startsWithFence = /^(?:\uFEFF)?---[ \t]*\r?\n/.test(text);
  CLOSING_FENCE.lastIndex = 3;
  if (startsWithFence && !CLOSING_FENCE.test(text)) {
    throw new FrontmatterError("the frontmatter block starts with --- but never ends.", {
      location: { file, line: 1, column: 1 },
      hint: "Close it with a line containing only ---.",
    });
  }
  // gray-matter looks its cache up by the whole input (even with options, when it does not cache),
  // which makes V8 hash every article's full text: ~1.8 s at 20,000 files. It gets the frontmatter
  // block alone; the body is cut here exactly where gray-matter cuts it (after the first "\n---",
  // less one line break).
  let head = text;
  let rest = "";
  if (startsWithFence) {
    const close = text.indexOf("\n---", 3);
    if (close !== -1) {
      head = text.slice(0, close + 4);
      rest = text.slice(close + 4);
      if (rest.startsWith("\n")) rest = rest.slice(1);
      // Plain fences (`---` lines with nothing else) around the common subset of YAML: no YAML
      // document built (see fast-frontmatter.ts).
      const plainFences = text.startsWith("---\n") && (text.startsWith("\n---\n", close) || close + 4 === text.length);
      if (options.fastPath !== false && plainFences) {
        const fast = parseFastFrontmatter(text.slice(4, close), 2);
        if (fast) return { ...fast, body: rest, bodyLine: countLines(text, text.length - rest.length) };
      }
    }
  }
  const parsed = matter(head, matterOptions);
  const body = parsed.content + rest;
  const bodyLine = countLines(text, text.length - body.length);
  const yaml = (parsed.data as Partial<ParsedYaml>).document ? (parsed.data as ParsedYaml) : undefined;
  if (!yaml) return { frontmatter: {}, keyLines: {}, body, bodyLine };

  const { document, lines } = yaml;
  const firstError = document.errors[0];
  if (firstError) {
    const position = lines.linePos(firstError.pos[0]);
    throw new FrontmatterError(`the YAML frontmatter does not parse: ${firstMessageLine(firstError.message)}.`, {
      location: { file, line: position.line, column: position.col },
      hint: yamlHint(firstError.code),
    });
  }
  const contents = document.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return { frontmatter: {}, keyLines: {}, body, bodyLine };
  }
  if (!isMap(contents)) {
    const position = lines.linePos(contents.range[0]);
    throw new FrontmatterError("the frontmatter is not a list of `key: value` lines.", {
      location: { file, line: position.line, column: position.col },
      hint: "Write one field per line, e.g. `title: My headline`.",
    });
  }

  const frontmatter: Record<string, unknown> = {};
  const keyLines: Record<string, number> = {};
  for (const pair of contents.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : null;
    if (key === null || keyNode === null) {
      const position = lines.linePos(keyNode?.range?.[0] ?? 0);
      throw new FrontmatterError("a frontmatter key is not a plain name.", {
        location: { file, line: position.line, column: position.col },
        hint: "Use simple keys such as `title:` or `date:`.",
      });
    }
    keyLines[key] = lines.linePos(keyNode.range?.[0] ?? 0).line;
    frontmatter[key] = toPlain(pair.value as Node | null, document);
  }
  return { frontmatter, keyLines, body, bodyLine };
}

/**
 * Converts a YAML node to plain data. Plain scalars that YAML reads as numbers keep their source
 * text: no frontmatter field is numeric, and `title: 010` or `slug: 1e3` must not change.
 */
function toPlain(node: Node | null, document: Document.Parsed): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) {
    if (typeof node.value === "number" || typeof node.value === "bigint") {
      return node.source ?? String(node.value);
    }
    return node.value;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(item as Node | null, document));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[key] = toPlain(pair.value as Node | null, document);
    }
    return out;
  }
  // Aliases: resolved by the library, which caps alias expansion (no "billion laughs").
  return node.toJS(document, { maxAliasCount: 100 });
}

function countLines(text: string, upTo: number): number {
  let line = 1;
  for (let i = 0; i < upTo; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function firstMessageLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "").replace(/\.$/, "");
}

function yamlHint(code: string): string {
  switch (code) {
    case "DUPLICATE_KEY":
      return "Each key may appear once: remove or rename the repeated one.";
    case "BAD_INDENT":
    case "MISSING_CHAR":
      return "Check the indentation and that lists start with `- `.";
    case "BLOCK_AS_IMPLICIT_KEY":
    case "MULTILINE_IMPLICIT_KEY":
      return "A value containing `: ` must be quoted, e.g. title: \"Trump: the talks\".";
    default:
      return "Quote values that contain `:`, `#` or start with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `%` or `@`.";
  }
}
