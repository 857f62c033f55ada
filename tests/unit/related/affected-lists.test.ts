import { describe, expect, it } from "vitest";
import { affectedByFeatures, affectedByMoves, countsBefore, featureEdits, shiftBounds, weightShifts } from "../../../src/related/affected-lists.js";
import { buildRelatedIndex, computeRelated } from "../../../src/related/compute-related.js";
import { internFeatures, replaceRows } from "../../../src/related/feature-rows.js";
import type { RelatedDoc } from "../../../src/related/extract-features.js";
import type { RelatedOptions } from "../../../src/related/compute-related.js";
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
function lists(docs: readonly RelatedDoc[], options: RelatedOptions = OPTIONS): Map<string, string[]> {
  return new Map([...computeRelated(docs, options)].map(([id, entries]) => [id, entries.map((entry) => entry.id)]));
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

/** Few candidates (no more than a list shows), few query features, short windows: every margin decides lists. */
const TIGHT = { ...OPTIONS, limit: 8, tuning: { candidateFactor: 1, queryFeatures: 4, window: 3 } };

describe.each([
  ["the default options", OPTIONS],
  ["as few candidates as a list shows, four query features, windows of three", TIGHT],
])("the documents whose related list a change of features can change, with the last full build's margins (%s)", (_, OPTIONS: RelatedOptions) => {
  const docs = corpus(900, 23);
  const rows = internFeatures(docs);
  const baseIndex = buildRelatedIndex(docs, OPTIONS, rows);
  const margins = { query: new Float64Array(docs.length), heap: new Float64Array(docs.length), score: new Float64Array(docs.length) };
  const before = new Map([...computeRelated(docs, OPTIONS, baseIndex, margins)].map(([id, entries]) => [id, entries.map((entry) => entry.id)]));
  const rowOf = (featureRows: typeof rows, i: number) => new Set(featureRows.ids.subarray(featureRows.offsets[i], featureRows.offsets[i + 1]));

  /** Edits a summary or a tag makes: terms swapped for rarer or commoner ones, one dropped, a tag added or dropped, an entity more. */
  function edit(doc: RelatedDoc, kind: number): RelatedDoc {
    const terms = doc.terms.split(" ");
    switch (kind % 6) {
      case 0:
        return { ...doc, terms: [...terms.slice(0, -1), `${doc.lang}-w${140 + (kind % 9)}`].join(" ") };
      case 1:
        return { ...doc, terms: [`${doc.lang}-w2`, ...terms.slice(1)].join(" "), termCounts: doc.termCounts.map((count, i) => (i === 1 ? count + 2 : count)) };
      case 2:
        return { ...doc, terms: terms.slice(1).join(" "), termCounts: doc.termCounts.slice(1) };
      case 3:
        return { ...doc, topics: [...new Set([...doc.topics, `t${kind % 20}`])].sort(), topicNames: [...new Set([...doc.topics, `t${kind % 20}`])].sort() };
      case 4:
        return { ...doc, topics: doc.topics.slice(1), topicNames: doc.topics.slice(1) };
      default:
        return { ...doc, entities: [...doc.entities, "e-new"], entityNames: [...doc.entities, "e-new"], entityCounts: [...doc.entityCounts, 2] };
    }
  }

  function trials(count: number, seed: number) {
    const random = seededRandom(seed);
    return Array.from({ length: count }, (_, trial) => {
      const replacements = new Map<number, RelatedDoc>();
      const i = Math.floor(random() * docs.length);
      replacements.set(i, edit(docs[i]!, trial));
      // Every third trial edits the other version of its story too, alike: then stories gain and lose entities and topics.
      const other = docs.findIndex((doc, k) => k !== i && doc.storyKey === docs[i]!.storyKey);
      if (trial % 3 === 2 && other >= 0) replacements.set(other, edit(docs[other]!, trial));
      const after = docs.map((doc, i) => replacements.get(i) ?? doc);
      const afterRows = replaceRows(rows, replacements);
      const index = buildRelatedIndex(after, OPTIONS, afterRows);
      const changes = [...replacements.keys()].map((i) => ({ id: docs[i]!.id, time: docs[i]!.time, features: rowOf(rows, i) }));
      return { replacements, after, afterRows, index, changes, now: lists(after, OPTIONS) };
    });
  }
  const cases = trials(48, 20261207);

  it("every list left out is as it was; far fewer are computed than without the margins", () => {
    let [compared, withMargins, without, changedLists] = [0, 0, 0, 0];
    for (const [trial, { replacements, afterRows, index, changes, now }] of cases.entries()) {
      const affected = affectedByFeatures(index, changes, Infinity, { rows: afterRows, margins })!;
      withMargins += affected.size;
      without += affectedByFeatures(index, changes, Infinity)!.size;
      for (const [id, list] of now) {
        if (JSON.stringify(list) !== JSON.stringify(before.get(id))) changedLists++;
        if (affected.has(id)) continue;
        expect(list, `${id}, after editing ${[...replacements.keys()].map((i) => docs[i]!.id).join(", ")} (trial ${trial})`).toEqual(before.get(id));
        compared++;
      }
      for (const i of replacements.keys()) expect(affected.has(docs[i]!.id)).toBe(true);
    }
    expect(changedLists).toBeGreaterThan(cases.length);
    // A small site whose articles share much (150 terms a language): most lists read a reweighted one.
    expect(compared).toBeGreaterThan(cases.length * docs.length * 0.4);
    expect(withMargins).toBeLessThan(without * 0.65);
  });

  it("a term dropped from postings read within a window: the documents near its old place are computed, whatever the margins", () => {
    const window = OPTIONS.tuning?.window ?? 12;
    const infinite = { query: new Float64Array(docs.length).fill(Infinity), heap: new Float64Array(docs.length).fill(Infinity), score: new Float64Array(docs.length).fill(Infinity) };
    let checked = 0;
    for (let i = 0; i < docs.length && checked < 5; i += 37) {
      const dropped = edit(docs[i]!, 2);
      const term = docs[i]!.terms.split(" ")[0]!;
      const f = baseIndex.featureKey.findIndex((key, g) => key === term && baseIndex.featureSignal[g] === 2 && baseIndex.weighting!.frequency[g]! > 0 && rowOf(rows, i).has(g));
      const [lo, hi] = [baseIndex.postOffsets[f]!, baseIndex.postOffsets[f + 1]!];
      // Postings read within a window before and after the edit (one fewer): the window's neighbours change.
      if (hi - lo - 1 <= 2 * window) continue;
      const replacements = new Map([[i, dropped]]);
      const afterRows = replaceRows(rows, replacements);
      const index = buildRelatedIndex(docs.map((doc, k) => replacements.get(k) ?? doc), OPTIONS, afterRows);
      const affected = affectedByFeatures(index, [{ id: docs[i]!.id, time: docs[i]!.time, features: rowOf(rows, i) }], Infinity, { rows: afterRows, margins: infinite })!;
      const place = [...baseIndex.postDocs.subarray(lo, hi)].indexOf(baseIndex.docs.findIndex((doc) => doc.id === docs[i]!.id));
      for (let p = Math.max(0, place - window); p <= Math.min(hi - lo - 1, place + window); p++) expect(affected.has(baseIndex.docs[baseIndex.postDocs[lo + p]!]!.id), `${term}, ${p - place} from ${docs[i]!.id}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("the margins are what keeps them: with none (all infinite), some list left out would have changed", () => {
    const none = { query: new Float64Array(docs.length).fill(Infinity), heap: new Float64Array(docs.length).fill(Infinity), score: new Float64Array(docs.length).fill(Infinity) };
    let wrong = 0;
    for (const { afterRows, index, changes, now } of cases) {
      const affected = affectedByFeatures(index, changes, Infinity, { rows: afterRows, margins: none })!;
      for (const [id, list] of now) if (!affected.has(id) && JSON.stringify(list) !== JSON.stringify(before.get(id))) wrong++;
    }
    expect(wrong).toBeGreaterThan(0);
  });

  const numberIn = (at: typeof baseIndex, id: string) => at.docs.findIndex((doc) => doc.id === id);

  /** An edit's counts of before, its reweighted documents (numbers of `index`) and the features' shifts, made as `affectedByFeatures` makes them. */
  function shiftsOf({ afterRows, index, changes }: (typeof cases)[number]) {
    const edits = featureEdits(index, changes);
    const counts = countsBefore(index, edits);
    return { counts, reweighted: edits.reweighted, shifts: weightShifts(index, counts.idf, edits.reweighted, afterRows) };
  }

  it("exact scores of two articles not edited move by no more than the bound, reweighted or not", () => {
    const scored = (docs_: readonly RelatedDoc[]) => new Map([...computeRelated(docs_, { ...OPTIONS, explain: true })].map(([id, entries]) => [id, new Map(entries.map((entry) => [entry.id, Math.round(entry.score * 1_000_000)]))]));
    const scoresBefore = scored(docs);
    let [pairs, moved, ownMoved] = [0, 0, 0];
    for (const each of cases.slice(0, 24)) {
      const { index, changes, after } = each;
      const { reweighted, shifts } = shiftsOf(each);
      const boundOf = shiftBounds(index, shifts);
      const own = new Set(reweighted);
      const edited = new Set(changes.map((change) => change.id));
      for (const [id, now] of scored(after)) {
        if (edited.has(id)) continue;
        const a = numberIn(index, id);
        const bound = boundOf(a, own.has(a));
        for (const [b, micro] of now) {
          const was = scoresBefore.get(id)!.get(b);
          if (was === undefined || edited.has(b)) continue;
          pairs++;
          if (micro === was) continue;
          moved++;
          if (own.has(a)) ownMoved++;
          expect(Math.abs(micro - was), `${id} and ${b}`).toBeLessThanOrEqual(bound?.micro ?? 0);
        }
      }
    }
    expect([pairs > 1000, moved > 50, ownMoved > 10]).toEqual([true, true, true]);
  });

  it("the IDFs and weights of before are made again to the bit: each feature's shift is the most a reweighted document's weight of it moved", () => {
    let checked = 0;
    for (const each of cases) {
      const { replacements, index } = each;
      const { counts, reweighted, shifts } = shiftsOf(each);
      for (let f = 0; f < rows.keys.length; f++) expect(counts.idf[f], rows.keys[f]).toBe(baseIndex.weighting!.idf[f]);
      const expected = new Float64Array(shifts.length);
      for (const d of reweighted) {
        const b = numberIn(baseIndex, index.docs[d]!.id);
        for (let i = index.featOffsets[d]!, j = baseIndex.featOffsets[b]!; i < index.featOffsets[d + 1]!; i++, j++) {
          expected[index.featIds[i]!] = Math.max(expected[index.featIds[i]!]!, Math.abs(index.featWeights[i]! - baseIndex.featWeights[j]!));
        }
      }
      expect([...shifts]).toEqual([...expected]);
      checked += reweighted.length;
      expect(replacements.size).toBeGreaterThan(0);
    }
    expect(checked).toBeGreaterThan(100);
  });
});
