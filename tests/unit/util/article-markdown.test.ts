import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Article } from "../../../src/types.js";
import { markdownOf, withPackedMarkdown, withoutMarkdown } from "../../../src/util/article-markdown.js";
import { makeArticle } from "../related/make-article.js";

const PASSAGE = { block: 1, lang: "en" } as unknown as Article["passages"][number];

describe("an article's Markdown, dropped or packed after loading", () => {
  test("packed, it reads back exactly, in a fraction of the bytes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), (body) => {
        const packed = withPackedMarkdown(makeArticle({ key: "a", body }));
        expect(packed.body).toBeUndefined();
        expect(markdownOf(packed)).toBe(body);
      }),
      { numRuns: 500 },
    );
    const prose = "Der Präsident sagte am Donnerstag „Wir sind noch nicht so weit“, und verließ den Saal.\n\n".repeat(40);
    const packed = withPackedMarkdown(makeArticle({ key: "b", body: prose }));
    expect(markdownOf(packed)).toBe(prose);
    // Its own bytes only, not a view of zlib's output buffer (which would be kept and posted whole).
    expect(packed.packedBody!.byteLength).toBe(packed.packedBody!.buffer.byteLength);
    expect(packed.packedBody!.byteLength).toBeLessThan(prose.length / 6);
  });

  test("dropped only where nothing needs it: articles with foreign passages keep it", () => {
    const plain = withoutMarkdown(makeArticle({ key: "c", body: "Text." }));
    expect("body" in plain).toBe(false);
    expect(() => markdownOf(plain)).toThrow(/Internal: the Markdown of articles\/c\/en\.md was dropped/);
    const quoted = { ...makeArticle({ key: "d", body: "Text.\n\n> Quote." }), passages: [PASSAGE] };
    expect(withoutMarkdown(quoted)).toBe(quoted);
    expect(markdownOf(withoutMarkdown(quoted))).toBe("Text.\n\n> Quote.");
  });

  test("everything else about the article is kept", () => {
    const article = makeArticle({ key: "e", title: "Titel", tags: ["Ukraine"], body: "Text." });
    const { body: _body, ...rest } = article;
    expect(withoutMarkdown(article)).toEqual(rest);
    const { packedBody, ...packedRest } = withPackedMarkdown(article);
    expect(packedBody).toBeInstanceOf(Uint8Array);
    expect(packedRest).toEqual(rest);
  });
});
