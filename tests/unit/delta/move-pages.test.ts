import { describe, expect, it } from "vitest";
import { clashOfMoves, pageMoves, type PageMove } from "../../../src/delta/move-pages.js";
import type { AppliedEdit } from "../../../src/delta/read-edits.js";

/** An applied edit as far as moves care: its file, page number, URL now, and the URL the last full build had when it differs. */
function edit(file: string, number: number, url: string, movedFrom: string | null = null): AppliedEdit {
  return { file, article: { url } as AppliedEdit["article"], page: { number, inputs: {} as never }, features: null, card: true, lastmod: false, movedFrom, redated: false, regrouped: false };
}

/** A move of page 1 from `now` to `next` (its first URL `now`). */
function move(now: string, next: string, number = 1): PageMove {
  return { edit: edit(`articles/story-${number}/de.md`, number, next, now), number, from: now, now, next };
}

const SITE = {
  outputs: ["index.html", "de/index.html", "de/alt/index.html", "de/themen/index.html", "de/Gross/index.html", "de/andere/index.html"],
  relocated: ["/de/wetter/"],
  unpublished: ["/de/entwurf/"],
};

describe("which edited pages move", () => {
  it("a page whose URL changes now, one an earlier delta moved (again, back, or where it stays: the pages that link it are rendered again), not one that stays", () => {
    const edits = [edit("b.md", 2, "/de/b/"), edit("a.md", 1, "/de/neu/", "/de/alt/"), edit("c.md", 3, "/de/c-neu/"), edit("d.md", 4, "/de/d/"), edit("e.md", 5, "/de/e-neu/")];
    const moves = pageMoves(edits, [["c.md", "/de/c/", "/de/c-zwischen/"], ["d.md", "/de/d/", "/de/d-zwischen/"], ["e.md", "/de/e/", "/de/e-neu/"]]);
    expect(moves.map(({ number, from, now, next }) => [number, from, now, next])).toEqual([
      [1, "/de/alt/", "/de/alt/", "/de/neu/"],
      [3, "/de/c/", "/de/c-zwischen/", "/de/c-neu/"],
      [4, "/de/d/", "/de/d-zwischen/", "/de/d/"],
      [5, "/de/e/", "/de/e-neu/", "/de/e-neu/"],
    ]);
  });
});

describe("where a page may move in a delta", () => {
  it("to a free URL; a move back to where it is is no move", () => {
    expect(clashOfMoves([move("/de/alt/", "/de/neu/")], SITE)).toBeNull();
    expect(clashOfMoves([move("/de/alt/", "/de/alt/")], { ...SITE, relocated: ["/de/alt/"] })).toBeNull();
  });

  it("not to a URL another page has, in any letter case, nor one a draft holds", () => {
    expect(clashOfMoves([move("/de/alt/", "/de/themen/")], SITE)).toMatch(/another page or article has its new URL/);
    expect(clashOfMoves([move("/de/alt/", "/de/gross/")], SITE)).toMatch(/another page or article has its new URL/);
    expect(clashOfMoves([move("/de/alt/", "/de/entwurf/")], SITE)).toMatch(/another page or article has its new URL/);
  });

  it("not to one a path of another length lowercases to (İ lowercases to i and a combining dot)", () => {
    const site = { ...SITE, outputs: [...SITE.outputs, "de/\u0130stanbul/index.html"] };
    expect(clashOfMoves([move("/de/alt/", "/de/i\u0307stanbul/")], site)).toMatch(/another page or article has its new URL/);
    expect(clashOfMoves([move("/de/alt/", "/de/istanbul/")], site)).toBeNull();
  });

  it("not two pages to one URL; one may take the URL another leaves", () => {
    expect(clashOfMoves([move("/de/alt/", "/de/neu/", 1), move("/de/andere/", "/de/neu/", 2)], SITE)).toMatch(/another page or article has its new URL/);
    expect(clashOfMoves([move("/de/alt/", "/de/neu/", 1), move("/de/andere/", "/de/alt/", 2)], SITE)).toBeNull();
  });

  it("not to or from a URL an article published elsewhere wants, nor one of its other candidates", () => {
    expect(clashOfMoves([move("/de/alt/", "/de/wetter/")], SITE)).toMatch(/published elsewhere wants its URL/);
    expect(clashOfMoves([move("/de/alt/", "/de/wetter-2025-11-30/")], SITE)).toMatch(/published elsewhere wants its URL/);
    expect(clashOfMoves([move("/de/wetter-morgen/", "/de/neu/")], { ...SITE, outputs: [...SITE.outputs, "de/wetter-morgen/index.html"] })).toMatch(/published elsewhere wants its URL/);
    // A slug that only starts alike is no candidate: "wetterbericht" is not "wetter-…".
    expect(clashOfMoves([move("/de/alt/", "/de/wetterbericht/")], SITE)).toBeNull();
  });

  it("not outside the output folder", () => {
    expect(clashOfMoves([move("/de/alt/", "/de/../../etc/")], SITE)).toMatch(/outside the output folder/);
  });
});
