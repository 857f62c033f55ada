/**
 * The search indexer (src/output/search-index.ts) around Pagefind's service process: a build that
 * fails while pages are still being indexed closes it with requests in flight, and those must
 * not surface as unhandled rejections (the CLI would end with a stack trace instead of the
 * build's own error).
 */
import { afterEach, describe, expect, test } from "vitest";
import { createSearchIndexer } from "../../../src/output/search-index.js";

const unhandled: unknown[] = [];
const record = (reason: unknown) => void unhandled.push(reason);
afterEach(() => {
  process.off("unhandledRejection", record);
  unhandled.length = 0;
});

const page = (n: number) => `<!doctype html><html lang="de"><head><title>Seite ${n}</title></head><body><main><h1>Seite ${n}</h1><p>${"Die Verhandlungen in Berlin gingen weiter. ".repeat(200)}</p></main></body></html>`;

describe("the search indexer", () => {
  test("closed with pages still being indexed (a build that failed): no unhandled rejection", async () => {
    process.on("unhandledRejection", record);
    const search = createSearchIndexer();
    for (let n = 0; n < 40; n++) await search.add(`/de/seite-${n}/`, page(n));
    await search.close(); // no finish: the build failed
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(unhandled).toEqual([]);
  });

  test("pages added, then finish: the index files, sorted, with the entry file's languages in order", async () => {
    const search = createSearchIndexer();
    try {
      for (let n = 0; n < 3; n++) await search.add(`/de/seite-${n}/`, page(n));
      const files = await search.finish();
      const paths = files.map((file) => file.outputPath);
      expect(paths).toEqual([...paths].sort());
      expect(paths).toContain("pagefind/pagefind-entry.json");
      expect(paths.every((file) => file.startsWith("pagefind/"))).toBe(true);
      const entry = JSON.parse(Buffer.from(files.find((file) => file.outputPath === "pagefind/pagefind-entry.json")!.body as Uint8Array).toString("utf8")) as { languages: Record<string, { page_count: number }> };
      expect(entry.languages.de?.page_count).toBe(3);
    } finally {
      await search.close();
    }
  });
});
