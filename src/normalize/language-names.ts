// Language labels as sources write them -> canonical BCP 47 tags.
//
//   "de" "DE" " de "        -> "de"         "ger" "deu"            -> "de"
//   "de_DE" "de-de"         -> "de-DE"      "pt_br" "pt-BR"        -> "pt-BR"
//   "German" "Deutsch"      -> "de"         "allemand" "Alemán"    -> "de"
//   "Portuguese (Brazil)"   -> "pt-BR"      "xx-yy-zz" "" "123"    -> null
//
// Names come from Intl.DisplayNames (every ISO 639-1 code named in DISPLAY_LOCALES, plus each
// language's own name), built once on first use and matched case- and diacritic-insensitively.

/** The locales whose language names are recognised (besides each language's own name). */
export const DISPLAY_LOCALES = [
  "en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "ar", "ja", "zh", "tr", "sv",
  "da", "nb", "fi", "cs", "ro", "hu", "el", "ko",
] as const;

// ISO 639-1 (all 183 current codes).
const ISO_639_1 = (
  "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz " +
  "ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik " +
  "io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml " +
  "mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd " +
  "se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi " +
  "vo wa wo xh yi yo za zh zu"
).split(" ");

// Regional and script variants whose names are worth recognising ("Brazilian Portuguese",
// "Simplified Chinese", "Flemish"); "Name (Region)" labels are handled generically.
const VARIANT_TAGS = [
  "pt-BR", "pt-PT", "en-US", "en-GB", "en-AU", "en-CA", "es-ES", "es-MX", "es-419", "fr-CA", "fr-CH",
  "de-AT", "de-CH", "nl-BE", "zh-Hans", "zh-Hant", "sr-Latn", "sr-Cyrl",
];

// ISO 639-2 bibliographic (B) and terminology (T) codes of the common languages. ICU knows most of
// them too, but this keeps the mapping independent of the ICU version Node ships with.
const ISO_639_2: Readonly<Record<string, string>> = {
  ger: "de", deu: "de", eng: "en", fre: "fr", fra: "fr", spa: "es", ita: "it", por: "pt", dut: "nl",
  nld: "nl", pol: "pl", rus: "ru", ukr: "uk", ara: "ar", jpn: "ja", chi: "zh", zho: "zh", tur: "tr",
  swe: "sv", dan: "da", nor: "no", nob: "nb", nno: "nn", fin: "fi", cze: "cs", ces: "cs", slo: "sk",
  slk: "sk", hun: "hu", rum: "ro", ron: "ro", gre: "el", ell: "el", bul: "bg", hrv: "hr", srp: "sr",
  slv: "sl", heb: "he", per: "fa", fas: "fa", hin: "hi", kor: "ko", vie: "vi", tha: "th", ind: "id",
  may: "ms", msa: "ms", cat: "ca", baq: "eu", eus: "eu", glg: "gl", ice: "is", isl: "is", gle: "ga",
  wel: "cy", cym: "cy", alb: "sq", sqi: "sq", mac: "mk", mkd: "mk", arm: "hy", hye: "hy", geo: "ka",
  kat: "ka", lit: "lt", lav: "lv", est: "et", ben: "bn", urd: "ur", tam: "ta", swa: "sw", afr: "af",
  mlt: "mt", ltz: "lb", bel: "be", kaz: "kk", aze: "az", uzb: "uz", tgl: "tl", bos: "bs", lat: "la",
};

// Names Intl.DisplayNames does not produce, folded (see foldName).
const NAME_VARIANTS: Readonly<Record<string, string>> = {
  castellano: "es", castilian: "es", "espanol castellano": "es", hochdeutsch: "de",
  brazilian: "pt-BR", brasileiro: "pt-BR", "portugues brasileiro": "pt-BR", "portugues do brasil": "pt-BR",
  mandarin: "zh", "chinese simplified": "zh-Hans", "chinese traditional": "zh-Hant", farsi: "fa",
  flemish: "nl-BE", vlaams: "nl-BE", "american english": "en-US", "british english": "en-GB",
  bokmal: "nb", nynorsk: "nn", "norsk bokmal": "nb", "norsk nynorsk": "nn",
};

