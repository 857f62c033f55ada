import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { countWords, splitBlocks } from "../../../src/util/markdown-text.js";
import { headingSlug } from "../../../src/render/markdown.js";
import { slugify } from "../../../src/util/slugify.js";

describe("slugify", () => {
  test.each([
    ["Trump und Putin: Gipfel in Alaska", "de", "trump-und-putin-gipfel-in-alaska"],
    ["Grüße aus Köln", "de", "gruesse-aus-koeln"],
    ["Straße", "de", "strasse"],
    ["Grüße aus Köln", "en", "grusse-aus-koln"],
    ["Škoda à Zürich", "fr", "skoda-a-zurich"],
    ["L’entretien téléphonique", "fr", "l-entretien-telephonique"],
    ["Trump’s talks", "en", "trumps-talks"],
    ["Œuvre & Æther", "fr", "oeuvre-et-aether"],
    ["  --  ", "de", "untitled"],
  ])("%s (%s) -> %s", (text, lang, expected) => {
    expect(slugify(text, lang)).toBe(expected);
  });
  test("long titles are cut at a word boundary", () => {
    const slug = slugify("Ein sehr langer Titel ".repeat(10), "de");
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.endsWith("-")).toBe(false);
  });
  test("always URL-safe, non-empty and idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.constantFrom("de", "en", "fr", "es", ""), (text, lang) => {
        const slug = slugify(text, lang);
        expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(slugify(slug, lang)).toBe(slug);
      }),
    );
  });
});

describe("splitBlocks", () => {
  test("blocks with kinds and plain text", () => {
    const blocks = splitBlocks("## Title\nParagraph with *emphasis* and [a link](https://x.example).\n\n- one\n- two\n\n> quoted **text**\n\n```js\ncode here\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    expect(blocks.map((b) => [b.kind, b.text])).toEqual([
      ["heading", "Title"],
      ["paragraph", "Paragraph with emphasis and a link."],
      ["list", "one two"],
      ["quote", "quoted text"],
      ["code", ""],
      ["table", "a b 1 2"],
    ]);
  });
  test("a fence with blank lines inside stays one block", () => {
    expect(splitBlocks("```\na\n\nb\n```\n\nnext").map((b) => b.kind)).toEqual(["code", "paragraph"]);
  });
  test("raw is the trimmed Markdown of the block", () => {
    expect(splitBlocks("\n\n  Text here.  \n\nMore.")[0]!.raw).toBe("Text here.");
  });
});

describe("countWords", () => {
  test.each([
    ["Trump und Putin trafen sich.", 5],
    ["NATO-Osterweiterung ist ein Wort", 4],
    ["l’entretien d'hier", 2],
    ["2025 war 13,5 % höher", 5],
    ["", 0],
    ["— … !", 0],
  ])("%s -> %i", (text, count) => {
    expect(countWords(text)).toBe(count);
  });
});

describe("heading ids (render/markdown.ts headingSlug)", () => {
  // The one-pass fast path must give slugify's ids exactly, in the languages it takes and in others.
  const headingChars = fc.constantFrom(..."abcXYZ019 -,.:&'`ÄäÖöÜüßéÈçñøÆ«»–—„“”…/?!()".split(""), "Ω", "ı", "İ");
  test("are slugify's, for any heading in any language", () => {
    fc.assert(
      fc.property(fc.array(headingChars, { maxLength: 60 }).map((chars) => chars.join("")), fc.constantFrom("de", "en", "fr", "es", "tr", "ar", ""), (text, lang) => {
        expect(headingSlug(text, lang)).toBe(slugify(text, lang, 80, "section"));
      }),
      { numRuns: 3000 },
    );
  });
});
