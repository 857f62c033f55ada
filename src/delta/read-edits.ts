/**
 * A delta build's edited files (see apply-delta.ts): read, normalized and compared with their
 * records as last built. An edit applies when everything but what its own page and its card
 * show is as it was (its other page fields and warnings; its related-articles features may
 * differ: see relist-related.ts). Records are read each alone (a few KB of its shard): the edited
 * files' and those of the pages rendered again; the articles those pages show are shown by their
 * cards in the site snapshot.
 */
import type { Article, SeoPolicy, SourceArticle } from "../types.js";
import { readCachedRecords, type RecordCache } from "../cache/record-cache.js";
import { checkedAs, type ArticlePageInputs, type SiteSnapshot } from "../cache/site-snapshot.js";
import { readContentFiles, type ContentFile } from "../content/load-content.js";
import { DiagnosticSink } from "../errors/diagnostics.js";
import type { NormalizeContext } from "../normalize/index.js";
import { normalizeArticle } from "../normalize/normalize-article.js";
import { extractRelatedFeatures, featuresDigest, type RelatedDoc } from "../related/index.js";
import { articleLabelsKey } from "../i18n/site-index.js";
import { linkedGroupsOf } from "../render/route-signatures.js";

/** An edited file that a delta can apply: its new record, as the checks across articles leave it. */
export interface AppliedEdit {
  file: string;
  article: Article;
  /** Its number in the snapshot and its page's inputs; null when it is not published (a draft, a future date): then no page shows it. */
  page: { number: number; inputs: ArticlePageInputs } | null;
  /** Its related-articles features when they differ from the last full build's (then other pages' lists may change: see relist-related.ts). */
  features: RelatedDoc | null;
  /** Whether its card (headline, summary, reading time, date, time updated) differs from the last full build's: then the pages that show the card change too. */
  card: boolean;
  /** Whether its page's sitemap lastmod (the time updated, else the date) differs from the last full build's: then its `sitemap.xml` entry changes. */
  lastmod: boolean;
  /** The URL the last full build published it at, when its new one differs (a headline its slug is made from: see move-pages.ts). */
  movedFrom: string | null;
  /** Whether its date differs from the last full build's: then it moves within the listings that show it (see update-listings.ts). */
  redated: boolean;
  /** Whether its labels (topics, authors, source) differ from the last full build's: then it joins and leaves group pages (see regroup-listings.ts). */
  regrouped: boolean;
}

export interface EditsToRead {
  root: string;
  contentDir: string;
  /** The config and the compiled entity table. */
  normalizeContext: NormalizeContext;
  /** The record cache's engine key. */
  engine: string;
  snapshot: SiteSnapshot;
  /** The files to read again, their hashes as last built, and their numbers in the snapshot's file list. */
  candidates: readonly ContentFile[];
  hashes: ReadonlyMap<string, string>;
  fileIndex: ReadonlyMap<string, number>;
  /** Files that deltas applied before: applied again even when as last built (an edit undone). */
  reapply: readonly string[];
}

