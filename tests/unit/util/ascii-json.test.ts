import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { decodeAsciiJson, encodeAsciiJson, joinAsciiJsonArray } from "../../../src/util/ascii-json.js";

const plain = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown); // -0 -> 0, as JSON has it

describe("ASCII JSON", () => {
  test("any JSON value, any string (lone surrogates included), reads back the same from ASCII bytes", () => {
    fc.assert(
      fc.property(plain, fc.string({ unit: "binary" }), (value, text) => {
        const bytes = encodeAsciiJson({ value, text });
        expect(bytes.every((byte) => byte < 0x7f)).toBe(true);
        expect(decodeAsciiJson(bytes)).toEqual({ value, text });
      }),
    );
  });

  test("an array encoded an item at a time and joined gives the bytes of the whole array", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(plain, fc.string({ unit: "binary" })), { maxLength: 12 }), (items) => {
        expect(joinAsciiJsonArray(items.map((item) => encodeAsciiJson(item))).equals(encodeAsciiJson(items))).toBe(true);
      }),
    );
  });
});
