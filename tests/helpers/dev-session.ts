import { expect } from "vitest";
import { summarizeChanges } from "../../src/dev/classify-change.js";
import { SiteSession, type RebuildReport } from "../../src/dev/site-session.js";
import { buildToMemory, removeTempSite, text } from "./temp-site.js";

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

/** A dev session on `root` at the build date `epoch` (SOURCE_DATE_EPOCH, until `endSession`), after a good first build. */
export async function startSession(root: string, epoch: string): Promise<SiteSession> {
  process.env.SOURCE_DATE_EPOCH = epoch;
  const session = new SiteSession({ root });
  expect((await session.rebuild(null)).ok).toBe(true);
  return session;
}

/** Ends what `startSession` set, and removes the site. */
export async function endSession(root: string): Promise<void> {
  delete process.env.SOURCE_DATE_EPOCH;
  await removeTempSite(root);
}
