/**
 * The search indexer (src/output/search-index.ts) around Pagefind's service process: a build that
 * fails while pages are still being indexed closes it with requests in flight, and those must
 * not surface as unhandled rejections (the CLI would end with a stack trace instead of the
 * build's own error).
 */
import { execFile as execFileCallback } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { createSearchIndexer, SPLIT_MIN_PAGES } from "../../../src/output/search-index.js";
import { REPO_ROOT } from "../../helpers/temp-site.js";

const execFile = promisify(execFileCallback);

const unhandled: unknown[] = [];
const record = (reason: unknown) => void unhandled.push(reason);
afterEach(() => {
  process.off("unhandledRejection", record);
  unhandled.length = 0;
});

const page = (n: number) => `<!doctype html><html lang="de"><head><title>Seite ${n}</title></head><body><main><h1>Seite ${n}</h1><p>${"Die Verhandlungen in Berlin gingen weiter. ".repeat(200)}</p></main></body></html>`;

const TEXTS: Record<string, string> = {
  de: "Die Verhandlungen in Berlin gingen am Abend weiter, sagte die Sprecherin der Regierung.",
  en: "The talks in Berlin went on into the evening, the government spokeswoman said.",
  fr: "Les négociations à Berlin se sont poursuivies dans la soirée, a déclaré la porte-parole.",
  pt: "As negociações em Berlim continuaram à noite, disse a porta-voz do governo.",
  "pt-BR": "As negociações em Berlim seguiram à noite, disse a porta-voz do governo.",
};

/** Article pages in several languages (a regional variant among them), in route order. */
const multilingual = Object.keys(TEXTS).flatMap((lang) =>
  [1, 2, 3].map((n) => ({
    url: `/${lang.toLowerCase()}/artikel-${n}/`,
    html: `<!doctype html><html lang="${lang}"><head><title>${lang} ${n}</title></head><body><nav>Menü</nav><article data-pagefind-body><h1>${lang} ${n}</h1><p>${TEXTS[lang]!.repeat(n * 3)}</p></article></body></html>`,
  })),
);

describe("the search indexer", () => {
  test("closed with pages still being indexed (a build that failed): no unhandled rejection", async () => {
    process.on("unhandledRejection", record);
    const search = createSearchIndexer();
    for (let n = 0; n < 40; n++) await search.add(`/de/seite-${n}/`, page(n));
    await search.close(); // no finish: the build failed
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(unhandled).toEqual([]);
  });

  test.each([
    { site: "a large site: a service (a process) per language", articlePages: SPLIT_MIN_PAGES, services: 4 },
    { site: "a small site: one service", articlePages: 12, services: 1 },
  ])("$site gives the bytes one service gives for all the pages", async ({ articlePages, services: expected }) => {
    const compiled = path.join(REPO_ROOT, "dist/output/search-index.js");
    if (!existsSync(compiled)) throw new Error("dist/ is missing: `npm test` compiles it first (npm run compile)");
    // A plain Node process: vitest's module runner gives a module one instance whatever its query.
    const child = execFile(process.execPath, [path.join(REPO_ROOT, "tests/helpers/search-index-child.mjs"), compiled], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    // One language's service started up front, the others on their first page.
    child.child.stdin!.end(JSON.stringify({ pages: multilingual, languages: ["de"], articlePages }));
    const { services, ours, reference } = JSON.parse((await child).stdout) as { services: number; ours: [string, string][]; reference: [string, string][] };
    expect(services).toBe(expected); // split: de, en, fr, pt (with pt-BR)
    const entry = (base64: string) => JSON.parse(Buffer.from(base64, "base64").toString("utf8")) as { languages: Record<string, unknown> };
    const theirs = new Map(reference);
    expect(ours.map(([file]) => file)).toEqual([...theirs.keys()].sort());
    for (const [file, bytes] of ours) {
      if (file !== "pagefind/pagefind-entry.json") expect(bytes === theirs.get(file), file).toBe(true);
    }
    // The entry file: the same, its languages in order (Pagefind's own order changes from run to run).
    const [mine, one] = [entry(ours.find(([file]) => file === "pagefind/pagefind-entry.json")![1]), entry(theirs.get("pagefind/pagefind-entry.json")!)];
    expect(mine).toEqual(one);
    expect(Object.keys(mine.languages)).toEqual(Object.keys(one.languages).sort());
    expect(Object.keys(mine.languages).length).toBeGreaterThanOrEqual(4);
  }, 30_000);

  test("a large site's language in slices, shared among a service per core: the bytes one service gives", async () => {
    const compiled = path.join(REPO_ROOT, "dist/output/search-index.js");
    // German in 8 slices (with their vocabulary records).
    const german = Array.from({ length: 16 }, (_, n) => ({
      url: `/de/artikel-${n}/`,
      html: `<!doctype html><html lang="de"><head><title>de ${n}</title></head><body><article data-pagefind-body><h1>Artikel ${n}</h1><p>${TEXTS.de!} Wort${n} Sonderwort${n % 5}.</p></article></body></html>`,
    }));
    const child = execFile(process.execPath, [path.join(REPO_ROOT, "tests/helpers/search-index-child.mjs"), compiled], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    // The other languages with two pages each: within a slice, so in the main bundle.
    const others = multilingual.filter((page) => /^\/(en|fr|pt)\/artikel-[12]\//.test(page.url));
    child.child.stdin!.end(JSON.stringify({ pages: [...german, ...others], languages: ["de", "en"], articlePages: SPLIT_MIN_PAGES, slicePages: 2 }));
    const { services, ours, reference } = JSON.parse((await child).stdout) as { services: number; ours: [string, string][]; reference: [string, string][] };
    // German's slices over a service per core (at most 4, started up front with English's), then en, fr, pt.
    expect(services).toBe(Math.min(4, availableParallelism()) + 3);
    expect(ours.filter(([file]) => /^pagefind\/de-\d+\/pagefind-entry\.json$/.test(file)).length).toBe(8);
    expect(new Map(ours)).toEqual(new Map(reference));
  }, 30_000);

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
