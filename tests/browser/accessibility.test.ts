/**
 * Accessibility in Chromium: axe-core with every one of its rules (no tag filter; the ones axe
 * leaves off by default, such as AAA contrast and target size, switched on too) on every page of
 * the real and rich sites and the hostile site's articles, in light mode; in dark mode on one page
 * of each kind and language (colour is what changes). The search page is also checked with results
 * on screen. 0 violations of any impact.
 * Beside axe: headings in order, one of each landmark, link text that names its target, and `lang`
 * wherever text is in another language than its page (passages, cards, language names).
 * A summary (pages x modes, rules run) is written to test-output/accessibility.json.
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../helpers/temp-site.js";
import { buildTestSite, type BuiltSite, type SiteName } from "../quality/support/sites.js";
import { axeScript, launchBrowser, serve, type Browser, type Served } from "./support/browser.js";

interface AxeRun {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }[];
  /** Every rule axe ran on the page (passed, violated, incomplete or not applicable). */
  rules: string[];
  incomplete: string[];
  version: string;
  /** Rules axe has (axe.getRules()); every one of them runs. */
  known: number;
}

type Mode = "light" | "dark";

const built = new Map<SiteName, BuiltSite>();
for (const name of ["real", "rich", "hostile"] as const) built.set(name, await buildTestSite(name));