// Well-formed but not a language an article is written in.
const NOT_LANGUAGES = new Set(["und", "zxx", "mul", "mis", "root"]);
// 3-letter codes that are also common file-name words: never a language in a file stem.
const STEM_WORDS = new Set(["new", "alt", "min", "bin", "man", "war", "was", "non", "old", "raw"]);

const LANG_CODE = /^([a-z]{2,3})(?:-([a-z0-9]{1,8}))*$/i;
const POSIX_SUFFIX = /[.@].*$/; // de_DE.UTF-8, de_DE@euro
const STEM_TAG = /^([a-z]{2,3})(?:[-_]([a-z]{4}))?(?:[-_]([a-z]{2}|\d{3}))?$/i;
const PRIVATE_USE = /^q[a-t][a-z]$/;
const MARKS = /\p{M}/gu;
const NON_WORD = /[^\p{L}\p{N}]+/gu;
const PARENTHESIZED = /^(.+?)\s*[(\[]\s*([^)\]]+?)\s*[)\]]$/;
const MAX_LABEL = 80;

/** ISO 639-1 codes, all of which Intl knows (a test checks): the common labels need no ICU data. */
export const ISO_639_1_CODES: ReadonlySet<string> = new Set(ISO_639_1);

interface Lookups {
  /** `Intl.DisplayNames` for language codes, English, no fallback: answers undefined for unknown codes. */
  languageNames: Intl.DisplayNames;
  regionNames: Intl.DisplayNames;
  scriptNames: Intl.DisplayNames;
}

let lookups: Lookups | undefined;
/** folded language name -> canonical tag: English and own names only (see `getCommonNames`) */
let commonNames: Map<string, string> | undefined;
/** folded language name -> canonical tag */
let languageTable: Map<string, string> | undefined;
/** folded region name or lower-case code -> region code (`BR`, `419`) */
let regionTable: Map<string, string> | undefined;

function getLookups(): Lookups {
  lookups ??= {
    languageNames: new Intl.DisplayNames(["en"], { type: "language", fallback: "none" }),
    regionNames: new Intl.DisplayNames(["en"], { type: "region", fallback: "none" }),
    scriptNames: new Intl.DisplayNames(["en"], { type: "script", fallback: "none" }),
  };
  return lookups;
}

/** Case-, diacritic- and punctuation-insensitive key: "Français" -> "francais", "Portuguese-BR" -> "portuguese br". */
export function foldName(name: string): string {
  return name.normalize("NFKD").replace(MARKS, "").toLowerCase().replace(NON_WORD, " ").trim();
}

const UMLAUTS: Readonly<Record<string, string>> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", Ä: "Ae", Ö: "Oe", Ü: "Ue" };
const UMLAUT = /[äöüßÄÖÜ]/g;
const transliterateGerman = (name: string): string => name.replace(UMLAUT, (c) => UMLAUTS[c] ?? c);

/**
 * The first entries of the full table (`getLanguageTable`): English names and each language's own
 * ("German", "Deutsch", "Français"), which name most labels sources write. Built on the first label
 * that is not a code (~25 ms, most of it ICU loading its data); the full table (~40 ms more) only
 * when a label is not found here. Entries are never replaced, so a name found here is what the
 * full table holds for it too.
 */
function getCommonNames(): Map<string, string> {
  return (commonNames ??= buildLanguageTable(false));
}

function getLanguageTable(): Map<string, string> {
  return (languageTable ??= buildLanguageTable(true));
}

