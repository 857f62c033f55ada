/**
 * A delta build's related lists (see apply-delta.ts) when an edit changes an article's
 * related-articles features, as most added paragraphs do (its 32 strongest terms and their
 * counts). Scores depend on how common each feature is across the whole site, so the lists are
 * computed again from the features the last full build computed its lists from
 * (cache/related-features.ts) with the edited articles' new ones: those the edit can change
 * (`affectedByFeatures`: often two thirds of them for a new tag), or all when that is most. The
 * pages whose list differs from that build's (kept with the features) are rendered with the edited
 * ones. Of the lists of and around articles whose weights the edit moved (not edited, but with
 * a feature the edit made more or less common), only those whose margins the move can cross are
 * computed (~1,000 of 20,025 for a new summary). An edit that changes an article's date alone
 * changes no feature's weight: then only the lists that could read it are computed again
 * (`affectedByMoves`). Without those features, or when
 * too many lists change, the delta misses and the build is a full one. From 25,000 lists on, a
 * helper thread computes a share of them (see related/related-on-cores.ts).
 */
import type { SiteConfig } from "../config/site-config.js";
import type { RelatedDoc } from "../related/index.js";
import type { FeatureChange } from "../related/affected-lists.js";
import type { RelatedMap } from "../types.js";
import { readRelatedFeatures } from "../cache/related-features.js";
import type { SiteSnapshot } from "../cache/site-snapshot.js";
import type { AppliedEdit } from "./read-edits.js";

/** Above this many pages whose related list changed (now or in earlier deltas), a full build is about as quick. */
const MAX_RELISTED = 500;
/** Above this share of the lists that an edit of features can change, they are all computed: about as quick as finding which. */
const MAX_AFFECTED_SHARE = 0.8;

/** How many lists were computed again, and why not all (null: all). */
export interface ComputedLists {
  count: number;
  only: "dates moved" | "features changed" | null;
  /** How many a helper thread made (see related/related-on-cores.ts). */
  helped: number;
}

/**
 * The new related list (page numbers, best first) of every page whose list differs from the
 * snapshot's, and the pages earlier deltas relisted that are not among them (`earlier`: they are
 * rendered again, so that an undo puts them back); or why the delta cannot tell. `computed`: how many
 * lists were computed again (none unless an edit's features changed), and whether that was all of them.
 */
export async function relistRelated(
  root: string,
  snapshot: SiteSnapshot,
  edits: readonly AppliedEdit[],
  config: SiteConfig,
  earlier: readonly number[],
): Promise<{ lists: Map<number, number[]>; again: number[]; computed: ComputedLists | null } | { miss: string }> {
  const changed = edits.filter((edit) => edit.page !== null && edit.features !== null);
  const lists = new Map<number, number[]>();
  let computed: ComputedLists | null = null;
  if (changed.length > 0) {
    const outcome = await computeLists(root, snapshot, changed, config, lists);
    if (typeof outcome === "string") return { miss: outcome };
    computed = outcome;
  }
  const again = earlier.filter((number) => !lists.has(number));
  if (lists.size + again.length > MAX_RELISTED) return { miss: `${lists.size + again.length} related lists changed` };
  return { lists, again, computed };
}

/**
 * The lists computed again with the edits' features (those the edits can change: every list, or those a move in time or the features changed can reach);
 * those that differ from the last full build's go into `lists`. A string says why they cannot be.
 */
