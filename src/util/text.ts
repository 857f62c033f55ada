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

/** Collapses runs of whitespace (including no-break spaces) to one space and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+/gu, " ").trim();
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
