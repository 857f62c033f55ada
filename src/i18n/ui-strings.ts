import { MissingTranslationError, type SiteError } from "../errors/site-error.js";
import { isPlainObject } from "../util/text.js";

/** One language's UI strings file as read: nested keys, plural groups ({one, other}). */
export interface UiStrings {
  lang: string;
  /** Project-relative path, for error locations. */
  file: string;
  values: Record<string, unknown>;
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Reference language whose keys every other file must have. */
export const REFERENCE_LANGUAGE = "en";

/**
 * Every key of the reference file must exist in every language: a missing one is an error naming
 * the key and the file (never a blank on a page). Keys are dotted paths ("segments.topics").
 */
export function checkUiStrings(all: ReadonlyMap<string, UiStrings>, reference: UiStrings | undefined): SiteError[] {
  const errors: SiteError[] = [];
  const base = reference ?? all.get(REFERENCE_LANGUAGE) ?? [...all.values()][0];
  if (!base) return errors;
  const required = leafKeys(base.values);
  for (const strings of all.values()) {
    const present = new Set(leafKeys(strings.values));
    const missing = required.filter((key) => !present.has(key) && !isPluralGroupPresent(strings.values, key));
    if (missing.length > 0) {
      errors.push(
        new MissingTranslationError(`the UI strings for "${strings.lang}" lack ${missing.length === 1 ? "the key" : "the keys"} ${missing.map((key) => `"${key}"`).join(", ")}.`, {
          location: { file: strings.file },
          hint: `Add ${missing.length === 1 ? "it" : "them"} (see ${base.file}).`,
        }),
      );
    }
  }
  return errors;
}

/**
 * A translate function for one language:
 *   t("translatedFrom", { language: "Deutsch" }) -> "Translated from Deutsch."
 *   t("readingTime", { count: 3 })               -> "3 min read" (plural form chosen by Intl.PluralRules)
 * A key that does not exist throws: the checks above make that a bug, not a content problem.
 */
export function createTranslator(strings: UiStrings, locale: string): Translate {
  const plurals = new Intl.PluralRules(locale);
  const cache = new Map<string, unknown>();
  const filledTexts = new Map<string, string>();
  return (key, params) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = lookup(strings.values, key);
      if (value === undefined) throw new Error(`Internal: UI string "${key}" is missing for ${strings.lang} (${strings.file}).`);
      cache.set(key, value);
    }
    let text: string;
    if (isPlainObject(value)) {
      const count = typeof params?.count === "number" ? params.count : Number(params?.count ?? 0);
      const form = plurals.select(count);
      const chosen = value[form] ?? value.other;
      if (typeof chosen !== "string") throw new Error(`Internal: UI string "${key}" has no "${form}" or "other" form for ${strings.lang}.`);
      text = chosen;
    } else {
      text = String(value);
    }
    if (!params) return text;
    // Cards and switchers ask for the same few phrases on every page: fill each one once.
    let memoKey = text;
    for (const name in params) memoKey += `\u0000${name}\u0000${String(params[name])}`;
    let filled = filledTexts.get(memoKey);
    if (filled === undefined) {
      filled = text.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const param = params[name];
        if (param === undefined) return whole;
        return typeof param === "number" ? param.toLocaleString(locale) : param;
      });
      if (filledTexts.size > 100_000) filledTexts.clear();
      filledTexts.set(memoKey, filled);
    }
    return filled;
  };
}

function lookup(values: Record<string, unknown>, key: string): unknown {
  let current: unknown = values;
  for (const part of key.split(".")) {
    if (!isPlainObject(current)) return undefined;
    current = current[part];
  }
  return current;
}

function leafKeys(values: Record<string, unknown>, prefix = ""): string[] {
  const keys: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value) && !("other" in value)) keys.push(...leafKeys(value, path));
    else keys.push(path);
  }
  return keys;
}

function isPluralGroupPresent(values: Record<string, unknown>, key: string): boolean {
  const value = lookup(values, key);
  return isPlainObject(value) && typeof value.other === "string";
}