async function computeLists(root: string, snapshot: SiteSnapshot, changed: readonly AppliedEdit[], config: SiteConfig, lists: Map<number, number[]>): Promise<ComputedLists | string> {
  const { relatedKey, offsets, pageOrder } = snapshot.head;
  if (!relatedKey) return "the site snapshot does not say which related-articles features it was built from";
  const stored = await readRelatedFeatures(root, relatedKey);
  const pageCount = offsets.length - 1;
  if (stored?.docs.length !== pageCount) return "the last build's related-articles features do not read back";
  // Its documents in page order: a document's number is its page's.
  if (stored.order !== pageOrder) return "the last build's related-articles features are not in the order of its pages";
  const { docs } = stored;
  const numberOf = new Map(docs.map((doc, i) => [doc.id, i]));
  const replacements = new Map<number, RelatedDoc>();
  for (const edit of changed) {
    const at = numberOf.get(edit.article.id);
    if (at === undefined) return `the last build's related-articles features have no ${edit.article.id}`;
    replacements.set(at, edit.features!);
  }
  const { replaceRows, sameRow } = await import("../related/feature-rows.js");
  const rows = replaceRows(stored.rows, replacements);
  // Moved in time alone (a new date): their old times, while every edit is one.
  let moves: { id: string; time: number }[] | null = [];
  const changes: FeatureChange[] = [];
  // The lists' margins bound what new weights change when every edited article keeps its story and language.
  let sameDocs = true;
  for (const [at, features] of replacements) {
    if (moves && sameRow(stored.rows, at, rows, at) && sameLists(docs[at]!, features)) moves.push({ id: features.id, time: docs[at]!.time });
    else moves = null;
    if (features.storyKey !== docs[at]!.storyKey || features.lang !== docs[at]!.lang) sameDocs = false;
    changes.push({ id: features.id, time: docs[at]!.time, features: new Set(stored.rows.ids.subarray(stored.rows.offsets[at], stored.rows.offsets[at + 1])) });
    docs[at] = features;
  }
  const [{ buildRelatedIndex }, { affectedByFeatures, affectedByMoves }, { computeRelatedOnCores, startRelatedHelper }] = await Promise.all([
    import("../related/compute-related.js"),
    import("../related/affected-lists.js"),
    import("../related/related-on-cores.js"),
  ]);
  // Features changed (not dates alone) without margins to go by: often every list is computed again, a share of them on a
  // helper thread started now. With them, few are (~1,000 of 20,025 for a new summary): a helper only when most are.
  const base = sameDocs ? { rows, margins: stored.margins } : undefined;
  let helper = moves || base ? null : startRelatedHelper(pageCount);
  let computed: RelatedMap;
  let helped: number;
  let only: string[] | null;
  try {
    // As the full build computes them (planSite): pages show no reasons.
    const options = { ...config.related, explain: false };
    const index = buildRelatedIndex(docs, options, rows, helper !== null);
    const affected = moves ? affectedByMoves(index, moves) : affectedByFeatures(index, changes, Math.floor(MAX_AFFECTED_SHARE * pageCount), base);
    only = affected && [...affected];
    if (base && !moves) helper = startRelatedHelper(only?.length ?? pageCount);
    ({ lists: computed, helped } = await computeRelatedOnCores(docs, only ? { ...options, only } : options, index, helper));
  } finally {
    helper?.close();
  }
  if (computed.size !== (only?.length ?? pageCount)) return "the related lists are not one per page";
  const before = stored.lists;
  for (const [id, entries] of computed) {
    const number = numberOf.get(id);
    const list = entries.map((entry) => numberOf.get(entry.id) ?? -1);
    if (number === undefined || list.includes(-1)) return `a related list of ${id} is not of the snapshot's pages`;
    const [start, end] = [before.offsets[number]!, before.offsets[number + 1]!];
    if (list.length !== end - start || list.some((each, i) => each !== before.docs[start + i])) lists.set(number, list);
  }
  return { count: computed.size, only: only === null ? null : moves ? "dates moved" : "features changed", helped };
}

/** Whether two documents of one article have the same pins and excludes (and story). */
function sameLists(a: RelatedDoc, b: RelatedDoc): boolean {
  const lists = (doc: RelatedDoc) => JSON.stringify([doc.id, doc.storyKey, doc.lang, doc.pins, doc.exclude]);
  return lists(a) === lists(b);
}
