import type { RenderedPage } from "../types.js";
import { OutputError } from "../errors/site-error.js";
import { wellFormed } from "../util/text.js";

/**
 * Pagefind search index built from the rendered article pages, handed over in memory as they are
 * rendered. Its files come back in memory too and go through the same writer, so the search index
 * is part of the atomic swap. Pagefind splits the index by <html lang>: each language's search
 * page finds only its own articles.
 */
export interface SearchIndexer {
  add(url: string, html: string): Promise<void>;
  /** The index files (under pagefind/), after every page was added. */
  finish(): Promise<RenderedPage[]>;
  close(): Promise<void>;
}


/**
 * Starts Pagefind in the background and returns at once: its service process starts while the
 * pages before the articles render. A failure to start surfaces at the first `add` (or `finish`).
 */
export function createSearchIndexer(): SearchIndexer {
  let pagefind: typeof import("pagefind") | null = null;
  const ready = (async () => {
    try {
      pagefind = await import("pagefind");
    } catch (cause) {
      throw new OutputError("the search indexer (Pagefind) is not installed.", { hint: "Run npm ci, or set `search: false` in gazette.config.yml.", cause });
    }
    const created = await pagefind.createIndex({ keepIndexUrl: false });
    if (!created.index) throw new OutputError(`the search indexer (Pagefind) did not start: ${created.errors.join("; ")}.`, { hint: "Set `search: false` in gazette.config.yml to build without search." });
    return created.index;
  })();
  ready.catch(() => {}); // reported where it is awaited, not as an unhandled rejection
  const pending: Promise<unknown>[] = [];
  const problems: string[] = [];
  return {
    async add(url, html) {
      const index = await ready;
      // Pagefind's service dies (an uncaught exception, not a rejection) on a lone UTF-16 surrogate;
      // the page is written as UTF-8, where one becomes U+FFFD anyway.
      const content = wellFormed(html);
      const added = index.addHTMLFile({ url, content }).then((response) => {
        if (response.errors.length > 0) problems.push(`${url}: ${response.errors.join("; ")}`);
      });
      // A build that fails before `finish` closes Pagefind with requests in flight, which then
      // reject ("backend closed"): handled here, so that they are not unhandled rejections
      // (Node would end the process with a stack trace); `finish` still sees any rejection.
      added.catch(() => undefined);
      pending.push(added);
      // Bounded: Pagefind answers over a pipe; thousands of unanswered requests only cost memory.
      if (pending.length >= 256) await Promise.all(pending.splice(0));
    },
    async finish() {
      const index = await ready;
      await Promise.all(pending.splice(0));
      if (problems.length > 0) throw new OutputError(`the search indexer rejected ${problems.length} page(s): ${problems.slice(0, 3).join(" | ")}.`);
      // getFiles, not writeFiles: Pagefind answers a writeFiles before its files are all on disk
      // (read back at once, pagefind-entry.json was sometimes empty).
      const { errors, files } = await index.getFiles();
      if (errors.length > 0) throw new OutputError(`the search index could not be written: ${errors.join("; ")}.`);
      return files
        .map((file) => ({ outputPath: `pagefind/${file.path.replace(/^\/+/, "")}`, body: file.content }))
        .map((file) => (file.outputPath === "pagefind/pagefind-entry.json" ? { ...file, body: sortEntryLanguages(file.body) } : file))
        .sort((a, b) => (a.outputPath < b.outputPath ? -1 : 1));
    },
    async close() {
      await ready.catch(() => {});
      await (pagefind as typeof import("pagefind") | null)?.close();
    },
  };
}

/**
 * Pagefind lists the languages of pagefind-entry.json in hash-map order, which changes from run to
 * run: sorted, the same site gives the same bytes. Input/Output: {"languages":{"fr":…,"de":…}} -> {"languages":{"de":…,"fr":…}}
 */
function sortEntryLanguages(body: Uint8Array | string): Uint8Array {
  const entry = JSON.parse(typeof body === "string" ? body : Buffer.from(body).toString("utf8")) as { languages?: Record<string, unknown> };
  if (entry.languages) entry.languages = Object.fromEntries(Object.entries(entry.languages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return Buffer.from(JSON.stringify(entry));
}
