import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  epochOf,
  epochOrNaN,
  formatOffset,
  isoWeekdayOfDays,
  isTimeZone,
  offsetMinutesAt,
  resolveWallClock,
  wallClockAt,
  zonedIso,
  type WallClock,
} from "../../../src/normalize/time-zone.js";

const ZONES = [
  "Europe/Berlin",
  "Europe/London",
  "America/New_York",
  "America/Santiago",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "Pacific/Apia",
  "UTC",
] as const;

function wall(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): WallClock {
  return { year, month, day, hour, minute, second };
}

/** Independent oracle: Intl's own "GMT+05:30" text, truncated to minutes like the module. */
const oracleFormats = new Map<string, Intl.DateTimeFormat>();
function oracleOffset(epochMs: number, timeZone: string): number {
  let format = oracleFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    oracleFormats.set(timeZone, format);
  }
  const name =
    format
      .formatToParts(epochMs)
      .find((part) => part.type === "timeZoneName")?.value ?? "";
  const match = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
  if (!match) throw new Error(`unexpected zone name ${name}`);
  if (match[1] === undefined) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}

describe("calendar helpers", () => {
  test.each([
    [1970, 1, 1, 0],
    [2000, 3, 1, 11_017],
    [2025, 2, 13, 20_132],
    [1800, 1, 1, -62_091],
    [1969, 12, 31, -1],
  ])("daysFromCivil(%i-%i-%i) = %i and back", (year, month, day, days) => {
    expect(daysFromCivil(year, month, day)).toBe(days);
    expect(civilFromDays(days)).toEqual({ year, month, day });
  });

  test.each([
    [2024, 2, 29],
    [2025, 2, 28],
    [1900, 2, 28],
    [2000, 2, 29],
    [2025, 4, 30],
    [2025, 12, 31],
  ])("daysInMonth(%i, %i) = %i", (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });

  test.each([
    [2025, 2, 13, 4],
    [2025, 8, 16, 6],
    [1970, 1, 1, 4],
    [1969, 12, 28, 7],
  ])("isoWeekdayOfDays(%i-%i-%i) = %i", (year, month, day, weekday) => {
    expect(isoWeekdayOfDays(daysFromCivil(year, month, day))).toBe(weekday);
  });

  test("civilFromDays inverts daysFromCivil over years 1..9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (days) => {
        const { year, month, day } = civilFromDays(days);
        expect(daysFromCivil(year, month, day)).toBe(days);
        expect(day).toBeLessThanOrEqual(daysInMonth(year, month));
      }),
    );
  });
});

describe("formatOffset", () => {
  test.each([
    [0, "+00:00"],
    [60, "+01:00"],
    [330, "+05:30"],
    [345, "+05:45"],
    [-240, "-04:00"],
    [-570, "-09:30"],
    [53, "+00:53"],
  ])("%i -> %s", (minutes, text) => {
    expect(formatOffset(minutes)).toBe(text);
  });
});

