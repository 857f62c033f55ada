import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Article, Diagnostic, Route } from "../types.js";
import type { NewsEntry } from "../render/sitemaps.js";
import type { GroupKind } from "../i18n/site-index.js";
import { checksum, checksumOn, decodeAsciiJson, encodeAsciiJson } from "../util/ascii-json.js";
import { CACHE_DIR, cacheDir } from "./record-cache.js";

/**
 * What the last full build with the cache leaves for the next one to apply a small edit without
 * loading the site (see src/delta/): the content files it was made from, the files it wrote,
 * what it reported, and for every article page what that page shows of other articles, so that
 * one page can be rendered again from a few of these entries instead of 20,000 records.
 *
 * The file: one JSON line (format, the build's key and id, each section's length and CRC-32;
 * padded with spaces to FRAME_ROOM bytes), then seven sections. The article pages' entries (each
 * with its card) and the listing pages' (UTF-8 JSON, one after the other), of which a delta
 * parses the few it renders; the head (ASCII JSON: the report, dates, feeds, group table, where
 * each page's entry starts); the content files and the
 * output files (UTF-8 JSON), which only the threads that check them parse; each article page's
 * date, which only a delta that redates an article reads; the group pages' ids, which only a
 * delta that changes an article's topics, authors or source reads.
 */
export const SNAPSHOT_FILE = "site-v1.bin";
const FORMAT = "gazette-site-7";

/**
 * What feeds and pages other than an article's own show of it (cards, language switchers,
 * alternates): its own page alone shows the rest (body, word count, references, topic links).
 * Kept as an array, in this order.
 */
const CARD_FIELDS = ["lang", "url", "slug", "title", "summary", "date", "datePrecision", "updated", "category", "authors", "readingMinutes", "seo", "source", "translatedFrom"] as const;

export type ArticleCard = Pick<Article, (typeof CARD_FIELDS)[number]>;

/** A card as stored. */
export type StoredCard = unknown[];

/** A stored card's values, in CARD_FIELDS order. */
type CardValues = ValuesOf<typeof CARD_FIELDS>;
type ValuesOf<T extends readonly (keyof ArticleCard)[]> = { -readonly [K in keyof T]: ArticleCard[T[K] & keyof ArticleCard] };

export function cardOf(article: ArticleCard): StoredCard {
  return CARD_FIELDS.map((field) => article[field]);
}

/**
 * A stored card as an Article: the fields a card leaves out are read only by the article's own
 * page. No body either: a feed takes its HTML from the snapshot (by `file`, here its id).
 */
export function articleFromCard(id: string, stored: StoredCard, tags: Article["tags"] = []): Article {
  // Named one by one, in CARD_FIELDS order: an object built from entries is a slow dictionary (~40 µs a card).
  const [lang, url, slug, title, summary, date, datePrecision, updated, category, authors, readingMinutes, seo, source, translatedFrom] = stored as unknown as CardValues;
  return {
    lang,
    url,
    slug,
    title,
    summary,
    date,
    datePrecision,
    updated,
    category,
    authors,
    readingMinutes,
    seo,
    source,
    translatedFrom,
    id,
    storyKey: id.slice(0, id.lastIndexOf("/")),
    file: id,
    slugGiven: false,
    dateline: null,
    references: [],
    tags,
    entities: [],
    bodyLine: 1,
    passages: [],
    wordCount: 0,
    relatedPins: [],
    relatedExclude: [],
    draft: false,
    diagnostics: [],
    hash: "",
  };
}

/**
 * An article page's inputs beside the article itself: its id and output path, its content file
 * and that file's hash (the record cache has its record), what the checks across articles
 * changed of it (URL, slug, section; 0: nothing), its story's published versions (in the site's
 * language order) and original, its related list (best first), all as page numbers; and the
 * group page (number in `groups`) of each group it links, in the order of `linkedGroupsOf`
 * (-1: none); the listing pages that show its card (numbers of `SiteSnapshot.listing`), and the
 * article pages whose related list shows it. 20,000 of these are written by every full build:
 * ~400 bytes each.
 */
