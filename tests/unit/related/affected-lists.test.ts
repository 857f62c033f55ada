import { describe, expect, it } from "vitest";
import { affectedByFeatures, affectedByMoves } from "../../../src/related/affected-lists.js";
import { buildRelatedIndex, computeRelated } from "../../../src/related/compute-related.js";
import { internFeatures, replaceRows } from "../../../src/related/feature-rows.js";
import type { RelatedDoc } from "../../../src/related/extract-features.js";
import { seededRandom } from "../../helpers/random.js";
import { DEFAULT_OPTIONS } from "./make-article.js";
import { corpus } from "./make-corpus.js";

const OPTIONS = { ...DEFAULT_OPTIONS, explain: false };
const DAY = 86_400_000;

/** A version of story `id` with one entity of its own, `days` from June 1st, 2025, pinning `pins`. */
function doc(id: string, lang: string, days: number, entity: string, pins: string[] = []): RelatedDoc {
  return { id: `${id}/${lang}`, storyKey: id, lang, time: Date.UTC(2025, 5, 1) + days * DAY, entities: [entity], entityNames: [entity], entityCounts: [1], topics: [], topicNames: [], terms: "", termCounts: [], pins, exclude: [] };
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

  // a/it has no pins of its own: it shows its story's (a/en's) all the same.
  it.each(["a/en", "a/it"])("a list that pins a story shows its version nearest in time when none is in the list's language: a move of one changes it (%s)", (viewer) => {
    const site = [doc("a", "en", 0, "e-a", ["s"]), doc("a", "it", 0, "e-a"), doc("s", "de", -100, "e-s"), doc("s", "fr", -10, "e-s"), ...Array.from({ length: 6 }, (_, i) => doc(`f${i}`, "de", -i, `e-f${i}`))];
    const shown = (docs: readonly RelatedDoc[]) => lists(docs).get(viewer)![0];
    expect(shown(site)).toBe("s/fr");
    const moved = site.map((each) => (each.id === "s/de" ? { ...each, time: each.time + 99 * DAY } : each));
    expect(shown(moved)).toBe("s/de");
    expect(affectedByMoves(buildRelatedIndex(moved, OPTIONS), [{ id: "s/de", time: site[2]!.time }]).has(viewer)).toBe(true);
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

describe("the documents whose related list a change of features can change", () => {
  const docs = corpus(600, 11);
  const before = lists(docs);
  const rows = internFeatures(docs);

  /** A document with a topic added (one many have, or a new one), its first entity dropped, a term swapped, a count changed; moved in time too. */
  function edit(doc: RelatedDoc, kind: number): RelatedDoc {
    const terms = doc.terms.split(" ");
    switch (kind % 6) {
      case 0:
        return { ...doc, topics: [...new Set([...doc.topics, "t1"])].sort(), topicNames: [...new Set([...doc.topics, "t1"])].sort() };
      case 1:
        return { ...doc, topics: [...doc.topics, "topic-new"], topicNames: [...doc.topics, "topic-new"] };
      case 2:
        return { ...doc, entities: doc.entities.slice(1), entityNames: doc.entities.slice(1), entityCounts: doc.entityCounts.slice(1) };
      case 3:
        return { ...doc, terms: [`${doc.lang}-w7`, ...terms.slice(1)].join(" "), termCounts: doc.termCounts.map((count, i) => (i === 0 ? count + 3 : count)) };
      case 4:
        return { ...doc, time: doc.time + 4 * DAY, topics: [...doc.topics, "t3"].sort(), topicNames: [...doc.topics, "t3"].sort() };
      default:
        // Moved far, no feature gained or lost: only its weights and place change.
        return { ...doc, time: doc.time - 40 * DAY, termCounts: doc.termCounts.map((count, i) => (i === 0 ? count + 1 : count)) };
    }
  }

  it("every other list is as it was, for one or two documents edited at once; not every list is computed", () => {
    const random = seededRandom(20261208);
    let compared = 0;
    let total = 0;
    for (let trial = 0; trial < 24; trial++) {
      const replacements = new Map<number, RelatedDoc>();
      for (let k = 0; k < 1 + (trial % 2); k++) {
        const i = Math.floor(random() * docs.length);
        replacements.set(i, edit(docs[i]!, trial + k));
      }
      const after = docs.map((doc, i) => replacements.get(i) ?? doc);
      // Numbered as the delta numbers them: the stored table, the edited rows put in.
      const index = buildRelatedIndex(after, OPTIONS, replaceRows(rows, replacements));
      const changes = [...replacements.keys()].map((i) => ({ id: docs[i]!.id, time: docs[i]!.time, features: new Set(rows.ids.subarray(rows.offsets[i], rows.offsets[i + 1])) }));
      const affected = affectedByFeatures(index, changes, Infinity)!;
      const now = lists(after);
      for (const [id, list] of now) {
        total++;
        if (affected.has(id)) continue;
        expect(list, `${id}, after editing ${[...replacements.keys()].map((i) => docs[i]!.id).join(", ")} (trial ${trial})`).toEqual(before.get(id));
        compared++;
      }
      for (const i of replacements.keys()) expect(affected.has(docs[i]!.id)).toBe(true);
    }
    expect(compared).toBeGreaterThan(total * 0.03);
  });

  it("an edited document moved far in time: the lists near its old place are computed too", () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 40; trial++) {
      const i = Math.floor(random() * docs.length);
      const replacements = new Map([[i, edit(docs[i]!, 5)]]);
      const after = docs.map((doc, k) => replacements.get(k) ?? doc);
      const index = buildRelatedIndex(after, OPTIONS, replaceRows(rows, replacements));
      const affected = affectedByFeatures(index, [{ id: docs[i]!.id, time: docs[i]!.time, features: new Set(rows.ids.subarray(rows.offsets[i], rows.offsets[i + 1])) }], Infinity)!;
      for (const [id, list] of lists(after)) if (!affected.has(id)) expect(list, `${id}, after moving ${docs[i]!.id}`).toEqual(before.get(id));
    }
  });

  it("a version that pins a story no more: every version of its story showed the pin", () => {
    const site = [doc("a", "en", 0, "e-a", ["s"]), doc("a", "de", 0, "e-b"), doc("s", "fr", 0, "e-s"), ...Array.from({ length: 6 }, (_, i) => doc(`f${i}`, "de", 0, `e-f${i}`))];
    const siteRows = internFeatures(site);
    const replacements = new Map([[0, { ...site[0]!, pins: [] }]]);
    const after = site.map((each, k) => replacements.get(k) ?? each);
    expect([lists(site).get("a/de"), lists(after).get("a/de")]).toEqual([["s/fr"], []]);
    const index = buildRelatedIndex(after, OPTIONS, replaceRows(siteRows, replacements));
    expect(affectedByFeatures(index, [{ id: "a/en", time: site[0]!.time, features: new Set(siteRows.ids.subarray(siteRows.offsets[0], siteRows.offsets[1])) }], Infinity)!.has("a/de")).toBe(true);
  });

  it("says null when more than the limit would be computed", () => {
    const replacements = new Map([[3, edit(docs[3]!, 0)]]);
    const index = buildRelatedIndex(docs.map((doc, i) => replacements.get(i) ?? doc), OPTIONS, replaceRows(rows, replacements));
    const changes = [{ id: docs[3]!.id, time: docs[3]!.time, features: new Set(rows.ids.subarray(rows.offsets[3], rows.offsets[4])) }];
    const all = affectedByFeatures(index, changes, Infinity)!;
    expect(all.size).toBeGreaterThan(1);
    expect(affectedByFeatures(index, changes, all.size)).toEqual(all);
    expect(affectedByFeatures(index, changes, all.size - 1)).toBeNull();
  });
});
