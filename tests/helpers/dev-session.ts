import { expect } from "vitest";
import { summarizeChanges } from "../../src/dev/classify-change.js";
import type { RebuildReport, SiteSession } from "../../src/dev/site-session.js";
import { buildToMemory, text } from "./temp-site.js";

/** A dev session's files equal a cold build's of `root`, file for file and byte for byte (the search index aside: dev makes none). */
export async function expectSessionSameAsColdBuild(session: SiteSession, root: string, epoch: string, what?: string): Promise<void> {
  const { files } = await buildToMemory(root, { epoch });
  const cold = new Map([...files].filter(([file]) => !file.startsWith("pagefind/")));
  expect([...session.files.keys()].sort(), what).toEqual([...cold.keys()].sort());
  for (const [file, body] of cold) expect(text(session.files.get(file)!), what ? `${what}: ${file}` : file).toBe(text(body));
}

/** The session rebuilt after the watcher saw `files` change (absolute paths), without errors, then settled as `gazette dev` does once quiet; the rebuild's report. */
export async function rebuildAndSettle(session: SiteSession, files: readonly string[]): Promise<RebuildReport> {
  const report = await session.rebuild(summarizeChanges(files.map((file) => ({ kind: "content", path: file, event: "change" }))));
  expect(report.errors).toEqual([]);
  if (session.pending) await session.settle();
  return report;
}
