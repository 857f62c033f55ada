import { describe, expect, it } from "vitest";
import { patchedUrlset } from "../../../src/delta/patch-sitemap.js";
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
});
