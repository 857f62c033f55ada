/** escapeHtml prints every value of every page: its fast path must change nothing. */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { escapeHtml } from "../../../src/render/templates.js";

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const reference = (text: string) => text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);

describe("escapeHtml", () => {
  test.each([
    ["plain text", "Gipfel in Genf", "Gipfel in Genf"],
    ["every special character", `<a href="x" title='y'>&</a>`, "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"],
    ["at both ends", "&x<", "&amp;x&lt;"],
    ["an entity already written", "&amp;", "&amp;amp;"],
    ["empty", "", ""],
  ])("%s", (_name, input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  test("equals one replace over the five characters, on random text", () => {
    const unit = fc.constantFrom("a", "ä", "日", " ", "&", "<", ">", '"', "'", "\u{1F600}", "\n");
    fc.assert(fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        expect(escapeHtml(text)).toBe(reference(text));
      }), { numRuns: 5000, seed: 7 });
  });
});
