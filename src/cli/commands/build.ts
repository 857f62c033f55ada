import path from "node:path";
import { buildSite } from "../../build.js";
import type { CommandSpec, ParsedCommand } from "../args.js";
import { formatMs, plural, printDiagnostics } from "../report.js";

export const spec: CommandSpec = {
  name: "build",
  summary: "Build the site into public/ (or --out). A failed build leaves the previous output untouched.",
  usage: "gazette build [--content DIR] [--out DIR] [--base-url URL] [--drafts] [--no-cache] [--verbose]",
  options: {
    out: { type: "string" },
    "base-url": { type: "string" },
    drafts: { type: "boolean" },
    "no-cache": { type: "boolean" },
    verbose: { type: "boolean" },
  },
  help: [
    "--out DIR         output folder (default: public/)",
    "--base-url URL    absolute URL the site is deployed at (overrides gazette.config.yml)",
    "--drafts          include drafts and articles dated in the future",
    "--no-cache        parse every article again, neither reading nor writing .gazette-cache/",
    "--verbose         print the time of every stage",
  ],
};

export async function run(args: ParsedCommand): Promise<number> {
  const started = performance.now();
  const { values } = args;
  const result = await buildSite({
    root: process.cwd(),
    ...(typeof values.content === "string" ? { content: values.content } : {}),
    ...(typeof values.out === "string" ? { out: values.out } : {}),
    ...(typeof values["base-url"] === "string" ? { baseUrl: values["base-url"] } : {}),
    drafts: values.drafts === true,
    cache: values["no-cache"] !== true,
  });
  printDiagnostics([], result.warnings);
  const kinds = Object.entries(result.pages.byKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(", ");
  const out = path.relative(process.cwd(), result.outDir) || ".";
  process.stderr.write(
    `build ok: ${plural(result.pages.total, "file")} in ${out}/ (${kinds}); languages ${result.languages.join(", ")}; ` +
      `${plural(result.warnings.length, "warning")}; ${formatMs(performance.now() - started)}\n`,
  );
  if (values.verbose) for (const timing of result.timings) process.stderr.write(`  ${timing.stage.padEnd(13)} ${formatMs(timing.ms).padStart(9)}  ${timing.detail}\n`);
  return 0;
}
