import type { SourceLocation } from "../types.js";
import * as errors from "./site-error.js";

/** A SiteError as plain data: what crosses from a build worker to the main thread. */
export interface SerializedError {
  name: string;
  message: string;
  location?: SourceLocation;
  hint?: string;
  /** The messages of its causes, outermost first (an I/O error's own text, a parser's detail). */
  causes?: string[];
}

export function serializeError(error: errors.SiteError): SerializedError {
  const data: SerializedError = { name: error.name, message: error.message };
  if (error.location) data.location = error.location;
  if (error.hint) data.hint = error.hint;
  const causes: string[] = [];
  for (let cause = error.cause, depth = 0; cause !== undefined && depth < 5; depth++) {
    causes.push(cause instanceof Error ? cause.message : String(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  if (causes.length > 0) data.causes = causes;
  return data;
}

type SiteErrorClass = new (message: string, options?: errors.SiteErrorOptions) => errors.SiteError;

/** Error classes by name; structured cloning keeps data, not prototypes. */
const CLASSES = new Map<string, SiteErrorClass>();
for (const value of Object.values(errors) as unknown[]) {
  if (typeof value === "function" && (value === errors.SiteError || value.prototype instanceof errors.SiteError)) {
    CLASSES.set(value.name, value as SiteErrorClass);
  }
}

export function reviveError(data: SerializedError): errors.SiteError {
  const Class = CLASSES.get(data.name) ?? errors.SiteError;
  // The causes come back as a chain of plain errors with their messages: what the report prints of them.
  const cause = (data.causes ?? []).reduceRight<Error | undefined>((inner, message) => new Error(message, inner ? { cause: inner } : undefined), undefined);
  return new Class(data.message, { ...(data.location ? { location: data.location } : {}), ...(data.hint ? { hint: data.hint } : {}), ...(cause ? { cause } : {}) });
}
