import { formatError } from "../errors/format.js";
import { BuildFailedError, UsageError } from "../errors/site-error.js";
import { formatHelp, parseCommand, type CommandSpec, type ParsedCommand } from "./args.js";

interface CommandModule {
  spec: CommandSpec;
  run(args: ParsedCommand): Promise<number>;
}

/** Commands load lazily: `gazette check` never pays for the renderer or the dev server. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  build: { summary: "build the site into public/", load: () => import("./commands/build.js") },
  check: { summary: "validate all content; write nothing", load: () => import("./commands/check.js") },
  list: { summary: "print the normalized article records as JSON", load: () => import("./commands/list.js") },
  dev: { summary: "build, serve, watch and live-reload while you edit", load: () => import("./commands/dev.js") },
  preview: { summary: "serve public/ as a static host would", load: () => import("./commands/preview.js") },
  new: { summary: "create a new article with valid frontmatter", load: () => import("./commands/new.js") },
  related: { summary: "explain the related-articles list of one story", load: () => import("./commands/related.js") },
};

const USAGE = () =>
  [
    "Gazette: a static site generator for multilingual news.",
    "",
    "Usage: gazette <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(9)} ${command.summary}`),
    "",
    "Run `gazette <command> --help` for a command's options.",
  ].join("\n");

/** Exit codes: 0 success, 1 content or build errors, 2 usage errors. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      process.stdout.write(USAGE() + "\n");
      return name === undefined ? 2 : 0;
    }
    if (name === "--version" || name === "-v") {
      const { readFile } = await import("node:fs/promises");
      const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
      process.stdout.write(`gazette ${pkg.version}\n`);
      return 0;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}".`, { hint: `Commands: ${Object.keys(COMMANDS).join(", ")}.` });
    const module = await command.load();
    const args = parseCommand(module.spec, rest);
    if (args.values.help) {
      process.stdout.write(formatHelp(module.spec) + "\n");
      return 0;
    }
    return await module.run(args);
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof BuildFailedError) {
    for (const each of error.errors) process.stderr.write(formatError(each) + "\n");
    return 1;
  }
  process.stderr.write(formatError(error) + "\n");
  if (error instanceof UsageError) return 2;
  return 1;
}
