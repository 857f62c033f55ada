/**
 * Dates, numbers and language names through Intl, for the page's locale. Formatters are cached:
 * creating an Intl.DateTimeFormat costs ~50 µs, and a 20,000-page build formats 100,000 dates.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const displayNames = new Map<string, Intl.DisplayNames>();

export type DateStyle = "long" | "medium" | "day" | "month";

export function formatDate(iso: string, locale: string, timeZone: string, style: DateStyle): string {
  const key = `${locale}|${timeZone}|${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      style === "long"
        ? { dateStyle: "long", timeStyle: "short", timeZone }
        : style === "medium"
          ? { dateStyle: "medium", timeZone }
          : style === "day"
            ? { dateStyle: "long", timeZone }
            : { year: "numeric", month: "long", timeZone };
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  // A listing shows the same dates on many pages: each (format, date) is formatted once.
  const memoKey = `${key}|${iso}`;
  let text = formatted.get(memoKey);
  if (text === undefined) {
    text = format.format(new Date(iso));
    if (formatted.size > 200_000) formatted.clear();
    formatted.set(memoKey, text);
  }
  return text;
}

const formatted = new Map<string, string>();
const languageNames = new Map<string, string>();

/** "de" in the page's language: languageName("de", "en") -> "German"; in its own: languageName("de", "de") -> "Deutsch". */
export function languageName(code: string, inLocale: string): string {
  // Every page's switcher names every language: ICU's lookup is worth memoizing (~0.2 s at 1,000 stories).
  const memoKey = `${code}|${inLocale}`;
  const known = languageNames.get(memoKey);
  if (known !== undefined) return known;
  const text = lookUpLanguageName(code, inLocale);
  languageNames.set(memoKey, text);
  return text;
}

function lookUpLanguageName(code: string, inLocale: string): string {
  let names = displayNames.get(inLocale);
  if (!names) {
    names = new Intl.DisplayNames([inLocale], { type: "language", fallback: "code" });
    displayNames.set(inLocale, names);
  }
  const name = names.of(code) ?? code;
  // Names of languages in their own language are capitalized in a menu ("Français", not "français").
  return code.split("-")[0] === inLocale.split("-")[0] ? name.charAt(0).toLocaleUpperCase(inLocale) + name.slice(1) : name;
}
