import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { stripBoilerplate } from "../../../src/normalize/boilerplate.js";
import { cleanBody, cleanLine, typographicQuotes } from "../../../src/normalize/clean-text.js";
import { cutAtSentence, summarize } from "../../../src/normalize/summarize.js";
import { countWords, inlineText, splitBlocks } from "../../../src/util/markdown-text.js";
import { wellFormed } from "../../../src/util/text.js";

describe("cleanBody / cleanLine", () => {
  test("BOM, zero-width characters, soft hyphens, CRLF and control characters go", () => {
    expect(cleanBody("\uFEFFTrump\u200B und\u00AD Putin\r\nZeile\rzwei\u0007\n").text).toBe("Trump und Putin\nZeile\nzwei\n");
  });
  test("runs of no-break spaces collapse; a single one (French typography) stays", () => {
    expect(cleanBody("a\u00a0\u00a0\u00a0b « c\u00a0»").text).toBe("a b « c\u00a0»\n");
  });
  test("bidi overrides are removed and reported", () => {
    const result = cleanLine("Trump \u202Enitup\u202C");
    expect(result).toEqual({ text: "Trump nitup", hadBidiControls: true });
    expect(cleanLine("plain").hadBidiControls).toBe(false);
  });
  test("text is NFC: a decomposed umlaut becomes one code point", () => {
    expect(cleanLine("Mu\u0308nchen").text).toBe("München");
  });
  test("Markdown hard breaks (two trailing spaces) survive, other trailing space goes", () => {
    expect(cleanBody("line one  \nline two \nend").text).toBe("line one  \nline two\nend\n");
  });
  test("indentation of thousands of spaces is kept; trailing space and tabs go; blank runs shrink", () => {
    const indented = Array.from({ length: 50 }, (_, i) => `${"  ".repeat(i * 40)}- level ${i}`).join("\n");
    expect(cleanBody(indented).text).toBe(`${indented}\n`);
    expect(cleanBody("a \t\nb\t\n\n\n\nc   \u00a0 \u00a0d\n\n  \n").text).toBe("a\nb\n\nc d\n");
  });
  /** cleanBody's space and line rules as plain regular expressions (they backtrack: fine on short test strings). */
  const spacesReference = (text: string) =>
    text
      .replace(/[ \u00A0\u202F]*\u00A0[ \u00A0\u202F]*\u00A0[ \u00A0\u202F]*/g, " ")
      .replace(/[ \t]+$/gm, (trailing) => (trailing.length >= 2 && !trailing.includes("\t") ? "  " : ""))
      .replace(/\n{3,}/g, "\n\n")
      .replace(/^\n+/, "")
      .replace(/\s+$/, "") + "\n";
  test("cleanBody agrees with the plain regular-expression definition it replaces", () => {
    const reference = spacesReference;
    const pieces = fc.constantFrom("a", "b", " ", "  ", "\t", "\n", "\u00a0", "\u202f", "x y");
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const text = parts.join("");
        expect(cleanBody(text).text).toBe(reference(text));
      }),
    );
  });
  test("cleanBody removes and reports as the pass-by-pass pipeline did, also when only some passes are needed", () => {
    // The characters each pass removes or changes, mixed with text a fast path leaves alone.
    const pieces = fc.constantFrom("a", "Ä", " ", "  ", "\t", "\n", "\r", "\r\n", "\u00a0", "\u202f", "\u200b", "\u00ad", "\ufeff", "\u202e", "\u2067", "\u0007", "\u000b", "\u0085", "\ufdd0", "\uffff", "\ud800", "e\u0301", "\u2000");
    const reference = (text: string) => ({
      text: spacesReference(
        wellFormed(text)
          .replace(/\r\n?/g, "\n")
          .replace(/[\u200B\u200C\u200D\u2060\uFEFF\u00AD]/g, "")
          .replace(/[\u202A-\u202E\u2066-\u2069]/g, "")
          .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]/g, "")
          .normalize("NFC"),
      ),
      hadBidiControls: /[\u202A-\u202E\u2066-\u2069]/.test(text),
    });
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const text = parts.join("");
        expect(cleanBody(text)).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
  });
  test("cleanLine is idempotent and never leaves line breaks", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const once = cleanLine(text).text;
        expect(cleanLine(once).text).toBe(once);
        expect(once).not.toMatch(/[\r\n\t]/);
      }),
    );
  });
});

describe("typographicQuotes", () => {
  test.each([
    ["de", 'Er sagte "ja" und ging.', "Er sagte „ja“ und ging."],
    ["en", 'He said "yes" and left.', "He said “yes” and left."],
    ["fr", 'Il a dit "oui".', "Il a dit «\u00a0oui\u00a0»."],
    ["en", "it's Trump's", "it’s Trump’s"],
    ["de", "Das ist „schon“ typografisch", "Das ist „schon“ typografisch"],
    ["de", 'ein "unpaariges Zeichen', 'ein "unpaariges Zeichen'],
    ["en", 'size 5"x7"', 'size 5"x7"'],
  ])("%s: %s", (lang, input, expected) => {
    expect(typographicQuotes(input, lang)).toBe(expected);
  });
});