export interface ArticlePageInputs {
  id: string;
  outputPath: string;
  file: string;
  hash: string;
  checked: [url: string, slug: string, category: string | null] | 0;
  versions: number[];
  original: number;
  related: number[];
  groups: number[];
  listedOn: number[];
  shownBy: number[];
}

/** An article page as the snapshot keeps it: its inputs, and its card as the full build published it (what listing pages, related lists and language switchers read of it). */
export interface SnapshotPage {
  inputs: ArticlePageInputs;
  card: StoredCard;
}

/**
 * A page that lists article cards (a front page, a topic, author or source page, the language
 * chooser), with what it shows beside them, so that it can be rendered again when a card changes
 * (a summary, a headline, a reading time) without the site index: its route; its articles as
 * page numbers, in order, `-1 - number` for one that stands in for the page's language (its
 * story has no version in it: see `listingMember`); a group page's group (its id, name and
 * number of articles, and its page's slug in each other language that has one); the chooser's
 * latest articles per language.
 */
export interface ListingPageInputs {
  route: Route;
  members: number[];
  group: [id: string, name: string, count: number, others: [lang: string, slug: string][]] | null;
  latest: [lang: string, articles: number[]][] | null;
}

/** A listing page's member as stored (see `ListingPageInputs`): its article's page number, and whether it stands in for the page's language. */
export function listingMember(stored: number): { article: number; fallback: boolean } {
  return stored < 0 ? { article: -1 - stored, fallback: true } : { article: stored, fallback: false };
}

/** A record as the checks across articles left it in the last full build. */
export function checkedAs(record: Article, inputs: ArticlePageInputs): Article {
  if (inputs.checked === 0) return record;
  const [url, slug, category] = inputs.checked;
  return { ...record, url, slug, category };
}

export interface SnapshotFeed {
  lang: string;
  /** The language's feed routes (RSS, Atom, JSON Feed). */
  routes: Route[];
  /** Its articles, newest first: page number, content hash, card, tags, body HTML as the feeds carry it. */
  members: [article: number, hash: string, card: StoredCard, tags: Article["tags"], html: string][];
}

export interface SnapshotHead {
  /** The page cache's key (engine, theme, output folder, drafts): nothing else may differ. */
  key: string;
  /** The build's id, in the output's marker. */
  buildId: string;
  buildDate: string;
  /**
   * What a later build date would change: the earliest article date after the build date (it
   * would be published, or enter the news sitemap), the oldest article in the news sitemap (it
   * would leave it), whether some language's feed is empty (dated by the build).
   */
  nextDue: string | null;
  newsOldest: string | null;
  emptyFeed: boolean;
  /** The key of the related lists' input (see cache/related-cache.ts), whose features a delta reads when an edit changes some; null when unknown. */
  relatedKey: string | null;
  /** The digest of the article pages' ids in page order (`idsDigest`): the features file's documents are the pages when its digest is this. */
  pageOrder: string;
  /** The year pages show (the newest article's). */
  year: string;
  /** The build's report. */
  pages: { total: number; byKind: Record<string, number> };
  languages: string[];
  warnings: Diagnostic[];
  feeds: SnapshotFeed[];
  /** The news sitemap's articles (page numbers) and entries, newest first: a delta writes it again after a headline edit. */
  news: [article: number, entry: NewsEntry][];
  /** Topic, author and source pages linked by article pages: slug, name. */
  groups: [slug: string, name: string][];
  /**
   * The URLs that articles published elsewhere wanted (their slug, made from the title, was
   * taken: see `assignUrls`): a delta moves no page to or from one, nor to or from one of their
   * other candidates (see delta/move-pages.ts).
   */
  relocated: string[];
  /** The URLs of the articles without a page (drafts, future dates): the checks give them their URL all the same. */
  unpublished: string[];
  /** The page number of each content file's article (in `files` order); -1 when it has no page. */
  pageOfFile: number[];
  /** Where each page's entry starts in the pages section (bytes; one more entry: the end). */
  offsets: number[];
  /** Where each listing page's entry starts in the listings section (bytes; one more entry: the end). */
  listingOffsets: number[];
}

