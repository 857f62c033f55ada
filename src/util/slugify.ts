/**
 * URL-safe slug with language-aware transliteration:
 *   slugify("Trump und Putin: Gipfel in Alaska", "de") -> "trump-und-putin-gipfel-in-alaska"
 *   slugify("Grüße aus Köln", "de") -> "gruesse-aus-koeln"   (German: ä -> ae)
 *   slugify("Škoda à Zürich", "fr") -> "skoda-a-zurich"       (elsewhere: accents dropped)
 * Always returns [a-z0-9-], never empty for input with any letter or digit; `fallback` otherwise.
 */
export function slugify(text: string, lang = "", maxLength = 80, fallback = "untitled"): string {
  const german = lang === "de" || lang.startsWith("de-");
  let s = text.normalize("NFC");
  if (german) {
    s = s.replace(/[ÄäÖöÜü]/g, (ch) => GERMAN_UMLAUTS[ch]!);
  }
  s = s.replace(/[^\u0000-\u007f]/g, (ch) => SPECIAL_LETTERS[ch] ?? ch);
  s = s
    .normalize("NFD")
    .replace(/\p{Mn}+/gu, "")
    .toLowerCase()
    // French and Italian elide with an apostrophe ("l’entretien"): it separates words there.
    .replace(/['’‘`´]/g, /^(fr|it|ca)\b/.test(lang) ? "-" : "")
    .replace(/&/g, german ? " und " : lang.startsWith("fr") ? " et " : " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (s.length > maxLength) {
    const cut = s.slice(0, maxLength + 1);
    const lastHyphen = cut.lastIndexOf("-");
    s = (lastHyphen > maxLength / 2 ? cut.slice(0, lastHyphen) : s.slice(0, maxLength)).replace(/-+$/, "");
  }
  return s === "" ? fallback : s;
}

const GERMAN_UMLAUTS: Record<string, string> = { Ä: "Ae", ä: "ae", Ö: "Oe", ö: "oe", Ü: "Ue", ü: "ue" };

/** Letters that Unicode decomposition does not reduce to ASCII. */
const SPECIAL_LETTERS: Record<string, string> = {
  ß: "ss", ẞ: "SS", Æ: "AE", æ: "ae", Œ: "OE", œ: "oe", Ø: "O", ø: "o", Å: "A", å: "a",
  Ð: "D", ð: "d", Þ: "Th", þ: "th", Ł: "L", ł: "l", Đ: "D", đ: "d", Ħ: "H", ħ: "h", ı: "i",
  "–": "-", "—": "-",
};