describe("zonedIso", () => {
  test.each([
    [Date.UTC(2025, 1, 13, 13, 30), "Europe/Berlin", "2025-02-13T14:30:00+01:00"],
    [Date.UTC(2025, 7, 16, 13, 30), "Europe/Berlin", "2025-08-16T15:30:00+02:00"],
    [Date.UTC(2025, 2, 30, 0, 59, 59), "Europe/Berlin", "2025-03-30T01:59:59+01:00"],
    [Date.UTC(2025, 2, 30, 1, 0, 0), "Europe/Berlin", "2025-03-30T03:00:00+02:00"],
    [Date.UTC(2025, 9, 26, 0, 59, 59), "Europe/Berlin", "2025-10-26T02:59:59+02:00"],
    [Date.UTC(2025, 9, 26, 1, 0, 0), "Europe/Berlin", "2025-10-26T02:00:00+01:00"],
    [Date.UTC(2025, 2, 9, 6, 59, 59), "America/New_York", "2025-03-09T01:59:59-05:00"],
    [Date.UTC(2025, 2, 9, 7, 0, 0), "America/New_York", "2025-03-09T03:00:00-04:00"],
    // A half-hour DST shift at a half-hour UTC instant.
    [Date.UTC(2025, 9, 4, 15, 29, 59), "Australia/Lord_Howe", "2025-10-05T01:59:59+10:30"],
    [Date.UTC(2025, 9, 4, 15, 30, 0), "Australia/Lord_Howe", "2025-10-05T02:30:00+11:00"],
    [Date.UTC(2025, 1, 13, 9, 0), "Asia/Kolkata", "2025-02-13T14:30:00+05:30"],
    [Date.UTC(2025, 1, 13, 9, 0), "Asia/Kathmandu", "2025-02-13T14:45:00+05:45"],
    [Date.UTC(2025, 1, 13, 13, 30, 0, 999), "UTC", "2025-02-13T13:30:00+00:00"],
    [-1, "UTC", "1969-12-31T23:59:59+00:00"],
    // Local mean time +00:53:28 is truncated to +00:53; the text still names the same instant.
    [Date.UTC(1850, 0, 1, 0, 0, 0), "Europe/Berlin", "1850-01-01T00:53:00+00:53"],
  ])("zonedIso(%i, %s) = %s", (epochMs, timeZone, iso) => {
    expect(zonedIso(epochMs, timeZone)).toBe(iso);
  });

  test.each([
    [Number.NaN, "UTC"],
    [Number.POSITIVE_INFINITY, "UTC"],
    [8.64e15, "UTC"],
    [0, "Mars/Olympus_Mons"],
    [0, ""],
  ])("zonedIso(%s, %j) throws RangeError", (epochMs, timeZone) => {
    expect(() => zonedIso(epochMs, timeZone)).toThrow(RangeError);
  });

  test("agrees with Intl's own offset names and round-trips through epochOf", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.constantFrom(...ZONES),
        (epochMs, timeZone) => {
          expect(offsetMinutesAt(epochMs, timeZone)).toBe(oracleOffset(epochMs, timeZone));
          expect(epochOf(zonedIso(epochMs, timeZone))).toBe(Math.floor(epochMs / 1000) * 1000);
        },
      ),
      { numRuns: 400 },
    );
  });

  test("matches Intl every hour of 2025 (and a second before each hour)", () => {
    for (const timeZone of ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]) {
      for (let epochMs = Date.UTC(2025, 0, 1); epochMs < Date.UTC(2026, 0, 1); epochMs += 3_600_000) {
        expect(offsetMinutesAt(epochMs, timeZone)).toBe(oracleOffset(epochMs, timeZone));
        expect(offsetMinutesAt(epochMs - 1000, timeZone)).toBe(oracleOffset(epochMs - 1000, timeZone));
      }
    }
  });
});

