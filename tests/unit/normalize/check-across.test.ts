/**
 * `gazette dev` moves an edited article's page to its new URL without the checks across articles
 * (see dev/quick-edit.ts) only when `urlMovesAlone` says the checks would give that URL and leave
 * every other article's as it was; `reapplyAcrossArticles` then gives the record the checks would.
 * Both are held against the checks themselves, on random sites full of clashing slugs.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Article } from "../../../src/types.js";
import { DiagnosticSink } from "../../../src/errors/diagnostics.js";
import { checkAcrossArticles, reapplyAcrossArticles, urlMovesAlone } from "../../../src/normalize/check-across.js";
import { makeArticle } from "../related/make-article.js";

const SLUGS = ["wetter", "live-ticker", "wetter-2025-03-01", "live-ticker-s2", "wahl", "wahl-s3"];

function article(story: number, lang: string, slug: string, day: number, given: boolean): Article {
  const key = `s${story}`;
  return { ...makeArticle({ key, lang, date: `2025-03-0${day}T12:00:00+01:00` }), slug, slugGiven: given, url: `/${lang}/${slug}/` };
}

/** The checks' records, by id (null when the checks reject the site). */
function checked(articles: Article[]): Map<string, Article> | null {
  const sink = new DiagnosticSink();
  const result = checkAcrossArticles(articles, sink);
  return sink.errors.length > 0 ? null : new Map(result.map((each) => [each.id, each]));
}

const site = fc.array(
  fc.record({ slug: fc.constantFrom(...SLUGS), day: fc.integer({ min: 1, max: 4 }), lang: fc.constantFrom("de", "en"), given: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) }),
  { minLength: 2, maxLength: 9 },
);

describe("a URL moved without the checks across articles", () => {
  test("urlMovesAlone holds only when the checks give the edited article its URL and every other article the URL it had", () => {
    let alone = 0;
    let notAlone = 0;
    fc.assert(
      fc.property(site, fc.nat(), fc.constantFrom(...SLUGS, "neu", "wetter-s1"), (specs, pick, newSlug) => {
        const articles = specs.map((spec, i) => article(i, spec.lang, spec.slug, spec.day, spec.given));
        const before = checked(articles);
        if (before === null) return;
        const at = pick % articles.length;
        const previous = { raw: articles[at]!, checked: before.get(articles[at]!.id)! };
        const next = { ...previous.raw, slug: newSlug, url: `/${previous.raw.lang}/${newSlug}/`, title: "Neu" };
        if (next.url === previous.raw.url) return;
        const others = articles.map((raw) => ({ raw, checked: before.get(raw.id)! }));
        others[at] = previous;
        const edited = articles.map((each, i) => (i === at ? next : each));
        const after = checked(edited);
        if (!urlMovesAlone(next, previous, others)) {
          notAlone++;
          return;
        }
        alone++;
        expect(after).not.toBeNull();
        expect(after!.get(next.id)!.url).toBe(next.url);
        for (const other of articles) if (other !== previous.raw) expect(after!.get(other.id)!.url, other.id).toBe(before.get(other.id)!.url);
        expect(reapplyAcrossArticles(next, previous)).toEqual(after!.get(next.id));
      }),
      { numRuns: 1500, seed: 20261206 },
    );
    // Both answers must come up, or the test proves nothing.
    expect(alone).toBeGreaterThan(100);
    expect(notAlone).toBeGreaterThan(100);
  });

  test("not when the article had been moved, or another article holds, wants or was moved from either URL", () => {
    const first = article(1, "de", "wetter", 1, false);
    const second = article(2, "de", "wetter", 2, false); // relocated to wetter-2025-03-02
    const third = article(3, "de", "wahl", 3, false);
    const records = [first, second, third];
    const before = checked(records)!;
    expect(before.get(second.id)!.url).toBe("/de/wetter-2025-03-02/");
    const known = records.map((raw) => ({ raw, checked: before.get(raw.id)! }));
    const moved = (from: Article, slug: string): Article => ({ ...from, slug, url: `/${from.lang}/${slug}/` });
    expect(urlMovesAlone(moved(third, "neu"), known[2]!, known)).toBe(true);
    expect(urlMovesAlone(moved(second, "neu"), known[1]!, known)).toBe(false); // it had been moved
    expect(urlMovesAlone(moved(first, "neu"), known[0]!, known)).toBe(false); // the second wants its URL
    expect(urlMovesAlone(moved(third, "wetter"), known[2]!, known)).toBe(false); // held
    expect(urlMovesAlone(moved(third, "wetter-2025-03-02"), known[2]!, known)).toBe(false); // held by the moved one
    expect(urlMovesAlone(moved(third, "wetter-s2"), known[2]!, known)).toBe(false); // one of its other candidates
  });
});
