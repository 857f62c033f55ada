import type { EntityDefinition, EntityKind, EntityMention } from "../types.js";
import { isCaseSensitiveAlias, keyAt, nextToken, tokenize, type TokenCursor } from "../util/entity-tokens.js";

export type { EntityDefinition } from "../types.js";

/**
 * One spelling of an entity, compiled. Names in every language count as aliases too.
 *   "Wolodymyr Selenskyj" -> { tokens: ["wolodymyr", "selenskyj"], exact: null, genitive: false }
 *   "EU"                  -> { tokens: ["eu"], exact: ["EU"] }          (compared as written)
 *   "Putin" (extra key "putins") -> { tokens: ["putin"], genitive: true } (German only)
 */
export interface EntitySpelling {
  /** Index into `EntityTable.entries`. */
  readonly entity: number;
  readonly tokens: readonly string[];
  /** Tokens as written, for case-sensitive aliases; null when matching is folded. */
  readonly exact: readonly string[] | null;
  /** Registered under the German genitive/inflected key (`putins`): valid only in German. */
  readonly genitive: boolean;
  /** A whole label must match as written too: `exact:` spellings and single letters (`X`). */
  readonly labelExact: boolean;
}

/** Compiled alias table: build once per site with `compileEntityTable`, then share. */
export interface EntityTable {
  readonly definitions: ReadonlyMap<string, EntityDefinition>;
  /** Definitions in table order (index = `EntitySpelling.entity`). */
  readonly entries: readonly EntityDefinition[];
  /** First folded token -> spellings starting with it, longest first. */
  readonly byFirstToken: ReadonlyMap<string, readonly EntitySpelling[]>;
  /** Whole folded spelling ("weisses haus") -> spellings, for `lookupEntity`. */
  readonly byKey: ReadonlyMap<string, readonly EntitySpelling[]>;
  /** Bit per (first two characters, length) of the ASCII first-token keys: skips most words unread. */
  readonly prefilter: Uint8Array;
}

/**
 * Compiles definitions into lookup maps. When two entities claim one spelling the first
 * definition keeps it (the loader reports such conflicts as errors before this runs).
 */
export function compileEntityTable(definitions: readonly EntityDefinition[]): EntityTable {
  const entries: EntityDefinition[] = [];
  const definitionsById = new Map<string, EntityDefinition>();
  for (const definition of definitions) {
    if (definitionsById.has(definition.id)) continue;
    definitionsById.set(definition.id, definition);
    entries.push(definition);
  }

  const byFirstToken = new Map<string, EntitySpelling[]>();
  const byKey = new Map<string, EntitySpelling[]>();
  /** folded key -> entity that claimed it first. */
  const owner = new Map<string, number>();
  const seen = new Set<string>();
  entries.forEach((definition, entity) => {
    const exact = definition.exact ?? [];
    const exactKeys = new Set(exact.map((spelling) => tokenize(spelling).keys.join(" ")));
    for (const spelling of [...Object.values(definition.names), ...definition.aliases, ...exact]) {
      if (typeof spelling !== "string") continue;
      const { keys, raws } = tokenize(spelling);
      if (keys.length === 0) continue;
      const key = keys.join(" ");
      const listedExact = exactKeys.has(key);
      const caseSensitive = isCaseSensitiveAlias(spelling) || listedExact;
      const claimedBy = owner.get(key);
      if (claimedBy !== undefined && claimedBy !== entity) continue;
      owner.set(key, entity);
      const signature = `${entity}\u0000${caseSensitive ? raws.join(" ") : key}`;
      if (seen.has(signature)) continue;
      seen.add(signature);

      const labelExact = listedExact || (caseSensitive && raws.join("").length < 2);
      const candidate: EntitySpelling = { entity, tokens: keys, exact: caseSensitive ? raws : null, genitive: false, labelExact };
      push(byFirstToken, keys[0]!, candidate);
      push(byKey, key, candidate);
      // German genitive/inflection of one-word names: Putins, Russlands, Kiews. Multi-word
      // spellings inflect their last token, which the matcher checks itself.
      if (!caseSensitive && keys.length === 1 && !keys[0]!.endsWith("s")) {
        push(byFirstToken, `${keys[0]!}s`, { ...candidate, genitive: true });
      }
    }
  });
  for (const list of byFirstToken.values()) list.sort(compareCandidates);
  for (const list of byKey.values()) list.sort(compareCandidates);
  const prefilter = new Uint8Array(PREFILTER_SIZE);
  for (const key of byFirstToken.keys()) prefilter[prefilterSlot(key, 0, key.length)] = 1;
  return { definitions: definitionsById, entries, byFirstToken, byKey, prefilter };
}

