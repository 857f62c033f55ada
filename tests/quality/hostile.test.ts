/**
 * Hostile input: every fixture of tests/fixtures/hostile/ is dropped, one at a time, into a small
 * valid site inside a sandbox folder and built with the real CLI (`gazette build`, a child
 * process). Each must give a clear error naming its file, or a safe rendering, and:
 *   - what the user sees holds no "Internal error" and no stack trace;
 *   - nothing in the sandbox outside public/ (and the build cache, .gazette-cache/) changes;
 *   - every output file passes findUnsafeOutput (no script, handler, javascript:/data: URL, comment,
 *     forbidden character or direction override that content put there);
 *   - it finishes: a hang fails the test through vitest's per-test timeout.
 */
import type { ChildProcess } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseHTML } from "linkedom";
import { afterAll, describe, expect, test } from "vitest";
import { GENERATED_CASES, SECRET, type GeneratedCase } from "../fixtures/hostile/generate.js";
import { REPO_ROOT } from "../helpers/temp-site.js";
import { killRunning, runGazette, userFacingProblems, type CliRun } from "./support/cli.js";
import { diffTrees, exists, readTree, snapshotTree } from "./support/tree.js";
import { findUnsafeOutput } from "./support/unsafe-output.js";

const FIXTURES = path.join(REPO_ROOT, "tests/fixtures/hostile");
/**
 * The bound on one hostile build, generous for a shared two-core machine: the 10 MB article builds
 * in about 10 s there. A build still running at this bound counts as hanging and fails its test.
 */
const CASE_TIMEOUT = 60_000;

type Site = Map<string, Buffer>;

type HtmlDocument = ReturnType<typeof parseHTML>["document"];

interface ArticlePage {
  file: string;
  document: HtmlDocument;
  headline: string;
}

type Expectation =
  /** Builds (exit 0); the article whose JSON-LD headline matches is published and passes `check`. */
  | { outcome: "renders"; headline: RegExp; warnings?: RegExp[]; check?: (page: ArticlePage, site: Site) => void }
  /** Fails (exit 1) naming the file; nothing is written. */
  | { outcome: "error"; errors: { file: string; message: RegExp }[] }
  /** Builds without it, with a warning naming it. */
  | { outcome: "skipped"; warnings: RegExp[] }
  /** Either renders the article or fails with a clear error naming the file: both are safe. */
  | { outcome: "renders-or-error"; file: string; headline: RegExp };

interface HostileCase {
  name: string;
  setup: (contentDir: string, sandbox: string) => Promise<void>;
  expect: Expectation;
}

function fixtureCase(name: string, expectation: Expectation): HostileCase {
  return { name, setup: (contentDir) => cp(path.join(FIXTURES, "cases", name), path.join(contentDir, name), { recursive: true }), expect: expectation };
}

function generatedCase(generated: GeneratedCase, expectation: Expectation): HostileCase {
  return { name: generated.name, setup: (contentDir, sandbox) => generated.write(contentDir, sandbox), expect: expectation };
}

const bodyText = (page: ArticlePage) => page.document.querySelector(".article-body")?.textContent ?? "";

