import { describe, expect, it } from "vitest";
import { affectedByMoves, buildRelatedIndex, computeRelated } from "../../../src/related/compute-related.js";
import type { RelatedDoc } from "../../../src/related/extract-features.js";
import { seededRandom } from "../../helpers/random.js";
import { DEFAULT_OPTIONS } from "./make-article.js";

const OPTIONS = { ...DEFAULT_OPTIONS, explain: false };
const DAY = 86_400_000;

/**
 * `count` documents in two languages over a small vocabulary, most stories in both: some features in
 * a few documents (all their postings read), some in hundreds (read within a window), some too
 * common to search. Skewed choices, so that documents share a lot.
 */
function corpus(count: number, seed: number): RelatedDoc[] {
  const random = seededRandom(seed);
  const skewed = (size: number) => Math.floor(size * random() * random());
  const pick = (prefix: string, size: number, k: number) => [...new Set(Array.from({ length: k }, () => `${prefix}${skewed(size)}`))].sort();
  const docs: RelatedDoc[] = [];
  for (let story = 0; docs.length < count; story++) {
    const time = Date.UTC(2025, 0, 1) + Math.floor(random() * 200) * DAY + Math.floor(random() * 24) * 3_600_000;
    const entities = pick("e", 40, 3);
    const topics = pick("t", 25, 2);
    for (const lang of random() < 0.7 ? ["de", "en"] : ["de"]) {
      const terms = pick(`${lang}-w`, 150, 12);
      docs.push({
        id: `s${story}/${lang}`,
        storyKey: `s${story}`,
        lang,
        time,
        entities,
        entityNames: entities,
        entityCounts: entities.map(() => 1 + Math.floor(random() * 3)),
        topics,
        topicNames: topics,
        terms: terms.join(" "),
        termCounts: terms.map(() => 1 + Math.floor(random() * 4)),
        pins: story % 97 === 5 ? [`s${story - 3}`] : [],
        exclude: [],
      });
    }
  }
  return docs;
}

/** Each document's list, as ids. */
function lists(docs: readonly RelatedDoc[]): Map<string, string[]> {
  return new Map([...computeRelated(docs, OPTIONS)].map(([id, entries]) => [id, entries.map((entry) => entry.id)]));
}

describe("the documents whose related list a move in time can change", () => {
  const docs = corpus(600, 7);
  const before = lists(docs);

  it("every other list is as it was, for moves of an hour to months, one document or two at once", () => {
    const random = seededRandom(20261207);
    const shifts = [3_600_000, -2 * 3_600_000, 3 * DAY, -10 * DAY, 90 * DAY, -150 * DAY];
    let compared = 0;
    for (let trial = 0; trial < 24; trial++) {
      const moved = new Map<number, number>();
      for (let k = 0; k < 1 + (trial % 2); k++) moved.set(Math.floor(random() * docs.length), shifts[(trial + k) % shifts.length]!);
      const after = docs.map((doc, i) => (moved.has(i) ? { ...doc, time: doc.time + moved.get(i)! } : doc));
      const affected = affectedByMoves(buildRelatedIndex(after, OPTIONS), [...moved.keys()].map((i) => ({ id: docs[i]!.id, time: docs[i]!.time })));
      const now = lists(after);
      for (const [id, list] of now) {
        if (affected.has(id)) continue;
        expect(list, `${id}, after moving ${[...moved.keys()].map((i) => docs[i]!.id).join(", ")}`).toEqual(before.get(id));
        compared++;
      }
      for (const i of moved.keys()) expect(affected.has(docs[i]!.id)).toBe(true);
    }
    // Most lists are left out of the computation: the set is not everything.
    expect(compared).toBeGreaterThan(24 * docs.length * 0.3);
  });

  it("a list that pins a story shows its version nearest in time when none is in the list's language: a move of one changes it", () => {
    const doc = (id: string, lang: string, days: number, entity: string, pins: string[] = []): RelatedDoc => ({
      id: `${id}/${lang}`,
      storyKey: id,
      lang,
      time: Date.UTC(2025, 5, 1) + days * DAY,
      entities: [entity],
      entityNames: [entity],
      entityCounts: [1],
      topics: [],
      topicNames: [],
      terms: "",
      termCounts: [],
      pins,
      exclude: [],
    });
    const site = [doc("a", "en", 0, "e-a", ["s"]), doc("s", "de", -100, "e-s"), doc("s", "fr", -10, "e-s"), ...Array.from({ length: 6 }, (_, i) => doc(`f${i}`, "de", -i, `e-f${i}`))];
    const shown = (docs: readonly RelatedDoc[]) => lists(docs).get("a/en")![0];
    expect(shown(site)).toBe("s/fr");
    const moved = site.map((each) => (each.id === "s/de" ? { ...each, time: each.time + 99 * DAY } : each));
    expect(shown(moved)).toBe("s/de");
    expect(affectedByMoves(buildRelatedIndex(moved, OPTIONS), [{ id: "s/de", time: site[1]!.time }]).has("a/en")).toBe(true);
  });

  it("a small move affects the documents near its places, not every document that shares a feature", () => {
    const index = buildRelatedIndex(docs, OPTIONS);
    const affected = affectedByMoves(index, [{ id: docs[100]!.id, time: docs[100]!.time - 3_600_000 }]);
    const sharing = new Set<string>();
    const x = index.docs.findIndex((doc) => doc.id === docs[100]!.id);
    for (let i = index.featOffsets[x]!; i < index.featOffsets[x + 1]!; i++) {
      const f = index.featIds[i]!;
      if (!index.featureSearched[f]) continue;
      for (let p = index.postOffsets[f]!; p < index.postOffsets[f + 1]!; p++) sharing.add(index.docs[index.postDocs[p]!]!.id);
    }
    expect(affected.size).toBeLessThan(sharing.size);
    expect(affected.size).toBeGreaterThan(1);
  });
});
