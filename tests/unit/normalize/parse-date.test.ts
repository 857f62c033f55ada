import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  epochOf,
  parseDate,
  zonedIso,
  type DateContext,
  type DatePrecision,
  type DateResult,
} from "../../../src/normalize/parse-date.js";

const BERLIN = "Europe/Berlin";

function de(extra: Partial<DateContext> = {}): DateContext {
  return { lang: "de", timeZone: BERLIN, ...extra };
}

function expectOk(result: DateResult, iso: string, precision: DatePrecision): void {
  expect(result).toMatchObject({ ok: true, iso, precision });
}

describe("seed cases", () => {
  test.each([
    ["13/02/2025", undefined, "2025-02-13T00:00:00+01:00"],
    ["5 Tags zuvor", "2025-08-21T00:00:00+02:00", "2025-08-16T00:00:00+02:00"],
    ["1 Woche vor", "2025-02-20T00:00:00+01:00", "2025-02-13T00:00:00+01:00"],
  ])("%j (retrieved %s) -> %s, day, no warning", (value, retrieved, iso) => {
    const result = parseDate(value, de(retrieved === undefined ? {} : { retrieved }));
    expect(result).toEqual({ ok: true, iso, precision: "day" });
  });
});

describe("ISO 8601", () => {
  test.each([
    ["2025-02-13", "2025-02-13T00:00:00+01:00", "day"],
    ["2025-08-16", "2025-08-16T00:00:00+02:00", "day"],
    ["2025-02-13T10:00", "2025-02-13T10:00:00+01:00", "time"],
    ["2025-02-13T10:00:00", "2025-02-13T10:00:00+01:00", "time"],
    ["2025-02-13 10:00", "2025-02-13T10:00:00+01:00", "time"],
    ["2025-02-13T10:00:00.123", "2025-02-13T10:00:00+01:00", "time"],
    ["2025-02-13T10:00:00,5", "2025-02-13T10:00:00+01:00", "time"],
    ["2025-08-16T10:00:00", "2025-08-16T10:00:00+02:00", "time"],
    // With an offset: that instant, that offset.
    ["2025-02-13T10:00:00Z", "2025-02-13T10:00:00+00:00", "time"],
    ["2025-02-13T10:00Z", "2025-02-13T10:00:00+00:00", "time"],
    ["2025-02-13T10:00:00.999Z", "2025-02-13T10:00:00+00:00", "time"],
    ["2025-02-13T10:00:00+01:00", "2025-02-13T10:00:00+01:00", "time"],
    ["2025-02-13T10:00:00+0100", "2025-02-13T10:00:00+01:00", "time"],
    ["2025-02-13T10:00+05:30", "2025-02-13T10:00:00+05:30", "time"],
    ["2025-02-13T10:00:00-04:00", "2025-02-13T10:00:00-04:00", "time"],
    ["2025-02-13T10:00:00-00:00", "2025-02-13T10:00:00+00:00", "time"],
    ["2025-02-13 10:00:00 +01:00", "2025-02-13T10:00:00+01:00", "time"],
    ["2025-02-13t10:00:00z", "2025-02-13T10:00:00+00:00", "time"],
    ["2025-08-16T10:00:00+01:00", "2025-08-16T10:00:00+01:00", "time"],
    ["2025-02-13T10:00:00+01", "2025-02-13T10:00:00+01:00", "time"],
    ["  2025-02-13T10:00:00+01:00  ", "2025-02-13T10:00:00+01:00", "time"],
    ["2025-02-13T10:00:00+01:00.", "2025-02-13T10:00:00+01:00", "time"],
    ["2025-02-13.", "2025-02-13T00:00:00+01:00", "day"],
    ["2025/02/13", "2025-02-13T00:00:00+01:00", "day"],
    ["2025.02.13", "2025-02-13T00:00:00+01:00", "day"],
    ["2025-2-3", "2025-02-03T00:00:00+01:00", "day"],
    // Month only: the first, precision month.
    ["2025-02", "2025-02-01T00:00:00+01:00", "month"],
    ["2025/08", "2025-08-01T00:00:00+02:00", "month"],
    ["02/2025", "2025-02-01T00:00:00+01:00", "month"],
    ["02.2025", "2025-02-01T00:00:00+01:00", "month"],
  ] as const)("%j -> %s (%s)", (value, iso, precision) => {
    const result = parseDate(value, de());
    expect(result).toEqual({ ok: true, iso, precision });
  });
});

describe("numeric day-month-year", () => {
  test.each([
    ["13/02/2025", "de", "2025-02-13T00:00:00+01:00"],
    ["13.02.2025", "de", "2025-02-13T00:00:00+01:00"],
    ["13-02-2025", "de", "2025-02-13T00:00:00+01:00"],
    ["13/02/2025", "fr", "2025-02-13T00:00:00+01:00"],
    ["13/02/2025", "en-GB", "2025-02-13T00:00:00+01:00"],
    ["02/13/2025", "en", "2025-02-13T00:00:00+01:00"],
    ["02/13/2025", "en-US", "2025-02-13T00:00:00+01:00"],
    ["1.2.2025", "de", "2025-02-01T00:00:00+01:00"],
    ["05/05/2025", "en", "2025-05-05T00:00:00+02:00"],
    ["03.04.2025", "en-US", "2025-04-03T00:00:00+02:00"],
    ["(13.02.2025)", "de", "2025-02-13T00:00:00+01:00"],
    ["13.02.2025.", "de", "2025-02-13T00:00:00+01:00"],
  ])("%j in %s -> %s without warning", (value, lang, iso) => {
    expect(parseDate(value, { lang, timeZone: BERLIN })).toEqual({ ok: true, iso, precision: "day" });
  });
});

