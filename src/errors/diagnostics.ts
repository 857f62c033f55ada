import type { Diagnostic, SourceLocation } from "../types.js";
import { BuildFailedError, SiteError } from "./site-error.js";

/**
 * Collects errors and warnings of a stage so that every problem in every file is
 * reported together ("collect, then fail") instead of stopping at the first one.
 */
export class DiagnosticSink {
  readonly errors: SiteError[] = [];
  readonly warnings: Diagnostic[] = [];

  error(error: SiteError): void {
    this.errors.push(error);
  }

  warn(message: string, location?: SourceLocation, hint?: string): Diagnostic {
    const warning: Diagnostic = { severity: "warning", message };
    if (location) warning.location = location;
    if (hint) warning.hint = hint;
    this.warnings.push(warning);
    return warning;
  }

  get hasErrors(): boolean {
    return this.errors.length > 0;
  }

  /** Ends a stage: throws every collected error at once. */
  throwIfErrors(): void {
    if (this.errors.length > 0) throw new BuildFailedError(sortByLocation(this.errors));
  }
}

/** Stable order for reports: by file, then line. */
export function sortByLocation<T extends { location?: SourceLocation }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => {
      const fa = a.item.location?.file ?? "";
      const fb = b.item.location?.file ?? "";
      if (fa !== fb) return fa < fb ? -1 : 1;
      const la = a.item.location?.line ?? 0;
      const lb = b.item.location?.line ?? 0;
      return la - lb || a.index - b.index;
    })
    .map((entry) => entry.item);
}
