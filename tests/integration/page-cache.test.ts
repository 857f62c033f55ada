/**
 * `gazette build` with the persistent cache reuses the last output's files for pages whose
 * signature did not change (hard links) and the last search index when no article page changed.
 * After every kind of edit its output must be byte-identical to a build without the cache.
 */
import { appendFile, link, lstat, mkdir, readFile, readdir, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../../src/build.js";
import { CACHE_DIR } from "../../src/cache/record-cache.js";
import { SNAPSHOT_FILE } from "../../src/cache/site-snapshot.js";
import { OUTPUT_MARKER } from "../../src/output/write-output.js";
import { REPO_ROOT, copyProject, makeTempSite, OUTPUT_SCAN_MODES, removeTempSite } from "../helpers/temp-site.js";
import { readTree } from "../quality/support/tree.js";

let root: string;
const EPOCH = "1755734400";

describe.each(OUTPUT_SCAN_MODES)("$mode", ({ scan }) => {
  beforeAll(async () => {
    process.env.GAZETTE_SCAN_THREAD = scan;
    root = await makeTempSite({});
    await copyProject(root);
    process.env.SOURCE_DATE_EPOCH = EPOCH;
  });

  afterAll(async () => {
    delete process.env.GAZETTE_SCAN_THREAD;
    delete process.env.SOURCE_DATE_EPOCH;
    await removeTempSite(root);
  });

  const abs = (relative: string) => path.join(root, relative);

  /** A build; with the cache, a full one (the page cache's test): the site snapshot a delta build would start from is removed first. */
  async function build(out: string, cache: boolean) {
    if (cache) await rm(path.join(root, CACHE_DIR, SNAPSHOT_FILE), { force: true });
    const result = await buildSite({ root, out: abs(out), cache });
    const detail = result.timings.find((timing) => timing.stage === "render+write")!.detail;
    return { result, unchanged: Number(/(\d+) pages unchanged/.exec(detail)?.[1] ?? 0) };
  }

  /** The site's files, without the output marker (it carries the build's id). */
  async function siteFiles(dir: string): Promise<Map<string, Buffer>> {
    const files = await readTree(dir);
    files.delete(OUTPUT_MARKER);
    return files;
  }

  /** The cached build's output equals a build without the cache, file for file, byte for byte. */
  async function expectSameAsUncached(): Promise<void> {
    await build("cold", false);
    const [warm, cold] = await Promise.all([siteFiles(abs("public")), siteFiles(abs("cold"))]);
    expect([...warm.keys()].sort()).toEqual([...cold.keys()].sort());
    for (const [file, bytes] of cold) expect(warm.get(file)!.equals(bytes), file).toBe(true);
  }

  describe("the page cache of gazette build", () => {
    test("a second build reuses every page and the search index, with the same bytes", async () => {
      const first = await build("public", true);
      expect(first.unchanged).toBe(0);
      const marker = JSON.parse(await readFile(abs(`public/${OUTPUT_MARKER}`), "utf8")) as { build?: string };
      expect(marker.build).toMatch(/^[0-9a-f]{24}$/);
      const page = "public/de/index.html";
      const inodeBefore = (await stat(abs(page))).ino;
      // Pagefind writes its files last, within a few ms of the marker: they must still count as older.
      const searchEntry = "public/pagefind/pagefind-entry.json";
      const searchInodeBefore = (await stat(abs(searchEntry))).ino;
      const second = await build("public", true);
      // Every page but the sitemaps (always rendered: they list every page) and Pagefind's files.
      const searchFiles = [...(await siteFiles(abs("public"))).keys()].filter((file) => file.startsWith("pagefind/")).length;
      expect(searchFiles).toBeGreaterThan(0);
      expect(second.unchanged).toBe(first.result.pages.total - first.result.pages.byKind.sitemap! - searchFiles);
      expect(second.result.pages.byKind.search).toBe(first.result.pages.byKind.search);
      expect((await stat(abs(page))).ino).toBe(inodeBefore); // linked, not rewritten
      expect((await stat(abs(searchEntry))).ino).toBe(searchInodeBefore);
      await expectSameAsUncached();
    });

    test("a body edit re-renders the pages that show the article and rebuilds the search index", async () => {
      // Extra names for every file of the current site: the new one starts as links to them, and
      // must replace the files it changes, never write into them (the live site would change too).
      const before = await siteFiles(abs("public"));
      for (const file of before.keys()) {
        await mkdir(path.dirname(abs(path.join("snapshot", file))), { recursive: true });
        await link(abs(path.join("public", file)), abs(path.join("snapshot", file)));
      }
      // The search index's German and French files: only English pages changed, so those are kept as they were.
      const otherLanguages = [...before.keys()].filter((name) => /^pagefind\/(?:fragment\/|index\/|pagefind\.|wasm\.)(?:de|fr)[._]/.test(name));
      expect(otherLanguages.length).toBeGreaterThan(4);
      const inodes = new Map(await Promise.all(otherLanguages.map(async (name) => [name, (await stat(abs(`public/${name}`))).ino] as const)));
      const file = abs("articles/trump-putin-telefonat-ohne-fortschritte/en.md");
      await writeFile(file, `${(await readFile(file, "utf8")).trimEnd()}\n\nOfficials later called the conversation businesslike.\n`);
      const warm = await build("public", true);
      for (const [name, inode] of inodes) expect((await stat(abs(`public/${name}`))).ino, name).toBe(inode);
      // Counted as before: the index's files (made now or kept) and each language's search page.
      expect(warm.result.pages.byKind.search).toBe([...before.keys()].filter((name) => name.startsWith("pagefind/") || /^[a-z]+\/(?:search|suche|recherche)\/index\.html$/.test(name)).length);
      const snapshot = await siteFiles(abs("snapshot"));
      for (const [name, bytes] of before) expect(snapshot.get(name)!.equals(bytes), name).toBe(true);
      await rm(abs("snapshot"), { recursive: true });
      expect(warm.unchanged).toBeGreaterThan(0);
      expect(warm.unchanged).toBeLessThan(warm.result.pages.total - warm.result.pages.byKind.search!);
      await expectSameAsUncached();
      const pages = [...(await siteFiles(abs("public")))].filter(([file, bytes]) => file.endsWith(".html") && bytes.toString().includes("called the conversation businesslike"));
      expect(pages.length).toBeGreaterThan(0);
    });

    test("new titles, deleted translations, added stories", async () => {
      const file = abs("articles/trump-offen-fuer-treffen-mit-putin/de.md");
      await writeFile(file, (await readFile(file, "utf8")).replace(/^title: .*$/m, "title: Trump offen für ein Gipfeltreffen"));
      await build("public", true);
      await expectSameAsUncached();
      await rm(abs("articles/trump-putin-alaska-gipfel-ohne-waffenstillstand/fr.md"));
      await build("public", true);
      await expectSameAsUncached();
      await mkdir(abs("articles/neue-geschichte"), { recursive: true });
      await writeFile(abs("articles/neue-geschichte/de.md"), "---\ntitle: Neue Gespräche über die Ukraine in Berlin\ndate: 2025-08-20\nauthor: Erika Muster\ntags: [Ukraine, Berlin]\n---\n\nDie Gespräche über die Ukraine gingen am Mittwoch in Berlin weiter, sagten Teilnehmer.\n");
      await build("public", true);
      await expectSameAsUncached();
      await rename(abs("articles/neue-geschichte"), abs("articles/umbenannte-geschichte"));
      await build("public", true);
      await expectSameAsUncached();
    });

    test("a template or config change reuses no page", async () => {
      await mkdir(abs("templates/partials"), { recursive: true });
      const footer = await readFile(path.join(REPO_ROOT, "templates/partials/footer.eta"), "utf8");
      await writeFile(abs("templates/partials/footer.eta"), footer.replace("</footer>", "<p>Redaktion Muster</p>\n</footer>"));
      expect((await build("public", true)).unchanged).toBe(0);
      await expectSameAsUncached();
      const config = await readFile(abs("gazette.config.yml"), "utf8");
      await writeFile(abs("gazette.config.yml"), config.replace(/^perPage: .*$/m, "perPage: 2"));
      expect((await build("public", true)).unchanged).toBe(0);
      await expectSameAsUncached();
      expect((await build("public", true)).unchanged).toBeGreaterThan(0);
    });

    test("an output changed behind the cache's back is not trusted", async () => {
      // Another build (without the cache) replaced the output: its marker has no build id.
      await build("public", false);
      expect((await build("public", true)).unchanged).toBe(0);
      // A page deleted by hand is rendered again rather than linked from nowhere.
      await rm(abs("public/de/index.html"));
      const rebuilt = await build("public", true);
      expect(rebuilt.unchanged).toBeGreaterThan(0);
      await expectSameAsUncached();
      // Another build date: only what shows it changes (news sitemap), everything else is reused.
      process.env.SOURCE_DATE_EPOCH = String(Number(EPOCH) + 86_400 * 400);
      try {
        const later = await build("public", true);
        expect(later.unchanged).toBeGreaterThan(0);
        await expectSameAsUncached();
      } finally {
        process.env.SOURCE_DATE_EPOCH = EPOCH;
      }
    });

    test("pages edited, replaced or symlinked in the output by hand are rendered again", async () => {
      await build("public", true);
      // In place (an editor saving over the file), by rename (sed -i), by a symlink elsewhere.
      await appendFile(abs("public/de/index.html"), "<!-- edited by hand -->\n");
      const article = (await readdir(abs("public/en"), { recursive: true })).find((file) => file.endsWith("/index.html") && !file.startsWith("topics"))!;
      await writeFile(abs("replacement.html"), "<p>not from Gazette</p>\n");
      await rename(abs("replacement.html"), abs(`public/en/${article}`));
      await writeFile(abs("elsewhere.xml"), "<rss>a file of the user's</rss>\n");
      await rm(abs("public/en/feed.xml"));
      await symlink(abs("elsewhere.xml"), abs("public/en/feed.xml"));
      // A file of the search index: the whole index is rebuilt rather than reused.
      const searchFile = (await readdir(abs("public/pagefind"))).find((file) => file.endsWith(".js"))!;
      await appendFile(abs(`public/pagefind/${searchFile}`), "\n// edited\n");
      const warm = await build("public", true);
      expect(warm.unchanged).toBeGreaterThan(0);
      expect((await lstat(abs("public/en/feed.xml"))).isFile()).toBe(true);
      expect(await readFile(abs("elsewhere.xml"), "utf8")).toBe("<rss>a file of the user's</rss>\n");
      await expectSameAsUncached();
      // The repaired output is trusted again.
      const again = await build("public", true);
      const searchFiles = [...(await siteFiles(abs("public"))).keys()].filter((file) => file.startsWith("pagefind/")).length;
      expect(again.unchanged).toBe(again.result.pages.total - again.result.pages.byKind.sitemap! - searchFiles);
    });

    test("with several pages per topic, every page follows the topic's newest date and its count", async () => {
      const config = await readFile(abs("gazette.config.yml"), "utf8");
      await writeFile(abs("gazette.config.yml"), config.replace(/^perPage: .*$/m, "perPage: 2"));
      try {
        await build("public", true);
        const file = abs("articles/trump-putin-alaska-gipfel-ohne-waffenstillstand/en.md");
        const source = await readFile(file, "utf8");
        expect(source).toMatch(/^date: 2025-08-16$/m);
        await writeFile(file, source.replace(/^date: 2025-08-16$/m, "date: 2025-08-17"));
        expect((await build("public", true)).unchanged).toBeGreaterThan(0);
        await expectSameAsUncached();
        await writeFile(file, source);
        // An older story joins the topic: it lands on the topic's last page, but page 1 counts it too.
        await mkdir(abs("articles/alte-geschichte"), { recursive: true });
        await writeFile(
          abs("articles/alte-geschichte/de.md"),
          "---\ntitle: Ein altes Treffen mit Wladimir Putin\ndate: 2019-01-10\nauthor: Erika Muster\ntags: [Wladimir Putin]\n---\n\nWladimir Putin traf sich damals in Moskau mit Diplomaten, sagten Teilnehmer.\n",
        );
        expect((await build("public", true)).unchanged).toBeGreaterThan(0);
        await expectSameAsUncached();
        await rm(abs("articles/alte-geschichte"), { recursive: true });
      } finally {
        await writeFile(abs("gazette.config.yml"), config);
      }
    });
  });
});
