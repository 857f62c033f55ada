/**
 * Every built HTML page of the three test sites (real, rich, hostile) through the W3C Nu HTML
 * checker (vnu.jar, Java 17): 0 errors. One JVM start checks all of them; Pagefind's files are not
 * ours and are not checked. The stylesheet goes through vnu's CSS checker too.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../helpers/temp-site.js";
import { buildTestSite, type BuiltSite, type SiteName } from "./support/sites.js";

const exec = promisify(execFile);
const VNU_JAR = path.join(REPO_ROOT, "node_modules/vnu-jar/build/dist/vnu.jar");
const SITE_NAMES: SiteName[] = ["real", "rich", "hostile"];

interface VnuMessage {
  type: "error" | "info" | "non-document-error";
  subType?: string;
  url: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

const sites = new Map<SiteName, BuiltSite>();
const pages = new Map<SiteName, string[]>();
let messages: VnuMessage[] = [];

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !path.relative(dir, file).startsWith(`pagefind${path.sep}`))
    .sort();
}

/** Runs vnu once over files; exit code 1 only means "errors found": the JSON report says which. */
async function runVnu(args: string[]): Promise<VnuMessage[]> {
  const result = await exec("java", ["-Xss4m", "-jar", VNU_JAR, "--errors-only", "--format", "json", "--stdout", "--exit-zero-always", ...args], { maxBuffer: 256 * 1024 * 1024 });
  return (JSON.parse(result.stdout) as { messages: VnuMessage[] }).messages;
}

beforeAll(async () => {
  for (const name of SITE_NAMES) {
    const site = await buildTestSite(name);
    sites.set(name, site);
    pages.set(name, await htmlFiles(site.out));
  }
  messages = await runVnu(["--skip-non-html", ...SITE_NAMES.flatMap((name) => pages.get(name)!)]);
}, 180_000);

afterAll(async () => {
  // For the record (test-output/ is git-ignored): how many pages the checker saw, and what it said.
  const report = Object.fromEntries(SITE_NAMES.map((name) => [name, { pages: pages.get(name)?.length ?? 0, errors: sites.has(name) ? errorsIn(name) : [] }]));
  await mkdir(path.join(REPO_ROOT, "test-output"), { recursive: true });
  await writeFile(path.join(REPO_ROOT, "test-output/validity.json"), JSON.stringify(report, null, 2) + "\n");
  for (const site of sites.values()) await site.remove();
});

function errorsIn(name: SiteName): string[] {
  const out = sites.get(name)!.out;
  return messages
    .filter((message) => message.url.startsWith(`file:${out}`) || message.url.startsWith(`file://${out}`))
    .map((message) => `${path.relative(out, message.url.replace(/^file:(\/\/)?/, ""))}:${message.lastLine ?? "?"} ${message.message} ${JSON.stringify(message.extract ?? "")}`);
}

describe("W3C Nu HTML checker", () => {
  test("the checker ran and reports problems it finds (a page with a known error fails)", async () => {
    // Guards the guard: a checker that silently checks nothing would pass every site below.
    const dir = await mkdtemp(path.join(tmpdir(), "gazette-vnu-"));
    try {
      await writeFile(path.join(dir, "bad.html"), '<!doctype html><html lang="en"><title>x</title><p><div></p>');
      const found = await runVnu([path.join(dir, "bad.html")]);
      expect(found.some((message) => message.type === "error" && /No “p” element in scope/.test(message.message))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test.each(SITE_NAMES)("every HTML page of the %s site has 0 errors", (name) => {
    const checked = pages.get(name)!;
    console.info(`vnu: ${checked.length} pages of the ${name} site, ${errorsIn(name).length} errors`);
    expect(checked.length).toBeGreaterThan(name === "real" ? 70 : 40);
    // Non-document errors (the checker could not read a file) count too.
    expect(messages.filter((message) => message.type === "non-document-error")).toEqual([]);
    expect(errorsIn(name)).toEqual([]);
  });

  test("the stylesheet passes the CSS checker", async () => {
    const stylesheet = path.join(REPO_ROOT, "templates/assets/style.css");
    const found = await runVnu(["--css", stylesheet]);
    expect(found.map((message) => `${message.lastLine}: ${message.message}`)).toEqual([]);
  }, 60_000);
});
