import type { Article, Diagnostic } from "../types.js";
import { loadConfig, type ConfigOverrides } from "../config/load-config.js";
import { readContentFiles, type ContentFile } from "../content/load-content.js";
import { loadEntities } from "../content/load-entities.js";
import { DiagnosticSink } from "../errors/diagnostics.js";
import { serializeError, type SerializedError } from "../errors/serialize.js";
import { compileEntityTable } from "../normalize/entities.js";
import { normalizeEach } from "../normalize/index.js";
import { extractRelatedFeatures, type RelatedDoc } from "../related/index.js";

/** One share of the content files, and how to read them. Plain data: it is sent to a worker. */
export interface LoadTask {
  root: string;
  overrides: ConfigOverrides;
  contentDir: string;
  files: ContentFile[];
}

/** What loading a share gives; plain data, so that it survives structured cloning. */
export interface ShardResult {
  articles: Article[];
  /** The related-articles features of each article, in the same order. */
  features: RelatedDoc[];
  errors: SerializedError[];
  warnings: Diagnostic[];
}

/**
 * Read, parse, normalize and extract related features for a share of the files: the per-file
 * part of the pipeline, which is most of a cold build's CPU time. Cross-file checks stay with the
 * caller. The config and entity table are loaded again here (cheap; the main thread has checked
 * them already, and reports their diagnostics once).
 */
export async function loadShard(task: LoadTask): Promise<ShardResult> {
  const config = await loadConfig(task.root, task.overrides);
  const entitySink = new DiagnosticSink();
  const entities = compileEntityTable(await loadEntities(task.root, config.paths.data, entitySink));
  const sink = new DiagnosticSink();
  const sources = await readContentFiles(task.files, { root: task.root, contentDir: task.contentDir }, sink);
  const articles = normalizeEach(sources, { config, entities }, sink);
  return {
    articles,
    features: articles.map((article) => extractRelatedFeatures(article)),
    errors: sink.errors.map(serializeError),
    warnings: sink.warnings,
  };
}