/** Every content file of the build: project path, stat key, content hash, in listing order. */
export type SnapshotFiles = [file: string, stat: string, hash: string][];

/**
 * A group's pages (topic, author, source): their language and kind, the listing number of their
 * first page, and every id the group merges (see `Group.ids`), in route order.
 */
export type SnapshotGroup = [lang: string, kind: GroupKind, first: number, ids: string[]];

export interface SiteSnapshot {
  head: SnapshotHead;
  /** The content files (parsed on demand: the thread that checks them reads them itself). */
  files(): SnapshotFiles;
  /** The inputs of a published article's page, by number. */
  page(article: number): ArticlePageInputs;
  /**
   * A published article as other pages show it (cards, language switchers, alternates), by page
   * number: its card as the last full build published it, without what only its own page reads.
   */
  card(article: number): Article;
  /** The inputs of a listing page, by number. */
  listing(number: number): ListingPageInputs;
  /** Each article page's date (its record's: the listings are sorted by it), by page number (read on demand: see delta/update-listings.ts). */
  dates(): readonly string[];
  /** Every group's pages and ids (read on demand: see delta/regroup-listings.ts). */
  groups(): readonly SnapshotGroup[];
}

/** In file order (the head, which says where each page's entry starts, is written once they are): the main thread reads the first three, the checking threads one each of the others. */
const SECTIONS = ["pages", "listings", "head", "files", "outputs", "dates", "groups"] as const;
type Section = (typeof SECTIONS)[number];

/** The snapshot's first line: what a delta build checks before it reads the rest. */
export interface SnapshotFrame {
  format: string;
  key: string;
  buildId: string;
  /** When the content was listed (ms since the epoch; see `changedContent`). */
  listedAt: number;
  /** Each section's length and CRC-32, in file order. */
  sections: Record<Section, [length: number, checksum: number]>;
}

export interface SnapshotContent {
  head: Omit<SnapshotHead, "offsets" | "pageOfFile" | "listingOffsets">;
  /** When the content was listed (ms since the epoch; see `changedContent`): kept in the first line, which the checks read first. */
  listedAt: number;
  files: SnapshotFiles;
  /** Every file written into the output but its marker. */
  outputs: string[];
  pages: Iterable<SnapshotPage>;
  listings: Iterable<ListingPageInputs>;
  /** Each article page's date, in page order. */
  dates: string[];
  groups: SnapshotGroup[];
}

/**
 * Writes the snapshot atomically; errors are returned (without one, the next build is a full one).
 * Each section goes to the file as it is encoded, ~1 MB at a time (held whole, the sections were
 * ~60-90 MB at 30,000 stories, at the build's peak of memory); the first line, which gives their
 * lengths and checksums, is written last, in the room kept for it at the start.
 */
