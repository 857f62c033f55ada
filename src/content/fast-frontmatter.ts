/**
 * A fast path for the frontmatter most sources write: `key: value` lines, lists of `- item`
 * lines or `[a, b]`, one level of nested `key: value` (source:), plain or simply quoted values.
 *
 *   title: "Neue Regeln"          -> "Neue Regeln"
 *   draft: true                   -> true
 *   tags: [Politik, "EU"]         -> ["Politik", "EU"]
 *   source:\n  name: Hanse Kurier -> { name: "Hanse Kurier" }
 *
 * Building a full YAML document (`yaml`'s parseDocument) costs ~100 µs per file, most of the
 * parse time of a 20,000-file site. This reads that subset line by line and returns exactly what
 * parse-frontmatter.ts makes of the `yaml` document (plain scalars as written, numbers included;
 * YAML 1.2 core booleans and nulls). Anything else — escapes, multi-line or block scalars,
 * anchors, tags, comments after a value, tabs, duplicate keys, odd indentation — returns null, and
 * the caller parses the block with `yaml`, which also reports every error. A test holds the two
 * paths equal over the site's articles, the fixtures, a generated corpus, tricky inputs and
 * random blocks (tests/unit/content/fast-frontmatter.test.ts).
 */

export interface FastFrontmatter {
  frontmatter: Record<string, unknown>;
  keyLines: Record<string, number>;
}

const KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$/;
const NESTED_KEY = /^( +)([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$/;
const ITEM = /^( *)- +(.*)$/;
const TRUE = new Set(["true", "True", "TRUE"]);
const FALSE = new Set(["false", "False", "FALSE"]);
const NULL = new Set(["null", "Null", "NULL", "~"]);
/** Characters that start something other than a plain scalar, or end one early, or make it a map. */
const PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@`]/;
const PLAIN_UNSAFE = /: |:$|\s#|[\t\r\u0085\u2028\u2029\ufeff]|^\s|\s$/;
/** Inside `[…]`, flow indicators end a plain scalar too. */
const FLOW_UNSAFE = /[[\]{},:]/;

/** A value outside the subset: the whole block then goes to `yaml`. (`key:` with nothing below is null, as in YAML.) */
const NO_VALUE = Symbol("outside the subset");

/**
 * `block`: the text between the opening `---` line and the closing one; `firstLine`: the file line
 * of its first line. Null when the block is outside the subset (then `yaml` must parse it).
 */
export function parseFastFrontmatter(block: string, firstLine: number): FastFrontmatter | null {
  const lines = block.split("\n");
  const frontmatter: Record<string, unknown> = {};
  const keyLines: Record<string, number> = {};
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlankOrComment(line)) {
      i++;
      continue;
    }
    const match = KEY.exec(line);
    if (!match) return null;
    const key = match[1]!;
    if (Object.hasOwn(frontmatter, key) || key === "__proto__") return null;
    keyLines[key] = firstLine + i;
    i++;
    if (match[2] !== undefined && match[2] !== "") {
      const value = inlineValue(match[2]);
      if (value === NO_VALUE) return null;
      frontmatter[key] = value;
      continue;
    }
    // `key:` alone: a block list or map follows on indented lines (or `- ` at the key's column), else null.
    let end = i;
    while (end < lines.length && (isBlankOrComment(lines[end]!) || /^ |^- /.test(lines[end]!))) end++;
    while (end > i && isBlankOrComment(lines[end - 1]!)) end--;
    const nested = blockValue(lines.slice(i, end));
    if (nested === NO_VALUE) return null;
    frontmatter[key] = nested;
    i = end;
  }
  return { frontmatter, keyLines };
}

function isBlankOrComment(line: string): boolean {
  const trimmed = line.trimStart();
  return trimmed === "" ? !line.includes("\t") : trimmed.startsWith("#") && !line.includes("\t");
}

/** The lines under a `key:` without inline value: a list, a map of scalars, or nothing (null). */
function blockValue(lines: string[]): unknown {
  const content = lines.filter((line) => !isBlankOrComment(line));
  if (content.length === 0) return null;
  const first = ITEM.exec(content[0]!);
  if (first) {
    const indent = first[1]!.length;
    const items: unknown[] = [];
    for (const line of content) {
      const item = ITEM.exec(line);
      if (!item || item[1]!.length !== indent) return NO_VALUE;
      const value = scalar(item[2]!);
      if (value === NO_VALUE) return NO_VALUE;
      items.push(value);
    }
    return items;
  }
  const indent = NESTED_KEY.exec(content[0]!)?.[1]!.length;
  if (indent === undefined) return NO_VALUE;
  const map: Record<string, unknown> = {};
  for (const line of content) {
    const pair = NESTED_KEY.exec(line);
    if (!pair || pair[1]!.length !== indent || pair[3] === undefined || pair[3] === "") return NO_VALUE;
    const key = pair[2]!;
    if (Object.hasOwn(map, key) || key === "__proto__") return NO_VALUE;
    const value = scalar(pair[3]);
    if (value === NO_VALUE) return NO_VALUE;
    map[key] = value;
  }
  return map;
}

/** A value on the key's line: a scalar or a one-line flow list. */
function inlineValue(raw: string): unknown {
  const text = raw.replace(/ +$/, "");
  return text.startsWith("[") ? flowList(text) : scalar(text);
}

function flowList(text: string): unknown {
  if (!text.endsWith("]")) return NO_VALUE;
  const inner = text.slice(1, -1);
  if (inner.trim() === "") return inner.includes("\t") ? NO_VALUE : [];
  const parts = inner.split(",");
  const items: unknown[] = [];
  for (const part of parts) {
    const item = part.replace(/^ +| +$/g, "");
    if (item === "" || FLOW_UNSAFE.test(item)) return NO_VALUE;
    const value = scalar(item);
    if (value === NO_VALUE) return NO_VALUE;
    items.push(value);
  }
  return items;
}

/** One scalar: quoted without escapes, or plain; trailing spaces allowed, nothing else after it. */
function scalar(raw: string): unknown {
  const text = raw.replace(/ +$/, "");
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    if (text.length < 2 || !text.endsWith(quote)) return NO_VALUE;
    const inner = text.slice(1, -1);
    // Escapes (\" or ''), line folding and control characters: the full parser's job.
    if (inner.includes(quote) || (quote === '"' && inner.includes("\\")) || /[\t\r\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(inner)) return NO_VALUE;
    return inner;
  }
  if (text === "" || PLAIN_START.test(text) || PLAIN_UNSAFE.test(text)) return NO_VALUE;
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  if (NULL.has(text)) return null;
  return text;
}
