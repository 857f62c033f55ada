import type { Diagnostic } from "../types.js";
import { formatError, formatWarning } from "../errors/format.js";
import type { SiteError } from "../errors/site-error.js";

/** Errors and warnings go to stderr, so that `--json` output on stdout stays parseable. */
export function printDiagnostics(errors: readonly SiteError[], warnings: readonly Diagnostic[]): void {
  for (const warning of warnings) process.stderr.write(formatWarning(warning) + "\n");
  for (const error of errors) process.stderr.write(formatError(error) + "\n");
}

/** "1 file", "34,217 files" (grouped by hand: the first toLocaleString loads ICU's number data, ~15 ms of a small build). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  const digits = Number.isInteger(count) ? String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ",") : count.toLocaleString("en");
  return `${digits} ${count === 1 ? singular : pluralForm}`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
