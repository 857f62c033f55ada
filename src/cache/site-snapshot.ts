import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Article, Diagnostic, Route } from "../types.js";
import { checksum, decodeAsciiJson, encodeAsciiJson } from "../util/ascii-json.js";
import { CACHE_DIR, cacheDir } from "./record-cache.js";

/**
 * What the last full build with the cache leaves for the next one to apply a small edit without
 * loading the site (see build-delta.ts): the content files it was made from, the files it wrote,
 * what it reported, and for every article page what that page shows of other articles, so that
 * one page can be rendered again from a few of these entries instead of 20,000 records.
 *
 * The file: one ASCII JSON line (format, sizes, CRC-32s), the head as ASCII JSON, then one JSON
 * text per article page; the head says where each starts. A delta reads the whole file (~12 MB at
 * 10,000 stories, a few ms) but parses only the head and the pages it renders.
 */
export const SNAPSHOT_FILE = "site-v1.bin";
const FORMAT = "gazette-site-1";

/**
 * What feeds and pages other than an article's own show of it (cards, language switchers,
 * alternates): its own page alone shows the rest (body, word count, references, topic links).
 * Kept as an array, in this order.
 */
const CARD_FIELDS = ["lang", "url", "slug", "title", "summary", "date", "datePrecision", "updated", "category", "authors", "readingMinutes", "seo", "source", "translatedFrom"] as const;

export type ArticleCard = Pick<Article, (typeof CARD_FIELDS)[number]>;

/** A card as stored. */
export type StoredCard = unknown[];

export function cardOf(article: ArticleCard): StoredCard {
  return CARD_FIELDS.map((field) => article[field]);
}

/**
 * A feed article's stored card as an Article: the fields a card leaves out are read only by the
 * article's own page. No body either: the feed takes its HTML from the snapshot (by `file`, here
 * its id).
 */
export function articleFromCard(id: string, stored: StoredCard, tags: Article["tags"] = []): Article {
  const card = Object.fromEntries(CARD_FIELDS.map((field, i) => [field, stored[i]])) as unknown as ArticleCard;
  return {
    ...card,
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
 * An article page's inputs beside the article itself, as numbers into the head's tables: its
 * content file (`files`: the record cache has its record), what the checks across articles
 * changed of it (URL, slug, section; 0: nothing), its story's published versions (in the site's
 * language order) and original, its related list (best first), and the group page (`groups`)
 * of each group it links, in the order of `linkedGroupsOf` (-1: none). Numbers, because 20,000
 * of these are written by every full build: 150 bytes each, not 900 with the cards.
 */
export interface ArticlePageInputs {
  outputPath: string;
  file: number;
  checked: [url: string, slug: string, category: string | null] | 0;
  versions: number[];
  original: number;
  related: number[];
  groups: number[];
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
  /** The year pages show (the newest article's). */
  year: string;
  /** Every content file: project path, stat key, content hash, in listing order. */
  files: [file: string, stat: string, hash: string][];
  /** When the content was listed (ms since the epoch; see `changedContent`). */
  listedAt: number;
  /** Every file written into the output but its marker, sorted. */
  outputs: string[];
  /** The build's report. */
  pages: { total: number; byKind: Record<string, number> };
  languages: string[];
  warnings: Diagnostic[];
  feeds: SnapshotFeed[];
  /** Topic, author and source pages linked by article pages: slug, name. */
  groups: [slug: string, name: string][];
  /** The published articles' ids, in route order, and where each one's page inputs start after the head (bytes; the last entry is the end). */
  ids: string[];
  offsets: number[];
}

export interface SiteSnapshot {
  head: SnapshotHead;
  /** The number of a published article; undefined when it is not. */
  numberOf(id: string): number | undefined;
  /** The inputs of a published article's page, by number. */
  page(article: number): ArticlePageInputs;
}

/** Writes the snapshot atomically; errors are returned (without one, the next build is a full one). */
export async function writeSiteSnapshot(root: string, head: Omit<SnapshotHead, "ids" | "offsets">, pages: Iterable<[id: string, page: ArticlePageInputs]>): Promise<Error | null> {
  const temporary = path.join(root, CACHE_DIR, `${SNAPSHOT_FILE}.${process.pid}.tmp`);
  try {
    const ids: string[] = [];
    const offsets: number[] = [0];
    const texts: string[] = [];
    let length = 0;
    for (const [id, page] of pages) {
      const text = JSON.stringify([page.outputPath, page.file, page.checked, page.versions, page.original, page.related, page.groups]);
      ids.push(id);
      texts.push(text);
      offsets.push((length += Buffer.byteLength(text)));
    }
    const headBytes = encodeAsciiJson({ ...head, ids, offsets });
    const body = Buffer.from(texts.join(""));
    const line = Buffer.from(`${JSON.stringify({ format: FORMAT, head: headBytes.length, pages: body.length, checksum: checksum(headBytes, body) })}\n`, "latin1");
    const dir = await cacheDir(root);
    await writeFile(temporary, Buffer.concat([line, headBytes, body]));
    await rename(temporary, path.join(dir, SNAPSHOT_FILE));
    return null;
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    return error as Error;
  }
}

/** The last snapshot, if there is one and it reads back whole. */
export async function readSiteSnapshot(root: string): Promise<SiteSnapshot | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(root, CACHE_DIR, SNAPSHOT_FILE));
  } catch {
    return null;
  }
  try {
    const newline = bytes.indexOf(10);
    const frame = JSON.parse(bytes.subarray(0, newline).toString("latin1")) as { format?: unknown; head?: unknown; pages?: unknown; checksum?: unknown };
    if (frame.format !== FORMAT || typeof frame.head !== "number" || typeof frame.pages !== "number") return null;
    const headBytes = bytes.subarray(newline + 1, newline + 1 + frame.head);
    const body = bytes.subarray(newline + 1 + frame.head);
    if (body.length !== frame.pages || checksum(headBytes, body) !== frame.checksum) return null;
    const head = decodeAsciiJson(headBytes) as SnapshotHead;
    if (typeof head?.key !== "string" || !Array.isArray(head.files) || !Array.isArray(head.outputs) || !Array.isArray(head.ids) || head.offsets?.length !== head.ids.length + 1) return null;
    let numbers: Map<string, number> | null = null;
    const parsed = new Map<number, ArticlePageInputs>();
    return {
      head,
      numberOf(id) {
        numbers ??= new Map(head.ids.map((each, i) => [each, i]));
        return numbers.get(id);
      },
      page(article) {
        let page = parsed.get(article);
        if (page === undefined) {
          if (!(article >= 0 && article < head.ids.length)) throw new Error(`Internal: no page ${article} in the site snapshot`);
          const [outputPath, file, checked, versions, original, related, groups] = JSON.parse(body.toString("utf8", head.offsets[article], head.offsets[article + 1])) as [
            string,
            number,
            ArticlePageInputs["checked"],
            number[],
            number,
            number[],
            number[],
          ];
          page = { outputPath, file, checked, versions, original, related, groups };
          parsed.set(article, page);
        }
        return page;
      },
    };
  } catch {
    return null;
  }
}