const CASES: HostileCase[] = [
  fixtureCase("script-tags", {
    outcome: "renders",
    headline: /^Script tags in the body$/,
    check(page) {
      expect(bodyText(page)).toContain("The end of the article.");
      // Code shows markup as text instead of dropping it.
      expect(page.document.querySelector(".article-body code")?.textContent).toBe('<script>alert("code")</script>');
    },
  }),
  fixtureCase("img-onerror", {
    outcome: "renders",
    headline: /^<img src=x onerror=alert\(.title.\)> Images that run code$/,
    check(page) {
      expect(page.document.querySelector("h1")?.textContent).toBe(page.headline);
      expect(page.document.querySelector(".byline")?.textContent).toContain("<img src=x onerror=");
    },
  }),
  fixtureCase("script-urls", {
    outcome: "renders",
    headline: /^Links with javascript and data URLs$/,
    check(page) {
      expect(page.document.querySelector('.article-body a[href="https://example.org/ok"]')?.textContent).toBe("A normal link stays");
    },
  }),
  fixtureCase("frontmatter-urls", {
    outcome: "error",
    errors: [
      { file: "articles/frontmatter-urls/en.md:5", message: /MetadataError: "source" has a url "javascript:alert\('source'\)" that is not an http\(s\) URL/ },
      { file: "articles/frontmatter-urls/en.md:8", message: /MetadataError: "references" has an entry that "data:text\/html;base64,[^"]+" is not an http\(s\) URL/ },
      { file: "articles/frontmatter-urls/en.md:8", message: /MetadataError: "references" has an entry that "file:\/\/\/etc\/passwd" is not an http\(s\) URL/ },
    ],
  }),
  fixtureCase("title-breakout", {
    outcome: "renders",
    headline: /^<\/script><script>window\.__pwned='ld'; alert\('ld'\)<\/script> --> <!-- \]\]> <\/title><script>alert\('t'\)<\/script> & “quoted” 'single'$/,
    check(page, site) {
      expect(page.document.querySelector("h1")?.textContent).toBe(page.headline);
      expect(page.document.querySelector("title")?.textContent).toContain("</title><script>");
      const feed = site.get("en/feed.json")!.toString("utf8");
      expect((JSON.parse(feed) as { items: { title: string }[] }).items.map((item) => item.title)).toContain(page.headline);
    },
  }),
  fixtureCase("svg-script", {
    outcome: "renders",
    headline: /^SVG that carries script$/,
    warnings: [/^articles\/svg-script\/logo\.svg warning: skipped: not a Markdown file/m],
    check(_page, site) {
      expect([...site.keys()].filter((file) => file.endsWith(".svg"))).toEqual([]);
    },
  }),
  fixtureCase("bidi-title", {
    outcome: "renders",
    headline: /^Bericht gnp\.exe offen links rechts$/,
    warnings: [/^articles\/bidi-title\/de\.md:2 warning: the title contained Unicode direction-override characters; they were removed\./m],
  }),
  fixtureCase("traversal-slug", {
    outcome: "renders",
    headline: /^(Ausbruch aus dem Ausgabeordner|Escaping the output folder)$/,
    warnings: [
      /^articles\/traversal-slug\/de\.md:3 warning: "slug" "\.\.\/\.\.\/etc" is not a clean URL segment; "etc" is used/m,
      /^articles\/traversal-slug\/en\.md:3 warning: "slug" "\.\.\\\.\.\\windows\\system32" is not a clean URL segment; "windows-system32" is used/m,
      /^articles\/traversal-slug\/de\.md:\d+ warning: "related" names the story "\.\.\/\.\.\/etc", which does not exist/m,
    ],
    check(_page, site) {
      expect(site.has("de/etc/index.html")).toBe(true);
      expect(site.has("en/windows-system32/index.html")).toBe(true);
    },
  }),
  fixtureCase("absolute-paths", {
    outcome: "renders",
    headline: /^Absolute Pfade überall$/,
    warnings: [/^articles\/absolute-paths\/de\.md:3 warning: "slug" "\/etc\/passwd" is not a clean URL segment; "etc-passwd" is used/m],
    check(page, site) {
      expect(page.file).toBe("de/etc-passwd/index.html");
      // Paths are URLs on the site at most: no file of the machine is ever read into the output.
      for (const [file, body] of site) expect(body.includes("root:x:0:0"), file).toBe(false);
    },
  }),
  fixtureCase("nul-escapes", {
    outcome: "renders",
    headline: /^Null bytes and control characters in a title$/,
  }),
  fixtureCase("comment-breakout", {
    outcome: "renders",
    headline: /^Comments that end early --> <script>alert\(.c1.\)<\/script> <!--$/,
    check(page) {
      expect(bodyText(page)).toContain("Text after the comments.");
    },
  }),
  fixtureCase("binary-md", { outcome: "error", errors: [{ file: "articles/binary-md/de.md", message: /ContentError: the file is not UTF-8 text/ }] }),
  fixtureCase("nul-byte", { outcome: "error", errors: [{ file: "articles/nul-byte/de.md", message: /ContentError: the file is not UTF-8 text/ }] }),
  fixtureCase("empty-file", { outcome: "skipped", warnings: [/^articles\/empty-file\/de\.md warning: skipped: the file is empty\./m] }),
  generatedCase(GENERATED_CASES.hugeArticle, {
    outcome: "renders",
    headline: /^A ten megabyte article$/,
    check(page) {
      const sections = page.document.querySelectorAll(".article-body h2");
      expect(sections.length).toBeGreaterThan(1000);
      expect(sections[sections.length - 1]!.textContent).toMatch(/^Section \d+$/);
    },
  }),
  generatedCase(GENERATED_CASES.tooLarge, { outcome: "error", errors: [{ file: "articles/too-large/en.md", message: /ContentError: the file is 17\.0 MiB, over the 16 MiB limit for one article/ }] }),
  generatedCase(GENERATED_CASES.manyTags, {
    outcome: "renders",
    headline: /^Five thousand tags$/,
    warnings: [/^articles\/many-tags\/en\.md:\d+ warning: 4950 more tags were dropped: an article keeps at most 50\./m],
    check(page, site) {
      expect(page.document.querySelectorAll(".topics a[rel=tag]").length).toBe(50);
      expect([...site.keys()].filter((file) => /^en\/topics\/tag-number-\d+\/index\.html$/.test(file))).toHaveLength(50);
    },
  }),
  generatedCase(GENERATED_CASES.deepNesting, { outcome: "renders-or-error", file: "articles/deep-nesting/en.md", headline: /^Deeply nested lists$/ }),
  generatedCase(GENERATED_CASES.indentedNesting, { outcome: "renders-or-error", file: "articles/indented-nesting/en.md", headline: /^An indented list three thousand levels deep$/ }),
  generatedCase(GENERATED_CASES.symlinkOutside, {
    outcome: "error",
    errors: [
      { file: "articles/symlink-outside/de.md", message: /ContentError: the file is a link to a place outside the content folder; it is not read\./ },
      { file: "articles/symlinked-story", message: /ContentError: the file is a link to a place outside the content folder; it is not read\./ },
    ],
  }),
  generatedCase(GENERATED_CASES.storyKeyTraversal, {
    outcome: "error",
    errors: [{ file: "articles/%2e%2e%2f%2e%2e%2fetc", message: /ContentError: the story folder name "%2e%2e%2f%2e%2e%2fetc" is not a valid story key\./ }],
  }),
];

