/**
 * YAML as Gazette's own files are written (the config, the entity table, the UI strings): block
 * maps and lists by indentation, one-line `[a, b]` and `{ de: X, en: Y }`, plain or simply quoted
 * scalars, comments. A site's first build parsed those ~15 KB with the `yaml` package in ~140 ms
 * (loading it, and its code running for the first time); this reads that subset in a few.
 *
 *   names: { de: Kiew, en: Kyiv }   -> map { names: map { de: "Kiew", en: "Kyiv" } }
 *   perPage: 20                     -> 20 (YAML 1.2 core schema: numbers, true/false, null)
 *
 * Anything else — escapes, anchors, tags, multi-line or block scalars, tabs, CR, duplicate keys,
 * odd indentation, numbers written other than plainly — returns NOT_PLAIN, and the caller parses
 * the text with `yaml`, which also reports every error. Offsets locate errors only, and errors
 * are always reported from the `yaml` parse. A test holds the two equal over the project's YAML
 * files, tricky inputs and random ones (tests/unit/util/plain-yaml.test.ts).
 */

/** A YAML node as Gazette's parsers read it: from this fast path, or converted from `yaml`'s (util/yaml.ts). */
export type YamlNode = YamlScalar | YamlMap | YamlSeq | YamlOther;
export interface YamlScalar {
  kind: "scalar";
  value: unknown;
  /** The text as written (a number's digits). */
  source: string;
  offset: number;
}
export interface YamlPair {
  key: YamlNode | null;
  value: YamlNode | null;
}
export interface YamlMap {
  kind: "map";
  items: YamlPair[];
  offset: number;
}
export interface YamlSeq {
  kind: "seq";
  items: (YamlNode | null)[];
  offset: number;
}
/** An alias (`*name`): only the `yaml` path gives one. */
export interface YamlOther {
  kind: "other";
  offset: number;
}

export const NOT_PLAIN = Symbol("outside the plain subset");

/** The document's root node (null for a document of comments only), or NOT_PLAIN. */
export function parsePlainYaml(text: string): YamlNode | null | typeof NOT_PLAIN {
  // Tabs, CR, a BOM, YAML's other line breaks and control characters: the full parser's.
  if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufeff\u2028\u2029]/.test(text)) return NOT_PLAIN;
  try {
    return new PlainReader(text).document();
  } catch (error) {
    if (error === NOT_PLAIN) return NOT_PLAIN;
    throw error;
  }
}

/** What `yaml`'s `toJS()` makes of a node: maps as plain objects, lists as arrays. */
export function plainValue(node: YamlNode | null): unknown {
  if (node === null) return null;
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "seq":
      return node.items.map(plainValue);
    case "map": {
      const object: Record<string, unknown> = {};
      for (const { key, value } of node.items) object[String(plainValue(key))] = plainValue(value);
      return object;
    }
    default:
      throw new Error("an alias has no plain value");
  }
}

interface Line {
  indent: number;
  /** Offset of the line's first character in the text. */
  start: number;
  text: string;
}

