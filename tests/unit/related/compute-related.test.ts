import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { buildRelatedIndex, computeRelated, normalizeWeights, timeCloseness, type RelatedOptions } from "../../../src/related/compute-related.js";
import { internFeatures, replaceRows } from "../../../src/related/feature-rows.js";
import type { RelatedDoc } from "../../../src/related/extract-features.js";
import type { RelatedEntry } from "../../../src/types.js";
import { DEFAULT_OPTIONS, makeDocs, onlySignals, type ArticleSpec } from "./make-article.js";

const ids = (entries: readonly RelatedEntry[] | undefined) => (entries ?? []).map((entry) => entry.id);
const day = (n: number) => `2025-08-${String(n).padStart(2, "0")}T12:00:00+02:00`;

/** Three stories about one summit and one about football, all in one week. */
const SUMMIT: ArticleSpec[] = [
  {
    key: "alaska-summit",
    title: "Trump and Putin meet for Alaska summit",
    summary: "The presidents discuss a ceasefire in Ukraine.",
    body: "Donald Trump and Vladimir Putin met in Anchorage. The summit talks on a ceasefire in Ukraine lasted three hours. Negotiators spoke of progress on a peace deal.",
    date: day(15),
    tags: ["Summit", "ukraine-war:Ukraine war"],
    entities: { "donald-trump": 4, "vladimir-putin": 4, ukraine: 2, anchorage: 1 },
    names: { "donald-trump": "Donald Trump", "vladimir-putin": "Vladimir Putin" },
  },
  {
    key: "summit-no-ceasefire",
    title: "Summit ends without ceasefire",
    summary: "No peace deal for Ukraine after the Anchorage talks.",
    body: "The summit in Anchorage ended without a ceasefire. Putin and Trump praised the talks, but the negotiators reached no peace deal for Ukraine.",
    date: day(16),
    tags: ["Summit", "ukraine-war:Ukraine war"],
    entities: { "donald-trump": 3, "vladimir-putin": 3, ukraine: 3, anchorage: 2 },
  },
  {
    key: "zelensky-reacts",
    title: "Zelensky reacts to the summit",
    summary: "Ukraine's president wants a seat at the talks.",
    body: "Volodymyr Zelensky said Ukraine must be part of any peace deal. He will meet Trump after the summit in Alaska. A ceasefire is not in sight, negotiators said.",
    date: day(17),
    tags: ["ukraine-war:Ukraine war"],
    entities: { "volodymyr-zelensky": 4, "donald-trump": 2, ukraine: 4 },
  },
  {
    key: "bundesliga-opener",
    title: "Bayern win the Bundesliga opener",
    summary: "Three goals in the first half at the Allianz Arena.",
    body: "Bayern beat Leipzig in the season opener. The striker scored twice before the break and the goalkeeper saved a penalty. The stadium was sold out.",
    date: day(16),
    tags: ["Football", "Bundesliga"],
    entities: { "fc-bayern": 3 },
  },
];

