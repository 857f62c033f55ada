/**
 * The first load of a `gazette dev` session, on every core: each thread reads and normalizes a
 * share of the content files and hands back, per file, what the session keeps between rebuilds
 * (the parsed source with its read errors and warnings, the normalize outcome, the related-articles
 * features) and the article's body HTML for the first render. The session's own load then finds
 * every file in its caches. It stays on one thread
 * because those caches, keyed by the source objects, are what lets an edit re-read and
 * re-normalize one file; filling them on one thread took ~13 s of a 10,000-story session's ~33 s
 * start.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Article, Diagnostic, SourceArticle } from "../types.js";
import type { LoadCaches } from "../build.js";
import type { ConfigOverrides } from "../config/load-config.js";
import { readContentFiles, type ContentCache, type ContentFile } from "../content/load-content.js";
import { DiagnosticSink } from "../errors/diagnostics.js";
import { reviveError, serializeError, type SerializedError } from "../errors/serialize.js";
import { normalizeArticle } from "../normalize/normalize-article.js";
import type { NormalizeContext } from "../normalize/index.js";
import { threadContext } from "./load-shard.js";
import { extractRelatedFeatures, type RelatedDoc } from "../related/index.js";
import { renderArticleBody } from "../render/article-body.js";

const utf8 = new TextEncoder();

/** One thread's share of the files. Plain data: it is sent to a worker. */
export interface DevShareTask {
  root: string;
  overrides: ConfigOverrides;
  contentDir: string;
  files: ContentFile[];
}

/** What a thread made of one file, as plain data. */
export interface DevEntry {
  absolute: string;
  source: SourceArticle | null;
  /** The read's errors and warnings. */
  errors: SerializedError[];
  warnings: Diagnostic[];
  /** Normalizing the source (null when the file could not be read or parsed). */
  outcome: { article: Article | null; errors: SerializedError[]; skipped?: Diagnostic } | null;
  features: RelatedDoc | null;
  /** The article's body HTML (`renderArticleBody`), UTF-8. */
  body: Uint8Array | null;
}

/** What the first load's threads made besides the caches: by article id and by source file. */
export interface Prewarmed {
  features: Map<string, RelatedDoc>;
  bodies: Map<string, Uint8Array>;
}

/** Files per message from a worker: its results are posted as they come, never all held twice. */
const BATCH_FILES = 256;

const WORKER_FILE = new URL("./dev-prewarm-worker.js", import.meta.url);

/** Reads and normalizes a share of the files (`prepared`: this thread's context; a worker loads its own). */
export async function loadDevShare(task: DevShareTask, prepared?: NormalizeContext, emit?: (entries: DevEntry[]) => void): Promise<DevEntry[]> {
  const context = prepared ?? (await threadContext(task));
  const origin = new URL(context.config.baseUrl).origin;
  const kept: DevEntry[] = [];
  for (let start = 0; start < task.files.length; start += BATCH_FILES) {
    const files = task.files.slice(start, start + BATCH_FILES);
    const read: ContentCache = new Map();
    await readContentFiles(files, { root: task.root, contentDir: task.contentDir, syncReads: true, cache: read }, new DiagnosticSink());
    const entries = files.flatMap((file): DevEntry[] => {
      const cached = read.get(file.absolute);
      if (!cached) return [];
      const { source } = cached;
      const outcome = source ? normalizeArticle(source, context) : undefined;
      return [
        {
          absolute: file.absolute,
          source,
          errors: cached.errors.map(serializeError),
          warnings: cached.warnings,
          outcome: outcome ? { article: outcome.article, errors: outcome.errors.map(serializeError), ...("skipped" in outcome && outcome.skipped ? { skipped: outcome.skipped } : {}) } : null,
          features: outcome?.article ? extractRelatedFeatures(outcome.article) : null,
          body: outcome?.article ? utf8.encode(renderArticleBody(outcome.article, origin)) : null,
        },
      ];
    });
    if (emit) emit(entries);
    else kept.push(...entries);
  }
  return kept;
}

/**
 * Fills an empty session's caches from `threads` threads (this one and workers) and returns the
 * features and bodies they made; does nothing (empty maps) on one thread.
 */
export async function prewarmDevCaches(task: DevShareTask, threads: number, context: NormalizeContext, caches: LoadCaches): Promise<Prewarmed> {
  const features = new Map<string, RelatedDoc>();
  const bodies = new Map<string, Uint8Array>();
  if (threads <= 1 || !existsSync(fileURLToPath(WORKER_FILE))) return { features, bodies };
  const shares = Array.from({ length: threads }, (): DevShareTask => ({ ...task, files: [] }));
  task.files.forEach((file, i) => shares[i % threads]!.files.push(file));
  const results = await Promise.all(shares.map((share, i) => (i === 0 ? loadDevShare(share, context) : runWorker(share))));
  for (const entry of results.flat()) {
    caches.content.set(entry.absolute, { source: entry.source, errors: entry.errors.map(reviveError), warnings: entry.warnings });
    if (!entry.source || !entry.outcome) continue;
    const { article, errors, skipped } = entry.outcome;
    caches.normalized.set(entry.source, article ? { article, errors: errors.map(reviveError) } : { article: null, errors: errors.map(reviveError), ...(skipped ? { skipped } : {}) });
    if (article && entry.features) features.set(article.id, entry.features);
    if (article && entry.body) bodies.set(article.file, entry.body);
  }
  return { features, bodies };
}

function runWorker(task: DevShareTask): Promise<DevEntry[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, { workerData: task });
    const entries: DevEntry[] = [];
    let settled = false;
    worker.on("message", (message: { entries: DevEntry[] } | { done: true }) => {
      if ("entries" in message) entries.push(...message.entries);
      else {
        settled = true;
        resolve(entries);
      }
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`Internal: a content-loading worker exited with code ${code} before finishing`));
    });
  });
}
