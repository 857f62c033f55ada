import type { Article, Diagnostic } from "../types.js";
import { loadConfig, type ConfigOverrides } from "../config/load-config.js";
import { readContentFiles, type ContentFile } from "../content/load-content.js";
import { loadEntities } from "../content/load-entities.js";
import { DiagnosticSink } from "../errors/diagnostics.js";
import { serializeError, type SerializedError } from "../errors/serialize.js";
import { compileEntityTable } from "../normalize/entities.js";
import { normalizeEach, type NormalizeContext } from "../normalize/index.js";
import { extractRelatedFeatures, featuresDigest, type RelatedDoc } from "../related/index.js";
import { renderArticleBody } from "../render/article-body.js";
import { withoutAnyMarkdown, withoutMarkdown, withPackedMarkdown } from "../util/article-markdown.js";
import { writeWholeShard, type CachedRecord } from "../cache/record-cache.js";

const utf8 = new TextEncoder();

/** One share of the content files, and how to read them. Plain data: it is sent to a worker. */
export interface LoadTask {
  root: string;
  overrides: ConfigOverrides;
  contentDir: string;
  files: ContentFile[];
  /** Files whose records the caller has (the persistent cache), with their content hash: not parsed again if unchanged. */
  known?: ReadonlyMap<string, string>;
  /** Render each article's body to its page's HTML too (`gazette build`: this thread holds the Markdown now). */
  renderBodies?: boolean;
  /**
   * What the articles handed on keep of their Markdown (see util/article-markdown.ts). With
   * `renderBodies`: "drop" it where nothing will need it, or "pack" it, for the persistent
   * cache's records. "none": nothing after loading reads it (`gazette check`, `list`,
   * `related`), rendered or not.
   */
  markdown?: "drop" | "pack" | "none";
  /** False: no related-articles features are wanted (`gazette check`, `list`); never with `markdown: "pack"`, whose records hold them. */
  features?: boolean;
  /**
   * With `markdown: "pack"`: the persistent cache's records folder and engine key, and the record
   * shards this share holds every listed file of (`files` grouped by shard, see parallel-load.ts).
   * Each such shard is written here as soon as its files are parsed (see cache/record-cache.ts),
   * and its articles handed on without their Markdown, which nothing else after loading needs.
   */
  writeShards?: { dir: string; key: string; shards: number[] };
  /**
   * With `writeShards`: how `files` are grouped by record shard, in order (each group's shard and
   * number of files), as parallel-load.ts made the shares: this thread does not hash every path again.
   */
  shardGroups?: [shard: number, files: number][];
}

/** What loading a share gives; plain data, so that it survives structured cloning. */
export interface ShardResult {
  articles: Article[];
  /** The related-articles features of each article, in the same order (empty with `features: false`). */
  features: RelatedDoc[];
  /** With `markdown: "pack"` (the persistent cache): a digest of each article's features (see `featuresDigest`), in the same order; else empty. */
  featureKeys: string[];
  /** The warnings of reading each article's file, and its stat key, in the same order (for the persistent cache). */
  readWarnings: Diagnostic[][];
  stats: string[];
  /** Files left unparsed because `known` has their record (project-relative), with their stat key now. */
  reused: [file: string, stat: string][];
  /**
   * With `renderBodies`: each article's body HTML (see render/article-body.ts) as UTF-8, in the same
   * order; else empty. Bytes, not strings: they cross to the main thread as a copy outside its
   * JavaScript heap, which then neither scans nor moves them until their page is rendered.
   */
  bodies: Uint8Array[];
  errors: SerializedError[];
  warnings: Diagnostic[];
  /** The record shards written here (see `LoadTask.writeShards`), with their identities. */
  writtenShards: [shard: number, identity: string][];
}

/** The per-article part of a ShardResult: what a worker sends as it goes (see `loadShard`). */
export type ShardChunk = Pick<ShardResult, "articles" | "features" | "featureKeys" | "readWarnings" | "stats" | "bodies">;

/** Files read, normalized and sent on at a time: a worker never holds its whole share. */
const BATCH_FILES = 256;

