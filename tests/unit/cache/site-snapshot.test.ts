import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CACHE_DIR } from "../../../src/cache/record-cache.js";
import { cardOf, readSiteSnapshot, readSnapshotFrame, readSnapshotSection, SNAPSHOT_FILE, writeSiteSnapshot, type ArticleCard, type ArticlePageInputs, type ListingPageInputs, type SnapshotContent } from "../../../src/cache/site-snapshot.js";
import { makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

let root: string | null = null;

afterEach(async () => {
  if (root) await removeTempSite(root);
  root = null;
});

/** Text a JSON round trip could get wrong. */
const AWKWARD = "„Zitat“ – naïve 😀 \u2028 \\ \" end";

function page(i: number): ArticlePageInputs {
  return { id: `story-${i}/de`, outputPath: `de/story-${i}/index.html`, file: `articles/story-${i}/de.md`, hash: `hash-${i}`, checked: i === 1 ? [`/de/${AWKWARD}/`, AWKWARD, null] : 0, versions: [i], original: i, related: [(i + 1) % 3], groups: [0, -1], listedOn: [i, 2], shownBy: [(i + 2) % 3] };
}

/** A card with text a JSON round trip could get wrong, and a line break in a summary (the card follows its page's inputs after one). */
function card(i: number): ArticleCard {
  return {
    lang: "de",
    url: `/de/story-${i}/`,
    slug: `story-${i}`,
    title: `${AWKWARD} ${i}`,
    summary: i === 1 ? "Zwei\nZeilen" : "",
    date: "2025-11-30T12:00:00+01:00",
    datePrecision: "time",
    updated: i === 2 ? "2025-12-01T08:00:00+01:00" : null,
    category: i === 0 ? "politik" : null,
    authors: ["Marie Dubois", AWKWARD],
    readingMinutes: i + 1,
    seo: null,
    source: i === 2 ? { name: AWKWARD, url: "https://agency.example/a" } : null,
    translatedFrom: i === 1 ? "en" : null,
  };
}

function listing(i: number): ListingPageInputs {
  const route = { url: `/de/seite/${i}/`, outputPath: `de/seite/${i}/index.html`, params: { kind: "group" as const, lang: "de", group: "topic" as const, slug: AWKWARD, page: i + 1, pages: 3 } };
  return { route, members: [i, -1 - ((i + 1) % 3)], group: i === 2 ? null : [`id-${i}`, AWKWARD, 2, [["en", `slug-${i}`]]], latest: i === 2 ? [["de", [0, 1]]] : null };
}

const content: SnapshotContent = {
  head: {
    key: "key",
    buildId: "build",
    buildDate: "2025-12-01T00:00:00.000Z",
    nextDue: null,
    newsOldest: null,
    emptyFeed: false,
    relatedKey: "related",
    pageOrder: "digest",
    year: "2025",
    pages: { total: 3, byKind: { article: 3 } },
    languages: ["de"],
    warnings: [{ severity: "warning", message: AWKWARD, location: { file: "articles/story-2/de.md", line: 2 } }],
    feeds: [],
    news: [[1, { loc: "https://news.example/de/story-1/", publicationName: "Gazette", language: "de", published: "2025-11-30T12:00:00+01:00", title: AWKWARD }]],
    groups: [[AWKWARD, "Name"]],
    relocated: ["/de/story/"],
    unpublished: [`/de/${AWKWARD}/`],
  },
  listedAt: 1764547200000,
  files: [0, 1, 2].map((i): [string, string, string] => [`articles/story-${i}/de.md`, `stat-${i}`, `hash-${i}`]),
  outputs: ["de/story-0/index.html", "de/story-1/index.html", "de/story-2/index.html"],
  pages: [0, 1, 2].map((i) => ({ inputs: page(i), card: cardOf(card(i)) })),
  listings: [0, 1, 2].map(listing),
  dates: ["2025-11-30T12:00:00+01:00", "2025-11-29", "2025-11-28T08:00:00Z"],
  groups: [["de", "topic", 0, ["id-0", AWKWARD]]],
};

describe("the site snapshot", () => {
  it("reads back its head, each page by number, and the sections the checks read", async () => {
    root = await makeTempSite({});
    expect(await writeSiteSnapshot(root, content)).toBeNull();
    expect(readSnapshotFrame(root)).toMatchObject({ key: "key", buildId: "build", listedAt: 1764547200000 });
    const snapshot = (await readSiteSnapshot(root))!;
    expect(snapshot.head).toMatchObject(content.head);
    expect(snapshot.head.pageOfFile).toEqual([0, 1, 2]);
    for (const i of [2, 0, 1]) expect(snapshot.page(i)).toEqual(page(i));
    for (const i of [1, 2, 0]) expect(snapshot.card(i)).toMatchObject({ ...card(i), id: `story-${i}/de`, storyKey: `story-${i}`, tags: [], entities: [] });
    expect(() => snapshot.card(3)).toThrow(/no page 3/);
    for (const i of [1, 2, 0]) expect(snapshot.listing(i)).toEqual(listing(i));
    expect(() => snapshot.listing(3)).toThrow(/no listing page 3/);
    expect(snapshot.files()).toEqual(content.files);
    expect(snapshot.dates()).toEqual(content.dates);
    expect(snapshot.groups()).toEqual(content.groups);
    expect(readSnapshotSection(root, "build", "outputs")).toEqual(content.outputs);
    // A snapshot of another build is not read by the checks.
    expect(readSnapshotSection(root, "another build", "files")).toBeNull();
  });

  it("reads a section once while the file is the same, and again once it is written again", async () => {
    root = await makeTempSite({});
    expect(await writeSiteSnapshot(root, content)).toBeNull();
    const first = readSnapshotSection(root, "build", "outputs");
    expect(first).toEqual(content.outputs);
    expect(readSnapshotSection(root, "build", "outputs")).toBe(first);
    // The same bytes but one, the same size: the outputs section (its last path is in no other) no longer reads back.
    const file = path.join(root, CACHE_DIR, SNAPSHOT_FILE);
    const bytes = Buffer.from(await readFile(file));
    const at = bytes.lastIndexOf("de/story-2/index.html");
    bytes[at] = bytes[at]! ^ 1;
    await writeFile(file, bytes);
    expect(readSnapshotSection(root, "build", "outputs")).toBeNull();
    expect(await writeSiteSnapshot(root, content)).toBeNull();
    expect(readSnapshotSection(root, "build", "outputs")).toEqual(content.outputs);
  });

  it("refuses a changed byte in any section: the head, pages and listings on reading, the others where they are read", async () => {
    root = await makeTempSite({});
    await writeSiteSnapshot(root, content);
    const file = path.join(root, CACHE_DIR, SNAPSHOT_FILE);
    const bytes = await readFile(file);
    const flip = async (text: string): Promise<void> => {
      const changed = Buffer.from(bytes);
      const at = changed.indexOf(text, bytes.indexOf(10));
      expect(at).toBeGreaterThan(0);
      changed[at] = changed[at]! ^ 1;
      await writeFile(file, changed);
    };
    await flip("story-2/index"); // the pages section holds "de/story-2/index.html" first
    expect(await readSiteSnapshot(root)).toBeNull();
    await flip("seite/1"); // the listings section
    expect(await readSiteSnapshot(root)).toBeNull();
    await flip('"relocated"'); // the head
    expect(await readSiteSnapshot(root)).toBeNull();
    await flip("stat-1");
    expect(await readSiteSnapshot(root)).not.toBeNull();
    expect(readSnapshotSection(root, "build", "files")).toBeNull();
    expect(readSnapshotSection(root, "build", "outputs")).toEqual(content.outputs);
    // The last section, the groups: the snapshot reads, its groups do not (a delta that needs them misses).
    await writeFile(file, bytes.subarray(0, bytes.length - 1));
    expect(readSnapshotSection(root, "build", "outputs")).toEqual(content.outputs);
    expect(readSnapshotSection(root, "build", "groups")).toBeNull();
    const truncated = (await readSiteSnapshot(root))!;
    expect(truncated.dates()).toEqual(content.dates);
    expect(() => truncated.groups()).toThrow(/no group pages that read back/);
    // The dates section, one byte changed: the snapshot reads, its dates do not.
    await flip("2025-11-29");
    const flipped = (await readSiteSnapshot(root))!;
    expect(() => flipped.dates()).toThrow(/no page dates that read back/);
  });

  it("writes its first line last, in the room kept for it; one that would not fit fails the write, and leaves no file", async () => {
    root = await makeTempSite({});
    expect(await writeSiteSnapshot(root, content)).toBeNull();
    const bytes = await readFile(path.join(root, CACHE_DIR, SNAPSHOT_FILE));
    expect(bytes.indexOf(10)).toBe(1023);
    expect(bytes.subarray(0, 1023).toString("latin1")).toMatch(/^\{"format":"gazette-site-\d+".*\} +$/);
    await rm(path.join(root, CACHE_DIR, SNAPSHOT_FILE));
    const error = await writeSiteSnapshot(root, { ...content, head: { ...content.head, key: "k".repeat(1024) } });
    expect(error?.message).toMatch(/first line is longer than the room kept for it/);
    expect(await readdir(path.join(root, CACHE_DIR))).toEqual([]);
  });

  it("reads back every page and card of a snapshot written in many chunks, one card larger than a chunk", async () => {
    root = await makeTempSite({});
    const count = 6000;
    const numbers = Array.from({ length: count }, (_, i) => i);
    const cardAt = (i: number): ArticleCard => ({ ...card(i % 3), title: `${AWKWARD} ${i}`, summary: i === 4321 ? "ä".repeat(400_000) : card(i % 3).summary });
    const many: SnapshotContent = {
      ...content,
      files: numbers.map((i): [string, string, string] => [`articles/story-${i}/de.md`, `stat-${i}`, `hash-${i}`]),
      pages: numbers.map((i) => ({ inputs: page(i), card: cardOf(cardAt(i)) })),
      dates: numbers.map(() => "2025-11-30"),
    };
    expect(await writeSiteSnapshot(root, many)).toBeNull();
    const snapshot = (await readSiteSnapshot(root))!;
    expect(snapshot.head.pageOfFile).toEqual(numbers);
    for (const i of [0, 1, 2999, 4320, 4321, 4322, count - 1]) {
      expect(snapshot.page(i)).toEqual(page(i));
      expect(snapshot.card(i)).toMatchObject(cardAt(i));
    }
    expect(snapshot.dates()).toHaveLength(count);
  });
});
