import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { closeSync, fstatSync, openSync, readFileSync, type BigIntStats, type Dirent } from "node:fs";
import path from "node:path";
import type { Diagnostic, SourceArticle } from "../types.js";
import { DiagnosticSink } from "../errors/diagnostics.js";
import { ContentError, SiteError } from "../errors/site-error.js";
import { hashText } from "../util/hash.js";
import { isInside, toProjectPath } from "../util/paths.js";
import { mapLimit } from "../util/map-limit.js";
import { isKnownKey, suggestKey } from "./frontmatter-keys.js";

export interface LoadContentOptions {
  /** Project root: locations are reported relative to it. */
  root: string;
  /** Absolute content folder (default `<root>/articles`). */
  contentDir: string;
  /**
   * Files read before, by absolute path, with what reading them reported: reused instead of read
   * again. `gazette dev` keeps one and deletes the entries of files the watcher saw change.
   */
  cache?: ContentCache;
  /**
   * Files whose results the caller already has (the persistent cache), by project-relative path,
   * with the content hash they had: a file that still has it is read and hashed but not parsed,
   * and its path (with its stat key now) goes to `reused` instead of a SourceArticle to the result.
   */
  reuse?: { hashes: ReadonlyMap<string, string>; reused: [file: string, stat: string][] };
  /**
   * Read each file with synchronous calls (open, fstat, read, close): for threads that do nothing
   * else meanwhile. The promise API's stat + readFile cost ~100 µs a file against ~25 µs, and its
   * thread pool competes with the loading threads for the cores.
   */
  syncReads?: boolean;
}

export type ContentCache = Map<string, { source: SourceArticle | null; errors: SiteError[]; warnings: Diagnostic[] }>;

/** Files larger than this are refused rather than risk exhausting memory on a mistaken drop. */
export const MAX_ARTICLE_BYTES = 16 * 1024 * 1024;

/** A story key becomes an id and a folder name in caches: letters, digits, `-`, `_`, `.` only. */
const STORY_KEY = /^[\p{L}\p{N}](?:[\p{L}\p{N}._-]*[\p{L}\p{N}])?$/u;

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads every story bundle: `articles/<story-key>/<name>.md`.
 * Input: a folder. Output: one SourceArticle per Markdown file, sorted by path.
 * Problems are collected in `sink` (every file is tried), never thrown one by one.
 */
export async function loadContent(options: LoadContentOptions, sink: DiagnosticSink): Promise<SourceArticle[]> {
  return readContentFiles(await listContent(options, sink), options, sink);
}

/** One Markdown file of a story bundle, found by `listContent`. */
export interface ContentFile {
  absolute: string;
  /** Project-relative, `/`-separated: made once, where the file is listed (possibly on another thread). */
  file: string;
  storyKey: string;
}

/** The Markdown files of every story bundle, sorted by path; problems with folders and links go to `sink`. */
export async function listContent(options: LoadContentOptions, sink: DiagnosticSink): Promise<ContentFile[]> {
  const contentDir = path.resolve(options.contentDir);
  const where = toProjectPath(options.root, contentDir) || ".";
  let realContentDir: string;
  let entries;
  try {
    realContentDir = await realpath(contentDir);
    entries = await readdir(contentDir, { withFileTypes: true });
  } catch (cause) {
    sink.error(
      new ContentError(`the content folder ${where}/ cannot be read (${errorCode(cause)}).`, {
        location: { file: where },
        hint: "Create it with one folder per story (articles/<story-key>/de.md) or pass --content DIR.",
        cause,
      }),
    );
    return [];
  }

  const bundles: { absolute: string; storyKey: string }[] = [];
  for (const entry of sorted(entries)) {
    if (entry.name.startsWith(".")) continue;
    const absolute = path.join(contentDir, entry.name);
    const file = toProjectPath(options.root, absolute);
    const kind = entry.isSymbolicLink() ? await linkKind(absolute, realContentDir, file, sink) : plainKind(entry);
    if (kind === "dir") {
      if (!STORY_KEY.test(entry.name)) {
        sink.error(
          new ContentError(`the story folder name "${entry.name}" is not a valid story key.`, {
            location: { file },
            hint: "Use letters, digits and hyphens, e.g. articles/alaska-gipfel/.",
          }),
        );
        continue;
      }
      bundles.push({ absolute, storyKey: entry.name });
    } else if (kind === "file" && entry.name.endsWith(".md")) {
      sink.warn("skipped: articles live in story folders.", { file }, `Move it to ${where}/<story-key>/<lang>.md.`);
    } else if (kind !== "refused") {
      sink.warn("skipped: not part of a story bundle.", { file });
    }
  }

  const listed = await mapLimit(bundles, 32, (bundle) => listBundle(bundle.absolute, bundle.storyKey, options.root, realContentDir, sink));
  return listed.flat();
}

