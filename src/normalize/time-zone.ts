/**
 * Calendar and IANA time-zone math without dependencies: `Intl.DateTimeFormat#formatToParts`
 * tells the wall clock of an instant in a zone; everything else is integer arithmetic.
 *
 * Offsets are whole minutes. Zones whose offset has seconds (local mean time before ~1900,
 * e.g. Europe/Berlin +00:53:28) are truncated toward zero (+00:53), because ISO 8601 / RFC 3339
 * offsets cannot carry seconds; such instants move by less than a minute.
 *
 * Wall clock -> instant (`resolveWallClock`), the rule for daylight-saving changes
 * (the same as Temporal's "compatible" and JS `Date`):
 *   - gap (the wall clock does not exist, spring forward): use the offset from before the jump,
 *     which moves the time forward by the gap: Berlin 2025-03-30 02:30 -> 03:30+02:00;
 *   - overlap (the wall clock happens twice, fall back): take the earlier instant, i.e. the
 *     offset from before the change: Berlin 2025-10-26 02:30 -> 02:30+02:00.
 */

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export interface WallClock extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
}

export interface ZonedInstant {
  epochMs: number;
  offsetMinutes: number;
  /** The wall clock actually denoted: differs from the requested one only in a gap. */
  wall: WallClock;
  /** "gap" or "overlap" when a daylight-saving change made the wall clock non-unique. */
  adjustment: "none" | "gap" | "overlap";
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Epochs of 0001-01-01 and 10000-01-01 (UTC): the years four digits can show. */
const MIN_EPOCH_MS = -62_135_596_800_000;
const MAX_EPOCH_MS = 253_402_300_800_000;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Inverse of `daysFromCivil`. */
export function civilFromDays(days: number): CalendarDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO weekday of a day count: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekdayOfDays(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** The wall clock read as if it were UTC, in ms: `wallMs - epochMs` is the zone offset. */
export function wallClockMs(wall: WallClock): number {
  return daysFromCivil(wall.year, wall.month, wall.day) * DAY_MS + ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1000;
}

function wallClockFromMs(wallMs: number): WallClock {
  const days = Math.floor(wallMs / DAY_MS);
  const secondsOfDay = Math.floor((wallMs - days * DAY_MS) / 1000);
  const date = civilFromDays(days);
  return {
    year: date.year,
    month: date.month,
    day: date.day,
    hour: Math.floor(secondsOfDay / 3600),
    minute: Math.floor(secondsOfDay / 60) % 60,
    second: secondsOfDay % 60,
  };
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function pad4(value: number): string {
  return value >= 1000 ? String(value) : String(value).padStart(4, "0");
}

/** `2025-02-13T14:30:00` (no offset). */
export function formatWallClock(wall: WallClock): string {
  return `${pad4(wall.year)}-${pad2(wall.month)}-${pad2(wall.day)}T${pad2(wall.hour)}:${pad2(wall.minute)}:${pad2(wall.second)}`;
}

/** Offset in minutes -> `+05:30`, `-04:00`, `+00:00` (never `Z`). */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

// ---------------------------------------------------------------------------------------------
// Zone offsets, memoized per zone and UTC day.
//
// formatToParts costs ~5 µs, so each zone keeps, per UTC day, either its one offset or
// {before, after, at} when the offset changes that day (found by bisection to the second).
// Assumes at most one transition per zone per UTC day, which holds for the tz database.
// The memo is invisible to callers: results depend only on the arguments.

interface Transition {
  before: number;
  after: number;
  /** First epoch ms with offset `after`. */
  at: number;
}

interface ZoneMemo {
  /** null: a fixed UTC zone, no Intl needed. */
  format: Intl.DateTimeFormat | null;
  days: Map<number, number | Transition>;
}

const FIXED_UTC_ZONES = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT"]);
/** Bounds memory if a caller walks across many centuries; 100k days are ~270 years. */
const MAX_MEMO_DAYS = 100_000;
const zoneMemos = new Map<string, ZoneMemo>();

function zoneMemoOf(timeZone: string): ZoneMemo | null {
  const known = zoneMemos.get(timeZone);
  if (known) return known;
  let format: Intl.DateTimeFormat | null = null;
  if (!FIXED_UTC_ZONES.has(timeZone)) {
    try {
      format = new Intl.DateTimeFormat("en-US-u-nu-latn", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      return null;
    }
  }
  const memo: ZoneMemo = { format, days: new Map() };
  zoneMemos.set(timeZone, memo);
  return memo;
}

/** True when `timeZone` is an IANA name this runtime knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  return typeof timeZone === "string" && timeZone !== "" && zoneMemoOf(timeZone) !== null;
}

function requireZone(timeZone: string): ZoneMemo {
  const memo = zoneMemoOf(timeZone);
  if (!memo) throw new RangeError(`Unknown time zone ${JSON.stringify(timeZone)}: use an IANA name such as Europe/Berlin.`);
  return memo;
}

/** Offset straight from Intl, for an epoch on a whole second. */
function measureOffset(format: Intl.DateTimeFormat, epochMs: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of format.formatToParts(epochMs)) {
    switch (part.type) {
      case "year":
        year = Number(part.value);
        break;
      case "month":
        month = Number(part.value);
        break;
      case "day":
        day = Number(part.value);
        break;
      case "hour":
        // Some ICU versions print midnight as 24 even with h23.
        hour = Number(part.value) % 24;
        break;
      case "minute":
        minute = Number(part.value);
        break;
      case "second":
        second = Number(part.value);
        break;
      default:
        break;
    }
  }
  const offsetMs = wallClockMs({ year, month, day, hour, minute, second }) - epochMs;
  return Math.trunc(offsetMs / MINUTE_MS);
}

function measureDay(format: Intl.DateTimeFormat, dayIndex: number): number | Transition {
  const start = dayIndex * DAY_MS;
  const last = start + DAY_MS - 1000;
  const before = measureOffset(format, start);
  const after = measureOffset(format, last);
  if (before === after) return before;
  // Bisect on whole seconds: offset(low) === before, offset(high) === after.
  let low = start;
  let high = last;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (measureOffset(format, middle) === before) low = middle;
    else high = middle;
  }
  return { before, after, at: high };
}

function offsetFromMemo(memo: ZoneMemo, epochMs: number): number {
  if (memo.format === null) return 0;
  const dayIndex = Math.floor(epochMs / DAY_MS);
  let entry = memo.days.get(dayIndex);
  if (entry === undefined) {
    if (memo.days.size >= MAX_MEMO_DAYS) memo.days.clear();
    entry = measureDay(memo.format, dayIndex);
    memo.days.set(dayIndex, entry);
  }
  if (typeof entry === "number") return entry;
  return epochMs >= entry.at ? entry.after : entry.before;
}

function checkEpoch(epochMs: number): void {
  // The margin keeps the ±1 day look-around of `resolveWallClock` inside years Intl prints plainly.
  if (!Number.isFinite(epochMs) || epochMs < MIN_EPOCH_MS + 2 * DAY_MS || epochMs >= MAX_EPOCH_MS - 2 * DAY_MS) {
    throw new RangeError(`Instant ${String(epochMs)} is outside the years 0001–9999.`);
  }
}

/**
 * UTC offset of `timeZone` at an instant, in whole minutes (east positive).
 * Input: 1739453400000, "Europe/Berlin" / Output: 60. Throws RangeError for an unknown zone
 * or an instant outside the years 0001–9999.
 */
export function offsetMinutesAt(epochMs: number, timeZone: string): number {
  checkEpoch(epochMs);
  return offsetFromMemo(requireZone(timeZone), epochMs);
}

/** The wall clock of an instant in a zone, plus the offset used. Throws like `offsetMinutesAt`. */
export function wallClockAt(epochMs: number, timeZone: string): { wall: WallClock; offsetMinutes: number } {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const offsetMinutes = offsetMinutesAt(whole, timeZone);
  return { wall: wallClockFromMs(whole + offsetMinutes * MINUTE_MS), offsetMinutes };
}

/**
 * Formats an instant in a zone with that zone's offset at that instant, to the second
 * (milliseconds are dropped, rounding toward the past).
 * Input: 1739453400000, "Europe/Berlin" / Output: "2025-02-13T14:30:00+01:00".
 * Throws RangeError for a non-finite instant, one outside the years 0001–9999, or an unknown zone.
 */
export function zonedIso(epochMs: number, timeZone: string): string {
  const { wall, offsetMinutes } = wallClockAt(epochMs, timeZone);
  return formatWallClock(wall) + formatOffset(offsetMinutes);
}

/**
 * The instant a wall clock denotes in a zone; DST gaps and overlaps follow the rule at the top
 * of this file. The wall clock must be a real calendar date and time. Throws RangeError for an
 * unknown zone.
 */
export function resolveWallClock(wall: WallClock, timeZone: string): ZonedInstant {
  const memo = requireZone(timeZone);
  const localMs = wallClockMs(wall);
  checkEpoch(localMs);
  if (memo.format === null) return { epochMs: localMs, offsetMinutes: 0, wall, adjustment: "none" };
  const offsetBefore = offsetFromMemo(memo, localMs - DAY_MS);
  const offsetAfter = offsetFromMemo(memo, localMs + DAY_MS);
  const earlier = localMs - offsetBefore * MINUTE_MS;
  const later = localMs - offsetAfter * MINUTE_MS;
  const earlierFits = offsetFromMemo(memo, earlier) === offsetBefore;
  const laterFits = offsetFromMemo(memo, later) === offsetAfter;
  if (earlierFits && laterFits) {
    // Same offset on both sides (the usual case), or an overlap: keep the first occurrence.
    if (earlier === later) return { epochMs: earlier, offsetMinutes: offsetBefore, wall, adjustment: "none" };
    const first = Math.min(earlier, later);
    return {
      epochMs: first,
      offsetMinutes: first === earlier ? offsetBefore : offsetAfter,
      wall,
      adjustment: "overlap",
    };
  }
  if (earlierFits) return { epochMs: earlier, offsetMinutes: offsetBefore, wall, adjustment: "none" };
  if (laterFits) return { epochMs: later, offsetMinutes: offsetAfter, wall, adjustment: "none" };
  // Gap: read with the offset from before the jump, which lands after it.
  const offsetMinutes = offsetFromMemo(memo, earlier);
  return {
    epochMs: earlier,
    offsetMinutes,
    wall: wallClockFromMs(earlier + offsetMinutes * MINUTE_MS),
    adjustment: "gap",
  };
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Milliseconds since the epoch of an ISO 8601 date-time with offset, or NaN when the text is not
 * one. Accepts what `parseDate` and `zonedIso` emit (`2025-02-13T14:30:00+01:00`), also `Z`,
 * no seconds (`T14:30+01:00`) and fractional seconds (kept to the millisecond, truncated).
 * Fields are range-checked (month 1–12, real day, hour 0–23, minute/second 0–59, offset ≤ 18:00).
 */
export function epochOrNaN(iso: string): number {
  const match = typeof iso === "string" ? RFC3339.exec(iso) : null;
  if (!match) return Number.NaN;
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const offsetHours = oh === undefined ? 0 : Number(oh);
  const offsetMinutes = om === undefined ? 0 : Number(om);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetMinutes > 59 ||
    offsetHours * 60 + offsetMinutes > 18 * 60
  ) {
    return Number.NaN;
  }
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, "0"));
  const offset = (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return wallClockMs({ year, month, day, hour, minute, second }) + millis - offset * MINUTE_MS;
}

/**
 * Like `epochOrNaN`, for values that must already be normalized (`Article.date`):
 * Input: "2025-02-13T14:30:00+01:00" / Output: 1739453400000.
 * Throws RangeError ("Internal: …") on anything else, so a bad value cannot sort silently.
 */
export function epochOf(iso: string): number {
  const epochMs = epochOrNaN(iso);
  if (Number.isNaN(epochMs)) {
    throw new RangeError(`Internal: epochOf expects ISO 8601 with offset such as 2025-02-13T14:30:00+01:00, got ${JSON.stringify(iso)}.`);
  }
  return epochMs;
}