/** The edits to apply with the records their pages show, or why they cannot be applied. */
export async function readEdits(input: EditsToRead): Promise<{ edits: AppliedEdit[]; records: RecordCache } | { miss: string }> {
  const { root, contentDir, normalizeContext, engine, snapshot, candidates, fileIndex } = input;
  const hashes = new Map(input.hashes);
  const { head } = snapshot;
  const readSink = new DiagnosticSink();
  const read = await readContentFiles(candidates, { root, contentDir, syncReads: true }, readSink);
  if (readSink.errors.length > 0 || read.length !== candidates.length) return { miss: "an edited file does not read" };
  // Read again but as the snapshot has it (a `touch`, or an undone edit not applied yet): nothing to do.
  const reapply = new Set(input.reapply);
  const sourcesToApply = read.filter((source) => source.hash !== hashes.get(source.file) || reapply.has(source.file));
  const normalized: { source: SourceArticle; raw: Article; number: number | undefined }[] = [];
  for (const source of sourcesToApply) {
    const outcome = normalizeArticle(source, normalizeContext);
    if (!outcome.article || outcome.errors.length > 0) return { miss: `${source.file} does not normalize` };
    const page = head.pageOfFile[fileIndex.get(source.file)!]!;
    // The record's id must be the page's: else the article moved (another language, say), which the page fields below would tell too.
    normalized.push({ source, raw: outcome.article, number: page >= 0 && snapshot.page(page).id === outcome.article.id ? page : undefined });
  }
  // The records of the edited files as last built (the articles their pages show are shown by their cards: see render-edits.ts).
  const records = await readCachedRecords(root, engine, sourcesToApply.map((source) => source.file));
  for (const file of [...records.keys()]) if (records.get(file)!.hash !== hashes.get(file)) records.delete(file);
  const edits: AppliedEdit[] = [];
  for (const { source, raw, number } of normalized) {
    const before = records.get(source.file);
    if (!before) return { miss: `the cache has no record of ${source.file} as last built` };
    const fields = changedPageFields(raw, before.article);
    const other = fields.find((field) => !CARD_FIELDS.has(field) && !TOPIC_FIELDS.has(field) && !MOVE_FIELDS.has(field));
    if (other !== undefined) return { miss: `${source.file}: more than its body and card changed (${other})` };
    const moves = fields.some((field) => MOVE_FIELDS.has(field));
    // Whether it is a copy, and its source's URL, decide under its copy policy its canonical URL and whether its versions' pages list it.
    if (fields.includes("source") && copyPolicyOf(raw, normalizeContext.config.seo) !== copyPolicyOf(before.article, normalizeContext.config.seo)) {
      return { miss: `${source.file}: its source changed, and its copy policy reads it (seo)` };
    }
    const doc = extractRelatedFeatures(raw);
    const features = featuresDigest(doc) === before.featuresKey ? null : doc;
    const warnings = readSink.warnings.filter((warning) => warning.location?.file === source.file);
    if (JSON.stringify([warnings, raw.diagnostics]) !== JSON.stringify([before.readWarnings, before.article.diagnostics])) return { miss: `${source.file}: its warnings changed` };
    const card = fields.some((field) => CARD_FIELDS.has(field));
    const lastmod = (raw.updated ?? raw.date) !== (before.article.updated ?? before.article.date);
    const redated = raw.date !== before.article.date;
    if (number === undefined) {
      if (moves) return { miss: `${source.file}: its URL changed` };
      // Not published (a draft, a future date): a new date may publish it.
      if (redated) return { miss: `${source.file}: its date changed, and it has no page` };
      edits.push({ file: source.file, article: raw, page: null, features, card, lastmod, movedFrom: null, redated, regrouped: false });
      continue;
    }
    const inputs = snapshot.page(number);
    const published = checkedAs(before.article, inputs);
    // Published where its slug said (else the checks found it taken, and would decide again where it goes).
    if (moves && published.url !== before.article.url) return { miss: `${source.file}: its URL changed, and its last one was not its own slug's` };
    // Of two articles whose slugs clash, the earlier keeps the plain one: a new date could swap them.
    if (redated && published.url !== before.article.url) return { miss: `${source.file}: its date changed, and its URL is not its own slug's` };
    // The checks across articles read no card field but the date, which only orders clashing slugs: they give the new
    // record what they gave the old (a URL that moves is the record's own: move-pages.ts checks that no other article
    // holds or wants it; update-listings.ts that none wants a redated one's).
    const article = moves ? { ...raw, category: published.category } : checkedAs(raw, inputs);
    // Its authors, source and topics (its tags, and the entities prominent in its headline and body) make its groups: new ones move it between group pages (see regroup-listings.ts).
    const regrouped = articleLabelsKey(article) !== articleLabelsKey(before.article);
    if (!regrouped && linkedGroupsOf(article).length !== inputs.groups.length) return { miss: `${source.file}: its links differ from the snapshot's` };
    edits.push({ file: source.file, article, page: { number, inputs }, features, card, lastmod, movedFrom: article.url === published.url ? null : published.url, redated, regrouped });
  }
  return { edits, records };
}

/** Adds the records `wanted` (file -> hash as last built) to `records`; a string says which one the cache does not have. */
async function readWanted(root: string, engine: string, wanted: ReadonlyMap<string, string>, records: RecordCache): Promise<string | null> {
  if (wanted.size === 0) return null;
  const read = await readCachedRecords(root, engine, wanted.keys());
  for (const [file, hash] of wanted) {
    const record = read.get(file);
    if (record?.hash !== hash) return `the cache has no record of ${file} as last built`;
    records.set(file, record);
  }
  return null;
}

