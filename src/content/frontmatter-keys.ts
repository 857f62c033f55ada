/**
 * Every frontmatter key Gazette reads. Anything else is reported (a typo such as `tittle:` would
 * otherwise silently drop a value), with the closest known key as a suggestion.
 */
export const KNOWN_FRONTMATTER_KEYS = [
  "title",
  "lang",
  "language",
  "date",
  "updated",
  "retrieved",
  "date_precision",
  "relative_date",
  "author",
  "authors",
  "source",
  "references",
  "tags",
  "keywords",
  "category",
  "section",
  "location",
  "summary",
  "slug",
  "translated_from",
  "draft",
  "related",
  "related_exclude",
  "seo",
] as const;

export type FrontmatterKey = (typeof KNOWN_FRONTMATTER_KEYS)[number];

const known = new Set<string>(KNOWN_FRONTMATTER_KEYS);

export function isKnownKey(key: string): key is FrontmatterKey {
  return known.has(key);
}

/** The known key closest to a typo, if it is close enough to be a plausible intent. */
export function suggestKey(key: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lowered = key.toLowerCase().replace(/-/g, "_");
  for (const candidate of KNOWN_FRONTMATTER_KEYS) {
    const distance = lowered === candidate ? 0 : editDistance(lowered, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(key.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}
