import { describe, expect, it } from "vitest";
import { patchedParts, patchedUrlset } from "../../../src/delta/patch-sitemap.js";
import { renderSitemaps, type SitemapEntry } from "../../../src/render/sitemaps.js";

const BASE = "https://news.example/";

function entry(slug: string, lastmod: string): SitemapEntry {
  return {
    loc: `${BASE}de/${slug}/`,
    lastmod,
    alternates: [
      { hreflang: "de", href: `${BASE}de/${slug}/` },
      { hreflang: "en", href: `${BASE}en/${slug}/` },
    ],
  };
}

const ENTRIES = [entry("erste", "2025-11-01T10:00:00+01:00"), entry("zweite-straße", "2025-11-02"), entry("zweite", "2025-11-03T08:30:00Z")];

/** The one file renderSitemaps makes of `entries`, as bytes. */
function urlset(entries: readonly SitemapEntry[], maxUrls?: number): Buffer[] {
  return renderSitemaps(entries, BASE, maxUrls).map((file) => Buffer.from(file.content));
}

describe("the sitemap patched after a delta build", () => {
  it("is the sitemap of the new entries, byte for byte, whichever entry changed and however long its lastmod is now", () => {
    const [old] = urlset(ENTRIES);
    for (const [i, lastmod] of [[0, "2025-12-01T09:15:00+01:00"], [1, "2025-12-01T09:15:00+01:00"], [2, "2025-12-01"]] as const) {
      const changed = ENTRIES.map((each, j) => (j === i ? { ...each, lastmod } : each));
      const patched = patchedUrlset(old!, [{ entry: changed[i]!, was: changed[i]!.loc }], BASE);
      expect(patched && "body" in patched ? Buffer.from(patched.body).toString() : patched).toEqual(urlset(changed)[0]!.toString());
    }
  });

  it("is null when nothing changes; a miss for a page it does not list and for a sitemap in parts", () => {
    const [old] = urlset(ENTRIES);
    expect(patchedUrlset(old!, [{ entry: ENTRIES[1]!, was: ENTRIES[1]!.loc }], BASE)).toBeNull();
    expect(patchedUrlset(old!, [{ entry: entry("dritte", "2025-11-04"), was: `${BASE}de/dritte/` }], BASE)).toEqual({ miss: `the sitemap has no entry for ${BASE}de/dritte/` });
    const [index] = urlset(ENTRIES, 2);
    expect(index!.toString()).toContain("<sitemapindex");
    expect(patchedUrlset(index!, [{ entry: { ...ENTRIES[0]!, lastmod: "2025-12-01" }, was: ENTRIES[0]!.loc }], BASE)).toEqual({ miss: "the sitemap is in parts" });
  });

  it("finds a page that moves by the URL it had: its element is replaced in place, as a sitemap of the moved page has it", () => {
    const [old] = urlset(ENTRIES);
    // The second page's slug changed: the sitemap lists the pages in route order, which a slug does not change.
    const moved = ENTRIES.map((each, j) => (j === 1 ? entry("zweite-fassung", "2025-11-02") : each));
    const patched = patchedUrlset(old!, [{ entry: moved[1]!, was: ENTRIES[1]!.loc }], BASE);
    expect(patched && "body" in patched ? Buffer.from(patched.body).toString() : patched).toEqual(urlset(moved)[0]!.toString());
    // Found by its old URL only: "/de/zweite/" is another page.
    expect(patchedUrlset(old!, [{ entry: moved[1]!, was: `${BASE}de/zweite-fassung/` }], BASE)).toEqual({ miss: `the sitemap has no entry for ${BASE}de/zweite-fassung/` });
    expect(patchedUrlset(old!, [{ entry: moved[1]!, was: `${BASE}de/zweite/` }], BASE)).not.toEqual(urlset(moved)[0]!.toString());
  });

  it("a listing page's new lastmod (its element keeps URL and alternates): as the writer makes it, one edit or many at once, a date added or taken out", () => {
    const pages = Array.from({ length: 20 }, (_, i) => entry(`seite-${i}`, `2025-10-${String(i + 1).padStart(2, "0")}`));
    const [old] = urlset(pages);
    const dates: (string | null)[] = ["2025-12-01T09:15:00+01:00", null, "2025-09-30"];
    // Three pages (searched one by one), then every page (from one pass that notes where each URL is).
    for (const count of [3, pages.length]) {
      const changed = pages.map((each, i) => (i < count ? { ...each, lastmod: dates[i % dates.length] } : each));
      const lastmods = changed.slice(0, count).map((each) => ({ loc: each.loc, lastmod: each.lastmod ?? null }));
      const patched = patchedUrlset(old!, [], BASE, lastmods);
      expect(patched && "body" in patched ? Buffer.from(patched.body).toString() : patched).toEqual(urlset(changed)[0]!.toString());
    }
    // A date given to a page that had none.
    const undated = pages.map((each, i) => (i === 4 ? { ...each, lastmod: null } : each));
    const dated = patchedUrlset(urlset(undated)[0]!, [], BASE, [{ loc: pages[4]!.loc, lastmod: pages[4]!.lastmod! }]);
    expect(dated && "body" in dated ? Buffer.from(dated.body).toString() : dated).toEqual(old!.toString());
    // With an article page's new entry beside them; a page it does not list is a miss.
    const both = pages.map((each, i) => (i === 0 ? { ...each, lastmod: "2025-12-02" } : i === 1 ? entry("seite-1-neu", "2025-12-03") : each));
    const patched = patchedUrlset(old!, [{ entry: both[1]!, was: pages[1]!.loc }], BASE, [{ loc: pages[0]!.loc, lastmod: "2025-12-02" }]);
    expect(patched && "body" in patched ? Buffer.from(patched.body).toString() : patched).toEqual(urlset(both)[0]!.toString());
    expect(patchedUrlset(old!, [], BASE, [{ loc: `${BASE}de/keine/`, lastmod: null }])).toEqual({ miss: `the sitemap has no entry for ${BASE}de/keine/` });
    // Many at once (found in one pass), one of them not listed: "seite-99" has the length of "seite-10" to "seite-19".
    const many = [...pages.slice(0, 12).map((each) => ({ loc: each.loc, lastmod: "2025-12-05" })), { loc: `${BASE}de/seite-99/`, lastmod: "2025-12-05" }];
    expect(patchedUrlset(old!, [], BASE, many)).toEqual({ miss: `the sitemap has no entry for ${BASE}de/seite-99/` });
  });

  describe("in parts (an index over files of at most maxUrls entries)", () => {
    const MANY = ["a", "b", "c", "d", "e"].map((slug, i) => entry(`seite-${slug}`, `2025-11-0${i + 1}`));
    /** The parts renderSitemaps makes of `entries`, two entries each, as patchedParts reads them, and the index. */
    const partsOf = (entries: readonly SitemapEntry[], maxUrls = 2) => {
      const [index, ...parts] = renderSitemaps(entries, BASE, maxUrls);
      return { index: index!.content, parts: parts.map((file) => ({ path: file.path, bytes: Buffer.from(file.content) })) };
    };

    it("a page that moves: the part that holds it is written as the writer makes it of the new entries, the index and the other parts stay", () => {
      const before = partsOf(MANY);
      expect(before.parts.map((part) => part.path)).toEqual(["sitemaps/sitemap-1.xml", "sitemaps/sitemap-2.xml", "sitemaps/sitemap-3.xml"]);
      // A longer URL: the part's length changes, not its count.
      const moved = MANY.map((each, j) => (j === 2 ? entry("seite-c-mit-einer-viel-laengeren-schlagzeile", "2025-11-03") : each));
      const patched = patchedParts(Buffer.from(before.index), before.parts, [{ entry: moved[2]!, was: MANY[2]!.loc }], BASE, 2);
      const after = partsOf(moved);
      expect(after.index).toEqual(before.index);
      expect(patched).toEqual([{ outputPath: "sitemaps/sitemap-2.xml", body: after.parts[1]!.bytes }]);
    });

    it("a new lastmod: the part, and the index's date of it, as the writer makes them (newer or older than the part's newest)", () => {
      const before = partsOf(MANY);
      for (const [i, lastmod] of [[2, "2025-12-01T09:15:00+01:00"], [3, "2025-10-01"], [1, "2025-11-30"]] as const) {
        const updated = MANY.map((each, j) => (j === i ? { ...each, lastmod } : each));
        const after = partsOf(updated);
        const patched = patchedParts(Buffer.from(before.index), before.parts, [{ entry: updated[i]!, was: MANY[i]!.loc }], BASE, 2);
        const written = new Map((patched as { outputPath: string; body: Uint8Array }[]).map((page) => [page.outputPath, Buffer.from(page.body).toString()]));
        const part = `sitemaps/sitemap-${Math.floor(i / 2) + 1}.xml`;
        expect(written.get(part)).toEqual(after.parts[Math.floor(i / 2)]!.bytes.toString());
        expect(written.get("sitemap.xml") ?? before.index).toEqual(after.index);
        expect([...written.keys()].filter((file) => file !== part && file !== "sitemap.xml")).toEqual([]);
      }
    });

    it("new lastmods of pages in two parts: both parts, and the index's dates of them, as the writer makes them", () => {
      const before = partsOf(MANY);
      const updated = MANY.map((each, j) => (j === 0 || j === 3 ? { ...each, lastmod: "2025-12-05" } : each));
      const patched = patchedParts(Buffer.from(before.index), before.parts, [], BASE, 2, [0, 3].map((j) => ({ loc: MANY[j]!.loc, lastmod: "2025-12-05" })));
      const after = partsOf(updated);
      const written = new Map((patched as { outputPath: string; body: Uint8Array }[]).map((page) => [page.outputPath, Buffer.from(page.body).toString()]));
      expect([...written.keys()].sort()).toEqual(["sitemap.xml", "sitemaps/sitemap-1.xml", "sitemaps/sitemap-2.xml"]);
      expect(written.get("sitemap.xml")).toEqual(after.index);
      expect(written.get("sitemaps/sitemap-1.xml")).toEqual(after.parts[0]!.bytes.toString());
      expect(written.get("sitemaps/sitemap-2.xml")).toEqual(after.parts[1]!.bytes.toString());
    });

    it("a miss when a part but the last is not full (split by size), or when no part has the page; nothing to write when nothing changes", () => {
      const before = partsOf(MANY);
      const index = Buffer.from(before.index);
      expect(patchedParts(index, before.parts, [{ entry: MANY[0]!, was: MANY[0]!.loc }], BASE, 3)).toEqual({ miss: "the sitemap is in parts split by size" });
      expect(patchedParts(index, before.parts, [{ entry: MANY[0]!, was: `${BASE}de/keine/` }], BASE, 2)).toEqual({ miss: `the sitemap has no entry for ${BASE}de/keine/` });
      expect(patchedParts(index, before.parts, [{ entry: MANY[4]!, was: MANY[4]!.loc }], BASE, 2)).toEqual([]);
    });
  });
});
