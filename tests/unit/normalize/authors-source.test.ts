import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseAuthors } from "../../../src/normalize/authors.js";
import { properCaseDateline } from "../../../src/normalize/dateline.js";
import { parseSource } from "../../../src/normalize/source.js";

describe("parseAuthors", () => {
  test.each([
    ["Amalie L.", ["Amalie L."]],
    ["Anna Weber und Tom Berg", ["Anna Weber", "Tom Berg"]],
    ["Anna Weber, Tom Berg", ["Anna Weber", "Tom Berg"]],
    ["Anna Weber and Tom Berg", ["Anna Weber", "Tom Berg"]],
    ["Anna Weber et Tom Berg", ["Anna Weber", "Tom Berg"]],
    ["Ana Pérez y Luis Gil", ["Ana Pérez", "Luis Gil"]],
    ["Anna Weber & Tom Berg", ["Anna Weber", "Tom Berg"]],
    ["von Anna Weber", ["Anna Weber"]],
    ["By Anna Weber", ["Anna Weber"]],
    ["Par Anne Dupont", ["Anne Dupont"]],
    ["Anna Weber; Tom Berg / Lea Roth", ["Anna Weber", "Tom Berg", "Lea Roth"]],
    [["von Anna Weber", "Tom Berg, Lea Roth"], ["Anna Weber", "Tom Berg", "Lea Roth"]],
    [["Anna Weber", "anna weber", "ANNA WEBER"], ["Anna Weber"]],
    ["  Anna\u00a0 Weber  ", ["Anna Weber"]],
    [null, []],
    [undefined, []],
    ["", []],
  ])("%j -> %j", (input, expected) => {
    expect(parseAuthors(input)).toEqual(expected);
  });

  test.each([[42], [{ name: "x" }], [["Anna", 3]], [true]])("%j is not a byline", (input) => {
    expect(parseAuthors(input)).toBeNull();
  });

  test("never throws and never returns empty names", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fc.string())), (value) => {
        const result = parseAuthors(value);
        expect(result).not.toBeNull();
        for (const name of result!) expect(name.trim()).toBe(name), expect(name).not.toBe("");
      }),
    );
  });
});

describe("parseSource", () => {
  test.each([
    ["IT BOLTWISE", { name: "IT BOLTWISE", url: null }],
    ["Cookie News", { name: "Cookie News", url: null }],
    ["https://www.rosenheim24.de/politik/x.html", { name: "rosenheim24.de", url: "https://www.rosenheim24.de/politik/x.html" }],
    ["www.rosenheim24.de", { name: "rosenheim24.de", url: "https://www.rosenheim24.de/" }],
    ["berliner-zeitung.de", { name: "berliner-zeitung.de", url: "https://berliner-zeitung.de/" }],
    [{ name: "EFE", url: "https://efe.com" }, { name: "EFE", url: "https://efe.com/" }],
    [{ url: "https://www.t-online.de/nachrichten/" }, { name: "t-online.de", url: "https://www.t-online.de/nachrichten/" }],
    [{ name: "dpa" }, { name: "dpa", url: null }],
    ["Reuters: Berlin bureau", { name: "Reuters: Berlin bureau", url: null }],
  ])("%j -> %j", (input, expected) => {
    expect(parseSource(input)).toEqual({ ok: true, source: expected });
  });

  test.each([
    ["javascript:alert(1)"],
    [{ name: "x", url: "javascript:alert(1)" }],
    [{ name: "x", url: "data:text/html,<script>" }],
    [{ name: "x", url: "ftp://files.example" }],
    [{}],
    [""],
    [42],
    [["a"]],
  ])("%j is refused with a reason and a hint", (input) => {
    const result = parseSource(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.hint).toBeTruthy();
  });
});

describe("properCaseDateline", () => {
  test.each([
    ["MÜNCHEN", "München"],
    ["FRANKFURT AM MAIN", "Frankfurt am Main"],
    ["BADEN-BADEN", "Baden-Baden"],
    ["WASHINGTON, D.C.", "Washington, D.C."],
    ["SAINT-MARTIN-DE-RÉ", "Saint-Martin-de-Ré"],
    ["New York", "New York"],
    ["KYJIW –", "Kyjiw"],
    ["Berlin", "Berlin"],
  ])("%s -> %s", (input, expected) => {
    expect(properCaseDateline(input)).toBe(expected);
  });
});