/** Reads and parses `files` (from `listContent`), in order; files that fail are reported and left out. */
export async function readContentFiles(files: readonly ContentFile[], options: LoadContentOptions, sink: DiagnosticSink): Promise<SourceArticle[]> {
  const cache = options.cache;
  const articles = await mapLimit(files, 64, async (entry) => {
    if (!cache) return readArticle(entry, options, sink);
    let cached = cache.get(entry.absolute);
    if (cached === undefined || cached.source?.storyKey !== entry.storyKey) {
      const own = new DiagnosticSink();
      cached = { source: await readArticle(entry, { ...options, reuse: undefined }, own), errors: own.errors, warnings: own.warnings };
      cache.set(entry.absolute, cached);
    }
    for (const error of cached.errors) sink.error(error);
    sink.warnings.push(...cached.warnings);
    return cached.source;
  });
  if (cache) {
    // Files no longer listed (deleted, renamed) leave the cache too.
    const listedPaths = new Set(files.map((entry) => entry.absolute));
    for (const key of cache.keys()) if (!listedPaths.has(key)) cache.delete(key);
  }
  return articles.filter((article): article is SourceArticle => article !== null);
}

async function listBundle(
  folder: string,
  storyKey: string,
  root: string,
  realContentDir: string,
  sink: DiagnosticSink,
): Promise<ContentFile[]> {
  let children: Dirent[];
  try {
    children = await readdir(folder, { withFileTypes: true });
  } catch (cause) {
    const file = toProjectPath(root, folder);
    sink.error(new ContentError(`the story folder cannot be read (${errorCode(cause)}).`, { location: { file }, cause }));
    return [];
  }
  const files: ContentFile[] = [];
  for (const child of sorted(children)) {
    if (child.name.startsWith(".")) continue;
    const absolute = path.join(folder, child.name);
    // 20,000 files at 10,000 stories: a plain file costs no await; only a link is followed (and checked).
    const kind = child.isSymbolicLink() ? await linkKind(absolute, realContentDir, toProjectPath(root, absolute), sink) : plainKind(child);
    if (kind === "refused") continue;
    if (kind === "file" && child.name.endsWith(".md")) files.push({ absolute, file: toProjectPath(root, absolute), storyKey });
    else sink.warn("skipped: not a Markdown file (.md).", { file: toProjectPath(root, absolute) });
  }
  return files;
}

type EntryKind = "dir" | "file" | "other" | "refused";

/** What an entry that is not a link is. */
function plainKind(entry: Dirent): EntryKind {
  return entry.isDirectory() ? "dir" : entry.isFile() ? "file" : "other";
}

/** What a link leads to, followed only when it stays inside the content folder. */
async function linkKind(absolute: string, realContentDir: string, file: string, sink: DiagnosticSink): Promise<EntryKind> {
  let target: string;
  try {
    target = await realpath(absolute);
  } catch (cause) {
    sink.error(new ContentError(`the link points to a missing file (${errorCode(cause)}).`, { location: { file }, cause }));
    return "refused";
  }
  if (!isInside(realContentDir, target)) {
    sink.error(
      new ContentError("the file is a link to a place outside the content folder; it is not read.", {
        location: { file },
        hint: "Copy the file into the content folder instead of linking to it.",
      }),
    );
    return "refused";
  }
  const info = await stat(target);
  return info.isDirectory() ? "dir" : info.isFile() ? "file" : "other";
}

