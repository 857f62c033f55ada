import { describe, expect, it } from "vitest";
import type { Article, Route } from "../../../src/types.js";
import type { ArticlePageInputs, ListingPageInputs, SiteSnapshot, SnapshotGroup } from "../../../src/cache/site-snapshot.js";
import type { AppliedEdit } from "../../../src/delta/read-edits.js";
import { regroupListings } from "../../../src/delta/regroup-listings.js";
import { updateListings } from "../../../src/delta/update-listings.js";

/**
 * A German site of three articles (0 newest), two to a page: front pages [0, 1] and [2]; topic
 * "Alpha" [0, 1], topic "Beta" [2], topic "Gamma" [1] (its page merges the id "gamma2"); authors
 * Anna [0, 1] and Ben [2]. English lists article 2 in place of its story's missing version: on its
 * front page and on Ben's English page.
 */
const PER_PAGE = 2;
const DATES = ["2025-11-03T10:00:00Z", "2025-11-02T10:00:00Z", "2025-11-01T10:00:00Z"];
const TAGS = [["Alpha"], ["Alpha", "Gamma"], ["Beta"]];
const AUTHORS = ["Anna", "Anna", "Ben"];

function route(url: string, params: Route["params"]): Route {
  return { url, outputPath: `${url.slice(1)}index.html`, params };
}

const LISTINGS: ListingPageInputs[] = [
  { route: route("/de/", { kind: "front", lang: "de", page: 1, pages: 2 }), members: [0, 1], group: null, latest: null },
  { route: route("/de/page/2/", { kind: "front", lang: "de", page: 2, pages: 2 }), members: [2], group: null, latest: null },
  { route: route("/de/themen/alpha/", { kind: "group", lang: "de", group: "topic", slug: "alpha", page: 1, pages: 1 }), members: [0, 1], group: ["alpha", "Alpha", 2, []], latest: null },
  { route: route("/de/themen/beta/", { kind: "group", lang: "de", group: "topic", slug: "beta", page: 1, pages: 1 }), members: [2], group: ["beta", "Beta", 1, []], latest: null },
  { route: route("/en/", { kind: "front", lang: "en", page: 1, pages: 1 }), members: [-1 - 2], group: null, latest: null },
  { route: route("/de/autoren/anna/", { kind: "group", lang: "de", group: "author", slug: "anna", page: 1, pages: 1 }), members: [0, 1], group: ["anna", "Anna", 2, []], latest: null },
  { route: route("/de/autoren/ben/", { kind: "group", lang: "de", group: "author", slug: "ben", page: 1, pages: 1 }), members: [2], group: ["ben", "Ben", 1, [["en", "ben"]]], latest: null },
  { route: route("/en/authors/ben/", { kind: "group", lang: "en", group: "author", slug: "ben", page: 1, pages: 1 }), members: [-1 - 2], group: ["ben", "Ben", 1, [["de", "ben"]]], latest: null },
  { route: route("/de/themen/gamma/", { kind: "group", lang: "de", group: "topic", slug: "gamma", page: 1, pages: 1 }), members: [1], group: ["gamma", "Gamma", 1, []], latest: null },
];
const GROUPS: SnapshotGroup[] = [
  ["de", "topic", 2, ["alpha"]],
  ["de", "topic", 3, ["beta"]],
  ["de", "author", 5, ["anna"]],
  ["de", "author", 6, ["ben"]],
  ["en", "author", 7, ["ben"]],
  ["de", "topic", 8, ["gamma", "gamma2"]],
];
const LISTED_ON = [
  [0, 2, 5],
  [0, 2, 5, 8],
  [1, 3, 4, 6, 7],
];

function inputs(number: number): ArticlePageInputs {
  return { id: `s${number}/de`, outputPath: `de/s${number}/index.html`, file: `articles/s${number}/de.md`, hash: "", checked: 0, versions: [number], original: number, related: [], groups: [0, 1], listedOn: LISTED_ON[number]!, shownBy: [] };
}

const snapshot: SiteSnapshot = {
  head: { groups: [], relocated: [], year: "2025", listingOffsets: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], feeds: [], news: [], newsOldest: null } as unknown as SiteSnapshot["head"],
  files: () => [],
  page: inputs,
  card: () => {
    throw new Error("no card is read to regroup listings");
  },
  listing: (number) => LISTINGS[number]!,
  dates: () => DATES,
  groups: () => GROUPS,
};

function article(number: number, tags: readonly string[], authors = [AUTHORS[number]!]): Article {
  return { id: `s${number}/de`, storyKey: `s${number}`, lang: "de", title: `Story ${number}`, date: DATES[number]!, authors, source: null, entities: [], tags: tags.map((name) => ({ id: name.toLowerCase(), name, slug: name.toLowerCase() })) } as unknown as Article;
}

