/**
 * The related stage: Article -> RelatedDoc (per article, pure, cheap), RelatedDoc[] -> RelatedMap.
 *
 *   const docs = selectPublishable(articles, { drafts, buildTime }).map(extractRelatedFeatures);
 *   const related = computeRelated(docs, config.related);
 */
export { buildRelatedIndex, computeRelated, defaultTuning, type ListMargins, type RelatedOptions, type RelatedTuning } from "./compute-related.js";
export { internFeatures, type FeatureRows } from "./feature-rows.js";
export { extractRelatedFeatures, featuresDigest, MAX_TERMS, termsOf, type RelatedDoc } from "./extract-features.js";
export { selectPublishable, type PublishableOptions } from "./select-publishable.js";
