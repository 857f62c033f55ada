/**
 * A delta build's related lists (see apply-delta.ts) when an edit changes an article's
 * related-articles features, as most added paragraphs do (its 32 strongest terms and their
 * counts). Scores depend on how common each feature is across the whole site, so every list is
 * computed again, from the features the last full build computed its lists from
 * (cache/related-features.ts) with the edited articles' new ones; the pages whose list changed are
 * rendered with the edited ones. Without those features, or when too many lists change, the
 * delta misses and the build is a full one.
 */
import type { SiteConfig } from "../config/site-config.js";
import { readRelatedFeatures } from "../cache/related-features.js";
import type { SiteSnapshot } from "../cache/site-snapshot.js";
import type { AppliedEdit } from "./read-edits.js";

/** Above this many pages whose related list changed (now or in earlier deltas), a full build is about as quick. */
const MAX_RELISTED = 500;

/**
 * The new related list (page numbers, best first) of every page whose list differs from the
 * snapshot's, and the pages earlier deltas relisted that are not among them (`earlier`: they are
 * rendered again, so that an undo puts them back); or why the delta cannot tell. `computed`: whether
 * an edit's features changed, so that the lists were computed.
 */
export async function relistRelated(
  root: string,
  snapshot: SiteSnapshot,
  edits: readonly AppliedEdit[],
  config: SiteConfig,
  earlier: readonly number[],
): Promise<{ lists: Map<number, number[]>; again: number[]; computed: boolean } | { miss: string }> {
  const changed = edits.filter((edit) => edit.page !== null && edit.features !== null);
  const lists = new Map<number, number[]>();
  if (changed.length > 0) {
    const computed = await computeLists(root, snapshot, changed, config, lists);
    if (computed !== null) return { miss: computed };
  }
  const again = earlier.filter((number) => !lists.has(number));
  if (lists.size + again.length > MAX_RELISTED) return { miss: `${lists.size + again.length} related lists changed` };
  return { lists, again, computed: changed.length > 0 };
}

/** Every list computed again with the edits' features; those that differ from the snapshot's go into `lists`. A string says why they cannot be. */
async function computeLists(root: string, snapshot: SiteSnapshot, changed: readonly AppliedEdit[], config: SiteConfig, lists: Map<number, number[]>): Promise<string | null> {
  const { relatedKey, offsets } = snapshot.head;
  if (!relatedKey) return "the site snapshot does not say which related-articles features it was built from";
  const docs = await readRelatedFeatures(root, relatedKey);
  const pageCount = offsets.length - 1;
  if (docs?.length !== pageCount) return "the last build's related-articles features do not read back";
  const docOf = new Map(docs.map((doc, i) => [doc.id, i]));
  for (const edit of changed) {
    const at = docOf.get(edit.article.id);
    if (at === undefined) return `the last build's related-articles features have no ${edit.article.id}`;
    docs[at] = edit.features!;
  }
  // Every page's entry is read to compare its list: its id too.
  const numberOf = new Map<string, number>();
  for (let number = 0; number < pageCount; number++) numberOf.set(snapshot.page(number).id, number);
  const { computeRelated } = await import("../related/compute-related.js");
  // As the full build computes them (planSite): pages show no reasons.
  const computed = computeRelated(docs, { ...config.related, explain: false });
  if (computed.size !== pageCount) return "the related lists are not one per page";
  for (const [id, entries] of computed) {
    const number = numberOf.get(id);
    const list = entries.map((entry) => numberOf.get(entry.id) ?? -1);
    if (number === undefined || list.includes(-1)) return `a related list of ${id} is not of the snapshot's pages`;
    const before = snapshot.page(number).related;
    if (list.length !== before.length || list.some((each, i) => each !== before[i])) lists.set(number, list);
  }
  return null;
}
