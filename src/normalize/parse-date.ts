/**
 * Frontmatter dates -> ISO 8601 with offset.
 *
 *   Input: "13/02/2025", { lang: "de", timeZone: "Europe/Berlin" }
 *   Output: { ok: true, iso: "2025-02-13T00:00:00+01:00", precision: "day" }
 *
 * Rules (details at each reader):
 * - Output is always `YYYY-MM-DDTHH:mm:ss±HH:MM`: no milliseconds (truncated), `+00:00` for UTC.
 * - A value with an offset or `Z` keeps that instant and that offset. Without one, the wall
 *   clock is read in `timeZone` with that zone's offset at that instant; DST gaps move forward,
 *   overlaps take the earlier instant (see time-zone.ts), both with a warning.
 * - Date only: midnight local, precision "day". Month only: the 1st, precision "month".
 * - `a/b/yyyy` and `a-b-yyyy` follow the article's language (month first for en, en-US, en-PH and
 *   other US-English regions, day first for everything else); two real readings give a warning.
 *   Dotted `a.b.yyyy` is always day first, without a warning. A reading that only works in the
 *   other order (`02/13/2025` in de) is taken with a warning.
 * - Two-digit years: 00–68 -> 2000s, 69–99 -> 1900s (POSIX), with a warning.
 * - Years outside 1800–2200 are errors. Never throws.
 */
import {
  DATE_PREFIX_WORDS,
  DAY_WORDS,
  MONTHS,
  MONTH_NAMES_EN,
  NUMBER_WORDS,
  RELATIVE_UNITS,
  WEEKDAYS,
  WEEKDAY_NAMES_EN,
  ZONE_ABBREVIATIONS,
  type RelativeUnit,
} from "./date-words.js";
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  epochOrNaN,
  formatOffset,
  formatWallClock,
  isoWeekdayOfDays,
  isTimeZone,
  resolveWallClock,
  wallClockAt,
  type WallClock,
} from "./time-zone.js";

export { epochOf, epochOrNaN, zonedIso } from "./time-zone.js";

export interface DateContext {
  /** BCP 47 language of the article: decides day-first vs month-first and month names. */
  lang: string;
  /** IANA zone for values without an offset. */
  timeZone: string;
  /** Reference instant for relative dates ("5 Tags zuvor"): ISO 8601 with offset, already normalized. */
  retrieved?: string;
  /**
   * How exact `retrieved` is, as `parseDate` reported it. Decides whether "vor 3 Stunden" can
   * keep a time of day. Without it, a `retrieved` at exactly 00:00:00 (or a bare date) counts as
   * a day without a known time.
   */
  retrievedPrecision?: DatePrecision;
}

export type DatePrecision = "time" | "day" | "month";

export type DateResult =
  | { ok: true; iso: string; precision: DatePrecision; warning?: string }
  | { ok: false; message: string; hint?: string };

type DateFailure = Extract<DateResult, { ok: false }>;

const MIN_YEAR = 1800;
const MAX_YEAR = 2200;
/** Longer text is not a date; the cap also bounds regex work on arbitrary input. */
const MAX_LENGTH = 200;
const DAY_MS = 86_400_000;

const ACCEPTED_HINT =
  "Use ISO 8601 such as 2025-02-13 or 2025-02-13T14:30+01:00. Also accepted: 13.02.2025, 13 February 2025, " +
  'February 13, 2025, and (with "retrieved" set) relative dates such as "vor 3 Tagen" or "2 days ago".';

/** What a reader understood, before the zone is applied. */
interface Reading {
  wall: WallClock;
  /** Offset written in the value, in minutes; null: read the wall clock in the site zone. */
  offsetMinutes: number | null;
  precision: DatePrecision;
  /** Sentences about guesses (day/month order, two-digit year, weekday), for the warning. */
  notes: string[];
  /** Whether to end the warning with "Write 2025-04-03 to be explicit." */
  suggestIso: boolean;
}

/**
 * Parses a frontmatter date. Accepts strings (ISO 8601, numeric and month-name dates in
 * de/en/fr/es and more, relative dates counted from `context.retrieved`) and `Date` objects
 * (an instant, shown in `context.timeZone`). Never throws: everything else is `{ ok: false }`.
 */
export function parseDate(value: unknown, context: DateContext): DateResult {
  try {
    return typeof value === "string" ? parseText(value, context) : parseNonText(value, context);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unknown error";
    return { ok: false, message: `Internal: the date parser failed on this value (${reason}).` };
  }
}