interface CaseResult {
  run: CliRun;
  /** Entries created, changed or removed in the sandbox outside project/public/. */
  outside: string[];
  site: Site | null;
}

const sandboxes: string[] = [];
/** What each case did, for the record in test-output/hostile.json. */
const outcomes: { name: string; exit: number | null; signal: string | null; firstLine: string }[] = [];
afterAll(async () => {
  killRunning();
  await Promise.all(sandboxes.map((dir) => rm(dir, { recursive: true, force: true })));
  await mkdir(path.join(REPO_ROOT, "test-output"), { recursive: true });
  const sorted = outcomes.sort((a, b) => (a.name < b.name ? -1 : 1));
  await writeFile(path.join(REPO_ROOT, "test-output/hostile.json"), JSON.stringify({ cases: CASES.length, finished: sorted.length, outcomes: sorted }, null, 2) + "\n");
});

/**
 * sandbox/
 *   secret.md, secret-story/     targets of the symlink case
 *   outer/project/               the site: gazette.config.yml, articles/ (base story + the case)
 *   outer/project/public/        the only place a build may write
 */
async function runCase(hostile: HostileCase, onSpawn: (child: ChildProcess) => void): Promise<CaseResult> {
  const sandbox = await mkdtemp(path.join(tmpdir(), "gazette-hostile-"));
  sandboxes.push(sandbox);
  const project = path.join(sandbox, "outer", "project");
  await mkdir(project, { recursive: true });
  await cp(path.join(FIXTURES, "base"), project, { recursive: true });
  await hostile.setup(path.join(project, "articles"), sandbox);
  // Besides public/, a build writes its cache, .gazette-cache/, and nothing else.
  const own = ["outer/project/public", "outer/project/.gazette-cache"];
  const before = await snapshotTree(sandbox, own);
  const run = await runGazette(["build"], { cwd: project, onSpawn });
  const outside = diffTrees(before, await snapshotTree(sandbox, own));
  const publicDir = path.join(project, "public");
  return { run, outside, site: (await exists(publicDir)) ? await readTree(publicDir) : null };
}

