/**
 * A `gazette dev` session's first load from the last build's record cache (`.gazette-cache/`,
 * read, never written): a content file whose stat key is the one its record was made from is not
 * read or normalized again. Its record (the article, its read warnings, its related features)
 * goes into the session's caches under a stand-in for the parsed source, which only keys the
 * normalize cache; a file the session reads again (a save, or everything after a config or entity
 * edit, which empties both caches) gets a real source. At 10,000 stories the records read in
 * ~2-3 s what reading and normalizing takes ~10-13 s on two threads.
 */
import { statSync } from "node:fs";
import type { EntityDefinition, SourceArticle } from "../types.js";
import type { LoadCaches } from "../build.js";
import type { SiteConfig } from "../config/site-config.js";
import { statKey, type ContentFile } from "../content/load-content.js";
import { engineKey, openRecordCache } from "../cache/record-cache.js";
import type { RelatedDoc } from "../related/index.js";

/** What was taken from the cache: the files (absolute paths) and their articles' features by id (with their digests, for the related lists' key: see cache/related-cache.ts). */
export interface Seeded {
  files: Set<string>;
  features: Map<string, RelatedDoc>;
  featureKeys: Map<string, string>;
  /** The cache's engine key (null when it holds nothing for this engine). */
  engineKey: string | null;
}

/** Fills the empty caches of a session with the records of the files unchanged since the last build. */
export async function seedFromRecordCache(root: string, files: readonly ContentFile[], engine: { config: SiteConfig; entityDefinitions: readonly EntityDefinition[] }, caches: LoadCaches): Promise<Seeded> {
  const key = engineKey(engine.config, engine.entityDefinitions);
  const seeded: Seeded = { files: new Set(), features: new Map(), featureKeys: new Map(), engineKey: null };
  const opened = await openRecordCache(root, key);
  if (!opened) return seeded;
  seeded.engineKey = key;
  const unchanged = files.filter((file) => {
    const cached = opened.stats.get(file.file);
    if (cached === undefined) return false;
    const info = statSync(file.absolute, { bigint: true, throwIfNoEntry: false });
    return info !== undefined && statKey(info) === cached;
  });
  if (unchanged.length === 0) return seeded;
  const records = await opened.records();
  for (const file of unchanged) {
    const record = records.get(file.file);
    if (!record) continue;
    const source = standIn(file, record.hash, record.stat);
    caches.content.set(file.absolute, { source, errors: [], warnings: record.readWarnings });
    caches.normalized.set(source, { article: record.article, errors: [] });
    seeded.files.add(file.absolute);
    seeded.features.set(record.article.id, record.features);
    seeded.featureKeys.set(record.article.id, record.featuresKey);
  }
  return seeded;
}

/**
 * A record's stand-in for its parsed source: it keys the normalize cache, which holds the record;
 * its text was never read, so reading it (normalizing it again) is a bug that must not pass unseen.
 */
function standIn(file: ContentFile, hash: string, stat: string): SourceArticle {
  const unread = (): never => {
    throw new Error(`Internal: ${file.file} was taken from the build cache; its text was not read.`);
  };
  return {
    file: file.file,
    storyKey: file.storyKey,
    fileStem: file.file.slice(file.file.lastIndexOf("/") + 1).replace(/\.md$/, ""),
    get frontmatter() {
      return unread();
    },
    get keyLines() {
      return unread();
    },
    get body() {
      return unread();
    },
    get bodyLine() {
      return unread();
    },
    hash,
    stat,
  };
}