function parseText(value: string, context: DateContext): DateResult {
  const fast = readIsoWithOffset(value);
  if (fast !== null) return fast;
  const text = value.trim();
  if (text === "") return missing();
  if (text.length > MAX_LENGTH) {
    return {
      ok: false,
      message: `${show(text)} is too long (${text.length} characters) to be a date.`,
      hint: ACCEPTED_HINT,
    };
  }
  const folded = foldDateText(text);
  const relative = readRelative(folded);
  if (relative !== null) return resolveRelative(relative, text, context);
  const reading = readAbsolute(folded, text, context.lang);
  if (reading === null) return unreadable(folded, text);
  if ("ok" in reading) return reading;
  return finish(reading, text, context.timeZone);
}

function parseNonText(value: unknown, context: DateContext): DateResult {
  if (value === null || value === undefined) return missing();
  if (value instanceof Date) {
    const epochMs = Date.prototype.getTime.call(value);
    if (Number.isNaN(epochMs)) return { ok: false, message: "The date is an invalid Date object.", hint: ACCEPTED_HINT };
    // ±2 days around the accepted years, so the zone lookup stays in range; the year check follows.
    if (epochMs < Date.UTC(MIN_YEAR - 1, 11, 30) || epochMs > Date.UTC(MAX_YEAR + 1, 0, 2)) {
      return yearOutOfRange(JSON.stringify(new Date(epochMs).toISOString()), new Date(epochMs).getUTCFullYear());
    }
    if (!isTimeZone(context.timeZone)) return unknownZone(context.timeZone);
    const { wall, offsetMinutes } = wallClockAt(epochMs, context.timeZone);
    if (wall.year < MIN_YEAR || wall.year > MAX_YEAR) return yearOutOfRange(JSON.stringify(formatWallClock(wall)), wall.year);
    return { ok: true, iso: formatWallClock(wall) + formatOffset(offsetMinutes), precision: "time" };
  }
  if (typeof value === "number" || typeof value === "bigint") {
    const text = String(value);
    return {
      ok: false,
      message: `${text} is a number, not a date.`,
      hint: /^\d{4}$/.test(text)
        ? "A year alone is not enough: write a full date such as 2025-02-13."
        : "Write the date as text such as 2025-02-13.",
    };
  }
  return { ok: false, message: `The date is ${describeType(value)}, not text.`, hint: ACCEPTED_HINT };
}

function describeType(value: unknown): string {
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping of keys to values";
  return `a ${typeof value}`;
}

// ---------------------------------------------------------------------------------------------
// Fast path: ISO 8601 with offset, what most of the corpus uses. No folding, no zone lookup.

