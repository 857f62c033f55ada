import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { parseCommand } from "../../../src/cli/args.js";
import { closeMatches, run, spec } from "../../../src/cli/commands/related.js";
import { UsageError } from "../../../src/errors/site-error.js";
import { REPO_ROOT, article, makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

/** Runs `gazette related ARGS` in-process (the working directory is the repository) and captures its output. */
async function related(args: string[]) {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await run(parseCommand(spec, args));
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const KEY = "trump-putin-telefonat-ohne-fortschritte";
const OTHERS = [
  "diplomatische-bemuehungen-trump-putin-stagnieren",
  "trump-offen-fuer-treffen-mit-putin",
  "trump-putin-alaska-gipfel-ohne-waffenstillstand",
  "trump-putin-verhandlungen-ukraine-krieg",
];

beforeAll(() => {
  expect(process.cwd()).toBe(REPO_ROOT);
});

describe("gazette related KEY", () => {
  test("--json prints [{key, lang, url, title, score, reasons}] for the default language, best first", async () => {
    const result = await related([KEY, "--json"]);
    expect(result.code).toBe(0);
    const records = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(records.map((record) => record.key).sort()).toEqual(OTHERS);
    for (const record of records) {
      expect(Object.keys(record)).toEqual(["key", "lang", "url", "title", "score", "reasons"]);
      expect(record).toMatchObject({ lang: "de", url: expect.stringMatching(/^\/de\/.+\/$/), title: expect.any(String) });
    }
    const scores = records.map((record) => record.score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(records[0]!.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ signal: "entities", details: expect.arrayContaining(["Donald Trump", "Wladimir Putin"]) })]));
  });

  test("the table shows rank, score, language, title, URL and one line per signal", async () => {
    const result = await related([KEY, "--lang", "en"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Related to ${KEY}/en: "`));
    expect(result.stdout).toMatch(/^ {3}1 {2}0\.\d{3} {2}en {5}\S/m);
    expect(result.stdout).toMatch(/^ {21}\/en\/.+\/$/m);
    expect(result.stdout).toMatch(/^ {21}entities \+0\.\d{3} {2}.*Donald Trump.*Vladimir Putin|^ {21}entities \+0\.\d{3} {2}.*Vladimir Putin.*Donald Trump/m);
    expect(result.stdout).toMatch(/^ {21}time {5}\+0\.\d{3} {2}\d+ days apart$/m);
  });

  test("a French version fills from other languages, marked with *", async () => {
    const result = await related([KEY, "--lang", "fr"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {3}2 {2}0\.\d{3} {2}(de|en)\* /m);
    expect(result.stdout).toContain("* another language: fills the list when fewer than 5 fr articles qualify.");
  });

  test("an unknown story key exits 1 and names close matches", async () => {
    const result = await related(["trump-putin-telefonat", "--json"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/there is no story "trump-putin-telefonat" in articles\/\. Did you mean "trump-putin-telefonat-ohne-fortschritte"/);
  });

  test("a language the story does not have exits 1 and lists the ones it has", async () => {
    const result = await related(["trump-offen-fuer-treffen-mit-putin", "--lang", "fr"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the story "trump-offen-fuer-treffen-mit-putin" has no "fr" version; it has de, en. Use --lang with one of them.');
  });

  test("a missing key is a usage error (exit 2)", async () => {
    await expect(related([])).rejects.toThrow(UsageError);
    await expect(related(["--json"])).rejects.toThrow("related needs a story key.");
  });
});

describe("gazette related on a small site", () => {
  let root: string;
  beforeAll(async () => {
    const story = (title: string, date: string, body: string, extra: Record<string, string> = {}) => article({ title, date, lang: "en", ...extra }, body);
    root = await makeTempSite({
      "articles/summit-a/en.md": story("Summit in Anchorage", "2025-08-15", "The summit in Anchorage ended without a ceasefire. Negotiators met for hours.", { related: "[football]" }),
      "articles/summit-b/en.md": story("Anchorage summit talks", "2025-08-16", "Negotiators in Anchorage talked about a ceasefire at the summit."),
      "articles/football/en.md": story("Cup final", "2025-08-16", "The striker scored twice in the cup final at the stadium."),
      "articles/draft/en.md": story("Summit draft", "2025-08-16", "A draft about the Anchorage summit and the ceasefire negotiators.", { draft: "true" }),
    });
  });
  afterAll(() => removeTempSite(root));

  test("pins come first and are marked; drafts are never listed", async () => {
    const result = await related(["summit-a", "--json", "--content", path.join(root, "articles")]);
    expect(result.code).toBe(0);
    const records = JSON.parse(result.stdout) as Array<{ key: string; reasons: Array<{ signal: string }> }>;
    expect(records.map((record) => record.key)).toEqual(["football", "summit-b"]);
    expect(records[0]!.reasons[0]!.signal).toBe("pinned");
  });

  test("a draft's own list can be previewed", async () => {
    const result = await related(["draft", "--json", "--content", path.join(root, "articles")]);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Array<{ key: string }>).map((record) => record.key).sort()).toEqual(["summit-a", "summit-b"]);
  });
});

describe("closeMatches", () => {
  const keys = ["trump-putin-telefonat-ohne-fortschritte", "trump-offen-fuer-treffen-mit-putin", "zinsen-steigen", "zinsen-sinken", "wahl-2025"];
  test.each([
    ["trump-putin-telefonat", ["trump-putin-telefonat-ohne-fortschritte", "trump-offen-fuer-treffen-mit-putin"]],
    ["zinsen", ["zinsen-sinken", "zinsen-steigen"]],
    ["wahl-2052", ["wahl-2025"]],
    ["wahl-2205", ["wahl-2025"]],
    ["nothing-alike", []],
  ])("%s -> %j", (key, expected) => {
    expect(closeMatches(key, keys)).toEqual(expected);
  });
});
