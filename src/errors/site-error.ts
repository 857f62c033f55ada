import type { SourceLocation } from "../types.js";

export interface SiteErrorOptions {
  location?: SourceLocation;
  /** What the user should do about it, in one sentence. */
  hint?: string;
  cause?: unknown;
}

/**
 * Base of every error a user can cause (bad content, config, templates, flags).
 * Anything else that escapes is our bug and is printed as "Internal".
 * The printer adds the location, so messages never repeat the file name.
 */
export class SiteError extends Error {
  readonly location?: SourceLocation;
  readonly hint?: string;

  constructor(message: string, options: SiteErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.location) this.location = options.location;
    if (options.hint) this.hint = options.hint;
  }
}

/** Command-line misuse: unknown flag, missing argument. Exit code 2. */
export class UsageError extends SiteError {}
/** gazette.config.yml is missing a value or has a wrong one. */
export class ConfigError extends SiteError {}
/** A content file cannot be read as text, or is not a story bundle file. */
export class ContentError extends SiteError {}
/** YAML frontmatter does not parse, or is not a mapping. */
export class FrontmatterError extends SiteError {}
/** A frontmatter value that normalization cannot turn into a canonical one. */
export class MetadataError extends SiteError {}
/** A language label or tag nobody can map to BCP 47. */
export class UnknownLanguageError extends SiteError {}
/** A UI string is missing for a language the site publishes in. */
export class MissingTranslationError extends SiteError {}
/** A template fails to compile or render. */
export class TemplateError extends SiteError {}
/** Two pages want the same output path. */
export class OutputCollisionError extends SiteError {}
/** A path would be written outside the output folder. */
export class PathEscapeError extends SiteError {}
/** Writing the site failed (permissions, disk full, unsafe --out). */
export class OutputError extends SiteError {}

/** Thrown at the end of a stage when any error was collected, carrying all of them. */
export class BuildFailedError extends Error {
  readonly errors: readonly SiteError[];
  constructor(errors: readonly SiteError[]) {
    super(`${errors.length} error${errors.length === 1 ? "" : "s"}`);
    this.name = "BuildFailedError";
    this.errors = errors;
  }
}
