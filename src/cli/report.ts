import type { Diagnostic } from "../types.js";
import { formatError, formatWarning } from "../errors/format.js";
import type { SiteError } from "../errors/site-error.js";

/** Errors and warnings go to stderr, so that `--json` output on stdout stays parseable. */
export function printDiagnostics(errors: readonly SiteError[], warnings: readonly Diagnostic[]): void {
  for (const warning of warnings) process.stderr.write(formatWarning(warning) + "\n");
  for (const error of errors) process.stderr.write(formatError(error) + "\n");
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? singular : pluralForm}`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
