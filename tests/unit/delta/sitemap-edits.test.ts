import { describe, expect, it } from "vitest";
import { cardPages, type AppliedEdit } from "../../../src/delta/read-edits.js";

/** An applied edit as far as cards and the sitemap care: its file and page number, whether its card and lastmod changed. */
function edit(file: string, number: number | null, changed: { card: boolean; lastmod: boolean }): AppliedEdit {
  const inputs = { shownBy: [number === null ? -1 : number + 100], listedOn: [number === null ? -1 : number + 200] } as never;
  return { file, ...changed, features: null, article: {} as AppliedEdit["article"], page: number === null ? null : { number, inputs }, movedFrom: null, redated: false, regrouped: false };
}

describe("the pages an edited card and its sitemap entry make the delta write", () => {
  const summary = { card: true, lastmod: false };
  const updated = { card: true, lastmod: true };
  const body = { card: false, lastmod: false };
  it("sitemap entries of pages whose lastmod changed, and of those an earlier delta wrote (an undo), never of one without a page", () => {
    const edits = [edit("a.md", 1, summary), edit("b.md", 2, updated), edit("c.md", 3, body), edit("d.md", null, updated)];
    expect(cardPages(edits, [], []).sitemap).toEqual([2]);
    expect(cardPages(edits, [], ["c.md", "d.md"]).sitemap).toEqual([2, 3]);
    // A new summary or headline only: the sitemap is not touched.
    expect(cardPages([edit("a.md", 1, summary)], [], []).sitemap).toEqual([]);
  });
  it("the pages that show a card changed now or in an earlier delta, not those of a body edit", () => {
    const edits = [edit("a.md", 1, summary), edit("c.md", 3, body), edit("e.md", 5, body)];
    expect(cardPages(edits, [], [])).toMatchObject({ pages: [101], listings: [201] });
    expect(cardPages(edits, ["e.md"], [])).toMatchObject({ pages: [101, 105], listings: [201, 205] });
  });
});
