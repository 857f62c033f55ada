/**
 * Folds text for comparisons that ignore case and diacritics:
 * "Selenskyj" ~ "SELENSKYJ", "Vladímir" ~ "Vladimir", "Kyjiw" stays itself.
 * ß folds to "ss" so that "Straße" ~ "Strasse".
 */
export function foldText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Mn}+/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .normalize("NFC");
}

/** Whether text[start..end) is `key`, compared in place: tables keyed by words look them up without a substring. */
export function equalsRange(key: string, text: string, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/** Collapses runs of whitespace (including no-break spaces) to one space and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+/gu, " ").trim();
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** ES2024 string methods (in Node since 20; the project's lib is ES2023). */
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** Lone UTF-16 surrogates (from a YAML "\uD800" escape) cannot be written as UTF-8: U+FFFD instead. */
export function wellFormed(text: string): string {
  const native = text as unknown as WellFormedString;
  return native.isWellFormed() ? text : native.toWellFormed();
}

const LATIN1 = /^[\u0000-\u00ff]*$/;

/**
 * The same text, one byte per character where it can be. V8 keeps a string two bytes per
 * character when it was cut from or joined with a two-byte one (any text with „“ or ’ in it: a
 * German article's frontmatter, the config file), even when every character is ASCII: a
 * 30,000-story site's URLs, output paths and sitemap entries were ~100 MB of memory, half of it
 * for nothing, and twice as large in the cache. A Latin-1 copy is one byte per character.
 * Input/Output: "de/gespraeche-in-berlin/" (two-byte) -> the same, one-byte; "„Zitat“" -> itself.
 */
export function compactLatin1(text: string): string {
  return LATIN1.test(text) ? Buffer.from(text, "latin1").toString("latin1") : text;
}
