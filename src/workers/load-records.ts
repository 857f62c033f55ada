import type { Article, EntityDefinition } from "../types.js";
import type { SiteConfig } from "../config/site-config.js";
import type { ContentScan } from "../content/scan-content.js";
import type { DiagnosticSink } from "../errors/diagnostics.js";
import { reviveError } from "../errors/serialize.js";
import type { NormalizeContext } from "../normalize/index.js";
import type { RelatedDoc } from "../related/index.js";
import type { CachedRecord } from "../cache/record-cache.js";
import type { LoadTask } from "./load-shard.js";
import { loadInParallel, loadThreads } from "./parallel-load.js";
import { internArticle, StringPool } from "../util/intern-strings.js";

export interface LoadedRecords {
  /** Each file's record as normalization made it (before the checks across articles), in file order. */
  articles: Article[];
  /** Related-articles features by article id. */
  features: Map<string, RelatedDoc>;
  /** With the cache: a digest of each article's features, by article id (see cache/related-cache.ts). */
  featureKeys: Map<string, string>;
  /** With `renderBodies`: the body HTML of each file parsed now (not of cached records), by file. */
  bodies: Map<string, Uint8Array>;
  /** "20025 files, 2 threads, 20000 from the cache (1900 ms to read it)"; "…, 64 record shards written" when the loading threads wrote them */
  detail: string;
  /** Writes the records into the persistent cache; null when it is off or nothing changed. */
  saveRecords: (() => Promise<Error | null>) | null;
  /** The cache's engine key (see record-cache.ts); null when it is off. */
  engineKey: string | null;
  /** With the cache: every file loaded, its stat key and content hash, in listing order (see cache/site-snapshot.ts). */
  fileStates: [file: string, stat: string, hash: string][];
  /** When the content was listed (see content/scan-content.ts). */
  listedAt: number;
}

/**
 * Every content file read, parsed, normalized and featured for related lists: in worker threads
 * when there are enough files, and, with the persistent cache, only for the files that changed.
 *
 * With the cache: files whose stat key (size, times, inode) is as cached are not even read; the
 * others are read, and parsed only if their content hash differs (a `touch` costs a read, not a
 * parse). Records that do not read back after all are loaded again. Errors and warnings (the
 * listing's too) go to `sink` as a load without the cache would report them.
 */
