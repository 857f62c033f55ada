import type { Article } from "../../types.js";
import { loadSite } from "../../build.js";
import { UsageError } from "../../errors/site-error.js";
import { READ_CACHE_HELP, READ_CACHE_OPTION, readCache, type CommandSpec, type ParsedCommand } from "../args.js";
import { printDiagnostics } from "../report.js";

export const spec: CommandSpec = {
  name: "list",
  summary: "Print the normalized article records, one per language version.",
  usage: "gazette list --json [--content DIR] [--no-cache]",
  options: { json: { type: "boolean" }, ...READ_CACHE_OPTION },
  help: ["--json            print a JSON array (the only format so far)", READ_CACHE_HELP],
};

export async function run(args: ParsedCommand): Promise<number> {
  if (!args.values.json) throw new UsageError("list prints JSON only: add --json.", { hint: `Usage: ${spec.usage}` });
  const site = await loadSite({ root: process.cwd(), dropMarkdown: true, features: false, cache: readCache(args), ...(typeof args.values.content === "string" ? { content: args.values.content } : {}) });
  printDiagnostics(site.errors, []);
  writeJsonArray(site.articles.map(toRecord), (text) => process.stdout.write(text));
  return site.errors.length === 0 ? 0 : 1;
}

/**
 * Writes `JSON.stringify(items, null, 2)` and a newline, the same bytes, ~1 MB at a time: at
 * 30,000 stories the whole text (125 MB) made `list` peak ~0.6 GB above `check`. (JSON escapes
 * line breaks inside strings, so indenting every line of an item indents only its structure.)
 */
export function writeJsonArray(items: readonly unknown[], write: (text: string) => void): void {
  if (items.length === 0) return void write("[]\n");
  let batch = "[\n";
  items.forEach((item, i) => {
    batch += `  ${JSON.stringify(item, null, 2).replaceAll("\n", "\n  ")}${i < items.length - 1 ? ",\n" : "\n]\n"}`;
    if (batch.length >= 1 << 20) {
      write(batch);
      batch = "";
    }
  });
  if (batch !== "") write(batch);
}

/** The public record shape (PRODUCT.md, `gazette list --json`): tools downstream rely on these names. */
export function toRecord(article: Article) {
  return {
    key: article.storyKey,
    lang: article.lang,
    file: article.file,
    slug: article.slug,
    url: article.url,
    title: article.title,
    date: article.date,
    datePrecision: article.datePrecision,
    updated: article.updated,
    authors: article.authors,
    source: article.source,
    references: article.references,
    tags: article.tags.map((tag) => ({ name: tag.name, slug: tag.slug, id: tag.id })),
    entities: article.entities.map((entity) => ({ id: entity.id, name: entity.name, kind: entity.kind, count: entity.count })),
    category: article.category,
    location: article.dateline,
    summary: article.summary,
    wordCount: article.wordCount,
    readingMinutes: article.readingMinutes,
    translatedFrom: article.translatedFrom,
    draft: article.draft,
    passages: article.passages,
    diagnostics: article.diagnostics.map((diagnostic) => ({
      message: diagnostic.message,
      line: diagnostic.location?.line ?? null,
      ...(diagnostic.hint ? { hint: diagnostic.hint } : {}),
    })),
  };
}