const PREFILTER_SIZE = 1 << 17;

/** Slot of a token (an ASCII key, or a word of lowercased text) in the prefilter. */
function prefilterSlot(text: string, start: number, end: number): number {
  const length = end - start;
  const second = length > 1 ? text.charCodeAt(start + 1) & 63 : 0;
  return ((text.charCodeAt(start) & 63) << 11) | (second << 5) | (length > 31 ? 31 : length);
}

/** Longest spelling first; then exact-case before folded; then plain before genitive. */
function compareCandidates(a: EntitySpelling, b: EntitySpelling): number {
  return (
    b.tokens.length - a.tokens.length ||
    Number(a.exact === null) - Number(b.exact === null) ||
    Number(a.genitive) - Number(b.genitive) ||
    a.entity - b.entity
  );
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Canonical spelling of an entity in a language: the exact tag (`de-AT`), else its base
 * language (`de`), else English, else the first name given, else the id.
 */
export function entityName(definition: EntityDefinition, lang: string): string {
  const names = definition.names;
  const base = lang.split("-")[0] ?? lang;
  return names[lang] ?? names[base] ?? names.en ?? Object.values(names)[0] ?? definition.id;
}

function isGerman(lang: string): boolean {
  return lang === "de" || lang.startsWith("de-");
}

/**
 * Finds entity mentions in the given texts (title, tag names, body), counted.
 * Each text is tokenized once; candidates come from a Map keyed by the first token, and the
 * longest spelling at a position wins and consumes its tokens ("Donald Trump" counts once,
 * "Kyiv Independent" is not also Kyiv). Matching is case- and diacritic-insensitive on whole
 * tokens, so "Trumpf" and "Putinismus" are not Trump or Putin; short all-caps spellings (`EU`,
 * `X`) must match as written. In German a trailing "s" is accepted on the last token
 * ("Putins", "Wolodymyr Selenskyjs"). Matches never span two texts.
 *   Input: ["Trump trifft Putin", "Putins Sprecher"], de
 *   Output: [{ id: "vladimir-putin", name: "Wladimir Putin", kind: "person", count: 2 }, { id: "donald-trump", … count: 1 }]
 * Sorted by count (descending), then id.
 */
export function findEntities(texts: readonly string[], table: EntityTable, lang: string): EntityMention[] {
  if (table.entries.length === 0) return [];
  const german = isGerman(lang);
  const counts = new Map<number, number>();
  for (const text of texts) {
    if (typeof text !== "string" || text === "") continue;
    countMentions(text, table, german, counts);
  }
  const mentions: EntityMention[] = [];
  for (const [entity, count] of counts) {
    const definition = table.entries[entity]!;
    mentions.push({ id: definition.id, name: entityName(definition, lang), kind: definition.kind, count });
  }
  return mentions.sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Counts the mentions in one text. Hot path: the text is lowercased once (natively) and scanned
 * token by token; only a token that starts some spelling reads the tokens after it.
 */
function countMentions(text: string, table: EntityTable, german: boolean, counts: Map<number, number>): void {
  const lower = text.toLowerCase();
  // A few characters lowercase to two ("İ" -> "i̇"), so offsets no longer line up with the text.
  if (lower.length !== text.length) return countMentionsTokenized(text, table, german, counts);
  const byFirstToken = table.byFirstToken;
  const prefilter = table.prefilter;
  const cursor: TokenCursor = { start: 0, end: 0, ascii: true };
  const probe: TokenCursor = { start: 0, end: 0, ascii: true };
  // Tokens after the current one, read on demand: keys, and offsets for case-sensitive checks.
  const aheadKeys: string[] = [];
  const aheadStarts: number[] = [];
  const aheadEnds: number[] = [];
  let position = 0;
  while (nextToken(lower, position, cursor)) {
    position = cursor.end;
    // An ASCII word is its own key, so a clear prefilter bit means no spelling starts with it.
    // (Non-ASCII words can fold to any key and always go to the map.)
    if (cursor.ascii && prefilter[prefilterSlot(lower, cursor.start, cursor.end)] === 0) continue;
    const candidates = byFirstToken.get(keyAt(lower, cursor));
    if (candidates === undefined) continue;
    let ahead = 0;
    for (const candidate of candidates) {
      if (candidate.genitive && !german) continue;
      const need = candidate.tokens.length - 1;
      while (ahead < need && nextToken(lower, ahead === 0 ? cursor.end : aheadEnds[ahead - 1]!, probe)) {
        aheadKeys[ahead] = keyAt(lower, probe);
        aheadStarts[ahead] = probe.start;
        aheadEnds[ahead] = probe.end;
        ahead++;
      }
      if (ahead < need) continue;
      if (!matchesAhead(candidate, text, cursor, aheadKeys, aheadStarts, aheadEnds, german)) continue;
      counts.set(candidate.entity, (counts.get(candidate.entity) ?? 0) + 1);
      if (need > 0) position = aheadEnds[need - 1]!;
      break;
    }
  }
}

function matchesAhead(
  candidate: EntitySpelling,
  text: string,
  first: TokenCursor,
  aheadKeys: readonly string[],
  aheadStarts: readonly number[],
  aheadEnds: readonly number[],
  german: boolean,
): boolean {
  const tokens = candidate.tokens;
  const n = tokens.length;
  const exact = candidate.exact;
  if (exact !== null) {
    if (text.slice(first.start, first.end) !== exact[0]) return false;
    for (let k = 1; k < n; k++) if (text.slice(aheadStarts[k - 1]!, aheadEnds[k - 1]!) !== exact[k]) return false;
    return true;
  }
  for (let k = 1; k < n; k++) {
    const key = aheadKeys[k - 1]!;
    const token = tokens[k]!;
    if (key === token) continue;
    if (german && k === n - 1 && isGenitiveOf(key, token)) continue;
    return false;
  }
  return true;
}

/** Same as `countMentions`, over token arrays: for the rare text whose lowercase changes length. */
function countMentionsTokenized(text: string, table: EntityTable, german: boolean, counts: Map<number, number>): void {
  const { keys, raws } = tokenize(text);
  const byFirstToken = table.byFirstToken;
  let i = 0;
  while (i < keys.length) {
    const candidates = byFirstToken.get(keys[i]!);
    let advance = 1;
    if (candidates !== undefined) {
      for (const candidate of candidates) {
        if (candidate.genitive && !german) continue;
        if (matchesAt(candidate, keys, raws, i, german)) {
          counts.set(candidate.entity, (counts.get(candidate.entity) ?? 0) + 1);
          advance = candidate.tokens.length;
          break;
        }
      }
    }
    i += advance;
  }
}

/** The first token is known to match (it is the map key); checks the rest. */
function matchesAt(candidate: EntitySpelling, keys: readonly string[], raws: readonly string[], at: number, german: boolean): boolean {
  const tokens = candidate.tokens;
  const n = tokens.length;
  if (at + n > keys.length) return false;
  const exact = candidate.exact;
  if (exact !== null) {
    for (let k = 0; k < n; k++) if (raws[at + k] !== exact[k]) return false;
    return true;
  }
  for (let k = 1; k < n; k++) {
    const key = keys[at + k]!;
    const token = tokens[k]!;
    if (key === token) continue;
    if (german && k === n - 1 && isGenitiveOf(key, token)) continue;
    return false;
  }
  return true;
}

/** "selenskyjs" is the German genitive of "selenskyj". */
function isGenitiveOf(key: string, token: string): boolean {
  return key.length === token.length + 1 && key.charCodeAt(token.length) === 115 && key.startsWith(token) && !token.endsWith("s");
}

/**
 * The entity a whole label stands for (a tag "Selensky" -> volodymyr-zelensky), if any.
 * Folded like `findEntities`, except that short all-caps spellings match a whole label in any
 * case when they have two letters or more ("usa", "nato" as tags are common and unambiguous as
 * whole labels); a single letter ("X", never "x") and `exact:` spellings must match as written.
 */
export function lookupEntity(label: string, table: EntityTable): EntityDefinition | undefined {
  if (typeof label !== "string") return undefined;
  const { keys, raws } = tokenize(label);
  if (keys.length === 0) return undefined;
  const candidates = table.byKey.get(keys.join(" "));
  if (candidates === undefined) return undefined;
  for (const candidate of candidates) {
    if (candidate.exact !== null && candidate.labelExact && !sameTokens(candidate.exact, raws)) continue;
    return table.entries[candidate.entity];
  }
  return undefined;
}

function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
