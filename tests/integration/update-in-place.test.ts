/**
 * A cached build that changes few pages updates public/ in place (output/update-in-place.ts)
 * instead of replacing it: the folder stays the same, changed files are renamed over the old
 * ones, pages gone from the site are deleted. Whatever the path, the output must equal a build
 * without the cache, byte for byte.
 */
import { cp, mkdir, readFile, rm, stat, symlink, writeFile, readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../../src/build.js";
import { CACHE_DIR } from "../../src/cache/record-cache.js";
import { SNAPSHOT_FILE } from "../../src/cache/site-snapshot.js";
import { OUTPUT_MARKER } from "../../src/output/write-output.js";
import { OUTPUT_SCAN_MODES, REPO_ROOT, makeTempSite, removeTempSite } from "../helpers/temp-site.js";
import { readTree } from "../quality/support/tree.js";

let root: string;
const abs = (relative: string) => path.join(root, relative);
const WORDS = "Verhandlungen Regierung Wirtschaft Hafen Berlin Gespräche Haushalt Kommission Wahl Parlament Energie Verkehr Gericht Urteil Bericht".split(" ");

describe.each(OUTPUT_SCAN_MODES)("$mode", ({ scan }) => {
  beforeAll(async () => {
    process.env.GAZETTE_SCAN_THREAD = scan;
    root = await makeTempSite({});
    for (const entry of ["articles", "data", "gazette.config.yml"]) await cp(path.join(REPO_ROOT, entry), abs(entry), { recursive: true });
    // Enough stories that one edit changes a small share of the pages.
    for (let i = 0; i < 120; i++) {
      const topic = WORDS[i % WORDS.length]!;
      const sentences = Array.from({ length: 10 }, (_, j) => `Die ${WORDS[(i + j) % WORDS.length]} in Meldung ${i} wurde am Abend in Berlin ausführlich besprochen.`);
      await mkdir(abs(`articles/meldung-${i}`), { recursive: true });
      await writeFile(abs(`articles/meldung-${i}/de.md`), `---\ntitle: Meldung ${i} über ${topic}\ndate: 2025-03-${String((i % 28) + 1).padStart(2, "0")}\ntags: [${topic}]\n---\n\n${sentences.join(" ")}\n`);
    }
    process.env.SOURCE_DATE_EPOCH = "1755734400";
  }, 60_000);

  afterAll(async () => {
    delete process.env.GAZETTE_SCAN_THREAD;
    delete process.env.SOURCE_DATE_EPOCH;
    await removeTempSite(root);
  });

  /** A build; with the cache, a full one (delta builds patch files in place their own way): the site snapshot a delta would start from is removed first. */
  async function build(out: string, cache: boolean) {
    if (cache) await rm(path.join(root, CACHE_DIR, SNAPSHOT_FILE), { force: true });
    const result = await buildSite({ root, out: abs(out), cache });
    const detail = result.timings.find((timing) => timing.stage === "render+write")!.detail;
    return { result, unchanged: Number(/(\d+) pages unchanged/.exec(detail)?.[1] ?? 0) };
  }

  async function expectSameAsUncached(): Promise<void> {
    await build("cold", false);
    const [warm, cold] = await Promise.all([readTree(abs("public")), readTree(abs("cold"))]);
    warm.delete(OUTPUT_MARKER);
    cold.delete(OUTPUT_MARKER);
    expect([...warm.keys()].sort()).toEqual([...cold.keys()].sort());
    for (const [file, bytes] of cold) expect(warm.get(file)!.equals(bytes), file).toBe(true);
  }

  /** The German page of generated story n (its slug comes from the title). */
  async function pageOf(n: number): Promise<string> {
    const folder = (await readdir(abs("public/de"))).find((name) => name.startsWith(`meldung-${n}-`));
    if (!folder) throw new Error(`no page for story ${n}`);
    return `public/de/${folder}/index.html`;
  }

  const folderId = async () => (await stat(abs("public"))).ino;
  /** Nothing of Gazette's own is left beside the output: no staging folder, no journal, no old site. */
  const leftovers = async () => (await readdir(root)).filter((name) => name.startsWith(".gazette-") && name !== ".gazette-cache");

  describe("gazette build updates public/ in place when few pages change", () => {
    test("an edited body: the same folder, the changed files replaced, the rest untouched", async () => {
      await build("public", true);
      const folder = await folderId();
      const untouched = await pageOf(7);
      const untouchedInode = (await stat(abs(untouched))).ino;
      const edited = await pageOf(3);
      const editedInode = (await stat(abs(edited))).ino;
      await writeFile(abs("articles/meldung-3/de.md"), (await readFile(abs("articles/meldung-3/de.md"), "utf8")) + "\nEin Nachtrag zur Meldung.\n");
      const { result, unchanged } = await build("public", true);
      // The search index is rewritten (an article changed); other pages are mostly reused.
      expect(unchanged).toBeGreaterThan(result.pages.total / 2);
      expect(await folderId()).toBe(folder);
      expect((await stat(abs(untouched))).ino).toBe(untouchedInode);
      expect((await stat(abs(edited))).ino).not.toBe(editedInode);
      expect(await readFile(abs(edited), "utf8")).toContain("Ein Nachtrag zur Meldung.");
      expect(await leftovers()).toEqual([]);
      await expectSameAsUncached();
    });

    test("a deleted story: its page and its folder are gone", async () => {
      const folder = await folderId();
      const page = await pageOf(5);
      await rm(abs("articles/meldung-5"), { recursive: true });
      await build("public", true);
      expect(await folderId()).toBe(folder);
      await expect(stat(abs(path.dirname(page)))).rejects.toMatchObject({ code: "ENOENT" });
      expect(await leftovers()).toEqual([]);
      await expectSameAsUncached();
    });

    test("files put into public/ by hand are removed, as a full build would", async () => {
      const folder = await folderId();
      await writeFile(abs("public/de/notes.txt"), "mine");
      await build("public", true);
      expect(await folderId()).toBe(folder);
      await expect(stat(abs("public/de/notes.txt"))).rejects.toMatchObject({ code: "ENOENT" });
      await expectSameAsUncached();
    });

    test("a symlink in public/: the output is replaced instead, and what the link points to is untouched", async () => {
      const folder = await folderId();
      await writeFile(abs("user-file.txt"), "mine");
      await symlink(abs("user-file.txt"), abs("public/de/feed.xml.link"));
      await mkdir(abs("elsewhere"));
      await symlink(abs("elsewhere"), abs("public/en-link"));
      await build("public", true);
      expect(await folderId()).not.toBe(folder);
      expect(await readFile(abs("user-file.txt"), "utf8")).toBe("mine");
      expect(await readdir(abs("elsewhere"))).toEqual([]);
      await expectSameAsUncached();
    });
  });
});
