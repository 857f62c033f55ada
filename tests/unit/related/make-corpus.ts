import type { RelatedDoc } from "../../../src/related/extract-features.js";
import { seededRandom } from "../../helpers/random.js";

const DAY = 86_400_000;

/**
 * `count` documents in two languages over a small vocabulary, most stories in both: some features in
 * a few documents (all their postings read), some in hundreds (read within a window), some too
 * common to search. Skewed choices, so that documents share a lot. Every 97th story pins one.
 */
export function corpus(count: number, seed: number): RelatedDoc[] {
  const random = seededRandom(seed);
  const skewed = (size: number) => Math.floor(size * random() * random());
  const pick = (prefix: string, size: number, k: number) => [...new Set(Array.from({ length: k }, () => `${prefix}${skewed(size)}`))].sort();
  const docs: RelatedDoc[] = [];
  for (let story = 0; docs.length < count; story++) {
    const time = Date.UTC(2025, 0, 1) + Math.floor(random() * 200) * DAY + Math.floor(random() * 24) * 3_600_000;
    const entities = pick("e", 40, 3);
    const topics = pick("t", 25, 2);
    for (const lang of random() < 0.7 ? ["de", "en"] : ["de"]) {
      const terms = pick(`${lang}-w`, 150, 12);
      docs.push({
        id: `s${story}/${lang}`,
        storyKey: `s${story}`,
        lang,
        time,
        entities,
        entityNames: entities,
        entityCounts: entities.map(() => 1 + Math.floor(random() * 3)),
        topics,
        topicNames: topics,
        terms: terms.join(" "),
        termCounts: terms.map(() => 1 + Math.floor(random() * 4)),
        pins: story % 97 === 5 ? [`s${story - 3}`] : [],
        exclude: [],
      });
    }
  }
  return docs;
}
