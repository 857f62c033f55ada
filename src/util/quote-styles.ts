/**
 * Typographic quotation marks per language: one table for titles (normalize/clean-text.ts) and
 * bodies (render/typography.ts), so that the two always agree.
 *   quoteStyleFor("de-AT") -> { open: "„", close: "“", innerOpen: "‚", innerClose: "‘" }
 */
export interface QuoteStyle {
  open: string;
  close: string;
  innerOpen: string;
  innerClose: string;
}

const QUOTE_STYLES: Record<string, QuoteStyle> = {
  de: { open: "„", close: "“", innerOpen: "‚", innerClose: "‘" },
  en: { open: "“", close: "”", innerOpen: "‘", innerClose: "’" },
  fr: { open: "«\u00A0", close: "\u00A0»", innerOpen: "“", innerClose: "”" },
  es: { open: "«", close: "»", innerOpen: "“", innerClose: "”" },
  it: { open: "«", close: "»", innerOpen: "“", innerClose: "”" },
  pt: { open: "“", close: "”", innerOpen: "‘", innerClose: "’" },
  nl: { open: "‘", close: "’", innerOpen: "“", innerClose: "”" },
  pl: { open: "„", close: "”", innerOpen: "«", innerClose: "»" },
};

/** The style of a BCP 47 tag's primary language; English for languages without an entry. */
export function quoteStyleFor(lang: string): QuoteStyle {
  const dash = lang.indexOf("-");
  const primary = (dash === -1 ? lang : lang.slice(0, dash)).toLowerCase();
  return QUOTE_STYLES[primary] ?? QUOTE_STYLES.en!;
}