export async function writeSiteSnapshot(root: string, content: SnapshotContent): Promise<Error | null> {
  const temporary = path.join(root, CACHE_DIR, `${SNAPSHOT_FILE}.${process.pid}.tmp`);
  let handle: FileHandle | null = null;
  try {
    const dir = await cacheDir(root);
    handle = await open(temporary, "w");
    const out = handle;
    let position = FRAME_ROOM;
    const sections = {} as SnapshotFrame["sections"];
    /** Writes one section, chunk by chunk as `produce` hands them over, and keeps its length and CRC-32. */
    const section = async <T>(name: Section, produce: (emit: (chunk: Buffer) => Promise<void>) => Promise<T>): Promise<T> => {
      const start = position;
      let crc = 0;
      const result = await produce(async (chunk) => {
        crc = checksumOn(crc, chunk);
        await out.write(chunk, 0, chunk.length, position);
        position += chunk.length;
      });
      sections[name] = [position - start, crc];
      return result;
    };
    /** A JSON array, its items encoded one at a time (one text of them all was ~10 MB at 30,000 stories, twice over as UTF-16). */
    const array = (values: readonly unknown[]) => async (emit: (chunk: Buffer) => Promise<void>) => {
      if (values.length === 0) return emit(Buffer.from("[]"));
      const last = values.length - 1;
      await encodeEntries(values.keys(), (i) => `${i === 0 ? "[" : ","}${JSON.stringify(values[i])}${i === last ? "]" : ""}`, emit);
    };

    const fileNumbers = new Map(content.files.map(([file], i) => [file, i]));
    const pageOfFile = content.files.map(() => -1);
    let pageCount = 0;
    const offsets = await section("pages", (emit) =>
      encodeEntries(
        content.pages,
        ({ inputs: page, card }) => {
          const number = fileNumbers.get(page.file);
          if (number !== undefined) pageOfFile[number] = pageCount;
          pageCount++;
          // The card after a line break (JSON text has none of its own): a delta that needs only the inputs does not parse it.
          return `${JSON.stringify([page.id, page.outputPath, page.file, page.hash, page.checked, page.versions, page.original, page.related, page.groups, page.listedOn, page.shownBy])}\n${JSON.stringify(card)}`;
        },
        emit,
      ),
    );
    const listingOffsets = await section("listings", (emit) => encodeEntries(content.listings, (listing) => JSON.stringify([listing.route, listing.members, listing.group, listing.latest]), emit));
    await section("head", (emit) => emit(encodeAsciiJson({ ...content.head, pageOfFile, offsets, listingOffsets })));
    // Plain UTF-8 JSON: paths are ASCII but for a few letters, and escaping 5 MB of them cost ~80 ms a build.
    await section("files", array(content.files));
    await section("outputs", array(content.outputs));
    await section("dates", array(content.dates));
    await section("groups", array(content.groups));

    const frame: SnapshotFrame = { format: FORMAT, key: content.head.key, buildId: content.head.buildId, listedAt: content.listedAt, sections };
    const line = JSON.stringify(frame);
    if (line.length >= FRAME_ROOM) throw new Error("Internal: the snapshot's first line is longer than the room kept for it");
    // Padded with spaces, which JSON allows after the value, to the room kept.
    await out.write(Buffer.from(`${line.padEnd(FRAME_ROOM - 1)}\n`, "latin1"), 0, FRAME_ROOM, 0);
    await out.close();
    handle = null;
    await rename(temporary, path.join(dir, SNAPSHOT_FILE));
    return null;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    return error as Error;
  }
}

/** Bytes kept at the start of the file for its first line (a few hundred: the format, key, id and sections). */
const FRAME_ROOM = 1024;

/** Bytes of entries written to the file at a time. */
const CHUNK_BYTES = 1 << 20;

/**
 * Entries as JSON texts, emitted in UTF-8 chunks of ~1 MB, each text encoded into the chunk as it
 * is made (one buffer for them all, emptied by each write); returns the byte offset where each
 * starts (one more: the end). Texts joined before they became bytes, and every section held
 * whole, took ~120 MB at 30,000 stories, at the build's peak of memory.
 */
async function encodeEntries<T>(entries: Iterable<T>, text: (entry: T) => string, emit: (chunk: Buffer) => Promise<void>): Promise<number[]> {
  const offsets = [0];
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  let length = 0;
  for (const entry of entries) {
    const json = text(entry);
    // At most 3 bytes a UTF-16 unit: a text that may not fit in what is left goes after the chunk is written (alone, if no chunk could hold it).
    if (used > 0 && used + json.length * 3 > CHUNK_BYTES) {
      await emit(chunk.subarray(0, used));
      used = 0;
    }
    let written: number;
    if (json.length * 3 > CHUNK_BYTES) {
      const bytes = Buffer.from(json);
      await emit(bytes);
      written = bytes.length;
    } else {
      written = chunk.write(json, used);
      used += written;
    }
    offsets.push((length += written));
  }
  if (used > 0) await emit(chunk.subarray(0, used));
  return offsets;
}

/** Whether the last build left a snapshot: without one, a build does not even load the delta's code. */
export function hasSiteSnapshot(root: string): boolean {
  return existsSync(path.join(root, CACHE_DIR, SNAPSHOT_FILE));
}