/**
 * Read, parse, normalize and extract related features for a share of the files: the per-file
 * part of the pipeline, which is most of a cold build's CPU time. Cross-file checks stay with the
 * caller. Without `prepared`, the thread makes its own context (`threadContext`).
 *
 * Files go through in batches. With `emit`, each batch's articles are handed to it and not kept
 * (a worker posts them to the main thread at once): the raw files, the worker's results and
 * their serialized copy are then never all in memory together (at 30,000 stories that peak was
 * most of the build's), and the main thread takes them in while the worker goes on. The result
 * then holds the rest: files reused, errors, warnings.
 */
export async function loadShard(task: LoadTask, prepared?: NormalizeContext, emit?: (chunk: ShardChunk) => void): Promise<ShardResult> {
  const context = prepared ?? (await threadContext(task));
  const origin = new URL(context.config.baseUrl).origin;
  const sink = new DiagnosticSink();
  const reuse = task.known ? { hashes: task.known, reused: [] as [string, string][] } : undefined;
  const kept: ShardChunk = { articles: [], features: [], featureKeys: [], readWarnings: [], stats: [], bodies: [] };
  const writer = task.writeShards && task.shardGroups && task.markdown === "pack" && task.renderBodies ? shardWriter(task.writeShards) : null;
  const writtenShards: [number, string][] = [];
  // A shard is written while the next one is parsed: its articles are handed on once it is written (or not).
  let writing: Promise<void> | null = null;
  for (const batch of batchesOf(task.files, writer ? task.shardGroups! : null)) {
    const readSink = new DiagnosticSink();
    const reusedBefore = reuse?.reused.length ?? 0;
    const sources = await readContentFiles(batch.files, { root: task.root, contentDir: task.contentDir, syncReads: true, ...(reuse ? { reuse } : {}) }, readSink);
    for (const error of readSink.errors) sink.error(error);
    sink.warnings.push(...readSink.warnings);
    const readWarnings = new Map<string, Diagnostic[]>();
    for (const warning of readSink.warnings) {
      const file = warning.location?.file ?? "";
      const list = readWarnings.get(file);
      if (list) list.push(warning);
      else readWarnings.set(file, [warning]);
    }
    const chunk: ShardChunk = emit ? { articles: [], features: [], featureKeys: [], readWarnings: [], stats: [], bodies: [] } : kept;
    // Articles whose shard this thread may write: packed for their records, handed on once the shard is written or not.
    const held: Article[] = [];
    const records: [string, CachedRecord][] = [];
    const bodies: Uint8Array[] = [];
    for (const source of sources) {
      // Features and HTML right after each article is normalized: its body's blocks are still at hand (see splitBlocks).
      for (const article of normalizeEach([source], context, sink)) {
        const features = task.features === false && task.markdown !== "pack" ? null : extractRelatedFeatures(article);
        if (features) chunk.features.push(features);
        // Made here, on the loading threads, for the cache's records (see cache/related-cache.ts).
        const featuresKey = task.markdown === "pack" ? featuresDigest(features!) : "";
        if (task.markdown === "pack") chunk.featureKeys.push(featuresKey);
        const warnings = readWarnings.get(article.file) ?? [];
        chunk.readWarnings.push(warnings);
        chunk.stats.push(source.stat);
        if (writer && batch.shard !== null) {
          const packed = withPackedMarkdown(article);
          records.push([article.file, { hash: article.hash, stat: source.stat, article: packed, features: features!, featuresKey, readWarnings: warnings }]);
          // Not the article itself: what normalizing left with it (its blocks) would be held for the whole shard.
          held.push(article.passages.length > 0 ? article : packed);
        } else chunk.articles.push(handedOn(article, task, emit !== undefined));
        if (task.renderBodies) bodies.push(utf8.encode(renderArticleBody(article, origin)));
      }
    }
    // Bodies handed to another thread travel in one buffer (see `packBodies`); this thread's own stay as they are.
    chunk.bodies.push(...(emit ? packBodies(bodies) : bodies));
    // A shard whose every file was parsed here (none reused from the cache) is this thread's to write.
    const whole = writer !== null && batch.shard !== null && (reuse?.reused.length ?? 0) === reusedBefore;
    const written = whole ? writer.write(batch.shard!, records) : null;
    const handOn = async (): Promise<void> => {
      const identity = await written;
      if (identity) writtenShards.push([batch.shard!, identity]);
      for (const [i, article] of held.entries()) chunk.articles.push(identity ? handedOn(withoutPackedBody(article), task, emit !== undefined, true) : handedOn(records[i]![1].article, task, emit !== undefined));
      if (emit && chunk.articles.length > 0) emit(chunk);
    };
    // The last shard's articles first: chunks and articles stay in file order.
    await writing;
    writing = handOn();
  }
  await writing;
  return { ...kept, reused: reuse?.reused ?? [], errors: sink.errors.map(serializeError), warnings: sink.warnings, writtenShards };
}

