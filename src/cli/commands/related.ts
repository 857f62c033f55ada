import path from "node:path";
import type { Article, RelatedEntry, RelatedReason } from "../../types.js";
import { loadSite } from "../../build.js";
import type { SiteConfig } from "../../config/site-config.js";
import { UsageError } from "../../errors/site-error.js";
import { computeRelated, extractRelatedFeatures, selectPublishable } from "../../related/index.js";
import { READ_CACHE_HELP, READ_CACHE_OPTION, readCache, type CommandSpec, type ParsedCommand } from "../args.js";
import { printDiagnostics } from "../report.js";

export const spec: CommandSpec = {
  name: "related",
  summary: "Print the related list of one story, with each signal's share of every score.",
  usage: "gazette related KEY [--lang L] [--json] [--content DIR] [--no-cache]",
  options: { lang: { type: "string" }, json: { type: "boolean" }, ...READ_CACHE_OPTION },
  help: [
    "KEY               the story key: the folder name under articles/",
    "--lang L          which language version (default: the site's default language, if the story has it)",
    "--json            print [{key, lang, url, title, score, reasons}] instead of a table",
    READ_CACHE_HELP,
  ],
  positionals: { min: 0, max: 1 },
};

/** One listed article, as `--json` prints it (PRODUCT.md: `[{key, lang, url, title, score, reasons}]`). */
export interface RelatedRecord {
  key: string;
  lang: string;
  url: string;
  title: string;
  score: number;
  reasons: RelatedReason[];
}

export async function run(args: ParsedCommand): Promise<number> {
  const key = args.positionals[0];
  if (key === undefined) throw new UsageError("related needs a story key.", { hint: `Usage: ${spec.usage}` });
  // The related features come from loading (as in a build), so nothing reads the Markdown after it.
  const site = await loadSite({ root: process.cwd(), dropMarkdown: true, cache: readCache(args), ...(typeof args.values.content === "string" ? { content: args.values.content } : {}) });
  printDiagnostics(site.errors, []);
  const failed = site.errors.length > 0 ? 1 : 0;

  const versions = site.articles.filter((article) => article.storyKey === key);
  if (versions.length === 0) {
    const matches = closeMatches(key, [...new Set(site.articles.map((article) => article.storyKey))]);
    const folder = path.relative(process.cwd(), path.resolve(site.config.root, site.config.paths.content)) || ".";
    process.stderr.write(
      `related: there is no story "${key}" in ${folder}/. ` +
        (matches.length > 0 ? `Did you mean ${matches.map((match) => `"${match}"`).join(", ")}?` : "Run `gazette list --json` to see the story keys.") +
        "\n",
    );
    return 1;
  }
  const article = pickVersion(versions, typeof args.values.lang === "string" ? args.values.lang : undefined, site.config);
  if (typeof article === "string") {
    process.stderr.write(`related: ${article}\n`);
    return 1;
  }

  // What the build would publish, plus the story itself so that a draft can be previewed.
  const publishable = selectPublishable(site.articles, { drafts: false, buildTime: Date.now() }).filter((candidate) => candidate.storyKey !== key);
  const articles = [...publishable, ...versions];
  const related = computeRelated(articles.map((each) => site.features?.get(each.id) ?? extractRelatedFeatures(each)), { ...site.config.related, only: [article.id] });
  const byId = new Map(articles.map((each) => [each.id, each]));
  const entries = related.get(article.id) ?? [];

  if (args.values.json) {
    process.stdout.write(JSON.stringify(entries.map((entry) => toRecord(entry, byId.get(entry.id)!)), null, 2) + "\n");
  } else {
    process.stdout.write(formatTable(article, entries, byId, site.config) + "\n");
  }
  return failed;
}

export function toRecord(entry: RelatedEntry, article: Article): RelatedRecord {
  return { key: article.storyKey, lang: article.lang, url: article.url, title: article.title, score: entry.score, reasons: entry.reasons };
}

/** The requested language version, the default language's, or the first in the site's language order; a message if none fits. */
function pickVersion(versions: Article[], lang: string | undefined, config: SiteConfig): Article | string {
  const available = versions.map((version) => version.lang);
  if (lang !== undefined) {
    const found = versions.find((version) => version.lang.toLowerCase() === lang.toLowerCase());
    return found ?? `the story "${versions[0]!.storyKey}" has no "${lang}" version; it has ${available.join(", ")}. Use --lang with one of them.`;
  }
  const order = [config.defaultLanguage, ...config.languages.map((language) => language.code)];
  for (const code of order) {
    const found = versions.find((version) => version.lang === code);
    if (found) return found;
  }
  return versions[0]!;
}

/**
 *   Related to trump-putin-telefonat/de: "Trump und Putin telefonieren" (limit 5, threshold 0.15)
 *
 *    #  score  lang   title / url
 *    1  0.412  de     Trump offen für Treffen mit Putin
 *                     /de/trump-offen-fuer-treffen/
 *                     entities +0.180  Donald Trump, Wladimir Putin
 *                     text     +0.150  treff, gesprach
 */
export function formatTable(article: Article, entries: readonly RelatedEntry[], byId: ReadonlyMap<string, Article>, config: SiteConfig): string {
  const lines = [`Related to ${article.id}: "${article.title}" (limit ${config.related.limit}, threshold ${config.related.threshold})`, ""];
  if (entries.length === 0) {
    lines.push("  No related articles: no other story scores at or above the threshold.");
    return lines.join("\n");
  }
  const indent = " ".repeat(21);
  lines.push("   #  score  lang   title / url");
  entries.forEach((entry, rank) => {
    const other = byId.get(entry.id)!;
    const lang = entry.fallbackLang ? `${other.lang}*` : other.lang;
    lines.push(`  ${String(rank + 1).padStart(2)}  ${entry.score.toFixed(3)}  ${lang.padEnd(6)} ${other.title}${entry.pinned ? "  [pinned]" : ""}`);
    lines.push(`${indent}${other.url}`);
    for (const reason of entry.reasons) {
      const details = reason.details.join(", ");
      lines.push(`${indent}${reason.signal.padEnd(8)} ${reason.signal === "pinned" ? "      " : `+${reason.score.toFixed(3)}`}  ${details}`);
    }
  });
  if (entries.some((entry) => entry.fallbackLang)) lines.push("", `  * another language: fills the list when fewer than ${config.related.limit} ${article.lang} articles qualify.`);
  return lines.join("\n");
}

/** Story keys like `key`: sharing its start or its words, else within a small edit distance; at most five. */
export function closeMatches(key: string, keys: readonly string[]): string[] {
  const wanted = key.toLowerCase();
  const words = new Set(wanted.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 1));
  const scored: Array<{ key: string; score: number }> = [];
  for (const candidate of keys) {
    const lower = candidate.toLowerCase();
    let score = 0;
    if (lower.startsWith(wanted) || wanted.startsWith(lower)) score += 10;
    else if (lower.includes(wanted)) score += 5;
    for (const word of lower.split(/[^\p{L}\p{N}]+/u)) if (words.has(word)) score += 1;
    if (score === 0 && keys.length <= 5000 && editDistance(wanted, lower, 3) <= 3) score = 0.5;
    if (score > 0) scored.push({ key: candidate, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, 5)
    .map((entry) => entry.key);
}

/** Levenshtein distance, giving up (returning max + 1) once it exceeds `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, current[j]!);
    }
    if (best > max) return max + 1;
    previous = current;
  }
  return previous[b.length]!;
}