/** Deletes the last snapshot (a build that leaves none); never fails. */
export async function removeSiteSnapshot(root: string): Promise<void> {
  await rm(path.join(root, CACHE_DIR, SNAPSHOT_FILE), { force: true }).catch(() => undefined);
}

/** The last snapshot, if there is one and its head, pages and listings read back whole (the other sections are read by those who check them). */
export async function readSiteSnapshot(root: string): Promise<SiteSnapshot | null> {
  let fd: number | null = null;
  let frame: SnapshotFrame;
  let headBytes: Buffer;
  let pages: Buffer;
  let listings: Buffer;
  try {
    fd = openSync(path.join(root, CACHE_DIR, SNAPSHOT_FILE), "r");
    const opened = readFrame(fd);
    if (!opened) return null;
    frame = opened.frame;
    const [headLength, headSum] = frame.sections.head;
    const [pagesLength, pagesSum] = frame.sections.pages;
    const [listingsLength, listingsSum] = frame.sections.listings;
    const bytes = Buffer.alloc(pagesLength + listingsLength + headLength);
    if (readSync(fd, bytes, 0, bytes.length, opened.start) !== bytes.length) return null;
    pages = bytes.subarray(0, pagesLength);
    listings = bytes.subarray(pagesLength, pagesLength + listingsLength);
    headBytes = bytes.subarray(pagesLength + listingsLength);
    if (checksum(headBytes) !== headSum || checksum(pages) !== pagesSum || checksum(listings) !== listingsSum) return null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
  try {
    const head = decodeAsciiJson(headBytes) as SnapshotHead;
    if (head?.key !== frame.key || head.buildId !== frame.buildId || !Array.isArray(head.pageOfFile) || !Array.isArray(head.offsets) || !Array.isArray(head.listingOffsets)) return null;
    let files: SnapshotFiles | null = null;
    let dates: string[] | null = null;
    let groups: SnapshotGroup[] | null = null;
    const parsed = new Map<number, ArticlePageInputs>();
    const cards = new Map<number, Article>();
    /** Where a page's entry starts, where its card starts (after the line break), and where it ends. */
    const entryOf = (article: number): [start: number, card: number, end: number] => {
      if (!(article >= 0 && article + 1 < head.offsets.length)) fail(`page ${article}`);
      const [start, end] = [head.offsets[article]!, head.offsets[article + 1]!];
      const lineBreak = pages.indexOf(10, start);
      if (lineBreak === -1 || lineBreak >= end) fail(`card of page ${article}`);
      return [start, lineBreak + 1, end];
    };
    const parsedListings = new Map<number, ListingPageInputs>();
    const pageAt = (article: number): ArticlePageInputs => {
      let page = parsed.get(article);
      if (page === undefined) {
        const [start, cardStart] = entryOf(article);
        const [id, outputPath, file, hash, checked, versions, original, related, groups, listedOn, shownBy] = JSON.parse(pages.toString("utf8", start, cardStart - 1)) as [
          string,
          string,
          string,
          string,
          ArticlePageInputs["checked"],
          number[],
          number,
          number[],
          number[],
          number[],
          number[],
        ];
        page = { id, outputPath, file, hash, checked, versions, original, related, groups, listedOn, shownBy };
        parsed.set(article, page);
      }
      return page;
    };
    return {
      head,
      files() {
        files ??= (readSnapshotSection(root, frame.buildId, "files") as SnapshotFiles | null) ?? fail("content files that read back");
        return files;
      },
      dates() {
        if (!dates) {
          const read = readSnapshotSection(root, frame.buildId, "dates");
          if (!Array.isArray(read) || read.length !== head.offsets.length - 1) fail("page dates that read back");
          dates = read as string[];
        }
        return dates;
      },
      groups() {
        if (!groups) {
          const read = readSnapshotSection(root, frame.buildId, "groups");
          if (!Array.isArray(read)) fail("group pages that read back");
          groups = read as SnapshotGroup[];
        }
        return groups;
      },
      page: pageAt,
      card(article) {
        let card = cards.get(article);
        if (card === undefined) {
          const [, cardStart, end] = entryOf(article);
          const stored = JSON.parse(pages.toString("utf8", cardStart, end)) as unknown;
          if (!Array.isArray(stored)) fail(`card of page ${article}`);
          card = articleFromCard(pageAt(article).id, stored);
          cards.set(article, card);
        }
        return card;
      },
      listing(number) {
        let listing = parsedListings.get(number);
        if (listing === undefined) {
          if (!(number >= 0 && number + 1 < head.listingOffsets.length)) fail(`listing page ${number}`);
          const [route, members, group, latest] = JSON.parse(listings.toString("utf8", head.listingOffsets[number], head.listingOffsets[number + 1])) as [
            Route,
            number[],
            ListingPageInputs["group"],
            ListingPageInputs["latest"],
          ];
          listing = { route, members, group, latest };
          parsedListings.set(number, listing);
        }
        return listing;
      },
    };
  } catch {
    return null;
  }
}

function parseFrame(line: Buffer): SnapshotFrame | null {
  try {
    const frame = JSON.parse(line.toString("latin1")) as SnapshotFrame;
    return frame.format === FORMAT && typeof frame.key === "string" && typeof frame.buildId === "string" && typeof frame.listedAt === "number" ? frame : null;
  } catch {
    return null;
  }
}

/** The longest first line a snapshot has (a few hundred bytes: the format, key, id and sections). */
const FRAME_MAX = 4096;

/** The snapshot's first line alone, and the open file: what the checks need to start (see src/delta/). */
function readFrame(fd: number): { frame: SnapshotFrame; start: number } | null {
  const head = Buffer.alloc(FRAME_MAX);
  const read = readSync(fd, head, 0, FRAME_MAX, 0);
  const newline = head.subarray(0, read).indexOf(10);
  const frame = newline === -1 ? null : parseFrame(head.subarray(0, newline));
  return frame ? { frame, start: newline + 1 } : null;
}

/** The last snapshot's first line; null when there is none. */
export function readSnapshotFrame(root: string): SnapshotFrame | null {
  let fd: number | null = null;
  try {
    fd = openSync(path.join(root, CACHE_DIR, SNAPSHOT_FILE), "r");
    return readFrame(fd)?.frame ?? null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * One section of the snapshot on disk, for the threads that check the content and the output
 * (only its bytes are read): null unless the snapshot is still the build `buildId`'s and the
 * section reads back whole.
 */
export function readSnapshotSection(root: string, buildId: string, name: "files" | "outputs" | "dates" | "groups"): unknown {
  // A delta's output check and its moved pages both read the outputs (~40 ms at 10,000 stories):
  // once, while the file is the one read (the same size, time and inode).
  const file = path.join(root, CACHE_DIR, SNAPSHOT_FILE);
  const info = statSync(file, { throwIfNoEntry: false });
  const key = info ? JSON.stringify([path.resolve(file), info.ino, info.size, info.mtimeMs, buildId, name]) : null;
  if (key !== null && lastSection?.key === key) return lastSection.value;
  const value = readSection(root, buildId, name);
  lastSection = value === null || key === null ? null : { key, value };
  return value;
}

/** The section read last (its readers do not change it). */
let lastSection: { key: string; value: unknown } | null = null;

function readSection(root: string, buildId: string, name: "files" | "outputs" | "dates" | "groups"): unknown {
  let fd: number | null = null;
  try {
    fd = openSync(path.join(root, CACHE_DIR, SNAPSHOT_FILE), "r");
    const opened = readFrame(fd);
    if (opened?.frame.buildId !== buildId) return null;
    let at = opened.start;
    for (const section of SECTIONS) {
      const [length, sum] = opened.frame.sections[section];
      if (section === name) {
        const bytes = Buffer.alloc(length);
        if (readSync(fd, bytes, 0, length, at) !== length || checksum(bytes) !== sum) return null;
        return JSON.parse(bytes.toString("utf8")) as unknown;
      }
      at += length;
    }
    return null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function fail(what: string): never {
  throw new Error(`Internal: the site snapshot has no ${what}`);
}
