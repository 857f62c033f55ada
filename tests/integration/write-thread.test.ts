/**
 * The write thread (src/output/write-thread.ts) of the compiled build: what it is given is what
 * lands on disk, byte for byte, whether a page crosses as a string, as bytes, or as a string
 * large enough to be encoded first and moved; failures come back with their code.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../helpers/temp-site.js";

type WriteThreadModule = typeof import("../../src/output/write-thread.js");
let startWriteThread: WriteThreadModule["startWriteThread"];
let dir: string;

beforeAll(async () => {
  const compiled = path.join(REPO_ROOT, "dist/output/write-thread.js");
  if (!existsSync(compiled)) throw new Error("dist/ is missing: `npm test` compiles it first (npm run compile)");
  ({ startWriteThread } = (await import(compiled)) as WriteThreadModule);
  dir = await mkdtemp(path.join(tmpdir(), "gazette-write-thread-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the write thread", () => {
  test("writes strings, bytes and very large strings exactly, folders made as needed", async () => {
    const thread = startWriteThread()!;
    expect(thread).not.toBeNull();
    const small = "<p>Grüße aus Köln „zitiert“ 🗞️</p>\n";
    const large = `<urlset>${"<url><loc>https://news.example/de/straße-😀/</loc></url>\n".repeat(25_000)}</urlset>\n`;
    expect(large.length).toBeGreaterThan(1 << 20); // encoded on the main thread, its bytes moved
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252]);
    await Promise.all([
      thread.write(path.join(dir, "de/a/index.html"), small),
      thread.write(path.join(dir, "sitemap-1.xml"), large),
      thread.write(path.join(dir, "assets/x.bin"), bytes),
    ]);
    await thread.close();
    expect(await readFile(path.join(dir, "de/a/index.html"), "utf8")).toBe(small);
    expect(await readFile(path.join(dir, "sitemap-1.xml"), "utf8")).toBe(large);
    expect(new Uint8Array(await readFile(path.join(dir, "assets/x.bin")))).toEqual(bytes);
    expect([...bytes]).toEqual([0, 1, 2, 250, 251, 252]); // the caller's bytes are not moved away
  });

  test("moves the bytes of a large file that are the caller's to give away (a sitemap part), and writes them exactly", async () => {
    const thread = startWriteThread()!;
    const text = `<urlset>${"<url><loc>https://news.example/fr/été-😀/</loc></url>\n".repeat(30_000)}</urlset>\n`;
    const part = new TextEncoder().encode(text);
    expect(part.byteLength).toBeGreaterThan(1 << 20);
    expect(part.byteLength).toBe(part.buffer.byteLength);
    // A view into a larger buffer is copied: the rest of that buffer is not the page's to give away.
    const shared = new Uint8Array(new ArrayBuffer(part.byteLength + 16), 8, part.byteLength);
    shared.set(part);
    // Bytes not marked movable are copied: a theme asset's, which the theme still holds.
    const asset = new TextEncoder().encode(text);
    await Promise.all([
      thread.write(path.join(dir, "sitemaps/sitemap-1.xml"), part, true),
      thread.write(path.join(dir, "sitemaps/sitemap-2.xml"), shared, true),
      thread.write(path.join(dir, "assets/big.bin"), asset),
    ]);
    await thread.close();
    expect(part.byteLength).toBe(0); // moved to the thread, not copied
    expect(shared.byteLength).toBe(asset.byteLength);
    expect(new TextDecoder().decode(asset)).toBe(text);
    expect(await readFile(path.join(dir, "assets/big.bin"), "utf8")).toBe(text);
    expect(await readFile(path.join(dir, "sitemaps/sitemap-1.xml"), "utf8")).toBe(text);
    expect(await readFile(path.join(dir, "sitemaps/sitemap-2.xml"), "utf8")).toBe(text);
  });

  test("a failed write rejects with the system's code; the others still land", async () => {
    const thread = startWriteThread()!;
    await writeFile(path.join(dir, "blocker"), "a file where a folder is needed");
    const failed = thread.write(path.join(dir, "blocker/page/index.html"), "x");
    const fine = thread.write(path.join(dir, "ok/index.html"), "y");
    await expect(failed).rejects.toMatchObject({ code: "ENOTDIR" });
    await fine;
    await thread.close();
    expect(await readFile(path.join(dir, "ok/index.html"), "utf8")).toBe("y");
    await expect(thread.write(path.join(dir, "late.html"), "z")).rejects.toThrow(/write thread closed/);
  });
});