describe("hand-made fixtures where the answer is obvious", () => {
  const related = computeRelated(makeDocs(SUMMIT), DEFAULT_OPTIONS);

  test("the three summit stories list each other", () => {
    expect(ids(related.get("alaska-summit/en")).sort()).toEqual(["summit-no-ceasefire/en", "zelensky-reacts/en"]);
    expect(ids(related.get("summit-no-ceasefire/en")).sort()).toEqual(["alaska-summit/en", "zelensky-reacts/en"]);
    expect(ids(related.get("zelensky-reacts/en")).sort()).toEqual(["alaska-summit/en", "summit-no-ceasefire/en"]);
  });

  test("the football story is never related to the summit stories, nor they to it", () => {
    expect(related.get("bundesliga-opener/en")).toEqual([]);
    for (const [id, entries] of related) if (id !== "bundesliga-opener/en") expect(ids(entries)).not.toContain("bundesliga-opener/en");
  });

  test("the two summit reports are closer to each other than to the reaction", () => {
    expect(ids(related.get("alaska-summit/en"))[0]).toBe("summit-no-ceasefire/en");
  });

  test("reasons name the shared entities, topics, terms and the distance in days", () => {
    const [entry] = related.get("alaska-summit/en")!;
    const reason = (signal: string) => entry!.reasons.find((r) => r.signal === signal);
    expect(reason("entities")?.details).toEqual(expect.arrayContaining(["Donald Trump", "Vladimir Putin"]));
    expect(reason("topics")?.details).toEqual(expect.arrayContaining(["Summit", "Ukraine war"]));
    expect(reason("text")?.details).toEqual(expect.arrayContaining(["summit", "ceasefir"]));
    expect(reason("time")?.details).toEqual(["1 day apart"]);
  });

  test("an entry's score is the sum of its reasons' scores, and lies in 0..1", () => {
    for (const entries of related.values()) {
      for (const entry of entries) {
        const sum = entry.reasons.reduce((total, reason) => total + Math.round(reason.score * 1e6), 0);
        expect(Math.round(entry.score * 1e6)).toBe(sum);
        expect(entry.score).toBeGreaterThan(0);
        expect(entry.score).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe("each signal on its own", () => {
  const docs = makeDocs([
    { key: "a", title: "Alpha", date: day(1), tags: ["Harbour"], entities: { "anna-berg": 2, "city-hall": 1 }, body: "Dredging the harbour basin costs millions." },
    { key: "b", title: "Bravo", date: day(2), entities: { "anna-berg": 1 }, body: "Nothing in common here at all." },
    { key: "c", title: "Charlie", date: day(3), tags: ["Harbour"], body: "Completely different words appear." },
    { key: "d", title: "Delta", date: day(4), body: "The harbour basin needs dredging again." },
    { key: "e", title: "Echo", date: day(1), body: "Unrelated vocabulary entirely." },
  ]);

  test.each([
    ["entities", "b/en", ["anna-berg"]],
    ["topics", "c/en", ["Harbour"]],
    ["text", "d/en", ["basin", "dredg", "harbour"]],
  ] as const)("%s alone relates a to %s, explained by %j", (signal, expected, details) => {
    const related = computeRelated(docs, onlySignals(signal));
    const entries = related.get("a/en")!;
    expect(ids(entries)).toEqual([expected]);
    expect(entries[0]!.reasons.map((reason) => reason.signal)).toEqual([signal]);
    expect([...entries[0]!.reasons[0]!.details].sort()).toEqual(details);
  });

  test("time alone relates nothing: closeness in date is no reason to list a story", () => {
    const related = computeRelated(docs, onlySignals("time"));
    for (const entries of related.values()) expect(entries).toEqual([]);
  });

  test("time breaks an otherwise equal match in favour of the closer story", () => {
    const twins = makeDocs([
      { key: "x", date: day(10), tags: ["Harbour"] },
      { key: "near", date: day(12), tags: ["Harbour"] },
      { key: "far", date: day(28), tags: ["Harbour"] },
    ]);
    const related = computeRelated(twins, onlySignals("topics", "time"));
    expect(ids(related.get("x/en"))).toEqual(["near/en", "far/en"]);
    const time = (entry: RelatedEntry) => entry.reasons.find((reason) => reason.signal === "time");
    expect(time(related.get("x/en")![0]!)?.details).toEqual(["2 days apart"]);
    expect(time(related.get("x/en")![1]!)?.details).toEqual(["18 days apart"]);
  });
});

describe("rarity (IDF)", () => {
  test("sharing a rare entity counts more than sharing a common one", () => {
    const background = Array.from({ length: 12 }, (_, i) => ({ key: `bg-${i}`, date: day(1), entities: { berlin: 1, [`person-${i}`]: 1 } }));
    const docs = makeDocs([
      { key: "a", date: day(1), entities: { berlin: 1, "rare-minister": 1 } },
      { key: "shares-rare", date: day(1), entities: { "rare-minister": 1, "someone-else": 1 } },
      { key: "shares-common", date: day(1), entities: { berlin: 1, "another-one": 1 } },
      ...background,
    ]);
    const entries = computeRelated(docs, onlySignals("entities")).get("a/en")!;
    expect(ids(entries)[0]).toBe("shares-rare/en");
    const score = (id: string) => entries.find((entry) => entry.id === id)?.score ?? 0;
    expect(score("shares-rare/en")).toBeGreaterThan(2 * score("shares-common/en"));
  });

  test("one shared common entity (a dateline city) on the same day is not enough to relate two stories", () => {
    const background = Array.from({ length: 30 }, (_, i) => ({
      key: `bg-${i}`,
      title: `Topic ${i % 3}`,
      date: day(1 + (i % 20)),
      tags: [`topic-${i % 3}`],
      entities: { [`person-${i % 3}`]: 2, ...(i % 6 === 0 ? { hamburg: 1 } : {}) },
    }));
    const docs = makeDocs([
      ...background,
      { key: "museum", title: "Art", date: day(25), tags: ["Museum"], entities: { hamburg: 1 }, body: "painting curator exhibition" },
      { key: "motorway", title: "Roads", date: day(25), tags: ["Autobahn"], entities: { hamburg: 1 }, body: "traffic lanes tolls" },
    ]);
    const related = computeRelated(docs, DEFAULT_OPTIONS);
    expect(related.get("museum/en")).toEqual([]);
    expect(related.get("motorway/en")).toEqual([]);
    // ... while the stories of one topic, which share a person and a tag, are related.
    expect(ids(related.get("bg-0/en"))).toHaveLength(5);
  });

  test("a cross-cutting tag shared on the same day is not enough to relate two stories", () => {
    const cluster = (name: string, words: string, count: number, offset: number): ArticleSpec[] =>
      Array.from({ length: count }, (_, i) => ({
        key: `${name.toLowerCase()}-${i}`,
        title: name,
        date: day(1 + ((i + offset) % 27)),
        tags: [name, ...(i % 3 === 0 ? ["Deutschland"] : [])],
        body: `${words} ${words.split(" ").reverse().join(" ")}`,
      }));
    const docs = makeDocs([
      ...cluster("Wahl", "election ballot polling coalition chancellor", 12, 0),
      ...cluster("Hochwasser", "flood river dyke evacuation rainfall", 12, 1),
      ...cluster("Tennis", "serve racket tiebreak wimbledon volley", 12, 2),
      { key: "lonely-a", title: "Art", date: day(20), tags: ["Deutschland", "Museum"], body: "painting curator exhibition gallery" },
      { key: "lonely-b", title: "Roads", date: day(20), tags: ["Deutschland", "Autobahn"], body: "motorway traffic lanes tolls" },
    ]);
    const related = computeRelated(docs, DEFAULT_OPTIONS);
    expect(related.get("lonely-a/en")).toEqual([]);
    expect(related.get("lonely-b/en")).toEqual([]);
    for (const [id, entries] of related) {
      const cluster = id.split("-")[0];
      for (const entry of entries) expect(entry.id.split("-")[0], `${id} -> ${entry.id}`).toBe(cluster);
    }
    expect(ids(related.get("wahl-0/en"))).toHaveLength(5);
  });
});

describe("languages", () => {
  const docs = makeDocs([
    {
      key: "treffen",
      lang: "de",
      title: "Trump trifft Putin in Alaska",
      body: "Donald Trump und Wladimir Putin sprechen über eine Waffenruhe in der Ukraine.",
      date: day(15),
      entities: { "donald-trump": 3, "vladimir-putin": 3, ukraine: 1 },
      names: { "donald-trump": "Donald Trump", "vladimir-putin": "Wladimir Putin" },
    },
    {
      key: "english-only",
      lang: "en",
      title: "Trump and Putin agree to talk again",
      body: "Donald Trump and Vladimir Putin want another meeting about Ukraine.",
      date: day(16),
      entities: { "donald-trump": 2, "vladimir-putin": 3, ukraine: 1 },
    },
    { key: "both", lang: "de", title: "Putin empfängt Trump", body: "Putin und Trump verhandeln in Moskau über die Ukraine.", date: day(18), entities: { "donald-trump": 2, "vladimir-putin": 2, ukraine: 1 } },
    { key: "both", lang: "en", title: "Putin receives Trump", body: "Putin and Trump negotiate in Moscow about Ukraine.", date: day(18), entities: { "donald-trump": 2, "vladimir-putin": 2, ukraine: 1 } },
    { key: "fr-es", lang: "fr", title: "Trump et Poutine", body: "Donald Trump et Vladimir Poutine parlent de l’Ukraine.", date: day(17), entities: { "donald-trump": 2, "vladimir-putin": 2, ukraine: 1 } },
    { key: "fr-es", lang: "es", title: "Trump y Putin", body: "Donald Trump y Vladimir Putin hablan de Ucrania.", date: day(17), entities: { "donald-trump": 2, "vladimir-putin": 2, ukraine: 1 } },
    { key: "unrelated", lang: "en", title: "Harvest festival", body: "Pumpkins and apples at the village fair.", date: day(16), tags: ["Farming"] },
  ]);
  const related = computeRelated(docs, DEFAULT_OPTIONS);

  test("own language first; then other languages fill the list, marked, one version per story", () => {
    const entries = related.get("treffen/de")!;
    expect(entries[0]).toMatchObject({ id: "both/de" });
    expect(entries[0]!.fallbackLang).toBeUndefined();
    const fallbacks = entries.slice(1);
    expect(fallbacks.map((entry) => entry.id.split("/")[0]).sort()).toEqual(["english-only", "fr-es"]);
    for (const entry of fallbacks) expect(entry.fallbackLang).toBe(entry.id.split("/")[1]);
  });

  test("a German story and an English-only story about the same people are related, explained by canonical entities", () => {
    const entry = related.get("treffen/de")!.find((e) => e.id === "english-only/en")!;
    expect(entry.reasons.find((reason) => reason.signal === "entities")?.details).toEqual(expect.arrayContaining(["Donald Trump", "Wladimir Putin"]));
    expect(ids(related.get("english-only/en"))).toContain("treffen/de");
  });

  test("never another version of the article's own story", () => {
    expect(ids(related.get("both/de"))).not.toContain("both/en");
    expect(ids(related.get("both/en"))).not.toContain("both/de");
    expect(ids(related.get("fr-es/fr"))).not.toContain("fr-es/es");
  });

  test("the unrelated story is not padded in, in any language", () => {
    for (const entries of related.values()) expect(ids(entries)).not.toContain("unrelated/en");
    expect(related.get("unrelated/en")).toEqual([]);
  });

  test("fallbacks are only used when the own language is short", () => {
    const short = computeRelated(docs, { ...DEFAULT_OPTIONS, limit: 1 });
    expect(ids(short.get("treffen/de"))).toEqual(["both/de"]);
  });
});

describe("pins and excludes", () => {
  test("pins come first, marked, whatever their score; excludes never appear", () => {
    const specs = SUMMIT.map((spec) => (spec.key === "alaska-summit" ? { ...spec, pins: ["bundesliga-opener"], exclude: ["zelensky-reacts"] } : spec));
    const entries = computeRelated(makeDocs(specs), DEFAULT_OPTIONS).get("alaska-summit/en")!;
    expect(ids(entries)).toEqual(["bundesliga-opener/en", "summit-no-ceasefire/en"]);
    expect(entries[0]).toMatchObject({ pinned: true });
    expect(entries[0]!.reasons[0]).toEqual({ signal: "pinned", score: 0, details: ["pinned in the frontmatter"] });
    expect(entries[1]!.pinned).toBeUndefined();
  });

  test("an exclude wins over a pin; unknown keys and the story itself are ignored; the limit holds", () => {
    const specs = SUMMIT.map((spec) =>
      spec.key === "alaska-summit" ? { ...spec, pins: ["nowhere", "alaska-summit", "zelensky-reacts", "bundesliga-opener"], exclude: ["zelensky-reacts"] } : spec,
    );
    const docs = makeDocs(specs);
    expect(ids(computeRelated(docs, DEFAULT_OPTIONS).get("alaska-summit/en"))).toEqual(["bundesliga-opener/en", "summit-no-ceasefire/en"]);
    expect(ids(computeRelated(docs, { ...DEFAULT_OPTIONS, limit: 1 }).get("alaska-summit/en"))).toEqual(["bundesliga-opener/en"]);
  });

  test("pins and excludes of one version apply to every version of the story; a pinned story shows in the article's language if it can", () => {
    const docs = makeDocs([
      { key: "story", lang: "de", title: "Gipfel", pins: ["pinned"], exclude: ["hidden"], tags: ["Gipfel"], date: day(1) },
      { key: "story", lang: "en", title: "Summit", tags: ["Gipfel"], date: day(1) },
      { key: "pinned", lang: "de", title: "Fußball", date: day(2) },
      { key: "pinned", lang: "en", title: "Football", date: day(2) },
      { key: "hidden", lang: "en", title: "Summit", tags: ["Gipfel"], date: day(1) },
    ]);
    const related = computeRelated(docs, DEFAULT_OPTIONS);
    expect(related.get("story/de")).toEqual([expect.objectContaining({ id: "pinned/de", pinned: true })]);
    expect(related.get("story/en")).toEqual([expect.objectContaining({ id: "pinned/en", pinned: true })]);
  });

  test("a pinned story without a version in the article's language is shown in another, marked", () => {
    const docs = makeDocs([
      { key: "story", lang: "de", pins: ["elsewhere"] },
      { key: "elsewhere", lang: "fr", title: "Ailleurs" },
    ]);
    expect(computeRelated(docs, DEFAULT_OPTIONS).get("story/de")).toEqual([expect.objectContaining({ id: "elsewhere/fr", pinned: true, fallbackLang: "fr" })]);
  });
});

describe("threshold, limit and order", () => {
  const cluster = makeDocs(
    Array.from({ length: 9 }, (_, i) => ({
      key: `story-${i}`,
      date: day(1 + (i % 4)),
      tags: ["Harbour", ...(i % 2 ? ["Ferry"] : [])],
      body: "harbour ferry pier dredging basin",
    })),
  );

  test.each([1, 3, 5, 8])("limit %i is respected", (limit) => {
    const related = computeRelated(cluster, { ...DEFAULT_OPTIONS, limit });
    for (const entries of related.values()) expect(entries).toHaveLength(limit);
  });

  test("limit 0 lists nothing; a threshold above every score lists nothing", () => {
    for (const options of [{ ...DEFAULT_OPTIONS, limit: 0 }, { ...DEFAULT_OPTIONS, threshold: 0.999 }]) {
      for (const entries of computeRelated(cluster, options).values()) expect(entries).toEqual([]);
    }
  });

  test("what every listed article shares (its score without time) reaches the threshold", () => {
    for (const threshold of [0.1, 0.3, 0.5]) {
      for (const entries of computeRelated(cluster, { ...DEFAULT_OPTIONS, threshold, limit: 8 }).values()) {
        for (const entry of entries) {
          const shared = entry.reasons.filter((reason) => reason.signal !== "time").reduce((sum, reason) => sum + reason.score, 0);
          expect(shared).toBeGreaterThanOrEqual(threshold - 1e-9);
        }
      }
    }
  });

  test("ties are broken by date (newer first), then by id", () => {
    const docs = makeDocs([
      { key: "a", date: day(10), tags: ["Harbour"] },
      { key: "c-older", date: day(9), tags: ["Harbour"] },
      { key: "b-newer", date: day(11), tags: ["Harbour"] },
      { key: "d-same", date: day(11), tags: ["Harbour"] },
    ]);
    // Topics only: every candidate scores the same.
    expect(ids(computeRelated(docs, onlySignals("topics")).get("a/en"))).toEqual(["b-newer/en", "d-same/en", "c-older/en"]);
  });

  test("weights are shares: multiplying them all changes nothing", () => {
    const scaled: RelatedOptions = { ...DEFAULT_OPTIONS, weights: { entities: 3.5, topics: 2, text: 3.5, time: 1 } };
    const base: RelatedOptions = { ...DEFAULT_OPTIONS, weights: { entities: 0.35, topics: 0.2, text: 0.35, time: 0.1 } };
    expect(computeRelated(cluster, scaled)).toEqual(computeRelated(cluster, base));
  });
});

describe("edge cases", () => {
  test("no documents: an empty map; one document: an empty list", () => {
    expect(computeRelated([], DEFAULT_OPTIONS).size).toBe(0);
    expect([...computeRelated(makeDocs([{ key: "alone", tags: ["Harbour"] }]), DEFAULT_OPTIONS)]).toEqual([["alone/en", []]]);
  });

  test("only: lists for the named ids alone, the same as in the full map", () => {
    const docs = makeDocs(SUMMIT);
    const full = computeRelated(docs, DEFAULT_OPTIONS);
    const one = computeRelated(docs, { ...DEFAULT_OPTIONS, only: ["zelensky-reacts/en"] });
    expect([...one.keys()]).toEqual(["zelensky-reacts/en"]);
    expect(one.get("zelensky-reacts/en")).toEqual(full.get("zelensky-reacts/en"));
  });

  test("explain: false lists the same entries without reasons", () => {
    const docs = makeDocs(SUMMIT);
    const explained = computeRelated(docs, DEFAULT_OPTIONS);
    const bare = computeRelated(docs, { ...DEFAULT_OPTIONS, explain: false });
    for (const [id, entries] of explained) expect(bare.get(id)).toEqual(entries.map((entry) => ({ ...entry, reasons: [] })));
  });

  test("the map lists articles by date, then id, whatever the input order", () => {
    const docs = makeDocs([
      { key: "b", date: day(2) },
      { key: "a", date: day(3) },
      { key: "c", date: day(2) },
      { key: "a", lang: "de", date: day(1) },
    ]);
    for (const input of [docs, [...docs].reverse()]) {
      expect([...computeRelated(input, DEFAULT_OPTIONS).keys()]).toEqual(["a/de", "b/en", "c/en", "a/en"]);
    }
  });

  test("an article whose strongest features are its own story's alone still finds related stories", () => {
    const own = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`only-here-${i}`, 3]));
    const docs = makeDocs([
      { key: "x", lang: "de", entities: { ...own, trump: 1, putin: 1 } },
      { key: "x", lang: "en", entities: { ...own, trump: 1, putin: 1 } },
      { key: "y", lang: "en", entities: { trump: 2, putin: 1, "someone-else": 1 } },
      { key: "z", lang: "en", entities: { "a-third": 1 } },
    ]);
    // A low threshold: this is about finding candidates at all (x is mostly about other things).
    expect(ids(computeRelated(docs, { ...DEFAULT_OPTIONS, threshold: 0.01 }).get("x/en"))).toEqual(["y/en"]);
  });

  test("two documents with one id are a bug upstream", () => {
    const [doc] = makeDocs([SUMMIT[0]!]);
    expect(() => computeRelated([doc!, doc!], DEFAULT_OPTIONS)).toThrow(/Internal: two related documents have the id "alaska-summit\/en"/);
  });
});

describe("normalizeWeights and timeCloseness", () => {
  test.each([
    [{ entities: 1, topics: 1, text: 1, time: 1 }, [0.25, 0.25, 0.25, 0.25]],
    [{ entities: 2, topics: 0, text: 2, time: 0 }, [0.5, 0, 0.5, 0]],
    [{ entities: -1, topics: 1, text: Number.NaN, time: 0 }, [0, 1, 0, 0]],
    [{ entities: 0, topics: 0, text: 0, time: 0 }, [0, 0, 0, 0]],
  ])("%j -> %j", (weights, expected) => {
    expect(normalizeWeights(weights)).toEqual(expected);
  });

  test.each([
    [0, 30, 1],
    [30, 30, 0.5],
    [60, 30, 0.25],
    [-30, 30, 0.5],
    [7, 7, 0.5],
    [0, 0, 1],
    [1, 0, 0],
  ])("%i days apart, half-life %i -> %f", (days, halfLife, expected) => {
    expect(timeCloseness(0, days * 86_400_000, halfLife)).toBeCloseTo(expected, 12);
  });
});

describe("laws (property tests)", () => {
  const LANGS = ["de", "en", "fr"];
  const docArbitrary = fc.record({
    story: fc.integer({ min: 0, max: 14 }),
    lang: fc.constantFrom(...LANGS),
    day: fc.integer({ min: 0, max: 60 }),
    entities: fc.uniqueArray(fc.constantFrom("e1", "e2", "e3", "e4", "e5", "e6"), { maxLength: 3 }),
    topics: fc.uniqueArray(fc.constantFrom("t1", "t2", "t3", "t4"), { maxLength: 2 }),
    terms: fc.uniqueArray(fc.constantFrom("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"), { maxLength: 5 }),
    pin: fc.option(fc.integer({ min: 0, max: 14 }), { freq: 4 }),
    exclude: fc.option(fc.integer({ min: 0, max: 14 }), { freq: 4 }),
  });
  const corpusArbitrary = fc
    .uniqueArray(docArbitrary, { maxLength: 30, selector: (doc) => `${doc.story}/${doc.lang}` })
    .map((raw): RelatedDoc[] =>
      raw.map((doc) => ({
        id: `s${doc.story}/${doc.lang}`,
        storyKey: `s${doc.story}`,
        lang: doc.lang,
        time: Date.UTC(2025, 0, 1) + doc.day * 86_400_000,
        entities: [...doc.entities].sort(),
        entityNames: [...doc.entities].sort(),
        entityCounts: doc.entities.map(() => 1),
        topics: [...doc.topics].sort(),
        topicNames: [...doc.topics].sort(),
        terms: doc.terms.join(" "),
        termCounts: doc.terms.map((_, i) => i + 1),
        pins: doc.pin === null ? [] : [`s${doc.pin}`],
        exclude: doc.exclude === null ? [] : [`s${doc.exclude}`],
      })),
    );
  const optionsArbitrary = fc.record({
    limit: fc.integer({ min: 0, max: 6 }),
    threshold: fc.constantFrom(0, 0.05, 0.15, 0.4),
    weights: fc.record({ entities: fc.nat(4), topics: fc.nat(4), text: fc.nat(4), time: fc.nat(4) }),
    halfLifeDays: fc.constantFrom(1, 30),
  });

  test("lists never hold the article's own story, respect the limit, hold one version per story, and list own language first", () => {
    fc.assert(
      fc.property(corpusArbitrary, optionsArbitrary, (docs, options) => {
        const related = computeRelated(docs, options);
        expect([...related.keys()].sort()).toEqual(docs.map((doc) => doc.id).sort());
        const byId = new Map(docs.map((doc) => [doc.id, doc]));
        for (const [id, entries] of related) {
          const doc = byId.get(id)!;
          expect(entries.length).toBeLessThanOrEqual(options.limit);
          const stories = entries.map((entry) => byId.get(entry.id)!.storyKey);
          expect(stories).not.toContain(doc.storyKey);
          expect(new Set(stories).size).toBe(stories.length);
          for (const entry of entries) {
            const other = byId.get(entry.id)!;
            expect(entry.fallbackLang).toBe(other.lang === doc.lang ? undefined : other.lang);
            expect(doc.exclude).not.toContain(other.storyKey);
            if (!entry.pinned) expect(entry.score).toBeGreaterThanOrEqual(options.threshold);
          }
          // Pins, then own language, then fallbacks; each unpinned group best first.
          const group = (entry: RelatedEntry) => (entry.pinned ? 0 : entry.fallbackLang ? 2 : 1);
          const groups = entries.map(group);
          expect(groups).toEqual([...groups].sort());
          for (let i = 1; i < entries.length; i++) {
            if (group(entries[i]!) === group(entries[i - 1]!) && group(entries[i]!) > 0) expect(entries[i]!.score).toBeLessThanOrEqual(entries[i - 1]!.score);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  test("lists from stored rows with some documents' rows replaced (a delta build's) are those computed from the edited documents", () => {
    const editsArbitrary = fc.array(fc.tuple(fc.nat(), docArbitrary), { maxLength: 4 });
    fc.assert(
      fc.property(corpusArbitrary, editsArbitrary, optionsArbitrary, (docs, edits, options) => {
        if (docs.length === 0) return;
        const edited = [...docs];
        const replacements = new Map<number, RelatedDoc>();
        for (const [at, spec] of edits) {
          const d = at % docs.length;
          const doc = { ...docs[d]!, time: Date.UTC(2025, 0, 1) + spec.day * 86_400_000, entities: [...spec.entities].sort(), entityNames: [...spec.entities].sort(), entityCounts: spec.entities.map(() => 2), topics: [...spec.topics].sort(), topicNames: [...spec.topics].sort(), terms: [...spec.terms, "new"].join(" "), termCounts: [...spec.terms, "new"].map((_, i) => 3 - i) };
          edited[d] = doc;
          replacements.set(d, doc);
        }
        const plain = { ...options, explain: false };
        // Documents without features of their own: the rows are all the index reads.
        const bare = edited.map((doc) => ({ ...doc, entities: [], entityCounts: [], topics: [], terms: "", termCounts: [] }));
        const fromRows = computeRelated(bare, plain, buildRelatedIndex(bare, plain, replaceRows(internFeatures(docs), replacements)));
        expect([...fromRows.entries()]).toEqual([...computeRelated(edited, plain).entries()]);
      }),
      { numRuns: 150 },
    );
  });

  test("input order never matters", () => {
    fc.assert(
      fc.property(corpusArbitrary, optionsArbitrary, fc.infiniteStream(fc.nat()), (docs, options, randoms) => {
        const shuffled = [...docs];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = randoms.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = computeRelated(docs, options);
        const b = computeRelated(shuffled, options);
        expect([...b.entries()].sort()).toEqual([...a.entries()].sort());
      }),
      { numRuns: 150 },
    );
  });
});

describe("each list's margins (how far new weights must move it to change it)", () => {
  const DAY_MS = 86_400_000;
  /** A version of story `id` with entities and their counts. */
  const doc = (id: string, entities: Record<string, number>, days = 0, pins: string[] = []): RelatedDoc => ({
    id: `${id}/de`, storyKey: id, lang: "de", time: Date.UTC(2025, 5, 1) + days * DAY_MS, entities: Object.keys(entities), entityNames: Object.keys(entities), entityCounts: Object.values(entities),
    topics: [], topicNames: [], terms: "", termCounts: [], pins, exclude: [],
  });
  const margins = (n: number) => ({ query: new Float64Array(n), heap: new Float64Array(n), score: new Float64Array(n) });
  const weightOf = (index: ReturnType<typeof buildRelatedIndex>, id: string, entity: string) => {
    const d = index.docs.findIndex((each) => each.id === `${id}/de`);
    for (let i = index.featOffsets[d]!; i < index.featOffsets[d + 1]!; i++) if (index.featureKey[index.featIds[i]!] === entity) return index.featWeights[i]!;
    throw new Error(`${id} has no ${entity}`);
  };

  test("the heap's: its weakest candidate's partial score above the strongest left out; infinite when none is left out", () => {
    // Twelve candidates share "x" with the article; their own entities, counted 1-12 times, make x weigh less and less.
    const site = [doc("a", { x: 1 }), ...Array.from({ length: 12 }, (_, k) => doc(`c${k}`, { x: 1, [`own-${k}`]: k + 1 }, k + 1))];
    const options = { ...onlySignals("entities"), limit: 5, explain: false, tuning: { candidateFactor: 1 } };
    const index = buildRelatedIndex(site, options);
    const found = margins(site.length);
    computeRelated(site, options, index, found);
    const q = weightOf(index, "a", "x") * index.weights[0];
    // Eight candidates are scored (at least 8): the ninth strongest is the best left out.
    const partial = Array.from({ length: 12 }, (_, k) => q * weightOf(index, `c${k}`, "x")).sort((x, y) => y - x);
    expect(found.heap[0]).toBeCloseTo(partial[7]! - partial[8]!, 12);
    expect(found.heap[0]).toBeGreaterThan(0);
    const few = site.slice(0, 6);
    const fewMargins = margins(few.length);
    computeRelated(few, options, buildRelatedIndex(few, options), fewMargins);
    expect(fewMargins.heap[0]).toBe(Infinity);
  });

  test("the query's: the weakest query feature's weight above the strongest left out; infinite when every feature searches", () => {
    // The weakest first: it is put out of the query when the strongest comes.
    const site = [doc("a", { y3: 1, y2: 2, y1: 4 }), doc("b", { y1: 1, y2: 1, y3: 1 }), doc("c", { y1: 1, y2: 1, y3: 1 }, 1)];
    const options = { ...onlySignals("entities"), explain: false, tuning: { queryFeatures: 2 } };
    const index = buildRelatedIndex(site, options);
    const found = margins(site.length);
    computeRelated(site, options, index, found);
    const q = (entity: string) => weightOf(index, "a", entity) * index.weights[0];
    expect(found.query[0]).toBeCloseTo(q("y2") - q("y3"), 12);
    const all = margins(site.length);
    computeRelated(site, { ...options, tuning: { queryFeatures: 3 } }, undefined, all);
    expect(all.query[0]).toBe(Infinity);
  });

  test("the scores': at most the difference of neighbours in a list, in millionths, and twice any candidate's distance from the threshold; none for lists with pins", () => {
    const docs = makeDocs(SUMMIT);
    const withPin = [...docs.slice(0, -1), { ...docs.at(-1)!, pins: [docs[0]!.storyKey] }];
    const found = margins(withPin.length);
    const lists = computeRelated(withPin, { ...DEFAULT_OPTIONS, explain: false }, undefined, found);
    let neighbours = 0;
    withPin.forEach((each, d) => {
      const scores = lists.get(each.id)!.map((entry) => Math.round(entry.score * 1_000_000));
      if (each.pins.length > 0) return expect(found.score[d]).toBe(0);
      for (let k = 0; k + 1 < scores.length; k++, neighbours++) expect(found.score[d]).toBeLessThanOrEqual(scores[k]! - scores[k + 1]!);
      expect(found.score[d]).toBeGreaterThan(0);
    });
    expect(neighbours).toBeGreaterThan(0);
    // A threshold just below a listed candidate's shared score: a margin of twice the distance.
    const tight = margins(docs.length);
    const entry = computeRelated(docs, { ...DEFAULT_OPTIONS, explain: true }).get(docs[0]!.id)![0]!;
    const shared = Math.round(entry.reasons.filter((reason) => reason.signal !== "time").reduce((sum, reason) => sum + reason.score, 0) * 1_000_000);
    computeRelated(docs, { ...DEFAULT_OPTIONS, explain: false, threshold: (shared - 3) / 1_000_000 }, undefined, tight);
    expect(tight.score[0]).toBeLessThanOrEqual(8);
  });
});
