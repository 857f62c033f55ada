import { loadSite } from "../../build.js";
import { READ_CACHE_HELP, READ_CACHE_OPTION, readCache, type CommandSpec, type ParsedCommand } from "../args.js";
import { formatMs, plural, printDiagnostics } from "../report.js";

export const spec: CommandSpec = {
  name: "check",
  summary: "Load and normalize every article, write nothing, and report every error and warning.",
  usage: "gazette check [--content DIR] [--no-cache]",
  options: READ_CACHE_OPTION,
  help: [READ_CACHE_HELP],
};

export async function run(args: ParsedCommand): Promise<number> {
  const started = performance.now();
  const site = await loadSite({ root: process.cwd(), dropMarkdown: true, features: false, cache: readCache(args), ...(typeof args.values.content === "string" ? { content: args.values.content } : {}) });
  printDiagnostics(site.errors, site.warnings);
  const stories = new Set(site.articles.map((article) => article.storyKey)).size;
  const languages = [...new Set(site.articles.map((article) => article.lang))].sort();
  const status = site.errors.length === 0 ? "ok" : "failed";
  process.stderr.write(
    `check ${status}: ${plural(site.articles.length, "article")} (${plural(stories, "story", "stories")}; ${languages.join(", ") || "no languages"}), ` +
      `${plural(site.errors.length, "error")}, ${plural(site.warnings.length, "warning")} in ${formatMs(performance.now() - started)}\n`,
  );
  return site.errors.length === 0 ? 0 : 1;
}
