import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors/site-error.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  /** One line per option for --help, in display order. */
  help: string[];
  /** Positional arguments: names for the usage line; min/max count. */
  positionals?: { min: number; max: number };
}

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Every command takes these. */
export const COMMON_OPTIONS: OptionSpec = {
  content: { type: "string" },
  help: { type: "boolean", short: "h" },
};

/**
 * `--no-cache` of the commands that read what the last build cached (`.gazette-cache/`) but never
 * write it: `gazette check`, `list` and `related` reuse the records of unchanged files.
 */
export const READ_CACHE_OPTION: OptionSpec = { "no-cache": { type: "boolean" } };
export const READ_CACHE_HELP = "--no-cache        parse every article again instead of reusing .gazette-cache/ (read, never written here)";

/** The pipeline's cache mode for such a command: read-only unless `--no-cache`. */
export function readCache(args: ParsedCommand): "read" | false {
  return args.values["no-cache"] === true ? false : "read";
}

/**
 * Strict parsing: an unknown flag or a missing value is a UsageError (exit 2) that names the flag
 * and points to --help, never a silently ignored option.
 */
export function parseCommand(spec: CommandSpec, argv: string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...spec.options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error), { hint: `Run \`gazette ${spec.name} --help\` for the options.` });
  }
  const positionals = parsed.positionals;
  if (!parsed.values.help) {
    const { min, max } = spec.positionals ?? { min: 0, max: 0 };
    if (positionals.length > max) {
      throw new UsageError(`unexpected argument "${positionals[max]}".`, { hint: `Usage: ${spec.usage}` });
    }
    if (positionals.length < min) throw new UsageError("an argument is missing.", { hint: `Usage: ${spec.usage}` });
  }
  for (const [key, value] of Object.entries(parsed.values)) {
    if (typeof value === "string" && value.trim() === "") throw new UsageError(`--${key} needs a value.`, { hint: `Usage: ${spec.usage}` });
  }
  return { values: parsed.values as ParsedCommand["values"], positionals };
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}.`;
  const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(message);
  if (missing) return `${missing[1]!.replace(/^-\w, /, "")} needs a value.`;
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) return `unexpected argument "${positional[1]}".`;
  return message.split("\n")[0]!;
}

export function formatHelp(spec: CommandSpec): string {
  return [`${spec.summary}`, "", `Usage: ${spec.usage}`, "", "Options:", ...spec.help.map((line) => `  ${line}`), `  --content DIR     content folder (default: articles/)`, `  -h, --help        show this help`].join("\n");
}

export function intOption(name: string, value: string | boolean | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${String(value)}".`);
  }
  return number;
}