function articlePages(site: Site): ArticlePage[] {
  const pages: ArticlePage[] = [];
  for (const [file, body] of site) {
    if (!file.endsWith(".html")) continue;
    const { document } = parseHTML(body.toString("utf8"));
    const script = document.querySelector('script[type="application/ld+json"]');
    if (!script) continue;
    const data = JSON.parse(script.textContent ?? "{}") as { headline?: string };
    if (typeof data.headline === "string") pages.push({ file, document, headline: data.headline });
  }
  return pages;
}

/** Inputs that take real work: run one at a time, so that the time bound is theirs alone. */
const HEAVY = new Set(["huge-article", "deep-nesting", "indented-nesting"]);

async function checkCase(hostile: HostileCase, onTestFinished: (fn: () => void) => void): Promise<void> {
  // A build still running when the test ends (it timed out) is killed, not left to burn CPU.
  const { run, outside, site } = await runCase(hostile, (child) => onTestFinished(() => void child.kill("SIGKILL")));
  const expectation = hostile.expect;
  const lines = `${run.stderr}\n${run.stdout}`.split("\n").filter((line) => line.trim() !== "");
  const said = lines.find((line) => /Error|error:|warning:/.test(line)) ?? lines.find((line) => line.startsWith("build ok")) ?? "";
  outcomes.push({ name: hostile.name, exit: run.code, signal: run.signal, firstLine: said.slice(0, 300) });

  expect(userFacingProblems(run), run.stderr).toEqual([]);
  expect(outside, "written outside the output folder").toEqual([]);
  expect([0, 1]).toContain(run.code);
  if (site) {
    expect(findUnsafeOutput(site)).toEqual([]);
    for (const [file, body] of site) expect(body.includes(SECRET), `${file} holds the symlink target`).toBe(false);
  }

  switch (expectation.outcome) {
    case "renders": {
      expect(run.code, run.stderr).toBe(0);
      const pages = articlePages(site!).filter((page) => expectation.headline.test(page.headline));
      expect(pages.length, `an article page with a headline like ${expectation.headline}`).toBeGreaterThan(0);
      for (const warning of expectation.warnings ?? []) expect(run.stderr).toMatch(warning);
      for (const page of pages) expectation.check?.(page, site!);
      return;
    }
    case "error": {
      expect(run.code, run.stdout).toBe(1);
      expect(site, "a failed first build writes no public/").toBeNull();
      const lines = run.stderr.split("\n");
      for (const error of expectation.errors) {
        expect(
          lines.some((line) => line.startsWith(`${error.file} `) && error.message.test(line)),
          `stderr names ${error.file} with ${error.message}:\n${run.stderr}`,
        ).toBe(true);
      }
      return;
    }
    case "skipped": {
      expect(run.code, run.stderr).toBe(0);
      for (const warning of expectation.warnings) expect(run.stderr).toMatch(warning);
      expect(articlePages(site!).map((page) => page.headline).sort()).toEqual(["Gespräche in Berlin ohne Ergebnis", "Talks in Berlin end without a result"]);
      return;
    }
    case "renders-or-error": {
      if (run.code === 0) {
        expect(articlePages(site!).some((page) => expectation.headline.test(page.headline)), "the article is published").toBe(true);
      } else {
        expect(run.stderr.split("\n").some((line) => line.startsWith(`${expectation.file}`)), `stderr names ${expectation.file}:\n${run.stderr}`).toBe(true);
        expect(site).toBeNull();
      }
      return;
    }
  }
}

