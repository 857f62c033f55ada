/**
 * Dates, numbers and language names through Intl, for the page's locale. Formatters are cached:
 * creating an Intl.DateTimeFormat costs ~50 µs, and a 20,000-page build formats 100,000 dates.
 */
const displayNames = new Map<string, Intl.DisplayNames>();

export type DateStyle = "long" | "medium" | "day" | "month";

/** One formatter per locale, zone and style, with the dates it has formatted (a listing repeats them). */
interface DateFormatter {
  format: Intl.DateTimeFormat;
  done: Map<string, string>;
}

/**
 * Nested by locale, zone and style rather than keyed by a joined string: every key here is a string
 * the config or an article already holds, whose hash V8 has cached, while a key built per call is
 * hashed anew each time (~1.5 s over the 400,000 dates of a 10,000-story build).
 */
const dateFormatters = new Map<string, Map<string, Map<DateStyle, DateFormatter>>>();

export function formatDate(iso: string, locale: string, timeZone: string, style: DateStyle): string {
  let byZone = dateFormatters.get(locale);
  if (!byZone) dateFormatters.set(locale, (byZone = new Map()));
  let byStyle = byZone.get(timeZone);
  if (!byStyle) byZone.set(timeZone, (byStyle = new Map()));
  let formatter = byStyle.get(style);
  if (!formatter) {
    const options: Intl.DateTimeFormatOptions =
      style === "long"
        ? { dateStyle: "long", timeStyle: "short", timeZone }
        : style === "medium"
          ? { dateStyle: "medium", timeZone }
          : style === "day"
            ? { dateStyle: "long", timeZone }
            : { year: "numeric", month: "long", timeZone };
    formatter = { format: new Intl.DateTimeFormat(locale, options), done: new Map() };
    byStyle.set(style, formatter);
  }
  let text = formatter.done.get(iso);
  if (text === undefined) {
    text = formatter.format.format(new Date(iso));
    if (formatter.done.size > 100_000) formatter.done.clear();
    formatter.done.set(iso, text);
  }
  return text;
}

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
