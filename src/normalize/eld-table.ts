// eld's n-gram table as JSON. eld ships its table as a 950 KB JavaScript object literal: importing
// it costs each thread that detects languages ~0.44 s, while `JSON.parse` of the same table takes
// ~0.12 s (V8 parses JSON much faster than a literal of 50,000 keys). `npm run compile` writes
// the JSON beside the compiled code (write-eld-table.ts); a missing, unreadable or stale copy (eld
// upgraded since) is no error: the detector then imports eld's own module (detect-language.ts).
//
// The JSON reaches eld through `createEld`, the hook eld's own entry files load tables with
// (src/languageDetector.js; eld is pinned to an exact version in package.json).

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { eld as EldExport } from "eld/extrasmall";

/** Where `npm run compile` writes the table: dist/, from src/normalize/ or dist/normalize/ alike. */
export const ELD_TABLE_FILE = fileURLToPath(new URL("../../dist/eld-extrasmall.json", import.meta.url));

/** An eld table: opaque here, eld's `loadData` reads it. */
export type EldTable = { readonly type: string; readonly languages: Record<string, string>; readonly ngrams: Record<string, unknown> };

/** An eld detector instance, as eld's own `newInstance` makes them. */
export type Eld = ReturnType<typeof EldExport.newInstance>;

/** The installed eld package's folder (its `exports` hide package.json, so found from its entry). */
function eldRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.resolve("eld/extrasmall"))), "../..");
}

function eldVersion(): string {
  return (JSON.parse(readFileSync(path.join(eldRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** Writes the installed eld's extra-small table to `file` as JSON, tagged with eld's version (atomically). */
export async function writeEldTable(file = ELD_TABLE_FILE): Promise<void> {
  const { ngramsData } = (await import(path.join(eldRoot(), "src/ngrams/extrasmall.js"))) as { ngramsData: EldTable };
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ eld: eldVersion(), table: ngramsData }));
  renameSync(temporary, file);
}

/** The table from `file` if it was written from the installed eld; null otherwise (then use eld's module). */
export function readEldTable(file = ELD_TABLE_FILE): EldTable | null {
  try {
    const saved = JSON.parse(readFileSync(file, "utf8")) as { eld?: unknown; table?: EldTable };
    const table = saved.table;
    if (saved.eld !== eldVersion() || !table || !isObject(table.ngrams) || !isObject(table.languages)) return null;
    return table;
  } catch {
    return null;
  }
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

/** A new eld instance holding `table` (what eld's own `newInstance` does with its imported table). */
export function eldInstanceOf(table: EldTable): Eld {
  const { createEld } = createRequire(import.meta.url)(path.join(eldRoot(), "src/languageDetector.js")) as {
    createEld(): { instance: Eld; loadData(data: EldTable): string };
  };
  const { instance, loadData } = createEld();
  loadData(table);
  return instance;
}