const caseRows = (heavy: boolean) => CASES.filter((hostile) => HEAVY.has(hostile.name) === heavy).map((hostile) => [hostile.name, hostile] as const);

describe.concurrent("hostile input gives a clear error or a safe rendering", () => {
  test.for(caseRows(false))("%s", { timeout: CASE_TIMEOUT }, async ([, hostile], { onTestFinished }) => checkCase(hostile, onTestFinished));
});

describe("large hostile input gives a clear error or a safe rendering, in bounded time", () => {
  test.for(caseRows(true))("%s", { timeout: CASE_TIMEOUT }, async ([, hostile], { onTestFinished }) => checkCase(hostile, onTestFinished));
});

describe("hostile command-line input", () => {
  test("`gazette related ../../etc` and `gazette new` with a traversal key are clear errors that write nothing", async () => {
    const sandbox = await mkdtemp(path.join(tmpdir(), "gazette-hostile-cli-"));
    sandboxes.push(sandbox);
    const project = path.join(sandbox, "outer", "project");
    await mkdir(project, { recursive: true });
    await cp(path.join(FIXTURES, "base"), project, { recursive: true });
    const before = await snapshotTree(sandbox);

    const related = await runGazette(["related", "../../etc"], { cwd: project });
    expect(userFacingProblems(related)).toEqual([]);
    expect(related.code).not.toBe(0);
    expect(related.stderr).toMatch(/"\.\.\/\.\.\/etc"/);

    const created = await runGazette(["new", "Ein Titel", "--lang", "de", "--key", "../../etc"], { cwd: project });
    expect(userFacingProblems(created)).toEqual([]);
    expect(created.code).toBe(2);
    expect(created.stderr).toMatch(/--key "\.\.\/\.\.\/etc" is not a valid story key/);

    expect(diffTrees(before, await snapshotTree(sandbox))).toEqual([]);
  }, CASE_TIMEOUT);

  test("`gazette new` with a hostile title writes one draft inside the content folder, and it builds safely", async () => {
    const sandbox = await mkdtemp(path.join(tmpdir(), "gazette-hostile-cli-"));
    sandboxes.push(sandbox);
    const project = path.join(sandbox, "outer", "project");
    await mkdir(project, { recursive: true });
    await cp(path.join(FIXTURES, "base"), project, { recursive: true });
    const before = await snapshotTree(sandbox);
    const title = "../../etc/<script>alert(1)</script>";
    const created = await runGazette(["new", title, "--lang", "de"], { cwd: project });
    expect(userFacingProblems(created)).toEqual([]);
    expect(created.code, created.stderr).toBe(0);
    expect(diffTrees(before, await snapshotTree(sandbox))).toEqual(["+ outer/project/articles/etc-script-alert-1-script", "+ outer/project/articles/etc-script-alert-1-script/de.md"]);
    const built = await runGazette(["build", "--drafts"], { cwd: project });
    expect(userFacingProblems(built)).toEqual([]);
    expect(built.code, built.stderr).toBe(0);
    const site = await readTree(path.join(project, "public"));
    expect(findUnsafeOutput(site)).toEqual([]);
    expect(articlePages(site).map((page) => page.headline)).toContain(title);
  }, CASE_TIMEOUT);
});
