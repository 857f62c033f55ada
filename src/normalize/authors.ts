import { foldText } from "../util/text.js";
import { cleanLine } from "./clean-text.js";

/** Words that join two names in a byline, per language. */
const JOINERS = /\s+(?:und|and|et|y|e|en|i|&|\+)\s+/i;
/** Byline prefixes: "von A", "By A", "Par A", "Por A", "Text: A". */
const PREFIX = /^(?:von|by|par|por|de|text|texte|autor(?:in)?|author|auteure?)\s*[:\-–]?\s+/i;

/**
 * Bylines as sources write them -> a list of names.
 *   "Anna Weber und Tom Berg" -> ["Anna Weber", "Tom Berg"]
 *   ["von Anna Weber", "Tom Berg, Lea Roth"] -> ["Anna Weber", "Tom Berg", "Lea Roth"]
 * Returns null when the value is not text or a list of texts.
 */
export function parseAuthors(value: unknown): string[] | null {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (typeof item !== "string") return null;
    for (const part of item.split(/\s*[,;\/|]\s*|\n/)) {
      for (const piece of part.split(JOINERS)) {
        const name = cleanLine(piece).text.replace(PREFIX, "").replace(/^[\s"'“”„«»]+|[\s"'“”„«»]+$/g, "");
        if (name === "") continue;
        const key = foldText(name);
        if (seen.has(key)) continue;
        seen.add(key);
        names.push(name);
      }
    }
  }
  return names;
}