/**
 * The pages that show the card of an edited article, besides its own: the listing pages and the
 * article pages whose related list holds it (as the last full build listed them: lists a delta
 * changed are rendered anyway). For edits whose card changed now, or in an earlier delta (`carded`:
 * an undo puts the pages back), and pages that move (`moves`, now or after an earlier delta: their
 * other language versions link them too). And the edited pages whose `sitemap.xml` entry is
 * written again: its lastmod changed, or an earlier delta wrote it (`sitemapped`: an undo puts it
 * back), or its page or a version's moves; a new summary or headline leaves the entry as it was,
 * and the sitemap (13 MB at 10,000 stories; in parts, which cannot be patched, above 50,000 URLs)
 * is not read.
 */
export function cardPages(edits: readonly AppliedEdit[], carded: readonly string[], sitemapped: readonly string[], moves: readonly { number: number }[] = []): CardPages {
  const [again, entryAgain] = [new Set(carded), new Set(sitemapped)];
  const moving = new Set(moves.map((move) => move.number));
  const sitemap = new Set<number>();
  const pages = new Set<number>();
  const listings = new Set<number>();
  for (const edit of edits) {
    if (!edit.page) continue;
    const { number, inputs } = edit.page;
    if (edit.lastmod || entryAgain.has(edit.file)) sitemap.add(number);
    if (moving.has(number)) {
      for (const version of inputs.versions) {
        sitemap.add(version);
        if (version !== number) pages.add(version);
      }
    } else if (!(edit.card || again.has(edit.file))) continue;
    for (const shown of inputs.shownBy) pages.add(shown);
    for (const listing of inputs.listedOn) listings.add(listing);
  }
  const sorted = (numbers: Set<number>) => [...numbers].sort((a, b) => a - b);
  return { sitemap: sorted(sitemap), pages: sorted(pages), listings: sorted(listings) };
}

/** The edited pages whose sitemap entries are written again, and the article and listing pages that show edited cards. */
export interface CardPages {
  sitemap: number[];
  pages: number[];
  listings: number[];
}

/** Adds to `records` those of the articles of pages `numbers`, as last built; a string says which one the cache does not have. */
export async function readPageRecords(root: string, engine: string, snapshot: SiteSnapshot, numbers: readonly number[], records: RecordCache): Promise<string | null> {
  const wanted = new Map<string, string>();
  for (const number of numbers) {
    const page = snapshot.page(number);
    if (!records.has(page.file)) wanted.set(page.file, page.hash);
  }
  return readWanted(root, engine, wanted, records);
}

/** What only an article's own page shows of it (or nothing shows): the rest is read by other pages, the checks across articles and the site index. */
const OWN_PAGE_FIELDS = new Set<string>(["body", "packedBody", "hash", "wordCount", "bodyLine", "passages", "diagnostics"] satisfies (keyof Article)[]);

/**
 * What cards show of an article besides its own page (listing pages, related lists, feeds; the
 * time it was updated: feeds and the sitemap's lastmod), and nothing else reads but its
 * related-articles features and its groups' pages: a delta renders the pages that show its card
 * (see render-edits.ts) and writes its sitemap entry again (patch-sitemap.ts). Its URL moves its
 * page (move-pages.ts); its date moves it within its listings too, its authors and source between
 * author and source pages (update-listings.ts); its section and the rest: a full build (and a
 * source that changes what its copy policy makes of its page: its versions' pages read that).
 */
const CARD_FIELDS = new Set<string>(["title", "summary", "readingMinutes", "updated", "date", "datePrecision", "authors", "source"] satisfies (keyof Article)[]);

/** What its source decides of an article's page under its copy policy (see article-view.ts): whether it is a copy kept out of the index, and the source URL a copy's canonical points to. */
function copyPolicyOf(article: Article, siteSeo: SeoPolicy): string {
  const copy = article.source !== null && article.translatedFrom === null;
  const policy = article.seo ?? siteSeo;
  return JSON.stringify([copy && policy === "noindex", copy && policy === "source" ? (article.source?.url ?? null) : null]);
}

/** What moves its page to another URL (see move-pages.ts); whatever links it shows its card too. */
const MOVE_FIELDS = new Set<string>(["url", "slug"] satisfies (keyof Article)[]);

/** What other pages read of an article only through its topics (see regroup-listings.ts), its feed items (tags) and its related-articles features. */
const TOPIC_FIELDS = new Set<string>(["entities", "tags"] satisfies (keyof Article)[]);

/** The fields that other pages read and that differ between two records of an article, in key order. */
function changedPageFields(next: Article, previous: Article): string[] {
  const keys = new Set([...Object.keys(next), ...Object.keys(previous)]);
  return [...keys].filter((key) => !OWN_PAGE_FIELDS.has(key) && JSON.stringify(next[key as keyof Article]) !== JSON.stringify(previous[key as keyof Article]));
}


