import type { Diagnostic, SourceLocation } from "../types.js";
import { SiteError } from "./site-error.js";

export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return "";
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}

/**
 * `articles/zinsen/pt.md:4:1 MetadataError: "date" is ambiguous ("03/04/2025"). Use 2025-04-03 or 2025-03-04.`
 * Causes are walked so that a wrapped parser error keeps its own detail.
 */
export function formatError(error: unknown): string {
  if (error instanceof SiteError) {
    const where = formatLocation(error.location);
    let line = `${where ? where + " " : ""}${error.name}: ${error.message}`;
    if (error.hint && !error.message.includes(error.hint)) line += ` ${error.hint}`;
    const causes = causeChain(error);
    for (const cause of causes) line += `\n    caused by: ${cause}`;
    return line;
  }
  if (error instanceof Error) return `Internal error (a Gazette bug, please report it): ${error.stack ?? error.message}`;
  return `Internal error (a Gazette bug, please report it): ${String(error)}`;
}

export function formatWarning(warning: Diagnostic): string {
  const where = formatLocation(warning.location);
  const hint = warning.hint ? ` ${warning.hint}` : "";
  return `${where ? where + " " : ""}warning: ${warning.message}${hint}`;
}

function causeChain(error: Error): string[] {
  const out: string[] = [];
  let cause: unknown = error.cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    if (cause instanceof Error) {
      out.push(cause.message.split("\n").slice(0, 6).join("\n      "));
      cause = cause.cause;
    } else {
      out.push(String(cause));
      break;
    }
  }
  return out;
}