describe("day-first vs month-first", () => {
  const dayFirst = "2025-04-03T00:00:00+02:00";
  const monthFirst = "2025-03-04T00:00:00+01:00";
  test.each([
    ["de", dayFirst],
    ["de-AT", dayFirst],
    ["fr", dayFirst],
    ["es", dayFirst],
    ["it", dayFirst],
    ["pt", dayFirst],
    ["pt-BR", dayFirst],
    ["nl", dayFirst],
    ["en-GB", dayFirst],
    ["en-IE", dayFirst],
    ["en-AU", dayFirst],
    ["en-NZ", dayFirst],
    ["en-IN", dayFirst],
    ["en_GB", dayFirst],
    ["en", monthFirst],
    ["en-US", monthFirst],
    ["en-us", monthFirst],
    ["en-Latn-US", monthFirst],
  ])('"03/04/2025" in %s -> %s with a warning naming both readings', (lang, iso) => {
    const result = parseDate("03/04/2025", { lang, timeZone: BERLIN });
    expectOk(result, iso, "day");
    expect(result.ok && result.warning).toMatch(/"03\/04\/2025" is ambiguous; read as/);
    expect(result.ok && result.warning).toContain("3 April 2025");
    expect(result.ok && result.warning).toContain("4 March 2025");
  });

  test.each([
    [
      "03/04/2025",
      "de",
      '"03/04/2025" is ambiguous; read as 3 April 2025 (day first, as usual in de), not 4 March 2025. Write 2025-04-03 to be explicit.',
    ],
    [
      "03/04/2025",
      "en-US",
      '"03/04/2025" is ambiguous; read as 4 March 2025 (month first, as usual in en-US), not 3 April 2025. Write 2025-03-04 to be explicit.',
    ],
    [
      "03-04-2025",
      "fr",
      '"03-04-2025" is ambiguous; read as 3 April 2025 (day first, as usual in fr), not 4 March 2025. Write 2025-04-03 to be explicit.',
    ],
    [
      "02/13/2025",
      "de",
      '"02/13/2025" was read month first as 13 February 2025, because day first (usual in de) gives no real date. Write 2025-02-13 to be explicit.',
    ],
    [
      "13/02/2025",
      "en-US",
      '"13/02/2025" was read day first as 13 February 2025, because month first (usual in en-US) gives no real date. Write 2025-02-13 to be explicit.',
    ],
    [
      "02.13.2025",
      "de",
      '"02.13.2025" was read month first as 13 February 2025, because day first (usual for dotted dates) gives no real date. Write 2025-02-13 to be explicit.',
    ],
    ["13.02.25", "de", '"13.02.25" has a two-digit year; read as 2025. Write 2025-02-13 to be explicit.'],
    [
      "03/04/25",
      "de",
      '"03/04/25" is ambiguous; read as 3 April 2025 (day first, as usual in de), not 4 March 2025. "03/04/25" has a two-digit year; read as 2025. Write 2025-04-03 to be explicit.',
    ],
  ])("%j in %s warns: %s", (value, lang, warning) => {
    const result = parseDate(value, { lang, timeZone: BERLIN });
    expect(result.ok && result.warning).toBe(warning);
  });

  test.each([
    ["13.02.25", "2025-02-13T00:00:00+01:00", "2025"],
    ["13.02.68", "2068-02-13T00:00:00+01:00", "2068"],
    ["13.02.69", "1969-02-13T00:00:00+01:00", "1969"],
    ["13.02.99", "1999-02-13T00:00:00+01:00", "1999"],
    ["13/02/00", "2000-02-13T00:00:00+01:00", "2000"],
    ["13. Feb. 25", "2025-02-13T00:00:00+01:00", "2025"],
  ])("two-digit year %j -> %s, the warning names %s", (value, iso, year) => {
    const result = parseDate(value, de());
    expectOk(result, iso, "day");
    expect(result.ok && result.warning).toContain(`two-digit year; read as ${year}.`);
  });
});

