import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO_ROOT, article, makeTempSite, removeTempSite } from "../helpers/temp-site.js";

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, "bin/gazette.js");

/** Runs the compiled CLI (as `npx gazette` does) and returns exit code and output. */
async function gazette(args: string[], cwd = REPO_ROOT, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(() => {
  if (!existsSync(path.join(REPO_ROOT, "dist/cli/main.js"))) throw new Error("dist/ is missing: `npm test` compiles it first (npm run compile)");
});

describe("gazette CLI", () => {
  test("--help lists the commands; no command is a usage error (exit 2)", async () => {
    const help = await gazette(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["build", "check", "list", "related", "new", "preview", "dev"]) expect(help.stdout).toContain(command);
    expect((await gazette([])).code).toBe(2);
  });

  test.each([
    [["frobnicate"], /unknown command "frobnicate"/],
    [["check", "--bogus"], /unknown option --bogus/],
    [["list"], /add --json/],
    [["build", "--out"], /--out needs a value/],
    [["check", "extra"], /unexpected argument "extra"/],
  ])("%j exits 2 with a clear message", async (args, message) => {
    const result = await gazette(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace for users
  });

  test("every command has --help", async () => {
    for (const command of ["build", "check", "list", "related", "new", "preview", "dev"]) {
      const result = await gazette([command, "--help"]);
      expect(result.code, command).toBe(0);
      expect(result.stdout).toMatch(/Usage: gazette /);
      expect(result.stdout).toContain("--content DIR");
    }
  });

  test("check passes on the real articles (exit 0) and writes nothing", async () => {
    const result = await gazette(["check"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/check ok: 12 articles \(5 stories; de, en, fr\), 0 errors, 0 warnings/);
  });

  test("list --json into a reader that stops early (`| head`) ends quietly, exit 0", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [BIN, "list", "--json"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // the reader is gone before the first record: every write meets a closed pipe
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once("close", (exit) => resolve(exit)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(code).toBe(0);
  });

  test("list --json prints the 12 normalized records with the documented fields", async () => {
    const result = await gazette(["list", "--json"]);
    expect(result.code).toBe(0);
    const records = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(records).toHaveLength(12);
    const fields = ["key", "lang", "file", "slug", "url", "title", "date", "updated", "authors", "source", "tags", "entities", "category", "location", "summary", "wordCount", "readingMinutes", "translatedFrom", "draft", "diagnostics"];
    for (const record of records) for (const field of fields) expect(record, `${record.file} ${field}`).toHaveProperty(field);
    const meeting = records.find((r) => r.file === "articles/trump-offen-fuer-treffen-mit-putin/de.md")!;
    expect(meeting).toMatchObject({ key: "trump-offen-fuer-treffen-mit-putin", lang: "de", date: "2025-02-13T00:00:00+01:00", authors: ["Amalie L."], updated: null, translatedFrom: null, draft: false });
    expect((meeting.tags as unknown[]).length).toBe(0);
    expect((meeting.entities as { id: string; name: string; count: number }[])[0]).toEqual(expect.objectContaining({ id: "donald-trump", name: "Donald Trump" }));
  });

  describe("on a broken site", () => {
    let root: string;
    beforeAll(async () => {
      root = await makeTempSite({
        "articles/a/de.md": "---\ntitle: Gut\ndate: 2025-01-01\n---\n\nEin ordentlicher Text über die Verhandlungen in Berlin.\n",
        "articles/b/de.md": "---\ntitle: Trump: kaputt\ndate: 2025-01-01\n---\nText\n",
        "articles/c/en.md": article({ title: "Ambiguous", date: "03/13/2025x" }),
      });
    });
    afterAll(() => removeTempSite(root));

    test("check exits 1 and names every file and line", async () => {
      const result = await gazette(["check"], root);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^articles\/b\/de\.md:2:\d+ FrontmatterError: /m);
      expect(result.stderr).toMatch(/^articles\/c\/en\.md:3 MetadataError: "date"/m);
      expect(result.stderr).toMatch(/check failed: 1 article .* 2 errors/);
    });

    test("build exits 1 and writes no output", async () => {
      const result = await gazette(["build"], root);
      expect(result.code).toBe(1);
      expect(existsSync(path.join(root, "public"))).toBe(false);
    });
  });

  test("--content points at another folder", async () => {
    const root = await makeTempSite({ "elsewhere/x/en.md": article({ title: "Elsewhere", date: "2025-01-01" }, "A short English text about the talks in Geneva, with enough words to read.") });
    try {
      const result = await gazette(["list", "--json", "--content", "elsewhere"], root);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)[0]).toMatchObject({ key: "x", file: "elsewhere/x/en.md" });
    } finally {
      await removeTempSite(root);
    }
  });

  test("new scaffolds a draft with valid frontmatter and never overwrites", async () => {
    const root = await makeTempSite({ "articles/.keep": "" });
    try {
      const created = await gazette(["new", 'Trump: "Gespräche" in Genf', "--lang", "de"], root, { SOURCE_DATE_EPOCH: "1750000000" });
      expect(created.code).toBe(0);
      expect(created.stdout.trim()).toBe("articles/trump-gespraeche-in-genf/de.md");
      const text = await readFile(path.join(root, "articles/trump-gespraeche-in-genf/de.md"), "utf8");
      expect(text).toContain("draft: true");
      const check = await gazette(["list", "--json"], root);
      expect(check.code).toBe(0);
      expect(JSON.parse(check.stdout)[0]).toMatchObject({ title: "Trump: „Gespräche“ in Genf", lang: "de", draft: true, date: "2025-06-15T17:06:40+02:00" });
      const again = await gazette(["new", 'Trump: "Gespräche" in Genf', "--lang", "de"], root);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already exists; nothing was written/);
      const translation = await gazette(["new", "Trump: talks in Geneva", "--lang", "en", "--key", "trump-gespraeche-in-genf"], root);
      expect(translation.code).toBe(0);
      expect(await readFile(path.join(root, "articles/trump-gespraeche-in-genf/en.md"), "utf8")).toContain("translated_from: de");
      expect((await gazette(["new", "X", "--lang", "ja"], root)).code).toBe(2);
    } finally {
      await removeTempSite(root);
    }
  });

  test("build writes the site and prints a summary", async () => {
    const root = await makeTempSite({ "gazette.config.yml": "baseUrl: https://example.org/news/\n" });
    try {
      const result = await gazette(["build", "--content", path.join(REPO_ROOT, "articles"), "--out", "site"], root);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/build ok: \d+ files in site\/ .* languages de, en, fr; 0 warnings/);
      // The kinds of file in the order of the site's routes (with search on, the article pages render first).
      const kinds = /files in site\/ \(([^)]*)\)/.exec(result.stderr)![1]!.split(", ").map((kind) => kind.replace(/^\d+ /, ""));
      expect(kinds).toEqual(["chooser", "not-found", "robots", "sitemap", "asset", "front", "feed", "search", "group-index", "group", "article"]);
      expect((await stat(path.join(root, "site/de/index.html"))).isFile()).toBe(true);
    } finally {
      await removeTempSite(root);
    }
  });
});

describe("gazette dev as a process", () => {
  test("prints its URL, serves the site, and stops cleanly (exit 0) on Ctrl-C", async () => {
    const { spawn } = await import("node:child_process");
    const root = await makeTempSite({ "articles/gipfel/de.md": article({ title: "Gipfel in Berlin", date: "2025-02-14", author: "Erika Muster" }) });
    try {
      const child = spawn(process.execPath, [BIN, "dev", "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.setEncoding("utf8");
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on("data", (chunk: string) => {
          stderr += chunk;
          const found = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
          if (found && stderr.includes("watching for changes")) resolve(found[1]!);
        });
        child.once("exit", (code) => reject(new Error(`dev exited early (${code}): ${stderr}`)));
      });
      // The URL as soon as pages can be served, then the first build's end, then the watcher's start.
      expect(stderr).toMatch(/dev: serving http\S+\n✓ initial build: \d+ written[^\n]*\ndev: watching for changes/);
      const page = await fetch(`${url}de/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Gipfel in Berlin");
      const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGINT");
      expect(await exit).toBe(0);
      expect(existsSync(path.join(root, "public"))).toBe(false); // dev serves from memory
    } finally {
      await removeTempSite(root);
    }
  });
});