/**
 * What a loading thread normalizes with: the config and entity table loaded again (cheap; the main
 * thread has checked them already, and reports their diagnostics once).
 */
export async function threadContext(task: Pick<LoadTask, "root" | "overrides">): Promise<NormalizeContext> {
  const config = await loadConfig(task.root, task.overrides);
  return { config, entities: compileEntityTable(await loadEntities(task.root, config.paths.data, new DiagnosticSink())) };
}

/**
 * The files in batches: 256 at a time, or, when this thread writes record shards, one shard's
 * files at a time (`groups`, see `LoadTask.shardGroups`), each with its shard. At 30,000 stories
 * a shard is ~940 files (~10 MB of Markdown).
 */
function* batchesOf(files: readonly ContentFile[], groups: readonly [number, number][] | null): Generator<{ files: ContentFile[]; shard: number | null }> {
  if (!groups) {
    for (let start = 0; start < files.length; start += BATCH_FILES) yield { files: files.slice(start, start + BATCH_FILES), shard: null };
    return;
  }
  let start = 0;
  for (const [shard, count] of groups) {
    yield { files: files.slice(start, start + count), shard };
    start += count;
  }
  if (start !== files.length) throw new Error(`Internal: shard groups cover ${start} of ${files.length} files`);
}

/** Writes the shards of `target.shards`; a shard that could not be written is left to the main thread (null), whose write reports the error. */
function shardWriter(target: NonNullable<LoadTask["writeShards"]>): { write(shard: number, records: [string, CachedRecord][]): Promise<string | null> } {
  const shards = new Set(target.shards);
  return {
    async write(shard, records) {
      if (!shards.has(shard)) return null;
      return writeWholeShard(target.dir, target.key, shard, records).catch(() => null);
    },
  };
}

/**
 * The article as the build keeps it. Kept on this thread (not posted), it is copied: its title,
 * summary and names are slices of the file's text and would keep every whole file alive (~100 MB
 * per 10,000 files); posting copies a worker's articles anyway.
 */
function handedOn(article: Article, task: LoadTask, posted: boolean, recordWritten = false): Article {
  if (task.markdown === "none") return withoutAnyMarkdown(article);
  if (!task.renderBodies) return article;
  // Packed already when it was made for its record (see `LoadTask.writeShards`).
  const kept = task.markdown === "drop" || recordWritten ? withoutMarkdown(article) : task.markdown === "pack" && article.packedBody === undefined ? withPackedMarkdown(article) : article;
  return posted ? kept : structuredClone(kept);
}

/** An article packed for its record, as it is handed on once the record is written: its Markdown is in the cache. */
function withoutPackedBody(article: Article): Article {
  if (article.packedBody === undefined) return article;
  const { packedBody: _written, ...rest } = article;
  return rest;
}

/**
 * A batch's bodies as views of one buffer, in order, for the main thread. Moved there one by one,
 * each was a small allocation of this thread's, whose free holes only this thread could use
 * again: freed as pages rendered, memory the process kept after this thread was gone (at 30,000
 * stories the peak was ~30-60 MB higher). One buffer per batch (~1-3 MB) is given back whole once the last of its pages
 * is rendered (see `bodyReleaser`). Bodies loaded on the main thread are not packed: article pages
 * render in file order and batches may not (one record shard's files), so a buffer would be held
 * to the end, where one body at a time is freed, and its room used again, as pages render.
 */
export function packBodies(bodies: readonly Uint8Array[]): Uint8Array[] {
  if (bodies.length === 0) return [];
  const buffer = new ArrayBuffer(bodies.reduce((sum, body) => sum + body.length, 0));
  let offset = 0;
  return bodies.map((body) => {
    const view = new Uint8Array(buffer, offset, body.length);
    view.set(body);
    offset += body.length;
    return view;
  });
}