// 23 locales × 183 codes, plus own names and variants, when `full`.
function buildLanguageTable(full: boolean): Map<string, string> {
  const table = new Map<string, string>();
  const canonical = new Map<string, string | null>();
  const add = (name: string | undefined, code: string): void => {
    if (!name) return;
    let tag = canonical.get(code);
    if (tag === undefined) canonical.set(code, (tag = canonicalizeTag(code)));
    if (!tag) return;
    // First wins: English and own names come before other locales. German names are also
    // recognised as typed without umlauts ("Franzoesisch").
    for (const key of [foldName(name), foldName(transliterateGerman(name))]) {
      if (key && !table.has(key)) table.set(key, tag);
    }
  };
  const named = (locale: string, display: "dialect" | "standard") =>
    new Intl.DisplayNames([locale], { type: "language", fallback: "none", languageDisplay: display });
  const english = named("en", "dialect");
  for (const code of ISO_639_1) add(english.of(code), code);
  // Each language's own name ("Deutsch", "Русский", "日本語"), where ICU has data for that locale.
  for (const code of Intl.DisplayNames.supportedLocalesOf(ISO_639_1)) add(named(code, "dialect").of(code), code);
  if (!full) return table;
  for (const locale of DISPLAY_LOCALES) {
    const dialect = named(locale, "dialect");
    const standard = named(locale, "standard");
    for (const code of ISO_639_1) add(dialect.of(code), code);
    for (const tag of VARIANT_TAGS) {
      add(dialect.of(tag), tag); // "Brazilian Portuguese"
      add(standard.of(tag), tag); // "Chinese (Simplified)"
    }
  }
  for (const tag of VARIANT_TAGS) {
    const own = tag.slice(0, 2);
    add(named(own, "dialect").of(tag), tag); // "português (Brasil)", "Schweizer Hochdeutsch"
  }
  for (const [key, tag] of Object.entries(NAME_VARIANTS)) add(key, tag);
  return table;
}

// Built once, on the first "Name (Region)" label (~15 ms: every region code × the display locales).
function getRegionTable(): Map<string, string> {
  if (regionTable) return regionTable;
  const table = new Map<string, string>();
  const { regionNames } = getLookups();
  const codes: string[] = ["419"];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (code !== "ZZ" && regionNames.of(code)) codes.push(code);
    }
  }
  for (const code of codes) table.set(code.toLowerCase(), code);
  for (const locale of DISPLAY_LOCALES) {
    const names = new Intl.DisplayNames([locale], { type: "region", fallback: "none" });
    for (const code of codes) {
      const key = foldName(names.of(code) ?? "");
      if (key && !table.has(key)) table.set(key, code);
    }
  }
  table.set("usa", "US").set("uk", "GB");
  regionTable = table;
  return table;
}

function isKnownLanguage(primary: string): boolean {
  const p = primary.toLowerCase();
  if (NOT_LANGUAGES.has(p) || PRIVATE_USE.test(p)) return false;
  // The first Intl.DisplayNames loads ICU's name data (~20 ms): not needed for "de", "en", "fr".
  if (ISO_639_1_CODES.has(p)) return true;
  try {
    return getLookups().languageNames.of(p) !== undefined;
  } catch {
    return false;
  }
}

// Each subtag after the language must be a script or region Intl knows, or a variant Intl accepts.
function hasKnownSubtags(tag: string): boolean {
  const [, ...rest] = tag.split("-");
  for (const sub of rest) {
    if (sub.length === 1) return true; // extension or private use: Intl validated the syntax
    if (/^[A-Z]{2}$|^\d{3}$/.test(sub)) {
      if (sub === "ZZ" || getLookups().regionNames.of(sub) === undefined) return false;
    } else if (/^[A-Z][a-z]{3}$/.test(sub)) {
      if (getLookups().scriptNames.of(sub) === undefined) return false;
    }
  }
  return true;
}

/** Tags seen before: every article asks for its language (and its translations') several times. */
const canonicalTags = new Map<string, string | null>();
const MAX_REMEMBERED_TAGS = 1000;