const KEY = /^([A-Za-z0-9_][A-Za-z0-9_.-]*):(?= |$)/;
/** Characters that start something other than a plain scalar (`-2` is one, `- 2` a list). */
const PLAIN_START = /^(?:[?:,[\]{}#&*!|>'"%@`]|-(?: |$))/;
/** What ends a plain scalar early or makes it a key (a comment is cut off before). */
const PLAIN_UNSAFE = /: |:$/;
/** Inside `[…]` and `{…}` these end a plain scalar too (or are the full parser's business). */
const FLOW_UNSAFE = /[[\]{},:#]/;
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const BOOLEANS = new Map([["true", true], ["True", true], ["TRUE", true], ["false", false], ["False", false], ["FALSE", false]]);
const PLAIN_NUMBER = /^-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?$/;
/** The core schema's other number forms (octal, hex, exponents, a sign or leading zeros, .inf): left to `yaml`. */
const OTHER_NUMBER = /^[-+]?(?:[0-9]|\.[0-9]|\.inf|\.Inf|\.INF)|^\.(?:nan|NaN|NAN)$/;

/** A plain scalar's value under YAML 1.2's core schema, or NOT_PLAIN for the forms left to `yaml`. */
function resolvePlain(text: string): unknown {
  if (NULLS.has(text)) return null;
  const boolean = BOOLEANS.get(text);
  if (boolean !== undefined) return boolean;
  if (PLAIN_NUMBER.test(text)) return Number(text);
  if (OTHER_NUMBER.test(text)) throw NOT_PLAIN;
  return text;
}

class PlainReader {
  private readonly lines: Line[] = [];
  private at = 0;

  constructor(private readonly text: string) {
    let start = 0;
    for (const raw of text.split("\n")) {
      const body = raw.replace(/^ +/, "");
      // Blank lines and whole-line comments are skipped (the root's `---` and directives are the full parser's).
      if (body !== "" && !body.startsWith("#")) {
        if (/^(?:---|\.\.\.)(?: |$)|^%/.test(raw)) throw NOT_PLAIN;
        this.lines.push({ indent: raw.length - body.length, start, text: body });
      }
      start += raw.length + 1;
    }
  }

  document(): YamlNode | null {
    const first = this.lines[0];
    if (first === undefined) return null;
    if (first.indent !== 0) throw NOT_PLAIN;
    const root = this.block(0);
    // A line no block took (indented unlike its neighbours, or continuing a value): not plain.
    if (this.at < this.lines.length) throw NOT_PLAIN;
    return root;
  }

  /** The map or list whose lines start at column `indent`. */
  private block(indent: number): YamlMap | YamlSeq {
    return isItem(this.lines[this.at]!.text) ? this.list(indent) : this.map(indent);
  }

  private map(indent: number): YamlMap {
    const map: YamlMap = { kind: "map", items: [], offset: this.lines[this.at]!.start + indent };
    const keys = new Set<string>();
    for (let line = this.lines[this.at]; line?.indent === indent && !isItem(line.text); line = this.lines[this.at]) {
      const match = KEY.exec(line.text);
      if (!match) throw NOT_PLAIN;
      const name = match[1]!;
      if (typeof resolvePlain(name) !== "string" || keys.has(name) || name === "__proto__") throw NOT_PLAIN;
      keys.add(name);
      const keyOffset = line.start + indent;
      const key: YamlScalar = { kind: "scalar", value: name, source: name, offset: keyOffset };
      const rest = line.text.slice(match[0].length);
      const restOffset = keyOffset + match[0].length;
      this.at++;
      if (!/^ *(?:#.*)?$/.test(rest)) {
        const spaces = rest.length - rest.replace(/^ +/, "").length;
        map.items.push({ key, value: this.inline(rest.slice(spaces), restOffset + spaces) });
        continue;
      }
      // `key:` alone: a block below it (a list may start at the key's own column), else null.
      const next = this.lines[this.at];
      if (next !== undefined && (next.indent > indent || (next.indent === indent && isItem(next.text)))) {
        map.items.push({ key, value: this.block(next.indent) });
      } else {
        if (rest !== "") throw NOT_PLAIN; // where `yaml` places a null followed by a comment: not needed
        map.items.push({ key, value: { kind: "scalar", value: null, source: "", offset: restOffset } });
      }
    }
    return map;
  }

  private list(indent: number): YamlSeq {
    const list: YamlSeq = { kind: "seq", items: [], offset: this.lines[this.at]!.start + indent };
    for (let line = this.lines[this.at]; line?.indent === indent && isItem(line.text); line = this.lines[this.at]) {
      const item = /^- +/.exec(line.text);
      if (!item) throw NOT_PLAIN; // `-` alone: an item below it
      this.at++;
      list.items.push(this.inline(line.text.slice(item[0].length), line.start + indent + item[0].length));
    }
    return list;
  }

  /**
   * A value on its key's or item's line. A more indented line after it would continue it: no
   * block takes such a line, and the document ends with it unread (the full parser's job).
   */
  private inline(text: string, offset: number): YamlNode {
    const cursor = { text, at: 0, offset };
    const first = text[0];
    let node: YamlNode;
    if (first === "[" || first === "{") node = flowCollection(cursor);
    else if (first === '"' || first === "'") node = quoted(cursor);
    else {
      const comment = text.indexOf(" #");
      const source = (comment === -1 ? text : text.slice(0, comment)).replace(/ +$/, "");
      if (PLAIN_START.test(source) || PLAIN_UNSAFE.test(source)) throw NOT_PLAIN;
      return { kind: "scalar", value: resolvePlain(source), source, offset };
    }
    if (!/^(?: *| +#.*)$/.test(text.slice(cursor.at))) throw NOT_PLAIN;
    return node;
  }
}

function isItem(text: string): boolean {
  return text === "-" || text.startsWith("- ");
}

interface Cursor {
  text: string;
  at: number;
  /** Offset of text[0] in the document. */
  offset: number;
}

/** `"…"` (with YAML's escapes) or `'…'` (without `''`) on one line. */
function quoted(cursor: Cursor): YamlScalar {
  const quote = cursor.text[cursor.at]!;
  const start = cursor.at;
  let close = cursor.text.indexOf(quote, start + 1);
  if (quote === '"') while (close !== -1 && escaped(cursor.text, close)) close = cursor.text.indexOf(quote, close + 1);
  if (close === -1 || (quote === "'" && cursor.text[close + 1] === quote)) throw NOT_PLAIN;
  const inner = cursor.text.slice(start + 1, close);
  const value = quote === '"' ? unescapeDoubleQuoted(inner) : inner;
  cursor.at = close + 1;
  return { kind: "scalar", value, source: value, offset: cursor.offset + start };
}

/** Whether the character at `at` follows an odd run of backslashes. */
function escaped(text: string, at: number): boolean {
  let count = 0;
  while (text[at - 1 - count] === "\\") count++;
  return count % 2 === 1;
}

const ESCAPES: Record<string, string> = { "0": "\0", a: "\x07", b: "\b", t: "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029" };
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

function unescapeDoubleQuoted(inner: string): string {
  return inner.replace(/\\(?:([xuU])([0-9A-Fa-f]*)|(.?))/g, (_, hex: string | undefined, digits: string, other: string) => {
    if (hex !== undefined) {
      const length = HEX_DIGITS[hex]!;
      const code = digits.length >= length ? Number.parseInt(digits.slice(0, length), 16) : NaN;
      // A surrogate half, or a code point past Unicode: the full parser decides.
      if (!(code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) throw NOT_PLAIN;
      return String.fromCodePoint(code) + digits.slice(length);
    }
    const replacement = ESCAPES[other];
    if (replacement === undefined) throw NOT_PLAIN;
    return replacement;
  });
}

/** `[a, "b"]` or `{ de: X, en: "Y" }` of scalars, on one line. */
function flowCollection(cursor: Cursor): YamlSeq | YamlMap {
  const open = cursor.text[cursor.at]!;
  const close = open === "[" ? "]" : "}";
  const offset = cursor.offset + cursor.at;
  const items: (YamlNode | null)[] = [];
  const pairs: YamlPair[] = [];
  const keys = new Set<string>();
  cursor.at++;
  skipSpaces(cursor);
  if (cursor.text[cursor.at] === close) {
    cursor.at++;
    return open === "[" ? { kind: "seq", items, offset } : { kind: "map", items: pairs, offset };
  }
  for (;;) {
    skipSpaces(cursor);
    if (open === "[") items.push(flowScalar(cursor));
    else {
      const key = KEY.exec(cursor.text.slice(cursor.at));
      if (!key) throw NOT_PLAIN;
      const name = key[1]!;
      if (typeof resolvePlain(name) !== "string" || keys.has(name) || name === "__proto__") throw NOT_PLAIN;
      keys.add(name);
      const keyNode: YamlScalar = { kind: "scalar", value: name, source: name, offset: cursor.offset + cursor.at };
      cursor.at += key[0].length;
      if (cursor.text[cursor.at] !== " ") throw NOT_PLAIN;
      skipSpaces(cursor);
      pairs.push({ key: keyNode, value: flowScalar(cursor) });
    }
    skipSpaces(cursor);
    const next = cursor.text[cursor.at];
    cursor.at++;
    if (next === close) break;
    // A trailing comma, or anything else: the full parser's.
    if (next !== "," || /^ *[\]}]/.test(cursor.text.slice(cursor.at))) throw NOT_PLAIN;
  }
  return open === "[" ? { kind: "seq", items, offset } : { kind: "map", items: pairs, offset };
}

function flowScalar(cursor: Cursor): YamlScalar {
  const first = cursor.text[cursor.at];
  if (first === '"' || first === "'") return quoted(cursor);
  const end = cursor.text.slice(cursor.at).search(/[,\]}]/);
  if (end === -1) throw NOT_PLAIN;
  const source = cursor.text.slice(cursor.at, cursor.at + end).replace(/ +$/, "");
  if (source === "" || PLAIN_START.test(source) || PLAIN_UNSAFE.test(source) || FLOW_UNSAFE.test(source)) throw NOT_PLAIN;
  const node: YamlScalar = { kind: "scalar", value: resolvePlain(source), source, offset: cursor.offset + cursor.at };
  cursor.at += end;
  return node;
}

function skipSpaces(cursor: Cursor): void {
  while (cursor.text[cursor.at] === " ") cursor.at++;
}
