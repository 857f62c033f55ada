import { describe, expect, it } from "vitest";
import { countWeight, internFeatures, replaceRows, sameRow, TEXT, TOPICS } from "../../../src/related/feature-rows.js";
import type { RelatedDoc } from "../../../src/related/index.js";

function doc(id: string, extra: Partial<RelatedDoc> = {}): RelatedDoc {
  const slash = id.lastIndexOf("/");
  return { id, storyKey: id.slice(0, slash), lang: id.slice(slash + 1), time: 0, entities: [], entityNames: [], entityCounts: [], topics: [], topicNames: [], terms: "", termCounts: [], pins: [], exclude: [], ...extra };
}

const row = (rows: ReturnType<typeof internFeatures>, d: number) =>
  Array.from(rows.ids.subarray(rows.offsets[d], rows.offsets[d + 1]), (f, k) => [rows.signals[f], rows.langs[f], rows.keys[f], rows.weights[rows.offsets[d]! + k]]);

describe("feature rows", () => {
  const docs = [
    doc("a/de", { entities: ["berlin"], entityCounts: [3], topics: ["wahl"], terms: "wahl wahl stimm", termCounts: [5, 2, 1] }),
    doc("a/en", { topics: ["wahl"], terms: "wahl", termCounts: [1] }),
  ];

  it("are a row per document: entities, topics, terms, each once (the first weight counts), terms per language", () => {
    const rows = internFeatures(docs);
    expect(row(rows, 0)).toEqual([
      [0, "", "berlin", countWeight(3)],
      [TOPICS, "", "wahl", 1],
      [TEXT, "de", "wahl", countWeight(5)],
      [TEXT, "de", "stimm", 1],
    ]);
    // The topic "wahl" is one feature in both languages; the term "wahl" is one per language.
    expect(row(rows, 1)).toEqual([
      [TOPICS, "", "wahl", 1],
      [TEXT, "en", "wahl", 1],
    ]);
    expect(rows.ids[4]).toBe(rows.ids[1]);
    expect(rows.keys).toHaveLength(5);
  });

  it("take a document's new row, reusing the features known and adding new ones to a copy of the table", () => {
    const rows = internFeatures(docs);
    const keys = [...rows.keys];
    const edited = doc("a/en", { topics: ["wahl", "umfrage"], terms: "wahl stimm", termCounts: [2, 1] });
    const replaced = replaceRows(rows, new Map([[1, edited]]));
    expect(rows.keys).toEqual(keys);
    expect(row(replaced, 0)).toEqual(row(rows, 0));
    expect(row(replaced, 1)).toEqual([
      [TOPICS, "", "wahl", 1],
      [TOPICS, "", "umfrage", 1],
      [TEXT, "en", "wahl", countWeight(2)],
      [TEXT, "en", "stimm", 1],
    ]);
    // Known features keep their numbers; only "umfrage" and the English "stimm" are new.
    expect(replaced.ids[replaced.offsets[1]!]).toBe(rows.ids[1]);
    expect(replaced.keys).toEqual([...keys, "umfrage", "stimm"]);
    expect(sameRow(rows, 0, replaced, 0)).toBe(true);
    expect(sameRow(rows, 1, replaced, 1)).toBe(false);
    const reweighted = replaceRows(rows, new Map([[1, { ...docs[1]!, termCounts: [4] }]]));
    expect(sameRow(rows, 1, reweighted, 1)).toBe(false);
    expect(sameRow(rows, 1, replaceRows(rows, new Map([[1, { ...docs[1]!, time: 5 }]])), 1)).toBe(true);
  });
});
