/**
 * XML helpers shared by feeds and sitemaps: escaping that always yields well-formed XML 1.0,
 * CDATA that survives `]]>`, and the date formats the feed and sitemap specs ask for.
 * Pure and allocation-light: the common case (nothing to escape) returns its input.
 */

// Characters XML 1.0 forbids (Char production): C0 controls except \t \n \r, U+FFFE/U+FFFF,
// and surrogates that are not part of a pair.
const INVALID_XML_CHARS =
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Cheap pre-check: any character that escaping or stripping may touch.
const MAY_NEED_TEXT_WORK = /[&<>"'\x00-\x08\x0B\x0C\x0D\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
const MAY_NEED_ATTRIBUTE_WORK = /[&<>"'\x00-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
const MAY_BE_INVALID = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

const TEXT_SPECIALS = /[&<>"'\r]/g;
const ATTRIBUTE_SPECIALS = /[&<>"'\t\n\r]/g;
// \r is written as a reference because parsers turn a literal \r (\r\n) into \n; \t and \n are
// also references in attributes because attribute-value normalization turns them into spaces.
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};
// The RSS Best Practices Profile asks for hexadecimal references in plain-text elements (the
// form that works in the most aggregators, whether they read the text as HTML or not).
const HEX_REFERENCES: Readonly<Record<string, string>> = {
  "&": "&#x26;",
  "<": "&#x3C;",
  ">": "&#x3E;",
  '"': "&#x22;",
  "'": "&#x27;",
  "\r": "&#x0D;",
};

function replaceNamed(char: string): string {
  return NAMED_REFERENCES[char] ?? char;
}

function replaceHex(char: string): string {
  return HEX_REFERENCES[char] ?? char;
}

/** Removes characters that XML 1.0 does not allow. Input: "a\u0000b\uD800c" / Output: "abc". */
export function stripInvalidXmlChars(text: string): string {
  return MAY_BE_INVALID.test(text) ? text.replace(INVALID_XML_CHARS, "") : text;
}

/**
 * Escapes text for XML element content and attribute values (quotes included), dropping
 * characters XML 1.0 forbids. Bidi controls, emoji and astral characters are kept.
 * Input: `Tom & "Jerry" <3` / Output: `Tom &amp; &quot;Jerry&quot; &lt;3`.
 */
export function escapeXml(text: string): string {
  if (!MAY_NEED_TEXT_WORK.test(text)) return text;
  return stripInvalidXmlChars(text).replace(TEXT_SPECIALS, replaceNamed);
}

/** Like `escapeXml`, but also keeps tabs and newlines intact through attribute-value normalization. */
export function escapeXmlAttribute(text: string): string {
  if (!MAY_NEED_ATTRIBUTE_WORK.test(text)) return text;
  return stripInvalidXmlChars(text).replace(ATTRIBUTE_SPECIALS, replaceNamed);
}

/** Like `escapeXml` with hexadecimal references, for RSS plain-text elements. Input: `A & B` / Output: `A &#x26; B`. */
export function escapeRssText(text: string): string {
  if (!MAY_NEED_TEXT_WORK.test(text)) return text;
  return stripInvalidXmlChars(text).replace(TEXT_SPECIALS, replaceHex);
}

const HTML_SPECIALS = /[&<>"']/g;
const MAY_NEED_HTML_WORK = /[&<>"']/;
const HTML_REFERENCES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function replaceHtml(char: string): string {
  return HTML_REFERENCES[char] ?? char;
}

/** Turns plain text into HTML text (for elements whose content readers interpret as HTML). */
export function escapeHtmlText(text: string): string {
  return MAY_NEED_HTML_WORK.test(text) ? text.replace(HTML_SPECIALS, replaceHtml) : text;
}

const CARRIAGE_RETURNS = /\r\n?/g;

/**
 * Wraps text in CDATA; a `]]>` inside is split across two sections, invalid characters are dropped.
 * Line ends become \n, as any XML parser would read them (CDATA cannot hold a reference to \r).
 * Input: "a]]>b" / Output: "<![CDATA[a]]]]><![CDATA[>b]]>".
 */
export function wrapCdata(text: string): string {
  const clean = stripInvalidXmlChars(text).replace(CARRIAGE_RETURNS, "\n");
  return `<![CDATA[${clean.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}

// ---------------------------------------------------------------------------------------------
// Dates. Input is ISO 8601 with an offset (what normalize/ produces); output keeps that offset.
// Parsed by hand (no regex, no substrings): sitemaps format one date per URL, 100,000s per build.
//
// Accepted: YYYY-MM-DD("T"|"t"|" ")HH:MM[:SS[.fraction]]("Z"|"z"|±HH:MM|±HHMM)

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

interface DateTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Index range of ".fraction" in the input (empty when there is none). */
  fractionStart: number;
  fractionEnd: number;
  /** Minutes east of UTC; `zulu` when written as "Z". */
  offsetMinutes: number;
  zulu: boolean;
  /** Already RFC 3339 as we write it ("T", seconds, "Z" or ±HH:MM). */
  canonical: boolean;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= days;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): pure arithmetic. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** 0 = Sunday; 1970-01-01 was a Thursday. */
function weekdayOf(year: number, month: number, day: number): number {
  return (((daysFromCivil(year, month, day) + 4) % 7) + 7) % 7;
}

/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Parses the accepted ISO 8601 shape, or returns null. */
function scanDateTime(iso: string): DateTimeParts | null {
  if (iso.length < 17) return null;
  const century = twoDigits(iso, 0);
  const yy = twoDigits(iso, 2);
  const month = twoDigits(iso, 5);
  const day = twoDigits(iso, 8);
  const hour = twoDigits(iso, 11);
  const minute = twoDigits(iso, 14);
  const separator = iso[10];
  if (century < 0 || yy < 0 || month < 0 || day < 0 || hour < 0 || minute < 0) return null;
  if (iso[4] !== "-" || iso[7] !== "-" || iso[13] !== ":" || (separator !== "T" && separator !== "t" && separator !== " ")) return null;
  let canonical = separator === "T";
  let i = 16;
  let second = 0;
  if (iso[i] === ":") {
    second = twoDigits(iso, i + 1);
    if (second < 0) return null;
    i += 3;
  } else canonical = false;
  const fractionStart = i;
  // A fraction belongs to the seconds ("14:30.5" would be decimal minutes: refused).
  if (iso[i] === "." && i === 19) {
    let j = i + 1;
    while (isDigit(iso.charCodeAt(j))) j++;
    if (j === i + 1) return null;
    i = j;
  }
  const fractionEnd = i;
  let offsetMinutes = 0;
  let zulu = false;
  const zone = iso[i];
  if (zone === "Z" || zone === "z") {
    if (i + 1 !== iso.length) return null;
    zulu = true;
    if (zone === "z") canonical = false;
  } else if (zone === "+" || zone === "-") {
    const offsetHour = twoDigits(iso, i + 1);
    const colon = iso[i + 3] === ":";
    const offsetMinute = twoDigits(iso, colon ? i + 4 : i + 3);
    if (offsetHour < 0 || offsetMinute < 0 || offsetHour > 23 || offsetMinute > 59) return null;
    if ((colon ? i + 6 : i + 5) !== iso.length) return null;
    if (!colon) canonical = false;
    offsetMinutes = (zone === "-" ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  } else return null;
  const year = century * 100 + yy;
  if (!isValidDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second, fractionStart, fractionEnd, offsetMinutes, zulu, canonical };
}

function parseDateTime(iso: string): DateTimeParts {
  const parts = typeof iso === "string" ? scanDateTime(iso) : null;
  if (parts === null) {
    throw new Error(`Internal: dates must be valid ISO 8601 date-times with an offset (2025-02-13T14:30:00+01:00), got ${JSON.stringify(iso)}.`);
  }
  return parts;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** Input: offset in minutes, separator / Output: "+01:00" ("+0100" with an empty separator). */
function formatOffset(offsetMinutes: number, separator: string): string {
  const abs = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? "-" : "+"}${pad2(Math.floor(abs / 60))}${separator}${pad2(abs % 60)}`;
}

/** The instant of an ISO 8601 date-time with offset, in epoch milliseconds (for "newest" comparisons). */
export function toEpochMilliseconds(iso: string): number {
  const p = parseDateTime(iso);
  let millis = 0;
  // Only the first three fraction digits count: ".25" is 250 ms, ".2509" is 250 ms.
  for (let i = p.fractionStart + 1, scale = 100; i < p.fractionEnd && scale >= 1; i++, scale /= 10) {
    millis += (iso.charCodeAt(i) - 48) * scale;
  }
  const minutes = (daysFromCivil(p.year, p.month, p.day) * 24 + p.hour) * 60 + p.minute - p.offsetMinutes;
  return (minutes * 60 + p.second) * 1000 + millis;
}

/**
 * RFC 822 (as profiled by RSS: four-digit year, numeric zone), independent of the host locale.
 * Input: "2025-02-13T14:30:00+01:00" / Output: "Thu, 13 Feb 2025 14:30:00 +0100".
 * Fractions of a second are dropped: RFC 822 has none.
 */
export function formatRfc822Date(iso: string): string {
  const p = parseDateTime(iso);
  const weekday = WEEKDAYS[weekdayOf(p.year, p.month, p.day)] ?? "";
  const month = MONTHS[p.month - 1] ?? "";
  return `${weekday}, ${pad2(p.day)} ${month} ${iso.slice(0, 4)} ${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)} ${formatOffset(p.offsetMinutes, "")}`;
}

/**
 * RFC 3339 date-time (Atom, JSON Feed): seconds always present, offset with a colon.
 * Input: "2025-02-13T14:30+0100" / Output: "2025-02-13T14:30:00+01:00".
 */
export function formatRfc3339Date(iso: string): string {
  const p = parseDateTime(iso);
  if (p.canonical) return iso;
  const fraction = iso.slice(p.fractionStart, p.fractionEnd);
  const offset = p.zulu ? "Z" : formatOffset(p.offsetMinutes, ":");
  return `${iso.slice(0, 10)}T${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}${fraction}${offset}`;
}

const ISO_DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * W3C Datetime (sitemaps, Google News): a complete date, or a date-time as RFC 3339.
 * Input: "2025-02-13" / Output: "2025-02-13"; "2025-02-13T14:30+01:00" -> "2025-02-13T14:30:00+01:00".
 */
export function formatW3cDatetime(iso: string): string {
  if (iso.length === 10) {
    const dateOnly = ISO_DATE_ONLY.exec(iso);
    if (dateOnly === null || !isValidDate(Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3]))) {
      throw new Error(`Internal: a date must be a valid YYYY-MM-DD or ISO 8601 date-time with offset, got ${JSON.stringify(iso)}.`);
    }
    return iso;
  }
  return formatRfc3339Date(iso);
}
