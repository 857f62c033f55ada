import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { NormalizeContext } from "../normalize/index.js";
import { shardOf } from "../cache/record-cache.js";
import type { LoadTask, ShardChunk, ShardResult } from "./load-shard.js";

/** Below this many files a worker's start-up (~50-100 ms) costs more than it saves. */
const MIN_FILES_PER_WORKER = 250;
const MAX_WORKERS = 4;

const WORKER_FILE = new URL("./load-worker.js", import.meta.url);

/**
 * How many threads load the content: GAZETTE_WORKERS when set (0 or 1: none besides the main
 * thread), else one per core (at most 4) once there are enough files to pay for them. Running
 * from TypeScript sources (tests), where no compiled worker file exists, it is always 1.
 */
export function loadThreads(files: number, env: NodeJS.ProcessEnv = process.env): number {
  if (!existsSync(fileURLToPath(WORKER_FILE))) return 1;
  const configured = env.GAZETTE_WORKERS;
  if (configured !== undefined && configured !== "") {
    const n = Number(configured);
    return Number.isInteger(n) && n > 1 ? Math.min(n, 16) : 1;
  }
  return Math.max(1, Math.min(availableParallelism(), MAX_WORKERS, Math.floor(files / MIN_FILES_PER_WORKER)));
}

/**
 * Splits the files into `threads` shares (interleaved, so that every share gets old and new,
 * short and long stories; by record shard when the threads write the cache's shards), loads one
 * on this thread and the others in workers, all at once.
 * Results come back in share order; the caller restores file order.
 */
export async function loadInParallel(task: LoadTask, threads: number, prepared?: NormalizeContext): Promise<ShardResult[]> {
  const shares: LoadTask[] = task.writeShards ? sharesByRecordShard(task, threads) : Array.from({ length: threads }, () => ({ ...task, files: [] }));
  if (!task.writeShards) task.files.forEach((file, i) => shares[i % threads]!.files.push(file));
  if (task.known && threads > 1) {
    // Each worker gets the cached hashes of its own files only.
    for (const share of shares) {
      const known = new Map<string, string>();
      for (const file of share.files) {
        const hash = task.known.get(file.file);
        if (hash !== undefined) known.set(file.file, hash);
      }
      share.known = known;
    }
  }
  // Nothing to parse (every record from the cache): the parser and normalizer are never loaded.
  if (task.files.length === 0) return [{ articles: [], features: [], featureKeys: [], readWarnings: [], stats: [], reused: [], bodies: [], errors: [], warnings: [], writtenShards: [] }];
  const { loadShard } = await import("./load-shard.js");
  return Promise.all(shares.map((share, i) => (i === 0 ? loadShard(share, prepared) : runWorker(share))));
}

/**
 * Shares of whole record shards (see `LoadTask.writeShards`): each thread gets every file of the
 * shards it is given, grouped by shard, in listing order within each, and writes those shards
 * itself. Shards go to the thread with the fewest files so far, largest first. A shard's files
 * are a hash's pick of the listing: old and new, short and long stories alike.
 */
function sharesByRecordShard(task: LoadTask, threads: number): LoadTask[] {
  const byShard = new Map<number, LoadTask["files"]>();
  for (const file of task.files) {
    const shard = shardOf(file.file);
    const files = byShard.get(shard);
    if (files) files.push(file);
    else byShard.set(shard, [file]);
  }
  const shares = Array.from({ length: threads }, () => ({ ...task, files: [] as LoadTask["files"], writeShards: { ...task.writeShards!, shards: [] as number[] }, shardGroups: [] as [number, number][] }));
  const writable = new Set(task.writeShards!.shards);
  const largestFirst = [...byShard].sort(([a, x], [b, y]) => y.length - x.length || a - b);
  for (const [shard, files] of largestFirst) {
    const share = shares.reduce((least, each) => (each.files.length < least.files.length ? each : least));
    share.files.push(...files);
    share.shardGroups.push([shard, files.length]);
    if (writable.has(shard)) share.writeShards.shards.push(shard);
  }
  return shares;
}

function runWorker(task: LoadTask): Promise<ShardResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, { workerData: task });
    const chunks: ShardChunk[] = [];
    let settled = false;
    worker.on("message", (message: { chunk: ShardChunk } | { result: ShardResult }) => {
      if ("chunk" in message) {
        chunks.push(message.chunk);
        return;
      }
      settled = true;
      const { result } = message;
      resolve({
        ...result,
        articles: chunks.flatMap((chunk) => chunk.articles),
        features: chunks.flatMap((chunk) => chunk.features),
        featureKeys: chunks.flatMap((chunk) => chunk.featureKeys),
        readWarnings: chunks.flatMap((chunk) => chunk.readWarnings),
        stats: chunks.flatMap((chunk) => chunk.stats),
        bodies: chunks.flatMap((chunk) => chunk.bodies),
      });
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