describe("month names", () => {
  test.each([
    // German
    ["13. Februar 2025", "de"],
    ["13 Februar 2025", "de"],
    ["13. Feb. 2025", "de"],
    ["13. FEBRUAR 2025", "de"],
    ["am 13. Februar 2025", "de"],
    // English
    ["February 13, 2025", "en"],
    ["Feb 13, 2025", "en"],
    ["Feb. 13, 2025", "en"],
    ["feb 13 2025", "en"],
    ["February 13th, 2025", "en"],
    ["13 February 2025", "en"],
    ["13 Feb 2025", "en"],
    ["13th February 2025", "en"],
    ["the 13th of February 2025", "en"],
    // French (accents optional)
    ["13 février 2025", "fr"],
    ["13 fevrier 2025", "fr"],
    ["13 févr. 2025", "fr"],
    ["le 13 février 2025", "fr"],
    ["13 Fe\u0301vrier 2025", "fr"],
    // Spanish
    ["13 de febrero de 2025", "es"],
    ["13 de febrero del 2025", "es"],
    ["13 febrero 2025", "es"],
    // Italian, Portuguese, Dutch
    ["13 febbraio 2025", "it"],
    ["13 de fevereiro de 2025", "pt"],
    ["13 februari 2025", "nl"],
  ])("%j (%s) -> 2025-02-13", (value, lang) => {
    expect(parseDate(value, { lang, timeZone: BERLIN })).toEqual({
      ok: true,
      iso: "2025-02-13T00:00:00+01:00",
      precision: "day",
    });
  });

  test.each([
    ["1er mars 2025", "2025-03-01"],
    ["1º de marzo de 2025", "2025-03-01"],
    ["3. März 2025", "2025-03-03"],
    ["3. Maerz 2025", "2025-03-03"],
    ["3. Mrz. 2025", "2025-03-03"],
    ["3. Jänner 2025", "2025-01-03"],
    ["3. Jaenner 2025", "2025-01-03"],
    ["3 août 2025", "2025-08-03"],
    ["3 aout 2025", "2025-08-03"],
    ["3 décembre 2025", "2025-12-03"],
    ["3 decembre 2025", "2025-12-03"],
    ["Sept. 3, 2025", "2025-09-03"],
    ["Sep 3, 2025", "2025-09-03"],
    ["September 3, 2025", "2025-09-03"],
    ["3 Okt. 2025", "2025-10-03"],
    ["3 de diciembre de 2025", "2025-12-03"],
    ["3 ago 2025", "2025-08-03"],
    ["Mar 13, 2025", "2025-03-13"],
    ["May 1, 2025", "2025-05-01"],
    ["1 juillet 2025", "2025-07-01"],
    ["31 December 2025", "2025-12-31"],
  ])("%j -> %s", (value, date) => {
    const result = parseDate(value, de());
    expect(result.ok && result.iso.slice(0, 10)).toBe(date);
    expect(result.ok && result.precision).toBe("day");
  });

  test.each([
    ["Februar 2025", "2025-02-01T00:00:00+01:00"],
    ["February 2025", "2025-02-01T00:00:00+01:00"],
    ["février 2025", "2025-02-01T00:00:00+01:00"],
    ["febrero de 2025", "2025-02-01T00:00:00+01:00"],
    ["Feb. 2025", "2025-02-01T00:00:00+01:00"],
    ["März 2025", "2025-03-01T00:00:00+01:00"],
    ["Jänner 2025", "2025-01-01T00:00:00+01:00"],
    ["August 2025", "2025-08-01T00:00:00+02:00"],
  ])("month only %j -> %s", (value, iso) => {
    expect(parseDate(value, de())).toEqual({ ok: true, iso, precision: "month" });
  });
});

describe("weekday prefixes", () => {
  test.each([
    ["Donnerstag, 13. Februar 2025", "de"],
    ["Donnerstag, den 13. Februar 2025", "de"],
    ["Do., 13.02.2025", "de"],
    ["Thursday, February 13, 2025", "en"],
    ["Thu, 13 Feb 2025", "en"],
    ["jeudi 13 février 2025", "fr"],
    ["jeu. 13 févr. 2025", "fr"],
    ["jueves, 13 de febrero de 2025", "es"],
    ["Jueves 13 de febrero de 2025", "es"],
  ])("%j (%s) -> 2025-02-13 without warning", (value, lang) => {
    expect(parseDate(value, { lang, timeZone: BERLIN })).toEqual({
      ok: true,
      iso: "2025-02-13T00:00:00+01:00",
      precision: "day",
    });
  });

  test.each([
    ["Friday, February 13, 2025", "Friday", "Thursday"],
    ["Freitag, 13. Februar 2025", "Friday", "Thursday"],
    ["mar. 13 février 2025", "Tuesday", "Thursday"],
  ])("%j keeps the date and warns that it names %s, not %s", (value, named, actual) => {
    const result = parseDate(value, de());
    expectOk(result, "2025-02-13T00:00:00+01:00", "day");
    expect(result.ok && result.warning).toBe(
      `${JSON.stringify(value)} names ${named}, but 13 February 2025 is a ${actual}; the date was kept.`,
    );
  });
});

describe("dates with a time", () => {
  test.each([
    ["13.02.2025, 14:30 Uhr", "de", "2025-02-13T14:30:00+01:00"],
    ["13.02.2025 14:30", "de", "2025-02-13T14:30:00+01:00"],
    ["13.02.2025, 14.30 Uhr", "de", "2025-02-13T14:30:00+01:00"],
    ["13.02.2025 um 14 Uhr", "de", "2025-02-13T14:00:00+01:00"],
    ["13. Februar 2025, 14:30 Uhr", "de", "2025-02-13T14:30:00+01:00"],
    ["Donnerstag, 13. Februar 2025, 14:30 Uhr MEZ", "de", "2025-02-13T14:30:00+01:00"],
    ["13/02/2025 14:30", "de", "2025-02-13T14:30:00+01:00"],
    ["13/02/2025 14:30:15", "de", "2025-02-13T14:30:15+01:00"],
    ["February 13, 2025 2:30 PM", "en", "2025-02-13T14:30:00+01:00"],
    ["February 13, 2025 at 2:30 p.m.", "en", "2025-02-13T14:30:00+01:00"],
    ["Feb 13, 2025, 2 pm", "en", "2025-02-13T14:00:00+01:00"],
    ["February 13, 2025 12:05 AM", "en", "2025-02-13T00:05:00+01:00"],
    ["February 13, 2025 12:05 PM", "en", "2025-02-13T12:05:00+01:00"],
    ["13 February 2025 14:30 GMT", "en", "2025-02-13T14:30:00+00:00"],
    ["13 February 2025 14:30 UTC+5:30", "en", "2025-02-13T14:30:00+05:30"],
    ["13 Feb 2025 09:00 EST", "en", "2025-02-13T09:00:00-05:00"],
    ["13 février 2025 à 14 h 30", "fr", "2025-02-13T14:30:00+01:00"],
    ["13 février 2025 à 14h30", "fr", "2025-02-13T14:30:00+01:00"],
    ["13 février 2025, 14h", "fr", "2025-02-13T14:00:00+01:00"],
    ["13 de febrero de 2025 a las 14:30", "es", "2025-02-13T14:30:00+01:00"],
    ["2025-02-13 14:30 +01:00", "de", "2025-02-13T14:30:00+01:00"],
    ["13.02.2025 14:30 +0530", "de", "2025-02-13T14:30:00+05:30"],
    ["16.08.2025 14:30", "de", "2025-08-16T14:30:00+02:00"],
  ])("%j (%s) -> %s", (value, lang, iso) => {
    expect(parseDate(value, { lang, timeZone: BERLIN })).toEqual({ ok: true, iso, precision: "time" });
  });
});

