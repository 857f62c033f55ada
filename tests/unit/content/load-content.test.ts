import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { listContent, loadContent, readContentFiles, type ContentFile } from "../../../src/content/load-content.js";
import { DiagnosticSink } from "../../../src/errors/diagnostics.js";
import { ContentError, FrontmatterError } from "../../../src/errors/site-error.js";
import { makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map(removeTempSite));
});

async function load(files: Record<string, string | Uint8Array>) {
  const root = await makeTempSite(files);
  roots.push(root);
  const sink = new DiagnosticSink();
  const articles = await loadContent({ root, contentDir: path.join(root, "articles") }, sink);
  return { root, sink, articles };
}

describe("loadContent", () => {
  test("reads story bundles with key, file stem, frontmatter, body and body line", async () => {
    const { articles, sink } = await load({
      "articles/alaska/de.md": "---\ntitle: Gipfel\ndate: 2025-08-16\n---\n\nText.\n",
      "articles/alaska/index.fr.md": "---\ntitle: Sommet\n---\nTexte.\n",
    });
    expect(sink.errors).toEqual([]);
    expect(articles.map((a) => [a.file, a.storyKey, a.fileStem])).toEqual([
      ["articles/alaska/de.md", "alaska", "de"],
      ["articles/alaska/index.fr.md", "alaska", "index.fr"],
    ]);
    expect(articles[0]!.frontmatter).toEqual({ title: "Gipfel", date: "2025-08-16" });
    expect(articles[0]!.keyLines).toEqual({ title: 2, date: 3 });
    expect(articles[0]!.bodyLine).toBe(5);
    expect(articles[0]!.body.trim()).toBe("Text.");
    expect(articles[0]!.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  test("keeps scalar text exactly: 010 stays 010, dates stay strings", async () => {
    const { articles } = await load({
      "articles/a/de.md": "---\ntitle: 010\ndate: 2026-02-30\nslug: 1e3\ntags: [007, x]\ndraft: true\n---\nText\n",
    });
    expect(articles[0]!.frontmatter).toEqual({ title: "010", date: "2026-02-30", slug: "1e3", tags: ["007", "x"], draft: true });
  });

  test("strips a BOM and reads CRLF files with correct lines", async () => {
    const { articles, sink } = await load({
      "articles/a/de.md": "\uFEFF---\r\ntitle: BOM\r\nlang: de\r\n---\r\n\r\nZeile eins.\r\n",
    });
    expect(sink.errors).toEqual([]);
    expect(articles[0]!.frontmatter).toEqual({ title: "BOM", lang: "de" });
    expect(articles[0]!.keyLines.lang).toBe(3);
    expect(articles[0]!.body).toContain("Zeile eins.");
  });

  test.each([
    ["broken YAML", "---\ntitle: Trump: the talks\n---\nText\n", 2],
    ["duplicate key", "---\ntitle: A\ntitle: B\n---\nText\n", 3],
    ["bad indentation", "---\ntitle: A\ntags:\n  - a\n - b\n---\nText\n", 5],
    ["frontmatter never closed", "---\ntitle: A\nText without end\n", 1],
    ["a list instead of fields", "---\n- a\n- b\n---\nText\n", 2],
  ])("%s is a FrontmatterError with file and line", async (_name, text, line) => {
    const { sink, articles } = await load({ "articles/a/de.md": text });
    expect(articles).toEqual([]);
    expect(sink.errors).toHaveLength(1);
    const error = sink.errors[0]!;
    expect(error).toBeInstanceOf(FrontmatterError);
    expect(error.location).toMatchObject({ file: "articles/a/de.md", line });
    expect(error.hint).toBeTruthy();
  });

  test("collects errors from every file instead of stopping at the first", async () => {
    const { sink, articles } = await load({
      "articles/a/de.md": "---\ntitle: [unclosed\n---\nText\n",
      "articles/b/de.md": "---\ntitle: ok\n---\nText\n",
      "articles/c/de.md": "---\ntitle: A\ntitle: B\n---\nText\n",
    });
    expect(articles.map((a) => a.storyKey)).toEqual(["b"]);
    expect(sink.errors.map((e) => e.location?.file).sort()).toEqual(["articles/a/de.md", "articles/c/de.md"]);
  });

  test("unknown frontmatter keys are warnings with the line and a suggestion", async () => {
    const { sink, articles } = await load({ "articles/a/de.md": "---\ntitle: A\ntittle: B\nfoo: bar\n---\nText\n" });
    expect(articles).toHaveLength(1);
    expect(sink.errors).toEqual([]);
    const messages = sink.warnings.map((w) => [w.message, w.location?.line, w.hint]);
    expect(messages).toContainEqual(['unknown frontmatter key "tittle" is ignored.', 3, 'Did you mean "title"?']);
    expect(messages.find((m) => String(m[0]).includes('"foo"'))?.[1]).toBe(4);
  });

  test("an empty file is skipped with a warning naming it", async () => {
    const { sink, articles } = await load({ "articles/a/de.md": "", "articles/a/en.md": "  \n\n" });
    expect(articles).toEqual([]);
    expect(sink.errors).toEqual([]);
    expect(sink.warnings.map((w) => w.location?.file).sort()).toEqual(["articles/a/de.md", "articles/a/en.md"]);
  });

  test("a binary file named .md is a ContentError, not garbage text", async () => {
    const { sink, articles } = await load({ "articles/a/de.md": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff]) });
    expect(articles).toEqual([]);
    expect(sink.errors[0]).toBeInstanceOf(ContentError);
    expect(sink.errors[0]!.message).toMatch(/not UTF-8 text/);
  });

  test("invalid UTF-8 (e.g. Latin-1) is a ContentError", async () => {
    const { sink } = await load({ "articles/a/de.md": new Uint8Array([...Buffer.from("---\ntitle: Gr"), 0xfc, ...Buffer.from("n\n---\nText\n")]) });
    expect(sink.errors[0]).toBeInstanceOf(ContentError);
  });

  test("a symlink pointing outside the content folder is refused", async () => {
    const { root } = await load({ "secret.txt": "---\ntitle: secret\n---\nroot:x:0:0\n", "articles/a/de.md": "---\ntitle: A\n---\nText\n" });
    await symlink(path.join(root, "secret.txt"), path.join(root, "articles/a/en.md"));
    await symlink(root, path.join(root, "articles/escape"));
    const sink = new DiagnosticSink();
    const articles = await loadContent({ root, contentDir: path.join(root, "articles") }, sink);
    expect(articles.map((a) => a.file)).toEqual(["articles/a/de.md"]);
    expect(sink.errors.map((e) => e.location?.file).sort()).toEqual(["articles/a/en.md", "articles/escape"]);
    expect(sink.errors.every((e) => /outside the content folder/.test(e.message))).toBe(true);
  });

  test("files outside story folders and non-Markdown files are reported, not read", async () => {
    const { sink, articles } = await load({
      "articles/loose.md": "---\ntitle: A\n---\nText\n",
      "articles/a/de.md": "---\ntitle: A\n---\nText\n",
      "articles/a/photo.jpg": "jpg",
      "articles/.DS_Store": "x",
    });
    expect(articles).toHaveLength(1);
    expect(sink.warnings.map((w) => w.location?.file).sort()).toEqual(["articles/a/photo.jpg", "articles/loose.md"]);
  });

  test("an invalid story folder name is an error", async () => {
    const { sink } = await load({ "articles/bad name!/de.md": "---\ntitle: A\n---\nText\n" });
    expect(sink.errors[0]).toBeInstanceOf(ContentError);
    expect(sink.errors[0]!.message).toContain('"bad name!"');
  });

  test("a missing content folder is one clear error", async () => {
    const root = await makeTempSite({});
    roots.push(root);
    const sink = new DiagnosticSink();
    expect(await loadContent({ root, contentDir: path.join(root, "articles") }, sink)).toEqual([]);
    expect(sink.errors).toHaveLength(1);
    expect(sink.errors[0]!.message).toMatch(/cannot be read \(ENOENT\)/);
    expect(sink.errors[0]!.hint).toMatch(/--content/);
  });

  test("an over-size file is refused before it is read", async () => {
    const root = await makeTempSite({});
    roots.push(root);
    await mkdir(path.join(root, "articles/a"), { recursive: true });
    await writeFile(path.join(root, "articles/a/de.md"), Buffer.alloc(17 * 1024 * 1024, 0x61));
    const sink = new DiagnosticSink();
    expect(await loadContent({ root, contentDir: path.join(root, "articles") }, sink)).toEqual([]);
    expect(sink.errors[0]!.message).toMatch(/over the 16 MiB limit/);
  });
});

describe.each([false, true])("readContentFiles, syncReads %s", (syncReads) => {
  async function read(files: Record<string, string | Uint8Array>, extra: ContentFile[] = []) {
    const root = await makeTempSite(files);
    roots.push(root);
    const contentDir = path.join(root, "articles");
    const sink = new DiagnosticSink();
    const listed = await listContent({ root, contentDir }, sink);
    const articles = await readContentFiles([...listed, ...extra.map((file) => ({ ...file, absolute: path.join(root, file.absolute) }))], { root, contentDir, syncReads }, sink);
    return { sink, articles };
  }

  test("reads the same articles, with the stat key taken before reading", async () => {
    const { sink, articles } = await read({ "articles/a/de.md": "---\ntitle: Eins\n---\nText.\n", "articles/b/en.md": "---\ntitle: Two\n---\nText.\n" });
    expect(sink.errors).toEqual([]);
    expect(articles.map((article) => [article.file, article.frontmatter.title, article.body])).toEqual([
      ["articles/a/de.md", "Eins", "Text.\n"],
      ["articles/b/en.md", "Two", "Text.\n"],
    ]);
    for (const article of articles) expect(article.stat).toMatch(/^\d+:\d+:\d+:\d+$/);
  });

  test("a file gone or not a file is an error naming it; the others are read", async () => {
    const { sink, articles } = await read({ "articles/a/de.md": "---\ntitle: Eins\n---\nText.\n", "articles/c/de.md/x": "" }, [
      { absolute: "articles/gone/de.md", file: "articles/gone/de.md", storyKey: "gone" },
      { absolute: "articles/c/de.md", file: "articles/c/de.md", storyKey: "c" },
    ]);
    expect(articles.map((article) => article.file)).toEqual(["articles/a/de.md"]);
    expect(sink.errors.map((error) => [error.location?.file, error.message])).toEqual([
      ["articles/gone/de.md", "the file cannot be read (ENOENT)."],
      ["articles/c/de.md", "the file cannot be read (EISDIR)."],
    ]);
  });

  test("an over-size file is refused, naming its size", async () => {
    const { sink, articles } = await read({ "articles/a/de.md": Buffer.alloc(16 * 1024 * 1024 + 1, 0x61) });
    expect(articles).toEqual([]);
    expect(sink.errors.map((error) => error.message)).toEqual(["the file is 16.0 MiB, over the 16 MiB limit for one article."]);
  });
});
