/**
 * A delta build's pages that move (see apply-delta.ts): a new headline its slug is made from (or a
 * new `slug:`) publishes an article at another URL. The page is written at the new URL and its
 * file at the old one deleted; the pages that link it are rendered again (its other language
 * versions, the pages that show its card, its feeds and the news sitemap), and its and its
 * versions' `sitemap.xml` entries written again. Later deltas keep where it is now in the
 * patched-pages file (`moved`), so that an undo moves it back.
 *
 * A page moves in a delta only where a full build would put it with every other article where it
 * was (the rule of `urlMovesAlone` in gazette dev): its last URL was its own slug's (read-edits.ts
 * checks), no other page or article without a page (a draft, a future date) holds the new one, no
 * article published elsewhere because its slug was taken wants either (the checks would give it
 * back), nor could take either as one of its other candidates (`assignUrls`), and no path is
 * outside the output folder; else a full build decides. The search index's parts that hold it
 * before and after are indexed again (reindex-search.ts).
 */
import type { PatchedPages } from "../cache/page-cache.js";
import { readSnapshotSection, type SiteSnapshot } from "../cache/site-snapshot.js";
import { SiteUrls } from "../i18n/urls.js";
import { confinementProblem } from "../output/plan-routes.js";
import { outputsNow } from "./check-snapshot.js";
import type { AppliedEdit } from "./read-edits.js";

/** An edited page whose URL differs from the last full build's now, or did after an earlier delta. */
export interface PageMove {
  edit: AppliedEdit;
  /** Its page number in the snapshot. */
  number: number;
  /** Its URL in the last full build, in the output now, and after this delta. */
  from: string;
  now: string;
  next: string;
}

/** The edits whose page moves now, or was moved by an earlier delta (`moved`: see `PatchedPages`), in page order. */
export function pageMoves(edits: readonly AppliedEdit[], moved: PatchedPages["moved"]): PageMove[] {
  const earlier = new Map(moved.map(([file, from, to]) => [file, { from, to }]));
  const moves: PageMove[] = [];
  for (const edit of edits) {
    if (!edit.page) continue;
    const before = earlier.get(edit.file);
    const from = before?.from ?? edit.movedFrom ?? edit.article.url;
    const now = before?.to ?? from;
    if (now !== edit.article.url || from !== edit.article.url) moves.push({ edit, number: edit.page.number, from, now, next: edit.article.url });
  }
  return moves.sort((a, b) => a.number - b.number);
}

/** Why the pages cannot move in a delta (a full build decides), or null when they can. */
export function moveMiss(moves: readonly PageMove[], root: string, snapshot: SiteSnapshot, patched: PatchedPages): string | null {
  if (moves.every((move) => move.now === move.next)) return null;
  const outputs = outputsNow(readSnapshotSection(root, snapshot.head.buildId, "outputs") as string[] | null, changedOutputs(patched));
  if (!outputs) return "the site snapshot does not read back";
  return clashOfMoves(moves, { outputs, relocated: snapshot.head.relocated, unpublished: snapshot.head.unpublished });
}

/**
 * Why the pages cannot move where they go, or null: `outputs`, every file of the output now;
 * `relocated`, the URLs articles published elsewhere wanted; `unpublished`, the URLs of articles
 * without a page (see `SnapshotHead`).
 */
export function clashOfMoves(moves: readonly PageMove[], site: { outputs: readonly string[]; relocated: readonly string[]; unpublished: readonly string[] }): string | null {
  const { outputs, relocated, unpublished } = site;
  const moving = moves.filter((move) => move.now !== move.next);
  // Output paths are compared as a case-insensitive file system sees them (as `checkRoutes` does).
  const leaving = new Set(moving.map((move) => SiteUrls.outputPath(move.now).toLowerCase()));
  const arriving = new Set<string>();
  // One pass over the site's 34,000 paths per moved page, not a set of them all lowercased (~30 ms
  // at 10,000 stories): only a path of the same length can be the same lowercased, but one with
  // U+0130 (İ), the one character whose lowercase is longer.
  const taken = (lower: string): boolean => arriving.has(lower) || (!leaving.has(lower) && outputs.some((file) => (file.length === lower.length || file.includes("\u0130")) && file.toLowerCase() === lower));
  const held = new Set(unpublished);
  for (const { edit, now, next } of moving) {
    const outputPath = SiteUrls.outputPath(next);
    if (confinementProblem(outputPath) !== null) return `${edit.file}: its new URL is outside the output folder`;
    if (taken(outputPath.toLowerCase()) || held.has(next)) return `${edit.file}: another page or article has its new URL`;
    arriving.add(outputPath.toLowerCase());
    if (wantedElsewhere(now, relocated) || wantedElsewhere(next, relocated)) return `${edit.file}: an article published elsewhere wants its URL, or one like it`;
  }
  return null;
}

/**
 * Whether an article published elsewhere (its slug was taken) wants `url`, or could take it as one
 * of its other candidates (its slug with a date or story key appended: see `assignUrls`).
 */
export function wantedElsewhere(url: string, relocated: readonly string[]): boolean {
  return relocated.some((wanted) => url === wanted || url.startsWith(`${wanted.slice(0, -1)}-`));
}

/** The pages moved since the last full build, after this delta: `moves` not at their first URL, and earlier ones this delta did not see (none while deltas apply every moved file again). */
export function movedSince(earlier: PatchedPages["moved"], moves: readonly PageMove[]): PatchedPages["moved"] {
  const now = new Set(moves.map((move) => move.edit.file));
  return [...earlier.filter(([file]) => !now.has(file)), ...moves.flatMap(({ edit, from, next }): [string, string, string][] => (from === next ? [] : [[edit.file, from, next]]))];
}

/** The files of the last full build's output that deltas deleted, and the files they added: search index files, and pages they moved. */
export function changedOutputs(patched: PatchedPages): { removed: string[]; added: string[] } {
  return {
    removed: [...(patched.search?.removed ?? []), ...patched.moved.map(([, from]) => SiteUrls.outputPath(from))],
    added: [...(patched.search?.added ?? []), ...patched.moved.map(([, , to]) => SiteUrls.outputPath(to))],
  };
}