describe("time zones", () => {
  test.each([
    // Europe/Berlin around the 2025 changes (2025-03-30 02:00 -> 03:00, 2025-10-26 03:00 -> 02:00).
    ["2025-03-29", BERLIN, "2025-03-29T00:00:00+01:00"],
    ["2025-03-30", BERLIN, "2025-03-30T00:00:00+01:00"],
    ["2025-03-30 01:59", BERLIN, "2025-03-30T01:59:00+01:00"],
    ["2025-03-30 03:00", BERLIN, "2025-03-30T03:00:00+02:00"],
    ["2025-03-31", BERLIN, "2025-03-31T00:00:00+02:00"],
    ["2025-10-26", BERLIN, "2025-10-26T00:00:00+02:00"],
    ["2025-10-26 01:59", BERLIN, "2025-10-26T01:59:00+02:00"],
    ["2025-10-26 03:00", BERLIN, "2025-10-26T03:00:00+01:00"],
    ["2025-10-27", BERLIN, "2025-10-27T00:00:00+01:00"],
    ["13.02.2025", BERLIN, "2025-02-13T00:00:00+01:00"],
    ["16.08.2025", BERLIN, "2025-08-16T00:00:00+02:00"],
    // Elsewhere.
    ["2025-02-13", "America/New_York", "2025-02-13T00:00:00-05:00"],
    ["2025-08-16", "America/New_York", "2025-08-16T00:00:00-04:00"],
    ["2025-03-09 01:59", "America/New_York", "2025-03-09T01:59:00-05:00"],
    ["2025-03-09 03:00", "America/New_York", "2025-03-09T03:00:00-04:00"],
    ["2025-02-13 14:30", "Asia/Kolkata", "2025-02-13T14:30:00+05:30"],
    ["2025-08-16", "Asia/Kolkata", "2025-08-16T00:00:00+05:30"],
    ["2025-02-13 14:30", "UTC", "2025-02-13T14:30:00+00:00"],
    ["2025-08-16", "UTC", "2025-08-16T00:00:00+00:00"],
    ["2025-02-13 14:30", "Asia/Kathmandu", "2025-02-13T14:30:00+05:45"],
    // An offset in the value wins over the zone.
    ["2025-02-13T14:30:00+01:00", "America/New_York", "2025-02-13T14:30:00+01:00"],
  ])("%j in %s -> %s", (value, timeZone, iso) => {
    const result = parseDate(value, { lang: "de", timeZone });
    expect(result.ok && result.iso).toBe(iso);
    expect(result.ok && result.warning).toBeUndefined();
  });

  test.each([
    [
      "2025-03-30 02:30",
      BERLIN,
      "2025-03-30T03:30:00+02:00",
      '"2025-03-30 02:30" does not exist in Europe/Berlin (the clocks jump forward that night); read as 2025-03-30T03:30:00+02:00.',
    ],
    [
      "2025-10-26 02:30",
      BERLIN,
      "2025-10-26T02:30:00+02:00",
      '"2025-10-26 02:30" happens twice in Europe/Berlin (the clocks go back that night); read as the first, 2025-10-26T02:30:00+02:00. Write the offset to be explicit.',
    ],
    [
      "2025-03-09 02:30",
      "America/New_York",
      "2025-03-09T03:30:00-04:00",
      '"2025-03-09 02:30" does not exist in America/New_York (the clocks jump forward that night); read as 2025-03-09T03:30:00-04:00.',
    ],
    [
      "2025-11-02 01:30",
      "America/New_York",
      "2025-11-02T01:30:00-04:00",
      '"2025-11-02 01:30" happens twice in America/New_York (the clocks go back that night); read as the first, 2025-11-02T01:30:00-04:00. Write the offset to be explicit.',
    ],
    [
      "2024-09-08",
      "America/Santiago",
      "2024-09-08T01:00:00-03:00",
      '"2024-09-08" does not exist in America/Santiago (the clocks jump forward that night); read as 2024-09-08T01:00:00-03:00.',
    ],
  ])("DST: %j in %s -> %s with a warning", (value, timeZone, iso, warning) => {
    const result = parseDate(value, { lang: "de", timeZone });
    expect(result.ok && result.iso).toBe(iso);
    expect(result.ok && result.warning).toBe(warning);
  });

  test("an unknown site zone is an error only when the value has no offset", () => {
    const context = { lang: "de", timeZone: "Mars/Olympus_Mons" };
    expect(parseDate("2025-02-13", context)).toEqual({
      ok: false,
      message:
        'The site time zone "Mars/Olympus_Mons" is not a known IANA time zone, so a date without an offset cannot be placed.',
      hint: "Set the time zone to a name such as Europe/Berlin or America/New_York.",
    });
    expectOk(parseDate("2025-02-13T10:00+01:00", context), "2025-02-13T10:00:00+01:00", "time");
  });
});

