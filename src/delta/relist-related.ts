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

/** Above this many pages whose related list changed, a full build is about as quick. */
const MAX_RELISTED = 500;

/** The new related list (page numbers, best first) of every page whose list differs from the snapshot's, or why the delta cannot tell. */
export async function relistRelated(root: string, snapshot: SiteSnapshot, edits: readonly AppliedEdit[], config: SiteConfig): Promise<{ lists: Map<number, number[]> } | { miss: string }> {
  const changed = edits.filter((edit) => edit.page !== null && edit.features !== null);
  if (changed.length === 0) return { lists: new Map() };
  const { relatedKey, offsets } = snapshot.head;
  if (!relatedKey) return { miss: "the site snapshot does not say which related-articles features it was built from" };
  const features = await readRelatedFeatures(root, relatedKey);
  const pageCount = offsets.length - 1;
  if (features?.docs.length !== pageCount) return { miss: "the last build's related-articles features do not read back" };
  const { docs } = features;
  const docOf = new Map(docs.map((doc, i) => [doc.id, i]));
  // In page order when written by the build that made the snapshot; else (the lists were reused) the pages are read for their ids.
  let numberOf = docOf;
  if (features.order !== snapshot.head.pageOrder) {
    numberOf = new Map();
    for (let number = 0; number < pageCount; number++) numberOf.set(snapshot.page(number).id, number);
  }
  for (const edit of changed) {
    const at = docOf.get(edit.article.id);
    if (at === undefined) return { miss: `the last build's related-articles features have no ${edit.article.id}` };
    docs[at] = edit.features!;
  }
  const { computeRelated } = await import("../related/compute-related.js");
  // As the full build computes them (planSite): pages show no reasons.
  const computed = computeRelated(docs, { ...config.related, explain: false });
  if (computed.size !== pageCount) return { miss: "the related lists are not one per page" };
  const lists = new Map<number, number[]>();
  for (const [id, entries] of computed) {
    const number = numberOf.get(id);
    const list = entries.map((entry) => numberOf.get(entry.id) ?? -1);
    if (number === undefined || list.includes(-1)) return { miss: `a related list of ${id} is not of the snapshot's pages` };
    const before = snapshot.page(number).related;
    if (list.length !== before.length || list.some((each, i) => each !== before[i])) lists.set(number, list);
  }
  if (lists.size > MAX_RELISTED) return { miss: `${lists.size} related lists changed` };
  return { lists };
}