const ISO_WITH_OFFSET =
  /^\s*(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s*(?:[Zz]|([+-])(\d{2}):?(\d{2}))\s*$/;

function readIsoWithOffset(value: string): DateResult | null {
  const match = ISO_WITH_OFFSET.exec(value);
  if (match === null) return null;
  const [, y = "", mo = "", d = "", h = "", mi = "", s = "00", sign, oh = "00", om = "00"] = match;
  const failure =
    checkCalendar(value.trim(), Number(y), Number(mo), Number(d)) ??
    checkClock(value.trim(), Number(h), Number(mi), Number(s)) ??
    checkOffset(value.trim(), Number(oh), Number(om));
  if (failure !== null) return failure;
  // `-00:00` ("offset unknown" in RFC 3339) and `Z` are both written `+00:00`.
  const offset = sign === undefined || (oh === "00" && om === "00") ? "+00:00" : `${sign}${oh}:${om}`;
  return { ok: true, iso: `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`, precision: "time" };
}

// ---------------------------------------------------------------------------------------------
// Folding: lower case, no diacritics, one kind of apostrophe and dash, single spaces, no
// surrounding brackets, quotes or trailing punctuation. "Donnerstag, 13. Februar 2025." ->
// "donnerstag, 13. februar 2025"; "Aujourd’hui" -> "aujourd'hui"; "13 Février" -> "13 fevrier".

const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES = /[\u2018\u2019\u02bc\u00b4`]/g;
const DASHES = /[\u2010-\u2015\u2212]/g;
const WHITESPACE_RUNS = /\s+/g;
const LEADING_JUNK = new Set([..." (\"'[{\u201c\u201e\u00ab\u2039"]);
const TRAILING_JUNK = new Set([..." )\"']}\u201d\u201c\u00bb\u203a.,;:!?"]);

function foldDateText(text: string): string {
  let folded = text.toLowerCase();
  if (NON_ASCII.test(folded)) {
    folded = folded.normalize("NFD").replace(COMBINING_MARKS, "").replace(APOSTROPHES, "'").replace(DASHES, "-");
  }
  folded = folded.replace(WHITESPACE_RUNS, " ");
  let start = 0;
  let end = folded.length;
  while (start < end && LEADING_JUNK.has(folded.charAt(start))) start += 1;
  while (end > start && TRAILING_JUNK.has(folded.charAt(end - 1))) end -= 1;
  return folded.slice(start, end);
}

// ---------------------------------------------------------------------------------------------
// Absolute dates. Each pattern runs on folded text and captures the rest as an optional time.

/** 2025-02-13, 2025/02/13, 2025.02.13 (+ time). */
const YEAR_MONTH_DAY = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)(.*)$/;
/** 13/02/2025, 13.02.2025, 13-02-2025, 13.02.25, 02/13/2025 (+ time). */
const NUMERIC_DAY_MONTH = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d)(.*)$/;
/** 13. februar 2025, 1er mars 2025, 13 de febrero de 2025, 13th of february 2025 (+ time). */
const DAY_NAME_YEAR = /^(\d{1,2})(?:\.|er|re|st|nd|rd|th|º|°|ª)? ?(?:de |of )?([a-z]+)\.?,? ?(?:de |del )?(\d{4}|\d{2})(?!\d)(.*)$/;
/** february 13, 2025; sept. 13th 2025 (+ time). */
const NAME_DAY_YEAR = /^([a-z]+)\.? ?(\d{1,2})(?:st|nd|rd|th)?\.?,? ?(\d{4})(?!\d)(.*)$/;
/** 2025-02, 2025/02. */
const YEAR_MONTH = /^(\d{4})[-/.](\d{1,2})$/;
/** 02/2025, 02.2025. */
const MONTH_YEAR = /^(\d{1,2})[-/.](\d{4})$/;
/** februar 2025, febrero de 2025. */
const NAME_YEAR = /^([a-z]+)\.?,? ?(?:de |del )?(\d{4})$/;
/** A weekday or article word in front: "donnerstag, ", "do. ", "le ". */
const LEADING_WORD = /^([a-z]+)\.?,? /;

function readAbsolute(folded: string, text: string, lang: string): Reading | DateFailure | null {
  const direct = readDateForms(folded, text, lang);
  if (direct !== null) return direct;
  // Only when the plain reading fails: "mar 13, 2025" is March, "mar. 13 fevrier 2025" Tuesday.
  let rest = folded;
  let weekday: number | undefined;
  for (let words = 0; words < 3; words += 1) {
    const match = LEADING_WORD.exec(rest);
    if (match === null) break;
    const word = match[1] ?? "";
    const day = WEEKDAYS.get(word);
    if (day !== undefined && weekday === undefined) weekday = day;
    else if (!DATE_PREFIX_WORDS.has(word)) break;
    rest = rest.slice(match[0].length);
  }
  if (rest === folded) return null;
  const reading = readDateForms(rest, text, lang);
  if (reading === null || "ok" in reading || weekday === undefined || reading.precision === "month") return reading;
  const { year, month, day } = reading.wall;
  const actual = isoWeekdayOfDays(daysFromCivil(year, month, day));
  if (isRealDate(year, month, day) && actual !== weekday) {
    reading.notes.push(
      `${show(text)} names ${WEEKDAY_NAMES_EN[weekday - 1]}, but ${wordsOf(year, month, day)} is a ` +
        `${WEEKDAY_NAMES_EN[actual - 1]}; the date was kept.`,
    );
  }
  return reading;
}

function readDateForms(folded: string, text: string, lang: string): Reading | DateFailure | null {
  let match = YEAR_MONTH_DAY.exec(folded);
  if (match !== null) {
    const [, y = "", , mo = "", d = "", tail = ""] = match;
    return withTime(dayReading(Number(y), Number(mo), Number(d)), tail, text);
  }
  match = NUMERIC_DAY_MONTH.exec(folded);
  if (match !== null) return readNumericDate(match, text, lang);
  match = DAY_NAME_YEAR.exec(folded);
  if (match !== null) {
    const [, d = "", name = "", y = "", tail = ""] = match;
    const month = MONTHS.get(name);
    if (month === undefined) return null;
    const reading = dayReading(expandYear(y), month, Number(d));
    if (y.length === 2) noteTwoDigitYear(reading, text);
    return withTime(reading, tail, text);
  }
  match = NAME_DAY_YEAR.exec(folded);
  if (match !== null) {
    const [, name = "", d = "", y = "", tail = ""] = match;
    const month = MONTHS.get(name);
    if (month === undefined) return null;
    return withTime(dayReading(Number(y), month, Number(d)), tail, text);
  }
  match = YEAR_MONTH.exec(folded);
  if (match !== null) return monthReading(Number(match[1]), Number(match[2]));
  match = MONTH_YEAR.exec(folded);
  if (match !== null) return monthReading(Number(match[2]), Number(match[1]));
  match = NAME_YEAR.exec(folded);
  if (match !== null) {
    const month = MONTHS.get(match[1] ?? "");
    return month === undefined ? null : monthReading(Number(match[2]), month);
  }
  return null;
}

function dayReading(year: number, month: number, day: number): Reading {
  return {
    wall: { year, month, day, hour: 0, minute: 0, second: 0 },
    offsetMinutes: null,
    precision: "day",
    notes: [],
    suggestIso: false,
  };
}

function monthReading(year: number, month: number): Reading {
  return { ...dayReading(year, month, 1), precision: "month" };
}

/** 00–68 -> 2000s, 69–99 -> 1900s. */
function expandYear(digits: string): number {
  const value = Number(digits);
  if (digits.length !== 2) return value;
  return value <= 68 ? 2000 + value : 1900 + value;
}

function noteTwoDigitYear(reading: Reading, text: string): void {
  reading.notes.push(`${show(text)} has a two-digit year; read as ${reading.wall.year}.`);
  reading.suggestIso = true;
}

/**
 * `a/b/y`, `a-b-y`: the language's order; `a.b.y`: day first. When only the other order gives a
 * real date it is taken, with a warning; when both do (and differ) the usual one is taken, with a
 * warning for `/` and `-`.
 */
function readNumericDate(match: RegExpExecArray, text: string, lang: string): Reading | DateFailure | null {
  const [, first = "", separator = "", second = "", y = "", tail = ""] = match;
  const a = Number(first);
  const b = Number(second);
  const year = expandYear(y);
  const usualDayFirst = separator === "." || isDayFirstLanguage(lang);
  const why = separator === "." ? "usual for dotted dates" : `usual in ${lang}`;
  const dayFirstReal = isRealDate(year, b, a);
  const monthFirstReal = isRealDate(year, a, b);
  const usualReal = usualDayFirst ? dayFirstReal : monthFirstReal;
  const otherReal = usualDayFirst ? monthFirstReal : dayFirstReal;
  const dayFirst = usualReal || !otherReal ? usualDayFirst : !usualDayFirst;
  const day = dayFirst ? a : b;
  const month = dayFirst ? b : a;
  const reading = dayReading(year, month, day);
  // Dotted dates are day first wherever they are written, so only `/` and `-` are ambiguous.
  if (usualReal && otherReal && a !== b && separator !== ".") {
    const order = usualDayFirst ? "day first" : "month first";
    const other = usualDayFirst ? wordsOf(year, a, b) : wordsOf(year, b, a);
    reading.notes.push(`${show(text)} is ambiguous; read as ${wordsOf(year, month, day)} (${order}, as ${why}), not ${other}.`);
    reading.suggestIso = true;
  } else if (!usualReal && otherReal) {
    const order = dayFirst ? "day first" : "month first";
    const usual = usualDayFirst ? "day first" : "month first";
    reading.notes.push(`${show(text)} was read ${order} as ${wordsOf(year, month, day)}, because ${usual} (${why}) gives no real date.`);
    reading.suggestIso = true;
  }
  if (y.length === 2) noteTwoDigitYear(reading, text);
  return withTime(reading, tail, text);
}

/** Regions whose English writes month first; bare `en` counts as US English. */
const MONTH_FIRST_REGIONS = new Set(["us", "ph", "as", "gu", "mp", "pr", "um", "vi"]);
const REGION_SUBTAG = /^(?:[a-z]{2}|\d{3})$/;

function isDayFirstLanguage(lang: string): boolean {
  const subtags = lang.toLowerCase().split(/[-_]/);
  if (subtags[0] !== "en") return true;
  const region = subtags.slice(1).find((subtag) => REGION_SUBTAG.test(subtag));
  return region !== undefined && !MONTH_FIRST_REGIONS.has(region);
}

// ---------------------------------------------------------------------------------------------
// Time after a date: ", 14:30 uhr", "t10:00:00.5z", " 2:30 pm", " a 14 h 30", " um 14.30 uhr mez",
// " 10:00 +0100", " 10:00 gmt+1". Hours alone need a marker ("14 uhr", "2 pm", "14h").

const TIME_TAIL =
  /^ ?(?:(?:,|;|t|at|um|a las|a la|a|\||-|\/) ?)?(\d{1,2})(?: ?(?:[:.]|h) ?(\d{2})(?:[:.](\d{2})(?:[.,]\d{1,9})?)?)? ?(uhr|h|hrs)? ?(a\.?m\.?|p\.?m\.?)? ?(z|[a-z]{3,4})? ?(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/;

function withTime(reading: Reading, tail: string, text: string): Reading | DateFailure | null {
  if (tail === "") return reading;
  const match = TIME_TAIL.exec(tail);
  if (match === null) return null;
  const [, h = "", mi, s, marker, meridiem, zone, sign, oh, om] = match;
  if (mi === undefined && marker === undefined && meridiem === undefined) return null;
  let hour = Number(h);
  if (meridiem !== undefined) {
    const pm = meridiem.startsWith("p");
    if (hour < 1 || hour > 12) {
      return notReal(text, `${hour} ${pm ? "PM" : "AM"} does not exist (use 1–12 with AM/PM, or 00–23)`, "time");
    }
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const clockFailure = checkClock(text, hour, minute, second);
  if (clockFailure !== null) return clockFailure;
  let offsetMinutes: number | null = null;
  if (zone !== undefined) {
    const base = ZONE_ABBREVIATIONS.get(zone);
    // Only UTC/GMT take a numeric offset after them ("GMT+1"); "CET+1" is nonsense.
    if (base === undefined || (sign !== undefined && zone !== "utc" && zone !== "gmt")) return null;
    offsetMinutes = base;
  }
  if (sign !== undefined) {
    const hours = Number(oh);
    const minutes = om === undefined ? 0 : Number(om);
    const offsetFailure = checkOffset(text, hours, minutes);
    if (offsetFailure !== null) return offsetFailure;
    offsetMinutes = (sign === "-" ? -1 : 1) * (hours * 60 + minutes);
  }
  reading.wall = { ...reading.wall, hour, minute, second };
  reading.offsetMinutes = offsetMinutes;
  reading.precision = "time";
  return reading;
}

// ---------------------------------------------------------------------------------------------
// Relative dates, counted back from `retrieved`:
//   vor 5 Tagen, 5 Tags zuvor, 1 Woche vor, vor einem Monat, 2 days ago, an hour ago,
//   il y a 3 jours, il y a une semaine, hace 2 días, hace una semana; gestern, hier, ayer, …
// Minutes/hours keep the time when `retrieved` has one (else they round down to whole days);
// days/weeks give the site-zone day ("day"); months/years step the calendar month, clamping the
// day (31 March - 1 month = 28 February), precision "month".

interface RelativeValue {
  count: number;
  unit: RelativeUnit;
}

const RELATIVE_PREFIXED = /^(?:vor|hace|il y a) (?:(\d{1,6}) ?|([a-z]+) )([a-z]+)\.?$/;
const RELATIVE_SUFFIXED = /^(?:(\d{1,6}) ?|([a-z]+) )([a-z]+)\.? (?:ago|zuvor|vor|her|davor)$/;

const UNIT_MS: Readonly<Record<"second" | "minute" | "hour", number>> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
};

function readRelative(folded: string): RelativeValue | null {
  const days = DAY_WORDS.get(folded.includes(" ") ? folded.replaceAll(" ", "-") : folded);
  if (days !== undefined) return { count: days, unit: "day" };
  const match = RELATIVE_PREFIXED.exec(folded) ?? RELATIVE_SUFFIXED.exec(folded);
  if (match === null) return null;
  const [, digits, word, unitWord = ""] = match;
  const count = digits !== undefined ? Number(digits) : NUMBER_WORDS.get(word ?? "");
  const unit = RELATIVE_UNITS.get(unitWord);
  return count === undefined || unit === undefined ? null : { count, unit };
}

function resolveRelative(relative: RelativeValue, text: string, context: DateContext): DateResult {
  const { retrieved, timeZone } = context;
  if (retrieved === undefined || retrieved.trim() === "") {
    return {
      ok: false,
      message: `${show(text)} is relative, but the article has no "retrieved" date to count from.`,
      hint: "Add retrieved: <the date the page was saved>, e.g. retrieved: 2025-08-21.",
    };
  }
  if (!isTimeZone(timeZone)) return unknownZone(timeZone);
  // Without `retrieved` in the context, a relative `retrieved` cannot recurse.
  const reference = parseText(retrieved, { lang: context.lang, timeZone });
  if (!reference.ok) {
    return {
      ok: false,
      message: `${show(text)} is relative, but "retrieved" is not a usable date: ${reference.message}`,
      hint: reference.hint ?? "Set retrieved to the date the page was saved, e.g. retrieved: 2025-08-21.",
    };
  }
  const iso = reference.iso;
  const hasTime =
    context.retrievedPrecision !== undefined
      ? context.retrievedPrecision === "time"
      : reference.precision === "time" && iso.slice(10, 19) !== "T00:00:00";
  const epochMs = epochOrNaN(iso);
  // A bare day counts as the day written; a time is first moved into the site zone.
  const referenceWall = hasTime
    ? wallClockAt(epochMs, timeZone).wall
    : { year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)), day: Number(iso.slice(8, 10)) };
  const referenceDays = daysFromCivil(referenceWall.year, referenceWall.month, referenceWall.day);
  const { count, unit } = relative;
  switch (unit) {
    case "second":
    case "minute":
    case "hour": {
      const spanMs = count * UNIT_MS[unit];
      if (!hasTime) return dayBefore(referenceDays, Math.floor(spanMs / DAY_MS), text, timeZone);
      const targetMs = epochMs - spanMs;
      if (targetMs < Date.UTC(MIN_YEAR, 0, 1) - DAY_MS) return yearOutOfRange(show(text), new Date(targetMs).getUTCFullYear());
      const { wall, offsetMinutes } = wallClockAt(targetMs, timeZone);
      if (wall.year < MIN_YEAR) return yearOutOfRange(show(text), wall.year);
      return { ok: true, iso: formatWallClock(wall) + formatOffset(offsetMinutes), precision: "time" };
    }
    case "day":
      return dayBefore(referenceDays, count, text, timeZone);
    case "week":
      return dayBefore(referenceDays, count * 7, text, timeZone);
    case "month":
    case "year": {
      const months = referenceWall.year * 12 + (referenceWall.month - 1) - count * (unit === "year" ? 12 : 1);
      const year = Math.floor(months / 12);
      const month = months - year * 12 + 1;
      const day = Math.min(referenceWall.day, daysInMonth(year, month));
      return finish({ ...dayReading(year, month, day), precision: "month" }, text, timeZone);
    }
  }
}

function dayBefore(referenceDays: number, days: number, text: string, timeZone: string): DateResult {
  const { year, month, day } = civilFromDays(referenceDays - days);
  return finish(dayReading(year, month, day), text, timeZone);
}

// ---------------------------------------------------------------------------------------------
// Checks, zone application and messages.

function finish(reading: Reading, text: string, timeZone: string): DateResult {
  const { wall } = reading;
  const failure =
    checkCalendar(text, wall.year, wall.month, wall.day) ?? checkClock(text, wall.hour, wall.minute, wall.second);
  if (failure !== null) return failure;
  const notes = [...reading.notes];
  if (reading.suggestIso) notes.push(`Write ${isoDateOf(wall, reading.precision)} to be explicit.`);
  let iso: string;
  if (reading.offsetMinutes !== null) {
    iso = formatWallClock(wall) + formatOffset(reading.offsetMinutes);
  } else {
    if (!isTimeZone(timeZone)) return unknownZone(timeZone);
    const zoned = resolveWallClock(wall, timeZone);
    iso = formatWallClock(zoned.wall) + formatOffset(zoned.offsetMinutes);
    if (zoned.adjustment === "gap") {
      notes.push(`${show(text)} does not exist in ${timeZone} (the clocks jump forward that night); read as ${iso}.`);
    } else if (zoned.adjustment === "overlap") {
      notes.push(
        `${show(text)} happens twice in ${timeZone} (the clocks go back that night); read as the first, ${iso}. ` +
          "Write the offset to be explicit.",
      );
    }
  }
  return notes.length === 0
    ? { ok: true, iso, precision: reading.precision }
    : { ok: true, iso, precision: reading.precision, warning: notes.join(" ") };
}

function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function checkCalendar(text: string, year: number, month: number, day: number): DateFailure | null {
  if (year < MIN_YEAR || year > MAX_YEAR) return yearOutOfRange(show(text), year);
  if (month < 1 || month > 12) return notReal(text, `there is no month ${month}`, "date");
  if (day < 1) return notReal(text, `there is no day ${day}`, "date");
  const days = daysInMonth(year, month);
  if (day > days) return notReal(text, `${MONTH_NAMES_EN[month - 1]} ${year} has ${days} days`, "date");
  return null;
}

function checkClock(text: string, hour: number, minute: number, second: number): DateFailure | null {
  if (hour > 23) return notReal(text, `hour ${hour} does not exist (hours run 00–23)`, "time");
  if (minute > 59) return notReal(text, `minute ${minute} does not exist (minutes run 00–59)`, "time");
  if (second > 59) return notReal(text, `second ${second} does not exist (seconds run 00–59)`, "time");
  return null;
}

function checkOffset(text: string, hours: number, minutes: number): DateFailure | null {
  if (hours * 60 + minutes <= 18 * 60 && minutes <= 59) return null;
  return {
    ok: false,
    message: `${show(text)} has an impossible UTC offset: offsets run from -18:00 to +18:00 with minutes 00–59.`,
    hint: "Write the offset as ±HH:MM, e.g. +01:00.",
  };
}

function notReal(text: string, why: string, what: "date" | "time"): DateFailure {
  return { ok: false, message: `${show(text)} is not a real ${what}: ${why}.` };
}

function yearOutOfRange(shown: string, year: number): DateFailure {
  return {
    ok: false,
    message: `${shown} is out of range: the year ${year} is not between ${MIN_YEAR} and ${MAX_YEAR}.`,
    hint: "Check the year for a typo.",
  };
}

function missing(): DateFailure {
  return {
    ok: false,
    message: "The date is missing (the value is empty).",
    hint: "Add a date such as 2025-02-13 or 2025-02-13T14:30+01:00.",
  };
}

function unknownZone(timeZone: string): DateFailure {
  return {
    ok: false,
    message: `The site time zone ${JSON.stringify(timeZone)} is not a known IANA time zone, so a date without an offset cannot be placed.`,
    hint: "Set the time zone to a name such as Europe/Berlin or America/New_York.",
  };
}

const DAY_MONTH_ONLY = /^(\d{1,2})(?:\.|er|re|st|nd|rd|th)? ?(?:de |of )?([a-z]+)$/;
const MONTH_DAY_ONLY = /^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?$/;

function unreadable(folded: string, text: string): DateFailure {
  if (/^\d{4}$/.test(folded)) {
    return {
      ok: false,
      message: `${show(text)} is only a year.`,
      hint: "Write a full date such as 2025-02-13, or a month such as 2025-02.",
    };
  }
  const dayMonth = DAY_MONTH_ONLY.exec(folded);
  const monthDay = dayMonth === null ? MONTH_DAY_ONLY.exec(folded) : null;
  if (MONTHS.has((dayMonth?.[2] ?? monthDay?.[1]) ?? "")) {
    return {
      ok: false,
      message: `${show(text)} has no year.`,
      hint: "Add the year, or write the date as ISO 8601 such as 2025-02-13.",
    };
  }
  return { ok: false, message: `${show(text)} is not a date Gazette can read.`, hint: ACCEPTED_HINT };
}

/** The value as quoted in messages, shortened. */
function show(text: string): string {
  const trimmed = text.trim();
  return JSON.stringify(trimmed.length > 80 ? `${trimmed.slice(0, 77)}…` : trimmed);
}

function wordsOf(year: number, month: number, day: number): string {
  return `${day} ${MONTH_NAMES_EN[month - 1] ?? `month ${month}`} ${year}`;
}

function isoDateOf(wall: WallClock, precision: DatePrecision): string {
  const date = formatWallClock(wall).slice(0, 10);
  return precision === "month" ? date.slice(0, 7) : date;
}