describe("resolveWallClock", () => {
  test.each([
    // Ordinary times.
    [wall(2025, 2, 13), "Europe/Berlin", "2025-02-13T00:00:00+01:00", "none"],
    [wall(2025, 8, 16), "Europe/Berlin", "2025-08-16T00:00:00+02:00", "none"],
    [wall(2025, 3, 30, 1, 59, 59), "Europe/Berlin", "2025-03-30T01:59:59+01:00", "none"],
    [wall(2025, 3, 30, 3, 0), "Europe/Berlin", "2025-03-30T03:00:00+02:00", "none"],
    [wall(2025, 10, 26, 1, 59, 59), "Europe/Berlin", "2025-10-26T01:59:59+02:00", "none"],
    [wall(2025, 10, 26, 3, 0), "Europe/Berlin", "2025-10-26T03:00:00+01:00", "none"],
    // Gap: the offset from before the jump, so the wall clock moves forward by the gap.
    [wall(2025, 3, 30, 2, 0), "Europe/Berlin", "2025-03-30T03:00:00+02:00", "gap"],
    [wall(2025, 3, 30, 2, 30), "Europe/Berlin", "2025-03-30T03:30:00+02:00", "gap"],
    [wall(2025, 3, 9, 2, 30), "America/New_York", "2025-03-09T03:30:00-04:00", "gap"],
    [wall(2024, 9, 8), "America/Santiago", "2024-09-08T01:00:00-03:00", "gap"],
    [wall(2025, 10, 5, 2, 15), "Australia/Lord_Howe", "2025-10-05T02:45:00+11:00", "gap"],
    // Overlap: the earlier instant (the offset from before the change).
    [wall(2025, 10, 26, 2, 0), "Europe/Berlin", "2025-10-26T02:00:00+02:00", "overlap"],
    [wall(2025, 10, 26, 2, 59, 59), "Europe/Berlin", "2025-10-26T02:59:59+02:00", "overlap"],
    [wall(2025, 11, 2, 1, 30), "America/New_York", "2025-11-02T01:30:00-04:00", "overlap"],
    // Fixed zones.
    [wall(2025, 2, 13, 14, 30), "Asia/Kolkata", "2025-02-13T14:30:00+05:30", "none"],
    [wall(2025, 2, 13, 14, 30), "UTC", "2025-02-13T14:30:00+00:00", "none"],
    [wall(2025, 2, 13, 14, 30), "Etc/UTC", "2025-02-13T14:30:00+00:00", "none"],
  ] as const)("%j in %s -> %s (%s)", (given, timeZone, iso, adjustment) => {
    const zoned = resolveWallClock(given, timeZone);
    expect(zonedIso(zoned.epochMs, timeZone)).toBe(iso);
    expect(zoned.adjustment).toBe(adjustment);
  });

  test("every wall clock of an instant resolves back to it, except the second pass of an overlap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.constantFrom(...ZONES),
        (epochMs, timeZone) => {
          const whole = Math.floor(epochMs / 1000) * 1000;
          const { wall: shown } = wallClockAt(whole, timeZone);
          const zoned = resolveWallClock(shown, timeZone);
          expect(zoned.adjustment).not.toBe("gap");
          if (zoned.adjustment === "none") expect(zoned.epochMs).toBe(whole);
          else expect(zoned.epochMs).toBeLessThanOrEqual(whole);
          expect(zoned.wall).toEqual(shown);
        },
      ),
      { numRuns: 400 },
    );
  });

  test("throws RangeError for an unknown zone", () => {
    expect(() => resolveWallClock(wall(2025, 2, 13), "Europe/Atlantis")).toThrow(RangeError);
  });
});

describe("isTimeZone", () => {
  test.each([
    ["Europe/Berlin", true],
    ["europe/berlin", true],
    ["UTC", true],
    ["Asia/Kolkata", true],
    ["Mars/Olympus_Mons", false],
    ["", false],
    ["+01:00", false],
  ])("%j -> %s", (name, known) => {
    expect(isTimeZone(name)).toBe(known);
  });
});

describe("epochOf", () => {
  test.each([
    ["2025-02-13T14:30:00+01:00", Date.UTC(2025, 1, 13, 13, 30)],
    ["2025-02-13T14:30+01:00", Date.UTC(2025, 1, 13, 13, 30)],
    ["2025-02-13T13:30:00Z", Date.UTC(2025, 1, 13, 13, 30)],
    ["2025-02-13T13:30:00.5Z", Date.UTC(2025, 1, 13, 13, 30, 0, 500)],
    ["2025-02-13T13:30:00.123456Z", Date.UTC(2025, 1, 13, 13, 30, 0, 123)],
    ["2025-02-13T09:00:00-04:30", Date.UTC(2025, 1, 13, 13, 30)],
    ["1850-01-01T00:53:00+00:53", Date.UTC(1850, 0, 1)],
  ])("epochOf(%s) = %i", (iso, epochMs) => {
    expect(epochOf(iso)).toBe(epochMs);
    expect(epochOrNaN(iso)).toBe(epochMs);
  });

  test.each([
    "2025-02-13",
    "2025-02-13T14:30:00",
    "2025-02-30T00:00:00Z",
    "2025-02-13T24:00:00Z",
    "2025-02-13T14:30:00+19:00",
    "2025-02-13 14:30:00+01:00",
    "13.02.2025",
    "",
  ])("epochOf(%j) throws, epochOrNaN gives NaN", (iso) => {
    expect(() => epochOf(iso)).toThrow(/^Internal: epochOf expects ISO 8601 with offset/);
    expect(epochOrNaN(iso)).toBeNaN();
  });
});