describe("relative dates", () => {
  const summer = "2025-08-21T00:00:00+02:00";
  test.each([
    // German
    ["5 Tags zuvor", summer, "2025-08-16T00:00:00+02:00", "day"],
    ["vor 5 Tagen", summer, "2025-08-16T00:00:00+02:00", "day"],
    ["vor einem Tag", summer, "2025-08-20T00:00:00+02:00", "day"],
    ["1 Woche vor", summer, "2025-08-14T00:00:00+02:00", "day"],
    ["vor 1 Woche", summer, "2025-08-14T00:00:00+02:00", "day"],
    ["vor einer Woche", summer, "2025-08-14T00:00:00+02:00", "day"],
    ["vor zwei Wochen", summer, "2025-08-07T00:00:00+02:00", "day"],
    ["vor einem Monat", summer, "2025-07-21T00:00:00+02:00", "month"],
    ["vor 2 Jahren", summer, "2023-08-21T00:00:00+02:00", "month"],
    ["5 Tage her", summer, "2025-08-16T00:00:00+02:00", "day"],
    ["heute", summer, "2025-08-21T00:00:00+02:00", "day"],
    ["Gestern", summer, "2025-08-20T00:00:00+02:00", "day"],
    ["vorgestern", summer, "2025-08-19T00:00:00+02:00", "day"],
    // English
    ["2 days ago", summer, "2025-08-19T00:00:00+02:00", "day"],
    ["a day ago", summer, "2025-08-20T00:00:00+02:00", "day"],
    ["a week ago", summer, "2025-08-14T00:00:00+02:00", "day"],
    ["3 weeks ago", summer, "2025-07-31T00:00:00+02:00", "day"],
    ["a month ago", summer, "2025-07-21T00:00:00+02:00", "month"],
    ["2 years ago", summer, "2023-08-21T00:00:00+02:00", "month"],
    ["yesterday", summer, "2025-08-20T00:00:00+02:00", "day"],
    ["Today", summer, "2025-08-21T00:00:00+02:00", "day"],
    ["2d ago", summer, "2025-08-19T00:00:00+02:00", "day"],
    // French
    ["il y a 3 jours", summer, "2025-08-18T00:00:00+02:00", "day"],
    ["il y a une semaine", summer, "2025-08-14T00:00:00+02:00", "day"],
    ["il y a un mois", summer, "2025-07-21T00:00:00+02:00", "month"],
    ["il y a 2 ans", summer, "2023-08-21T00:00:00+02:00", "month"],
    ["il y a un an", summer, "2024-08-21T00:00:00+02:00", "month"],
    ["hier", summer, "2025-08-20T00:00:00+02:00", "day"],
    ["aujourd'hui", summer, "2025-08-21T00:00:00+02:00", "day"],
    ["aujourd’hui", summer, "2025-08-21T00:00:00+02:00", "day"],
    ["avant-hier", summer, "2025-08-19T00:00:00+02:00", "day"],
    ["avant hier", summer, "2025-08-19T00:00:00+02:00", "day"],
    // Spanish
    ["hace 2 días", summer, "2025-08-19T00:00:00+02:00", "day"],
    ["hace 2 dias", summer, "2025-08-19T00:00:00+02:00", "day"],
    ["hace una semana", summer, "2025-08-14T00:00:00+02:00", "day"],
    ["hace un mes", summer, "2025-07-21T00:00:00+02:00", "month"],
    ["hace 1 año", summer, "2024-08-21T00:00:00+02:00", "month"],
    ["ayer", summer, "2025-08-20T00:00:00+02:00", "day"],
    ["hoy", summer, "2025-08-21T00:00:00+02:00", "day"],
    ["anteayer", summer, "2025-08-19T00:00:00+02:00", "day"],
    // Crossing DST: the day is counted in the site zone, the offset is that day's.
    ["vor 5 Tagen", "2025-04-02T00:00:00+02:00", "2025-03-28T00:00:00+01:00", "day"],
    // Calendar months clamp the day.
    ["vor einem Monat", "2025-03-31T00:00:00+02:00", "2025-02-28T00:00:00+01:00", "month"],
    ["hace 1 año", "2024-02-29T00:00:00+01:00", "2023-02-28T00:00:00+01:00", "month"],
    ["vor 13 Monaten", "2025-01-31T00:00:00+01:00", "2023-12-31T00:00:00+01:00", "month"],
    // A bare date as retrieved.
    ["vor 5 Tagen", "2025-08-21", "2025-08-16T00:00:00+02:00", "day"],
  ] as const)("%j from %s -> %s (%s)", (value, retrieved, iso, precision) => {
    expect(parseDate(value, de({ retrieved }))).toEqual({ ok: true, iso, precision });
  });

  const numberWords: ReadonlyArray<readonly [string, readonly string[], (word: string) => string]> = [
    [
      "en",
      ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"],
      (word) => `${word} days ago`,
    ],
    [
      "de",
      ["einem", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"],
      (word) => `vor ${word} Tagen`,
    ],
    [
      "fr",
      ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze"],
      (word) => `il y a ${word} jours`,
    ],
    [
      "es",
      ["un", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce"],
      (word) => `hace ${word} días`,
    ],
  ];
  const numberCases = numberWords.flatMap(([lang, words, phrase]) =>
    words.map((word, index) => [phrase(word), lang, index + 1] as const),
  );
  test.each(numberCases)("number word: %j (%s) counts %i days", (value, lang, days) => {
    const result = parseDate(value, { lang, timeZone: BERLIN, retrieved: summer });
    const expected = `2025-08-${String(21 - days).padStart(2, "0")}T00:00:00+02:00`;
    expect(result).toEqual({ ok: true, iso: expected, precision: "day" });
  });

  test.each([
    ["eine", "vor eine Woche"],
    ["einer", "vor einer Stunde"],
    ["ein", "ein Tag zuvor"],
    ["une", "il y a une heure"],
    ["una", "hace una hora"],
    ["an", "an hour ago"],
  ])("number word %j counts 1 in %j", (_word, value) => {
    expect(parseDate(value, de({ retrieved: "2025-08-21T12:00:00+02:00" })).ok).toBe(true);
  });

  describe("minutes and hours keep the time only when retrieved has one", () => {
    test.each([
      ["vor 3 Stunden", { retrieved: "2025-08-21T15:00:00+02:00" }, "2025-08-21T12:00:00+02:00", "time"],
      ["vor 20 Minuten", { retrieved: "2025-08-21T15:00:00+02:00" }, "2025-08-21T14:40:00+02:00", "time"],
      ["an hour ago", { retrieved: "2025-08-21T13:00:00Z" }, "2025-08-21T14:00:00+02:00", "time"],
      ["il y a 3 heures", { retrieved: "2025-08-21T15:00:00+02:00" }, "2025-08-21T12:00:00+02:00", "time"],
      ["hace 3 horas", { retrieved: "2025-08-21T15:00:00+02:00" }, "2025-08-21T12:00:00+02:00", "time"],
      ["vor 3 Std.", { retrieved: "2025-08-21T15:00:00+02:00" }, "2025-08-21T12:00:00+02:00", "time"],
      ["5 min ago", { retrieved: "2025-08-21T15:00:00+02:00" }, "2025-08-21T14:55:00+02:00", "time"],
      // Across the spring-forward hour: 04:00+02:00 minus 3 h is 00:00+01:00.
      ["vor 3 Stunden", { retrieved: "2025-03-30T04:00:00+02:00" }, "2025-03-30T00:00:00+01:00", "time"],
      // No time of day known: hours round down to whole days.
      ["vor 3 Stunden", { retrieved: "2025-08-21" }, "2025-08-21T00:00:00+02:00", "day"],
      ["vor 3 Stunden", { retrieved: "2025-08-21T00:00:00+02:00" }, "2025-08-21T00:00:00+02:00", "day"],
      ["vor 30 Stunden", { retrieved: "2025-08-21" }, "2025-08-20T00:00:00+02:00", "day"],
      // Unless the caller says the midnight was a real time.
      [
        "vor 3 Stunden",
        { retrieved: "2025-08-21T00:00:00+02:00", retrievedPrecision: "time" },
        "2025-08-20T21:00:00+02:00",
        "time",
      ],
      ["vor 3 Stunden", { retrieved: "2025-08-21T15:00:00+02:00", retrievedPrecision: "day" }, "2025-08-21T00:00:00+02:00", "day"],
    ] as const)("%j with %j -> %s (%s)", (value, extra, iso, precision) => {
      expect(parseDate(value, de(extra))).toEqual({ ok: true, iso, precision });
    });
  });

  test("days are counted from the retrieved instant's day in the site zone", () => {
    // 23:30 in New York is already the next morning in Berlin.
    expectOk(parseDate("heute", de({ retrieved: "2025-08-21T23:30:00-04:00" })), "2025-08-22T00:00:00+02:00", "day");
  });

  test("without retrieved a relative value is an error", () => {
    expect(parseDate("5 Tags zuvor", de())).toEqual({
      ok: false,
      message: '"5 Tags zuvor" is relative, but the article has no "retrieved" date to count from.',
      hint: "Add retrieved: <the date the page was saved>, e.g. retrieved: 2025-08-21.",
    });
  });

  test.each(["gestern", "2 days ago", "il y a 3 jours", "hace 2 días"])("%j without retrieved is an error", (value) => {
    const result = parseDate(value, de());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toBe(
      `${JSON.stringify(value)} is relative, but the article has no "retrieved" date to count from.`,
    );
  });

  test.each([
    ["yesterday", "is relative, but \"retrieved\" is not a usable date: \"yesterday\" is relative"],
    ["2025-02-30", "is relative, but \"retrieved\" is not a usable date: \"2025-02-30\" is not a real date"],
    ["soon", "is relative, but \"retrieved\" is not a usable date: \"soon\" is not a date"],
  ])("an unusable retrieved %j is an error", (retrieved, fragment) => {
    const result = parseDate("vor 5 Tagen", de({ retrieved }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(fragment);
  });

  test("counting back past 1800 is an error", () => {
    const result = parseDate("vor 300 Jahren", de({ retrieved: "2025-08-21" }));
    expect(result).toEqual({
      ok: false,
      message: '"vor 300 Jahren" is out of range: the year 1725 is not between 1800 and 2200.',
      hint: "Check the year for a typo.",
    });
  });
});

describe("errors", () => {
  test.each([
    ["2026-02-30", '"2026-02-30" is not a real date: February 2026 has 28 days.'],
    ["2024-02-30", '"2024-02-30" is not a real date: February 2024 has 29 days.'],
    ["2025-02-29", '"2025-02-29" is not a real date: February 2025 has 28 days.'],
    ["31.04.2025", '"31.04.2025" is not a real date: April 2025 has 30 days.'],
    ["31/04/2025", '"31/04/2025" is not a real date: April 2025 has 30 days.'],
    ["2025-13-01", '"2025-13-01" is not a real date: there is no month 13.'],
    ["13/13/2025", '"13/13/2025" is not a real date: there is no month 13.'],
    ["2025-13", '"2025-13" is not a real date: there is no month 13.'],
    ["00.02.2025", '"00.02.2025" is not a real date: there is no day 0.'],
    ["32. Januar 2025", '"32. Januar 2025" is not a real date: January 2025 has 31 days.'],
    ["2026-02-30T10:00:00+01:00", '"2026-02-30T10:00:00+01:00" is not a real date: February 2026 has 28 days.'],
    ["2025-02-13T25:00", '"2025-02-13T25:00" is not a real time: hour 25 does not exist (hours run 00–23).'],
    ["2025-02-13T25:00:00+01:00", '"2025-02-13T25:00:00+01:00" is not a real time: hour 25 does not exist (hours run 00–23).'],
    ["2025-02-13T24:00:00Z", '"2025-02-13T24:00:00Z" is not a real time: hour 24 does not exist (hours run 00–23).'],
    ["2025-02-13 10:60", '"2025-02-13 10:60" is not a real time: minute 60 does not exist (minutes run 00–59).'],
    ["2025-02-13T10:00:60Z", '"2025-02-13T10:00:60Z" is not a real time: second 60 does not exist (seconds run 00–59).'],
    [
      "February 13, 2025 13:30 PM",
      '"February 13, 2025 13:30 PM" is not a real time: 13 PM does not exist (use 1–12 with AM/PM, or 00–23).',
    ],
  ])("%j -> %s", (value, message) => {
    expect(parseDate(value, de())).toEqual({ ok: false, message });
  });

  test.each([
    ["1799-12-31", '"1799-12-31" is out of range: the year 1799 is not between 1800 and 2200.'],
    ["2201-01-01", '"2201-01-01" is out of range: the year 2201 is not between 1800 and 2200.'],
    ["0025-02-13T10:00:00Z", '"0025-02-13T10:00:00Z" is out of range: the year 25 is not between 1800 and 2200.'],
    ["13. Februar 1700", '"13. Februar 1700" is out of range: the year 1700 is not between 1800 and 2200.'],
  ])("%j -> %s", (value, message) => {
    expect(parseDate(value, de())).toEqual({ ok: false, message, hint: "Check the year for a typo." });
  });

  test.each([
    ["1800-01-01", "1800-01-01T00:00:00+00:53"],
    ["2200-12-31", "2200-12-31T00:00:00+01:00"],
  ])("the edges of the range are accepted: %j -> %s", (value, iso) => {
    expectOk(parseDate(value, de()), iso, "day");
  });

  test.each([
    ["2025-02-13T10:00+19:00"],
    ["2025-02-13T10:00:00+01:60"],
  ])("%j has an impossible offset", (value) => {
    expect(parseDate(value, de())).toEqual({
      ok: false,
      message: `${JSON.stringify(value)} has an impossible UTC offset: offsets run from -18:00 to +18:00 with minutes 00–59.`,
      hint: "Write the offset as ±HH:MM, e.g. +01:00.",
    });
  });

  const unreadableHint =
    "Use ISO 8601 such as 2025-02-13 or 2025-02-13T14:30+01:00. Also accepted: 13.02.2025, 13 February 2025, " +
    'February 13, 2025, and (with "retrieved" set) relative dates such as "vor 3 Tagen" or "2 days ago".';
  test.each([
    "blah",
    "vor vielen Tagen",
    "13 Smarch 2025",
    "2025-02-13 10:00 XYZ",
    "13.02.2025 14",
    "13.02.2025 and more",
    "2025-02-13T",
    "next Tuesday",
    "Politik 5 Tags zuvor",
  ])("%j is unreadable, with a hint listing the accepted forms", (value) => {
    expect(parseDate(value, de({ retrieved: "2025-08-21" }))).toEqual({
      ok: false,
      message: `${JSON.stringify(value)} is not a date Gazette can read.`,
      hint: unreadableHint,
    });
  });

  test.each(["13. Februar", "13 février", "February 13", "Feb 13th", "13 de febrero"])("%j has no year", (value) => {
    expect(parseDate(value, de())).toEqual({
      ok: false,
      message: `${JSON.stringify(value)} has no year.`,
      hint: "Add the year, or write the date as ISO 8601 such as 2025-02-13.",
    });
  });

  test('"2025" is only a year', () => {
    expect(parseDate("2025", de())).toEqual({
      ok: false,
      message: '"2025" is only a year.',
      hint: "Write a full date such as 2025-02-13, or a month such as 2025-02.",
    });
  });

  test.each(["", "   ", "\n\t"])("%j is missing", (value) => {
    expect(parseDate(value, de())).toMatchObject({ ok: false, message: "The date is missing (the value is empty)." });
  });

  test("very long text is rejected before parsing and shortened in the message", () => {
    const value = `2025-02-13 ${"x".repeat(300)}`;
    const result = parseDate(value, de());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^"2025-02-13 x+…" is too long \(311 characters\) to be a date\.$/);
  });
});

describe("values that are not strings", () => {
  test.each([
    [null, "The date is missing (the value is empty)."],
    [undefined, "The date is missing (the value is empty)."],
    [2025, "2025 is a number, not a date."],
    [20250213, "20250213 is a number, not a date."],
    [Number.NaN, "NaN is a number, not a date."],
    [10n, "10 is a number, not a date."],
    [true, "The date is true, not text."],
    [["2025-02-13"], "The date is a list, not text."],
    [{ year: 2025 }, "The date is a mapping of keys to values, not text."],
    [Symbol("date"), "The date is a symbol, not text."],
    [new Date(Number.NaN), "The date is an invalid Date object."],
    [new Date(Date.UTC(1700, 0, 1)), '"1700-01-01T00:00:00.000Z" is out of range: the year 1700 is not between 1800 and 2200.'],
  ])("%s -> %s", (value, message) => {
    const result = parseDate(value, de());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toBe(message);
    expect(!result.ok && result.hint).toBeTruthy();
  });

  test("a number that looks like a year gets a year-specific hint", () => {
    expect(parseDate(2025, de())).toEqual({
      ok: false,
      message: "2025 is a number, not a date.",
      hint: "A year alone is not enough: write a full date such as 2025-02-13.",
    });
  });

  test.each([
    [new Date(Date.UTC(2025, 1, 13, 13, 30, 15, 999)), BERLIN, "2025-02-13T14:30:15+01:00"],
    [new Date(Date.UTC(2025, 7, 16, 13, 30)), BERLIN, "2025-08-16T15:30:00+02:00"],
    [new Date(Date.UTC(2025, 1, 13, 13, 30)), "America/New_York", "2025-02-13T08:30:00-05:00"],
    [new Date(Date.UTC(2025, 1, 13, 13, 30)), "UTC", "2025-02-13T13:30:00+00:00"],
  ])("a Date is an instant: %s in %s -> %s", (value, timeZone, iso) => {
    expect(parseDate(value, { lang: "de", timeZone })).toEqual({ ok: true, iso, precision: "time" });
  });
});

describe("properties", () => {
  const contexts = fc.record({
    lang: fc.constantFrom("de", "en", "en-US", "en-GB", "fr", "es", "it", "", "x-weird"),
    timeZone: fc.constantFrom(BERLIN, "America/New_York", "Asia/Kolkata", "UTC", "America/Santiago", "Nowhere/Zone"),
    retrieved: fc.option(
      fc.oneof(
        fc.constantFrom("2025-08-21T00:00:00+02:00", "2025-08-21", "2025-03-30T04:00:00+02:00", "garbage"),
        fc.string(),
      ),
      { nil: undefined },
    ),
  });

  test("never throws on arbitrary values", () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withBigInt: true, withMap: true, withSet: true, withTypedArray: true }), contexts, (value, context) => {
        const result = parseDate(value, context);
        expect(typeof result.ok).toBe("boolean");
        // The catch-all only exists for bugs; no input may reach it.
        expect(!result.ok && result.message.startsWith("Internal:")).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  test("never throws on arbitrary strings, and failures say what happened", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })), contexts, (value, context) => {
        const result = parseDate(value, context);
        if (result.ok) expect(result.iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
        else expect(result.message).toMatch(/^(?!Internal:)./);
      }),
      { numRuns: 3000 },
    );
  });

  // Strings assembled from date-ish pieces (valid, impossible and odd), so that many of them parse.
  const assembled = fc
    .tuple(
      fc.constantFrom("", "Donnerstag, ", "jeudi ", "Thu, ", "le ", "mar. ", "Freitag, den "),
      fc.constantFrom("13", "1", "31", "29", "00", "02", "1er", "13th", "3"),
      fc.constantFrom("/", ".", "-", " ", ". ", " de "),
      fc.constantFrom("02", "2", "13", "04", "februar", "Feb.", "fevrier", "marzo", "Sept", "März"),
      fc.constantFrom("/", ".", "-", " ", ", ", " de "),
      fc.constantFrom("2025", "25", "1799", "2200", "69", "2024"),
      fc.constantFrom("", " 14:30", ", 14:30 Uhr", " 2:30 PM", " à 14 h 30", "T10:00Z", " 10:00 +05:30", " 02:30", " 25:00", " 12 am", " 14", "."),
    )
    .map((parts) => parts.join(""));
  const relative = fc
    .tuple(
      fc.constantFrom("vor ", "hace ", "il y a ", ""),
      fc.constantFrom("1", "5", "40", "einem", "une", "dos", "a", "zwölf"),
      fc.constantFrom(" Tagen", " Stunden", " días", " semaine", " weeks", " Monat", " ans", " minutes"),
      fc.constantFrom("", " ago", " zuvor"),
    )
    .map((parts) => parts.join(""));
  const generated = fc
    .record({
      year: fc.integer({ min: 1795, max: 2205 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 25 }),
      minute: fc.integer({ min: 0, max: 60 }),
      form: fc.integer({ min: 0, max: 7 }),
    })
    .map(({ year, month, day, hour, minute, form }) => {
      const p = (n: number): string => String(n).padStart(2, "0");
      const months = ["Januar", "February", "mars", "abril", "Mai", "June", "juillet", "August", "Sept.", "Okt", "novembre", "Dez"];
      const name = months[(month + 11) % 12] ?? "Mai";
      switch (form) {
        case 0:
          return `${year}-${p(month)}-${p(day)}`;
        case 1:
          return `${year}-${p(month)}-${p(day)}T${p(hour)}:${p(minute)}`;
        case 2:
          return `${year}-${p(month)}-${p(day)}T${p(hour)}:${p(minute)}:00+01:00`;
        case 3:
          return `${p(day)}/${p(month)}/${year}`;
        case 4:
          return `${day}.${month}.${String(year).slice(2)} ${hour}:${p(minute)} Uhr`;
        case 5:
          return `${day}. ${name} ${year}`;
        case 6:
          return `${name} ${day}, ${year} ${hour % 13}:${p(minute)} pm`;
        default:
          return `${name} ${year}`;
      }
    });

  test("idempotent: every ok result parses again to the same iso", () => {
    let parsed = 0;
    const numRuns = 5000;
    fc.assert(
      fc.property(fc.oneof(assembled, relative, generated, fc.string()), contexts, (value, context) => {
        const result = parseDate(value, context);
        if (!result.ok) return;
        parsed += 1;
        const again = parseDate(result.iso, context);
        expect(again).toMatchObject({ ok: true, iso: result.iso, precision: "time" });
        expect(again.ok && again.warning).toBeUndefined();
      }),
      { numRuns },
    );
    // The property must not hold vacuously.
    expect(parsed).toBeGreaterThan(numRuns / 10);
  });

  test("an instant formatted in the site zone parses back to that instant", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2199, 0, 1) }),
        fc.constantFrom(BERLIN, "America/New_York", "Asia/Kolkata", "UTC"),
        (epochMs, timeZone) => {
          const iso = zonedIso(epochMs, timeZone);
          const result = parseDate(iso, { lang: "de", timeZone });
          expect(result.ok && result.iso).toBe(iso);
          expect(result.ok && epochOf(result.iso)).toBe(Math.floor(epochMs / 1000) * 1000);
        },
      ),
    );
  });
});