/** `de-de` -> `de-DE`, `ger` -> `de`, `iw` -> `he`; null when Intl rejects it or does not know the language. */
export function canonicalizeTag(tag: string): string | null {
  let canonical = canonicalTags.get(tag);
  if (canonical === undefined) {
    // Bounded: labels come from files, and a hostile corpus could hold any number of them.
    if (canonicalTags.size >= MAX_REMEMBERED_TAGS) canonicalTags.clear();
    canonical = canonicalizeUncached(tag);
    canonicalTags.set(tag, canonical);
  }
  return canonical;
}

function canonicalizeUncached(tag: string): string | null {
  let canonical: string;
  try {
    canonical = Intl.getCanonicalLocales(tag)[0] ?? "";
  } catch {
    return null;
  }
  const primary = canonical.split("-")[0] ?? "";
  const mapped = ISO_639_2[primary];
  if (mapped) canonical = mapped + canonical.slice(primary.length);
  if (!isKnownLanguage(canonical.split("-")[0] ?? "") || !hasKnownSubtags(canonical)) return null;
  return canonical;
}

function normalizeCode(label: string): string | null {
  const tag = label.replace(POSIX_SUFFIX, "").replace(/_/g, "-");
  if (!LANG_CODE.test(tag)) return null;
  const lower = tag.toLowerCase();
  const primary = lower.split("-")[0] ?? "";
  const mapped = ISO_639_2[primary];
  return canonicalizeTag(mapped ? mapped + tag.slice(primary.length) : tag);
}

// "portuguese brazil", "english us": a language name followed by a region name or code.
function lookUpName(folded: string): string | null {
  const languages = getLanguageTable();
  const direct = languages.get(folded);
  if (direct) return direct;
  const words = folded.split(" ");
  for (let cut = words.length - 1; cut >= 1; cut--) {
    const lang = languages.get(words.slice(0, cut).join(" "));
    if (!lang) continue;
    const region = getRegionTable().get(words.slice(cut).join(" "));
    if (region) return canonicalizeTag(`${lang.split("-")[0]}-${region}`);
  }
  return null;
}

function normalizeName(label: string): string | null {
  const folded = foldName(label);
  if (!folded) return null;
  const direct = getCommonNames().get(folded) ?? getLanguageTable().get(folded);
  if (direct) return direct; // includes "chinese simplified" from "Chinese (Simplified)"
  const paren = PARENTHESIZED.exec(label);
  if (paren) {
    // "Portuguese (Brazil)", "Deutsch (Schweiz)", "English (US)"
    const lang = lookUpName(foldName(paren[1] ?? ""));
    if (!lang) return null;
    const region = getRegionTable().get(foldName(paren[2] ?? ""));
    return region ? canonicalizeTag(`${lang.split("-")[0]}-${region}`) : lang;
  }
  return lookUpName(folded);
}

/**
 * A language label as sources write it -> canonical BCP 47 tag, or null when it names no language.
 * Never throws; idempotent on its own output.
 */
export function normalizeLanguageLabel(label: string): string | null {
  if (typeof label !== "string") return null;
  const trimmed = label.trim();
  if (trimmed === "" || trimmed.length > MAX_LABEL) return null;
  return normalizeCode(trimmed) ?? normalizeName(trimmed);
}

/**
 * The language a bundle file name carries, codes only: `de`, `pt-BR`, `pt_br`, `index.fr` -> a tag;
 * `index`, `notes`, `german`, `de.draft` -> null.
 */
export function languageFromFileStem(stem: string): string | null {
  if (typeof stem !== "string") return null;
  const last = stem.trim().slice(stem.trim().lastIndexOf(".") + 1);
  const m = STEM_TAG.exec(last);
  if (!m) return null;
  const primary = (m[1] ?? "").toLowerCase();
  if (primary.length === 3 && !ISO_639_2[primary]) {
    // A 3-letter code with a 2-letter equivalent is a word here ("bak", "per"), as are a few others.
    if (STEM_WORDS.has(primary)) return null;
    const canonical = canonicalizeTag(primary);
    if (canonical === null || canonical.split("-")[0] !== primary) return null;
  }
  return canonicalizeTag(last.replace(/_/g, "-"));
}