/**
 * What says a file is the same without reading it: size, modification and change times in
 * nanoseconds, inode. (ctime cannot be set back by tools that preserve mtime.) Taken before the
 * file is read, so that a write in between makes it differ next time rather than hide.
 */
export function statKey(info: BigIntStats): string {
  return `${info.size}:${info.mtimeNs}:${info.ctimeNs}:${info.ino}`;
}

/** Loaded on the first file that needs parsing: a build whose files all come from the cache never loads gray-matter and its js-yaml. */
let frontmatterParser: Promise<typeof import("./parse-frontmatter.js")> | undefined;

/** The file's stat (taken before it is read) and bytes; null when it is over the size limit. */
type ReadBytes = (absolute: string) => Promise<{ info: BigIntStats; bytes: Buffer | null }>;

const readAsync: ReadBytes = async (absolute) => {
  const info = await stat(absolute, { bigint: true });
  return { info, bytes: info.size > MAX_ARTICLE_BYTES ? null : await readFile(absolute) };
};

const readSync: ReadBytes = async (absolute) => {
  const fd = openSync(absolute, "r");
  try {
    const info = fstatSync(fd, { bigint: true });
    return { info, bytes: info.size > MAX_ARTICLE_BYTES ? null : readFileSync(fd) };
  } finally {
    closeSync(fd);
  }
};

async function readArticle({ absolute, file, storyKey }: ContentFile, options: LoadContentOptions, sink: DiagnosticSink): Promise<SourceArticle | null> {
  const { reuse } = options;
  let bytes: Buffer;
  let info: BigIntStats;
  try {
    const read = await (options.syncReads ? readSync : readAsync)(absolute);
    info = read.info;
    if (read.bytes === null) {
      sink.error(
        new ContentError(`the file is ${(Number(info.size) / 1024 / 1024).toFixed(1)} MiB, over the ${MAX_ARTICLE_BYTES / 1024 / 1024} MiB limit for one article.`, {
          location: { file },
          hint: "Split it into several articles or move attachments out of the Markdown.",
        }),
      );
      return null;
    }
    bytes = read.bytes;
  } catch (cause) {
    sink.error(new ContentError(`the file cannot be read (${errorCode(cause)}).`, { location: { file }, cause }));
    return null;
  }
  const hash = hashText(bytes);
  if (reuse !== undefined && reuse.hashes.get(file) === hash) {
    reuse.reused.push([file, statKey(info)]);
    return null;
  }
  let text: string;
  try {
    if (bytes.includes(0)) throw new Error("NUL byte");
    text = decoder.decode(bytes);
  } catch {
    sink.error(
      new ContentError("the file is not UTF-8 text (it looks binary or uses another encoding).", {
        location: { file },
        hint: "Save it as UTF-8 Markdown, or move non-text files out of the content folder.",
      }),
    );
    return null;
  }
  if (text.trim() === "" || text.replace(/^\uFEFF/, "").trim() === "") {
    sink.warn("skipped: the file is empty.", { file }, "Add frontmatter with a title, and a body.");
    return null;
  }

  try {
    const { parseFrontmatter } = await (frontmatterParser ??= import("./parse-frontmatter.js"));
    const parsed = parseFrontmatter(text, file);
    for (const key of Object.keys(parsed.frontmatter)) {
      if (isKnownKey(key)) continue;
      const suggestion = suggestKey(key);
      sink.warn(
        `unknown frontmatter key "${key}" is ignored.`,
        { file, line: parsed.keyLines[key] ?? 1 },
        suggestion ? `Did you mean "${suggestion}"?` : "Remove it, or see the README for the fields Gazette reads.",
      );
    }
    return {
      file,
      storyKey,
      fileStem: path.basename(absolute, ".md"),
      frontmatter: parsed.frontmatter,
      keyLines: parsed.keyLines,
      body: parsed.body,
      bodyLine: parsed.bodyLine,
      hash,
      stat: statKey(info),
    };
  } catch (error) {
    if (error instanceof SiteError) {
      sink.error(error);
      return null;
    }
    throw error;
  }
}

function sorted(entries: Dirent[]): Dirent[] {
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}
