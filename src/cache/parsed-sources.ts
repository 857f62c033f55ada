import { createHash } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import { CACHE_DIR, cacheDir, codeHash } from "./record-cache.js";

const SOURCES_FILE = "sources-v1.bin";
const FORMAT = "gazette-sources-1";

/**
 * What parsing the small YAML sources every build reads gave (site config, entity table, UI
 * strings), by a hash of their text, of where they are, and of Gazette's code: a build whose
 * sources did not change neither parses them nor loads the YAML parser (most of a five-story
 * build's time). Only results without errors are kept.
 */
export class ParsedSources {
  private readonly used = new Map<string, unknown>();
  private added = false;

  private constructor(private readonly known: ReadonlyMap<string, unknown>) {}

  static async open(root: string): Promise<ParsedSources> {
    try {
      const stored = deserialize(await readFile(path.join(root, CACHE_DIR, SOURCES_FILE))) as { format?: unknown; entries?: unknown };
      if (stored?.format === FORMAT && stored.entries instanceof Map) return new ParsedSources(stored.entries as Map<string, unknown>);
    } catch {
      // none yet, or unreadable: parse
    }
    return new ParsedSources(new Map());
  }

  /** The parse of `text` (a `kind` of source, at `where`), from the cache or from `parse` (kept if it says so). */
  async get<T>(kind: string, text: string, where: string, parse: () => Promise<{ value: T; keep: boolean }>): Promise<T> {
    const key = createHash("sha256").update(`${kind}\u0000${where}\u0000${codeHash()}\u0000${text}`).digest("hex");
    if (this.known.has(key)) {
      const value = this.known.get(key) as T;
      this.used.set(key, value);
      return structuredClone(value); // a caller may change what it gets; the cache keeps its copy
    }
    const { value, keep } = await parse();
    if (keep) {
      this.used.set(key, structuredClone(value));
      this.added = true;
    }
    return value;
  }

  /** Whether `save` has anything to write: an entry is new, or one went unused. */
  get changed(): boolean {
    return this.added || this.used.size !== this.known.size;
  }

  /** Writes the entries used by this build, if anything changed. */
  async save(root: string): Promise<Error | null> {
    if (!this.changed) return null;
    const temporary = path.join(root, CACHE_DIR, `${SOURCES_FILE}.${process.pid}.tmp`);
    try {
      const dir = await cacheDir(root);
      await writeFile(temporary, serialize({ format: FORMAT, entries: this.used }));
      await rename(temporary, path.join(dir, SOURCES_FILE));
      return null;
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      return error as Error;
    }
  }
}