function edit(number: number, tags: readonly string[], authors?: string[]): AppliedEdit {
  return { file: `articles/s${number}/de.md`, article: article(number, tags, authors), page: { number, inputs: inputs(number) }, features: null, card: false, lastmod: false, movedFrom: null, redated: false, regrouped: true };
}

async function update(edits: AppliedEdit[]) {
  const regrouping = regroupListings(snapshot, edits);
  if (typeof regrouping === "string") return { miss: regrouping };
  const articlesOf = async (numbers: readonly number[]) => new Map(numbers.map((number) => [number, article(number, TAGS[number]!)]));
  const empty = { files: [], listed: [], lastmods: [] };
  return updateListings({ snapshot, edits, regrouping, earlier: empty, perPage: PER_PAGE, buildDate: "2025-12-01T00:00:00Z", inNewsWindow: () => false, articlesOf });
}

describe("group pages after new topics or bylines (delta builds)", () => {
  it("an article joining a topic: its page lists it in date order with the new count, the language's index of topics follows, its lastmod is the newest's", async () => {
    const updated = await update([edit(0, ["Alpha", "Beta"])]);
    if ("miss" in updated) throw new Error(updated.miss);
    expect([...updated.listings.keys()]).toEqual([3]);
    expect(updated.listings.get(3)).toMatchObject({ members: [0, 2], group: ["beta", "Beta", 2, []] });
    expect(updated.indexes).toEqual([{ lang: "de", kind: "topic", groups: [[2, 2], [3, 2], [8, 1]] }]);
    expect(updated.lastmods).toEqual(new Map([[3, DATES[0]]]));
  });

  it("an article joining through a merged id joins the page that merges it", async () => {
    const regrouping = regroupListings(snapshot, [edit(2, ["Beta", "Gamma2"])]);
    expect(regrouping).toMatchObject({ joins: new Map([[2, [8]]]), leaves: new Map([[2, []]]) });
  });

  it("an article leaving a topic that keeps another article: the page without it, one article fewer", async () => {
    const updated = await update([edit(1, ["Beta", "Gamma"])]);
    if ("miss" in updated) throw new Error(updated.miss);
    expect(updated.listings.get(2)).toMatchObject({ members: [0], group: ["alpha", "Alpha", 1, []] });
    expect(updated.listings.get(3)).toMatchObject({ members: [1, 2], group: ["beta", "Beta", 2, []] });
  });

  it("a new byline: the article moves from one author's page to another's, the index of authors follows; its page links the new author's", async () => {
    const edits = [edit(0, ["Alpha"], ["Ben"])];
    const regrouping = regroupListings(snapshot, edits);
    expect(regrouping).toMatchObject({ joins: new Map([[0, [6]]]), leaves: new Map([[0, [5]]]), links: new Map([[0, [["ben", "Ben"], ["alpha", "Alpha"]]]]) });
    const updated = await update(edits);
    if ("miss" in updated) throw new Error(updated.miss);
    expect(updated.listings.get(5)).toMatchObject({ members: [1], group: ["anna", "Anna", 1, []] });
    expect(updated.listings.get(6)).toMatchObject({ members: [0, 2], group: ["ben", "Ben", 2, [["en", "ben"]]] });
    expect(updated.indexes).toEqual([{ lang: "de", kind: "author", groups: [[5, 1], [6, 2]] }]);
  });

  it("an article standing in for its story in another language: an author page there is needed too (fallbacks make author pages)", async () => {
    expect(await update([edit(2, ["Beta"], ["Anna"])])).toEqual({ miss: expect.stringMatching(/its author anna would have a page of its own in en/) });
  });

  it("misses: a topic page that would need another page, one left without an article, a topic new to the site, the page's namer spelling it otherwise or leading merged ids", async () => {
    expect(await update([edit(2, ["Beta", "Alpha"])])).toEqual({ miss: expect.stringMatching(/number of pages would change \(\/de\/themen\/alpha\/\)/) });
    expect(await update([edit(2, [])])).toEqual({ miss: expect.stringMatching(/left without an article of its language \(\/de\/themen\/beta\/\)/) });
    expect(await update([edit(1, ["Alpha", "Delta"])])).toEqual({ miss: expect.stringMatching(/its topic delta would have a page of its own in de/) });
    expect(await update([edit(0, ["ALPHA"])])).toEqual({ miss: expect.stringMatching(/names a group, and how/) });
    // Gamma's page merges "gamma2": the newest article carrying it before "gamma" would lead it with that id.
    expect(await update([edit(0, ["Alpha", "Gamma2", "Gamma"])])).toEqual({ miss: expect.stringMatching(/names a group, and how \(\/de\/themen\/gamma\/\)/) });
  });
});