/** URL paths of a site's pages: "/", "/de/", "/de/themen/ukraine/", "/404.html". */
async function pagePaths(out: string): Promise<string[]> {
  const entries = await readdir(out, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => path.relative(out, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .filter((file) => !file.startsWith("pagefind/"))
    .map((file) => `/${file.replace(/(^|\/)index\.html$/, "$1")}`)
    .sort();
}

/** Page kind from its path, to pick one page of each kind and language for dark mode. */
function kindOf(urlPath: string): string {
  const parts = urlPath.split("/").filter(Boolean);
  if (parts.length === 0) return "chooser";
  if (urlPath === "/404.html") return "not-found";
  const [lang, segment, slug] = parts;
  if (segment === undefined) return `${lang} front`;
  if (segment === "page") return `${lang} front page N`;
  const groups: Record<string, string> = { themen: "topic", topics: "topic", sujets: "topic", autoren: "author", authors: "author", auteurs: "author", quellen: "source", sources: "source" };
  if (["suche", "search", "recherche"].includes(segment)) return `${lang} search`;
  if (groups[segment]) return slug === undefined ? `${lang} ${groups[segment]} index` : `${lang} ${groups[segment]}`;
  return `${lang} article`;
}

interface PageCase {
  site: SiteName;
  path: string;
  mode: Mode;
}

const cases: PageCase[] = [];
for (const [name, site] of built) {
  const paths = await pagePaths(site.out);
  const checked = name === "hostile" ? paths.filter((p) => kindOf(p).endsWith(" article")) : paths;
  for (const p of checked) cases.push({ site: name, path: p, mode: "light" });
  if (name === "hostile") continue;
  const seen = new Set<string>();
  for (const p of checked) {
    if (seen.has(kindOf(p))) continue;
    seen.add(kindOf(p));
    cases.push({ site: name, path: p, mode: "dark" });
  }
}

const servers = new Map<SiteName, Served>();
let browser: Browser;
let page: Page;
const rulesRun = new Set<string>();
const axeInfo = { version: "", known: 0 };
const summary: { site: SiteName; path: string; mode: Mode; rules: number; violations: number; incomplete: string[] }[] = [];

beforeAll(async () => {
  for (const [name, site] of built) servers.set(name, await serve(site.out));
  browser = await launchBrowser();
  page = await browser.context.newPage();
}, 120_000);

afterAll(async () => {
  const report = {
    axeVersion: axeInfo.version,
    rulesKnown: axeInfo.known,
    rulesRun: [...rulesRun].sort(),
    runs: summary.length,
    pages: new Set(summary.map((run) => `${run.site} ${run.path}`)).size,
    byMode: { light: summary.filter((run) => run.mode === "light").length, dark: summary.filter((run) => run.mode === "dark").length },
    violations: summary.reduce((sum, run) => sum + run.violations, 0),
    runsList: summary,
  };
  await mkdir(path.join(REPO_ROOT, "test-output"), { recursive: true });
  await writeFile(path.join(REPO_ROOT, "test-output/accessibility.json"), JSON.stringify(report, null, 2) + "\n");
  console.info(`axe ${report.axeVersion}: ${report.rulesRun.length} rules run (of ${report.rulesKnown} known) on ${report.pages} pages, ${report.byMode.light} light + ${report.byMode.dark} dark runs, ${report.violations} violations`);
  await browser?.close();
  for (const server of servers.values()) await server.close();
  for (const site of built.values()) await site.remove();
});

/** Runs axe with every rule it has switched on, on the page as it is now. */
async function runAxe(): Promise<AxeRun> {
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) await page.addScriptTag({ content: axeScript() });
  return page.evaluate<AxeRun>(`axe.run(document, { resultTypes: ["violations"], rules: Object.fromEntries(axe.getRules().map((rule) => [rule.ruleId, { enabled: true }])) }).then((r) => ({
    violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })),
    rules: [...new Set([...r.passes, ...r.violations, ...r.incomplete, ...r.inapplicable].map((rule) => rule.id))],
    incomplete: r.incomplete.map((rule) => rule.id),
    version: axe.version,
    known: axe.getRules().length,
  }))`);
}

function describeViolations(run: AxeRun): string[] {
  return run.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function open(site: SiteName, urlPath: string, mode: Mode): Promise<void> {
  await page.emulateMedia({ colorScheme: mode });
  const response = await page.goto(`${servers.get(site)!.origin}${urlPath}`);
  expect(response?.status()).toBe(200);
  if (kindOf(urlPath).endsWith(" search")) await page.locator(".pagefind-ui__search-input").waitFor({ state: "visible" });
}

/**
 * Structure axe checks only in part: headings from h1 without skipped levels, one main, banner and
 * contentinfo, named navigation, links whose text says where they go (and the same text never
 * leads to two places), valid lang attributes matching the URL's language.
 */
const STRUCTURE = `(() => {
  const problems = [];
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter((h) => h.getClientRects().length > 0 || h.classList.contains("visually-hidden"));
  const levels = headings.map((h) => Number(h.tagName[1]));
  if (levels[0] !== 1) problems.push("the first heading is h" + levels[0]);
  if (levels.filter((l) => l === 1).length !== 1) problems.push(levels.filter((l) => l === 1).length + " h1");
  for (let i = 1; i < levels.length; i++) if (levels[i] > levels[i - 1] + 1) problems.push("h" + levels[i - 1] + " then h" + levels[i] + ": " + headings[i].textContent.trim().slice(0, 40));
  const top = (selector) => [...document.querySelectorAll(selector)].filter((el) => !el.parentElement.closest("article, aside, main, nav, section"));
  if (document.querySelectorAll("main").length !== 1) problems.push(document.querySelectorAll("main").length + " main");
  if (top("header").length !== 1) problems.push(top("header").length + " banner headers");
  if (top("footer").length !== 1) problems.push(top("footer").length + " contentinfo footers");
  const navs = [...document.querySelectorAll("nav")];
  for (const nav of navs) if (navs.length > 1 && !nav.getAttribute("aria-label") && !nav.getAttribute("aria-labelledby")) problems.push("a nav without a name");
  const targets = new Map();
  for (const link of document.querySelectorAll("a[href]")) {
    const text = (link.getAttribute("aria-label") || link.textContent || "").replace(/\\s+/g, " ").trim();
    if (text === "") { problems.push("a link without text: " + link.getAttribute("href")); continue; }
    if (/^(click here|here|more|read more|link|hier|mehr|weiterlesen|ici|plus|lire la suite)$/i.test(text)) problems.push("a link that says only " + JSON.stringify(text));
    const href = new URL(link.getAttribute("href"), location.href).href;
    const key = text.toLowerCase() + " @" + (link.closest("[lang]")?.getAttribute("lang") ?? "");
    if (targets.has(key) && targets.get(key) !== href) problems.push(JSON.stringify(text) + " links to " + targets.get(key) + " and " + href);
    targets.set(key, href);
  }
  const bcp47 = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\\d{3}))?$/;
  for (const el of document.querySelectorAll("[lang]")) if (!bcp47.test(el.getAttribute("lang"))) problems.push("lang=" + JSON.stringify(el.getAttribute("lang")));
  const urlLang = location.pathname.split("/")[1];
  if (["de", "en", "fr"].includes(urlLang) && document.documentElement.lang !== urlLang) problems.push("html lang " + document.documentElement.lang + " on a /" + urlLang + "/ page");
  return problems;
})()`;

describe.each(["real", "rich", "hostile"] as const)("the %s site", (site) => {
  test.each(cases.filter((c) => c.site === site).map((c) => [`${c.path} (${c.mode})`, c] as const))("%s: 0 axe violations, headings, landmarks, links, lang", async (_name, c) => {
    await open(c.site, c.path, c.mode);
    const run = await runAxe();
    Object.assign(axeInfo, { version: run.version, known: run.known });
    for (const rule of run.rules) rulesRun.add(rule);
    summary.push({ site: c.site, path: c.path, mode: c.mode, rules: run.rules.length, violations: run.violations.length, incomplete: run.incomplete });
    expect(describeViolations(run)).toEqual([]);
    expect(run.rules.length).toBe(run.known);
    if (c.mode === "light") expect(await page.evaluate<string[]>(STRUCTURE)).toEqual([]);
  }, 60_000);
});

describe("the search page with results on screen", () => {
  test.each(["light", "dark"] as const)("%s mode: 0 axe violations", async (mode) => {
    await open("real", "/en/search/", mode);
    await page.locator(".pagefind-ui__search-input").fill("Putin");
    await page.locator(".pagefind-ui__result-link").first().waitFor({ state: "visible" });
    await page.waitForFunction(`/\\d/.test(document.querySelector(".pagefind-ui__message")?.textContent ?? "")`);
    const run = await runAxe();
    for (const rule of run.rules) rulesRun.add(rule);
    summary.push({ site: "real", path: "/en/search/?q=Putin", mode, rules: run.rules.length, violations: run.violations.length, incomplete: run.incomplete });
    expect(describeViolations(run)).toEqual([]);
  }, 60_000);
});

describe("lang on text in another language than its page", () => {
  test.each([
    ["/de/gipfel-in-genf-endet-mit-einer-gemeinsamen-erklaerung/", "en", "We have made real progress today"],
    ["/en/geneva-summit-ends-with-a-joint-statement/", "de", "Wir sind heute einen großen Schritt weitergekommen"],
  ])("%s marks the %s quotation", async (urlPath, lang, quote) => {
    await open("rich", urlPath, "light");
    const marked = await page.locator(`.article-body [lang="${lang}"]`).allTextContents();
    expect(marked.some((text) => text.includes(quote))).toBe(true);
    // Nothing else in the body is marked: the page's own language is not mislabelled.
    expect(await page.locator(".article-body [lang]").count()).toBe(1);
  }, 60_000);

  test("untranslated stories on the French front page are marked German, their marker French", async () => {
    await open("real", "/fr/", "light");
    const cards = await page.locator(".card article").evaluateAll((articles) => articles.map((article) => ({ lang: article.getAttribute("lang"), marker: article.querySelector(".language-marker")?.getAttribute("lang") ?? null })));
    expect(cards.filter((card) => card.lang === "de")).toHaveLength(3);
    for (const card of cards) expect(card.lang === "de" ? card.marker : null).toBe(card.lang === "de" ? "fr" : null);
  }, 60_000);

  test("language names in the switcher, the chooser and the 404 page each carry their own lang", async () => {
    await open("real", "/en/", "light");
    expect(await page.locator(".language-switcher [lang]").evaluateAll((items) => items.map((item) => `${item.getAttribute("lang")}:${item.textContent?.trim()}`))).toEqual(["de:Deutsch", "en:English", "fr:Français"]);
    await open("real", "/", "light");
    expect(await page.locator(".chooser > li").evaluateAll((items) => items.map((item) => item.getAttribute("lang")))).toEqual(["de", "en", "fr"]);
    await open("real", "/404.html", "light");
    expect(await page.locator(".not-found li").evaluateAll((items) => items.map((item) => item.getAttribute("lang")))).toEqual(["de", "en", "fr"]);
  }, 60_000);
});