describe("summarize", () => {
  test("the first paragraph when it is short", () => {
    expect(summarize(splitBlocks("## Heading\n\nShort first paragraph here.\n\nSecond."))).toBe("Short first paragraph here.");
  });
  test("whole sentences up to 200 characters, cut at a sentence boundary", () => {
    const first = "Donald Trump und Wladimir Putin trafen sich in Anchorage, Alaska, zu hochrangigen Gesprächen mit dem Ziel, den Ukraine-Krieg zu beenden.";
    const text = `${first} Obwohl beide die Diskussionen als produktiv bezeichneten, wurde kein Waffenstillstandsabkommen erzielt. Putin dankte Trump.`;
    expect(summarize(splitBlocks(text))).toBe(first);
  });
  test.each([
    ["Am 13. Februar 2025 sprach Trump mit Putin über die Lage in der Ukraine und in Europa, und zwar sehr lange und ausführlich mit vielen Einzelheiten. Das zweite Gespräch folgte später im März des Jahres.", "Am 13. Februar 2025 sprach Trump mit Putin über die Lage in der Ukraine und in Europa, und zwar sehr lange und ausführlich mit vielen Einzelheiten."],
    ["Washington, D.C. is where Mr. Trump met Dr. Smith to discuss things for a long while, and they talked about many topics at great length today. Then they left for the airport in the evening, where a long line of cars waited for them.", "Washington, D.C. is where Mr. Trump met Dr. Smith to discuss things for a long while, and they talked about many topics at great length today."],
  ])("abbreviations and ordinals are not sentence ends: %s", (text, expected) => {
    expect(cutAtSentence(text, 200)).toBe(expected);
  });
  test("a first sentence over the limit is cut at a word, with an ellipsis", () => {
    const long = "Wort ".repeat(80).trim() + ".";
    const cut = cutAtSentence(long, 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut).not.toMatch(/\s…$/);
  });
  test("never longer than the limit", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (text) => {
        expect(cutAtSentence(text, 200).length).toBeLessThanOrEqual(200);
      }),
    );
  });
});

describe("stripBoilerplate", () => {
  test("whole-block furniture is removed and reported, article text stays", () => {
    const body = "Erster Absatz.\n\nJETZT LESEN AUCH ANDERE\n\nPhoto: Drop of Light / Shutterstock.com\n\nVerwandte Videos:\n\nZweiter Absatz über Fotos und Newsletter.\n\nArchiviert unter:\n";
    const result = stripBoilerplate(body);
    expect(result.removed).toEqual(["JETZT LESEN AUCH ANDERE", "Photo: Drop of Light / Shutterstock.com", "Verwandte Videos:", "Archiviert unter:"]);
    expect(result.body).toBe("Erster Absatz.\n\nZweiter Absatz über Fotos und Newsletter.");
  });
  test("a sentence that merely mentions a pattern word is kept", () => {
    const body = "Die Anzeige wurde erstattet.\n\nLesen Sie auch das Interview.";
    expect(stripBoilerplate(body)).toEqual({ body, removed: [] });
  });
  test("fenced code is never touched", () => {
    const body = "```\nAnzeige\n\nWerbung\n```\n\nText.";
    expect(stripBoilerplate(body).removed).toEqual([]);
  });
});

describe("countWords and inlineText agree with their regular-expression definitions", () => {
  const pieces = fc.constantFrom("a", "Ä", "ß", "7", "𝐀", "😀", "-", "'", "’", " ", "  ", "\n", "\t", "\r", "\u00a0", ".", "*", "_", "~", "`", "[", "]", "(", ")", "<", ">", "!", "\\", "&nbsp;", "\uD800", "é", "中");
  test("countWords counts what /[\\p{L}\\p{N}]+(?:['’-][\\p{L}\\p{N}]+)*/gu matches", () => {
    const reference = (text: string) => text.match(/[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        expect(countWords(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
    expect(countWords("Rock'n'Roll, E-Mail-Adresse und 3,5 Mio. — l’État")).toBe(7);
  });
  test("inlineText skips only rules whose marker is absent (same result as running all)", () => {
    const reference = (markdown: string) =>
      markdown
        .replace(/<!--[\s\S]*?-->/g, " ")
        .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/\[([^\]]*)\]\[[^\]]*\]/g, "$1")
        .replace(/<[^>]{0,2000}>/g, " ")
        .replace(/(\*\*|__|~~)(?=\S)([\s\S]*?\S)\1/g, "$2")
        .replace(/(^|[\s(])([*_])(?=\S)([^*_]*?\S)\2(?=[\s).,;:!?]|$)/g, "$1$3")
        .replace(/`+([^`]*)`+/g, "$1")
        .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, "$1")
        .replace(/&nbsp;/g, " ")
        .replace(/[ \t\r\n\u00a0]+/g, " ")
        .trim();
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        expect(inlineText(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });
});
