import { describe, expect, test } from "vitest";
import { selectPublishable } from "../../../src/related/select-publishable.js";

const NOW = Date.parse("2025-08-20T12:00:00+02:00");
const ARTICLES = [
  { id: "past", draft: false, date: "2025-08-01T10:00:00+02:00" },
  { id: "draft", draft: true, date: "2025-08-01T10:00:00+02:00" },
  { id: "future", draft: false, date: "2025-08-21T09:00:00+02:00" },
  { id: "exactly-now", draft: false, date: "2025-08-20T12:00:00+02:00" },
  { id: "future-draft", draft: true, date: "2026-01-01T00:00:00+01:00" },
];

describe("selectPublishable", () => {
  test.each([
    [false, ["past", "exactly-now"]],
    [true, ["past", "draft", "future", "exactly-now", "future-draft"]],
  ])("drafts: %s -> %j, in input order", (drafts, expected) => {
    expect(selectPublishable(ARTICLES, { drafts, buildTime: NOW }).map((article) => article.id)).toEqual(expected);
  });

  test("returns a new array and leaves the input alone", () => {
    const input = [...ARTICLES];
    const output = selectPublishable(input, { drafts: true, buildTime: NOW });
    expect(output).not.toBe(input);
    expect(input).toEqual(ARTICLES);
  });
});