export async function loadRecords(
  task: Omit<LoadTask, "files">,
  options: {
    /** The content files and their stat keys (see content/scan-content.ts): awaited while the cache is read. */
    listing: Promise<ContentScan>;
    normalizeContext: NormalizeContext;
    sink: DiagnosticSink;
    /** `readOnly`: the cached records are reused, nothing is made for the cache nor written to it. */
    cache: { config: SiteConfig; entityDefinitions: readonly EntityDefinition[]; readOnly?: boolean } | null;
  },
): Promise<LoadedRecords> {
  const { root } = task;
  const { sink, normalizeContext } = options;
  const cacheModule = options.cache ? await import("../cache/record-cache.js") : null;
  const key = cacheModule && options.cache ? cacheModule.engineKey(options.cache.config, options.cache.entityDefinitions) : null;
  const opened = cacheModule && key !== null ? await cacheModule.openRecordCache(root, key) : null;
  // Records are made for the cache (and it is written) unless it is only read: then the files
  // parsed now load as they would without a cache (no Markdown packed, no features digested).
  const recordCache = options.cache?.readOnly ? null : cacheModule;
  // The cache's records hold the Markdown: "none" (nothing reads it after loading) only without it.
  const markdown = recordCache ? "pack" : task.markdown === "none" ? "none" : "drop";
  // The loading threads write the shards whose files they parse all of (see cache/record-cache.ts).
  const writable = recordCache && key !== null && task.renderBodies ? await recordCache.recordsDir(root).then((dir) => ({ dir, key }), () => null) : null;
  // The changed files start loading (in workers) as soon as the listing is in, while this thread
  // deserializes the cached records, which in turn overlaps the listing on its own thread.
  const started = options.listing.then((scan) => {
    for (const error of scan.errors) sink.error(error);
    sink.warnings.push(...scan.warnings);
    const unchanged = opened ? unchangedFiles(scan, opened.stats) : new Set<string>();
    const toLoad = unchanged.size > 0 ? scan.files.filter((file) => !unchanged.has(file.file)) : scan.files;
    const threads = toLoad.length === 0 ? 1 : loadThreads(toLoad.length);
    const writeShards = writable && recordCache ? { ...writable, shards: shardsToWrite(opened?.shardsHolding(unchanged) ?? new Set(), recordCache.SHARDS) } : undefined;
    const loading = loadInParallel({ ...task, files: toLoad, markdown, ...(opened ? { known: opened.hashes } : {}), ...(writeShards ? { writeShards } : {}) }, threads, normalizeContext);
    loading.catch(() => undefined); // awaited below, after the cache is read
    return { files: scan.files, unchanged, threads, loading, listedAt: scan.listedAt };
  });
  started.catch(() => undefined); // awaited below
  const readStarted = performance.now();
  const cached = opened ? await opened.records() : new Map<string, CachedRecord>();
  const readMs = performance.now() - readStarted;
  const { files, unchanged, threads, loading, listedAt } = await started;
  const shares = await loading;
  for (const file of unchanged) shares[0]!.reused.push([file, opened!.stats.get(file)!]);
  const written = new Map(shares.flatMap((share) => share.writtenShards));
  const lost = new Set(shares.flatMap((share) => share.reused.map(([file]) => file)).filter((file) => !cached.has(file)));
  if (lost.size > 0) shares.push(await (await import("./load-shard.js")).loadShard({ ...task, markdown, files: files.filter((file) => lost.has(file.file)) }, normalizeContext));

  const order = new Map(files.map((file, i) => [file.file, i]));
  const articles: Article[] = [];
  const features = new Map<string, RelatedDoc>();
  const featureKeys = new Map<string, string>();
  const bodies = new Map<string, Uint8Array>();
  // Records of the shards the loading threads wrote are not kept: they are on disk already, and
  // their features (~75 MB at 30,000 stories) would otherwise live to the end of the build.
  const records = new Map<string, CachedRecord>();
  const states = new Map<string, [stat: string, hash: string]>();
  const everyShardWritten = recordCache !== null && written.size === recordCache.SHARDS; // a first build's: no path hashed again
  let parsed = 0;
  let restated = 0;
  const pool = new StringPool();
  for (const share of shares) {
    for (const error of share.errors) sink.error(reviveError(error));
    sink.warnings.push(...share.warnings);
    share.articles.forEach((article, i) => {
      internArticle(article, share.features[i], pool);
      articles.push(article);
      if (share.features.length > 0) features.set(article.id, share.features[i]!);
      if (share.bodies.length > 0) bodies.set(article.file, share.bodies[i]!);
      if (recordCache) {
        const featuresKey = share.featureKeys[i]; // made by the loading threads (markdown: "pack")
        if (featuresKey === undefined) throw new Error(`Internal: no features digest for ${article.file}.`);
        featureKeys.set(article.id, featuresKey);
        states.set(article.file, [share.stats[i]!, article.hash]);
        if (!everyShardWritten && !written.has(recordCache.shardOf(article.file))) records.set(article.file, { hash: article.hash, stat: share.stats[i]!, article, features: share.features[i]!, featuresKey, readWarnings: share.readWarnings[i]! });
      }
      parsed++;
    });
    for (const [file, stat] of share.reused) {
      const cachedRecord = cached.get(file);
      if (!cachedRecord) continue;
      // Same content, new stat (a `touch`, a checkout): kept with the new stat, so next time it is not read.
      const record = cachedRecord.stat === stat ? cachedRecord : { ...cachedRecord, stat };
      if (record !== cachedRecord) restated++;
      sink.warnings.push(...record.readWarnings, ...record.article.diagnostics);
      internArticle(record.article, record.features, pool);
      articles.push(record.article);
      features.set(record.article.id, record.features);
      featureKeys.set(record.article.id, record.featuresKey);
      states.set(file, [record.stat, record.hash]);
      records.set(file, record);
    }
  }
  articles.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  const reused = articles.length - parsed;
  const fileStates = recordCache ? files.flatMap((file): [string, string, string][] => {
    const state = states.get(file.file);
    return state ? [[file.file, ...state]] : [];
  }) : [];
  // Rewritten only when something changed (a file parsed or touched, or one gone since).
  const changed = parsed > 0 || restated > 0 || states.size !== cached.size;
  return {
    articles,
    features,
    featureKeys,
    bodies,
    detail: `${files.length} files, ${threads} thread${threads === 1 ? "" : "s"}${cacheModule ? `, ${reused} from the cache (${Math.round(readMs)} ms to read it)` : ""}${written.size > 0 ? `, ${written.size} record shards written` : ""}`,
    saveRecords: recordCache && key !== null && changed ? () => recordCache.writeRecordCache(root, key, sortedRecords(records, order), opened, written) : null,
    engineKey: key,
    fileStates,
    listedAt,
  };
}

/** The listed files whose stat key (taken by the scan) is the one cached, project-relative. */
function unchangedFiles(scan: ContentScan, cachedStats: ReadonlyMap<string, string>): Set<string> {
  const unchanged = new Set<string>();
  scan.files.forEach((file, i) => {
    const stat = scan.stats[i];
    if (stat !== null && stat !== undefined && cachedStats.get(file.file) === stat) unchanged.add(file.file);
  });
  return unchanged;
}

/** Every shard but those holding files unchanged since the last build: the loading threads parse all their files, and may write them. */
function shardsToWrite(kept: ReadonlySet<number>, shards: number): number[] {
  return Array.from({ length: shards }, (_, shard) => shard).filter((shard) => !kept.has(shard));
}

/** The records in content-file order, so that the cache file's bytes do not depend on thread timing. */
function sortedRecords(records: Map<string, CachedRecord>, order: ReadonlyMap<string, number>): Map<string, CachedRecord> {
  return new Map([...records].sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
}
