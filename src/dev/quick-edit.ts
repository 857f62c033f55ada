import type { Article, Diagnostic, SourceArticle } from "../types.js";
import { readContentFiles, type ContentCache } from "../content/load-content.js";
import { DiagnosticSink } from "../errors/diagnostics.js";
import { toProjectPath } from "../util/paths.js";
import { indexKey } from "../i18n/site-index.js";
import { acrossArticlesKey, reapplyAcrossArticles, urlMovesAlone, type NormalizeContext, type NormalizeOutcome } from "../normalize/index.js";
import { normalizeArticle } from "../normalize/normalize-article.js";
import type { ChangeSet } from "./classify-change.js";

/** One content file as the last good build had it. */
export interface KnownFile {
  storyKey: string;
  /** The file's record as normalization made it, and as the checks across articles left it. */
  raw: Article;
  checked: Article;
  /** Warnings of reading the file (the others are in `checked.diagnostics`). */
  readWarnings: readonly Diagnostic[];
}

/** An edit the quick path can take: `next` replaces `previous` in the site. */
export interface QuickEdit {
  absolute: string;
  previous: KnownFile;
  next: KnownFile;
}

/**
 * The edits of `changes` if each is one that leaves the site's shape alone: existing files saved
 * again, with no error, whose records differ only in what the pages show (title, body, summary,
 * byline details...), not in what the checks across articles or the site index read (language,
 * story, draft). A new URL (a title its slug is made from) or date is quick when no other article
 * holds or wants its URL (`urlMovesAlone`); the caller then checks the URL against the other
 * pages', the date (dev/redate.ts) and new topics, authors or source (dev/relabel.ts) against the
 * site index.
 * Anything else, or any doubt, is null: the full rebuild.
 *
 * Files read and normalized here go into the caches either way, so the full rebuild does not
 * read them again.
 */
export async function readQuickEdits(
  changes: ChangeSet | null,
  known: ReadonlyMap<string, KnownFile>,
  context: { root: string; contentDir: string; normalize: NormalizeContext; contentCache: ContentCache; normalizeCache: WeakMap<SourceArticle, NormalizeOutcome> },
): Promise<QuickEdit[] | null> {
  if (changes === null || changes.full || changes.theme || changes.contentFiles.size === 0) return null;
  for (const [file, event] of changes.contentFiles) if (event !== "change" || !known.has(file)) return null;
  const edits: QuickEdit[] = [];
  for (const absolute of changes.contentFiles.keys()) {
    const previous = known.get(absolute)!;
    const sink = new DiagnosticSink();
    const [source] = await readContentFiles([{ absolute, file: toProjectPath(context.root, absolute), storyKey: previous.storyKey }], { root: context.root, contentDir: context.contentDir, syncReads: true }, sink);
    context.contentCache.set(absolute, { source: source ?? null, errors: sink.errors, warnings: sink.warnings });
    if (!source || sink.errors.length > 0) return null;
    const outcome = normalizeArticle(source, context.normalize);
    context.normalizeCache.set(source, outcome);
    if (!outcome.article || outcome.errors.length > 0) return null;
    const raw = outcome.article;
    if (acrossArticlesKey(raw) !== acrossArticlesKey(previous.raw)) return null;
    const urlOrDate = raw.url !== previous.raw.url || raw.date !== previous.raw.date;
    if (urlOrDate && (changes.contentFiles.size > 1 || !urlMovesAlone(raw, previous, known.values()))) return null;
    const checked = reapplyAcrossArticles(raw, previous);
    if (indexKey(checked, { date: false, labels: false }) !== indexKey(previous.checked, { date: false, labels: false })) return null;
    edits.push({ absolute, previous, next: { storyKey: previous.storyKey, raw, checked, readWarnings: sink.warnings } });
  }
  return edits;
}
