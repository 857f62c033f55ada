import { describe, expect, test } from "vitest";
import { loadSite } from "../../src/build.js";
import { MetadataError, UnknownLanguageError } from "../../src/errors/site-error.js";
import { REPO_ROOT, article, loadFiles } from "../helpers/temp-site.js";

const site = await loadSite({ root: REPO_ROOT });
const byId = new Map(site.articles.map((a) => [a.id, a]));
const get = (id: string) => {
  const found = byId.get(id);
  if (!found) throw new Error(`no article ${id}`);
  return found;
};

describe("the twelve real article files normalize", () => {
  test("with zero errors and zero warnings", () => {
    expect(site.errors).toEqual([]);
    expect(site.warnings).toEqual([]);
    expect(site.articles).toHaveLength(12);
    expect(site.articles.map((a) => a.lang).sort().join("")).toBe("dededededeenenenenenfrfr");
  });

  test("the seeds' dates: relative, day-first and inferred", () => {
    // "5 Tags zuvor" counted back from retrieved: 2025-08-21.
    expect(get("trump-putin-alaska-gipfel-ohne-waffenstillstand/de").date).toBe("2025-08-16T00:00:00+02:00");
    // "13/02/2025" is day-first (13 > 12), in the site zone (CET in February).
    expect(get("trump-offen-fuer-treffen-mit-putin/de").date).toBe("2025-02-13T00:00:00+01:00");
    expect(get("trump-putin-verhandlungen-ukraine-krieg/de").datePrecision).toBe("month");
    expect(get("trump-putin-telefonat-ohne-fortschritte/de").date).toBe("2025-07-03T00:00:00+02:00");
    expect(get("diplomatische-bemuehungen-trump-putin-stagnieren/de").date).toBe("2025-05-20T00:00:00+02:00");
    for (const a of site.articles) expect(a.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  });

  test("language labels: 'Deutsch' and file names become BCP 47", () => {
    expect(get("trump-putin-alaska-gipfel-ohne-waffenstillstand/de").lang).toBe("de");
    expect(get("trump-putin-alaska-gipfel-ohne-waffenstillstand/fr").translatedFrom).toBe("de");
  });

  test("the glued tag line becomes five canonical topics, the same ids in German and English", () => {
    const de = get("trump-putin-verhandlungen-ukraine-krieg/de");
    const en = get("trump-putin-verhandlungen-ukraine-krieg/en");
    expect(de.tags.map((t) => t.name)).toEqual(["Hamburg", "Helsinki", "Medien", "Russland", "Ukraine"]);
    expect(de.tags.map((t) => t.id)).toEqual(en.tags.map((t) => t.id));
    expect(de.tags.map((t) => t.slug)).toEqual(["hamburg", "helsinki", "medien", "russland", "ukraine"]);
  });

  test("names spelled several ways are one entity, spelled per language", () => {
    const phone = get("trump-putin-telefonat-ohne-fortschritte/de"); // writes both "Wladimir" and "Vladímir"
    const putin = phone.entities.find((e) => e.id === "vladimir-putin");
    expect(putin?.name).toBe("Wladimir Putin");
    expect(putin!.count).toBeGreaterThanOrEqual(10);
    const zelensky = (id: string) => get(id).entities.find((e) => e.id === "volodymyr-zelensky")?.name;
    expect(zelensky("trump-offen-fuer-treffen-mit-putin/de")).toBe("Wolodymyr Selenskyj");
    expect(zelensky("trump-offen-fuer-treffen-mit-putin/en")).toBe("Volodymyr Zelensky");
    for (const a of site.articles) expect(a.entities.map((e) => e.id)).toEqual(expect.arrayContaining(["donald-trump", "vladimir-putin"]));
  });

  test("author, dateline, sections and sources as normalized values", () => {
    const meeting = get("trump-offen-fuer-treffen-mit-putin/de");
    expect(meeting.authors).toEqual(["Amalie L."]);
    expect(meeting.category).toBe("politics"); // "Krieg" is an alias of the politics section
    expect(get("trump-offen-fuer-treffen-mit-putin/en").category).toBe("politics"); // inherited by the translation
    expect(get("diplomatische-bemuehungen-trump-putin-stagnieren/de").dateline).toBe("München");
    expect(get("diplomatische-bemuehungen-trump-putin-stagnieren/de").source).toEqual({ name: "IT BOLTWISE", url: null });
    expect(get("trump-putin-verhandlungen-ukraine-krieg/de").references.map((r) => r.url)).toEqual([
      "https://www.rosenheim24.de/",
      "https://www.berliner-zeitung.de/",
      "https://www.t-online.de/",
    ]);
  });

  test("slugs are transliterated and unique per language", () => {
    expect(get("trump-offen-fuer-treffen-mit-putin/de").slug).toBe("trump-offen-fuer-treffen-mit-putin-in-russland-und-den-usa");
    for (const lang of ["de", "en", "fr"]) {
      const slugs = site.articles.filter((a) => a.lang === lang).map((a) => a.slug);
      expect(new Set(slugs).size).toBe(slugs.length);
    }
    for (const a of site.articles) expect(a.url).toBe(`/${a.lang}/${a.slug}/`);
  });

  test("summaries: given ones kept, missing ones cut from the first paragraph", () => {
    expect(get("trump-offen-fuer-treffen-mit-putin/de").summary).toBe("Das Treffen werde in „nicht allzu ferner Zukunft“ stattfinden, sagte Trump.");
    const derived = get("trump-putin-telefonat-ohne-fortschritte/de").summary;
    expect(derived.length).toBeLessThanOrEqual(200);
    expect(derived).toMatch(/^Der Präsident der Vereinigten Staaten, Donald Trump/);
    expect(derived).toMatch(/[.!?…]$/);
  });

  test("word counts and reading time", () => {
    for (const a of site.articles) {
      expect(a.wordCount).toBeGreaterThan(150);
      expect(a.readingMinutes).toBe(Math.max(1, Math.round(a.wordCount / 220)));
    }
  });
});

describe("normalization errors name the file, the line and what to do", () => {
  test("a lang that contradicts the file name", async () => {
    const result = await loadFiles({ "articles/a/de.md": article({ title: "Hello", lang: "fr", date: "2025-01-01" }) });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toBeInstanceOf(MetadataError);
    expect(result.errors[0]!.location).toEqual({ file: "articles/a/de.md", line: 3 });
    expect(result.errors[0]!.message).toBe('"lang" says fr, but the file name de.md says de.');
  });

  test("a region refines the file's language without contradicting it", async () => {
    const result = await loadFiles({ "articles/a/de.md": article({ title: "Hallo", lang: "de_DE", date: "2025-01-01" }) });
    expect(result.errors).toEqual([]);
    expect(result.articles[0]!.lang).toBe("de");
  });

  test.each([
    ["missing title", { date: "2025-01-01" }, '"title" is missing.', null],
    ["missing date", { title: "T" }, '"date" is missing.', null],
    ["impossible date", { title: "T", date: "2026-02-30" }, "not a real date", "date"],
    ["relative date without retrieved", { title: "T", date: "vor 5 Tagen" }, "retrieved", "date"],
    ["updated before date", { title: "T", date: "2025-03-01", updated: "2025-02-01" }, "is before", "updated"],
    ["unknown language label", { title: "T", lang: "klingonisch", date: "2025-01-01" }, "not a language Gazette knows", "lang"],
    ["language the site does not publish", { title: "T", lang: "pt-BR", date: "2025-01-01" }, "does not publish", "lang"],
    ["draft not a boolean", { title: "T", date: "2025-01-01", draft: "vielleicht" }, "true or false", "draft"],
    ["seo source without a source URL", { title: "T", date: "2025-01-01", seo: "source" }, "has no URL", "seo"],
  ])("%s", async (_name, fields, message, key) => {
    const text = article({ lang: "de", ...fields } as Record<string, string>);
    const result = await loadFiles({ "articles/a/index.md": text });
    const error = result.errors.find((e) => e.message.includes(message));
    expect(error, result.errors.map((e) => e.message).join("\n")).toBeDefined();
    expect(error!.location?.file).toBe("articles/a/index.md");
    const expectedLine = key === null ? 1 : text.split("\n").findIndex((line) => line.startsWith(`${key}:`)) + 1;
    expect(error!.location?.line).toBe(expectedLine);
  });

  test("an unknown language is an UnknownLanguageError", async () => {
    const result = await loadFiles({ "articles/a/de.md": article({ title: "T", language: "xx-yy-zz", date: "2025-01-01" }) });
    expect(result.errors[0]).toBeInstanceOf(UnknownLanguageError);
  });

  test("two articles with one title-made slug: the later one gets its date appended, with a warning naming both", async () => {
    const result = await loadFiles({
      "articles/b/de.md": article({ title: "Gleicher Titel", date: "2025-01-02" }),
      "articles/a/de.md": article({ title: "Gleicher Titel", date: "2025-01-01" }),
      "articles/c/de.md": article({ title: "Gleicher Titel", date: "2025-01-02T18:00:00+01:00" }),
    });
    expect(result.errors).toEqual([]);
    const urls = Object.fromEntries(result.articles.map((a) => [a.file, a.url]));
    // The earliest keeps the plain URL: a new article never moves an old one's.
    expect(urls).toEqual({
      "articles/a/de.md": "/de/gleicher-titel/",
      "articles/b/de.md": "/de/gleicher-titel-2025-01-02/",
      "articles/c/de.md": "/de/gleicher-titel-c/",
    });
    const warning = result.warnings.find((w) => w.location?.file === "articles/b/de.md" && w.message.includes("already used"));
    expect(warning?.message).toContain("articles/a/de.md");
    expect(warning?.message).toContain("/de/gleicher-titel-2025-01-02/");
  });

  test("a clash with a slug written in the frontmatter is an error naming both files", async () => {
    const result = await loadFiles({
      "articles/a/de.md": article({ title: "Eins", slug: "gleich", date: "2025-01-01" }),
      "articles/b/de.md": article({ title: "Zwei", slug: "gleich", date: "2025-01-02" }),
      "articles/c/de.md": article({ title: "Gleich", date: "2024-01-02" }),
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toContain("articles/a/de.md");
    expect(result.errors[0]!.location?.file).toBe("articles/b/de.md");
    // A title-made slug yields to a written one, even when it is older.
    expect(result.articles.find((a) => a.file === "articles/c/de.md")?.url).toBe("/de/gleich-2024-01-02/");
  });

  test("two versions of a story in one language", async () => {
    const result = await loadFiles({
      "articles/a/de.md": article({ title: "Eins", date: "2025-01-01" }),
      "articles/a/index.md": article({ title: "Zwei", lang: "Deutsch", date: "2025-01-01" }),
    });
    expect(result.errors[0]!.message).toMatch(/two de versions: articles\/a\/de\.md and articles\/a\/index\.md/);
  });

  test("every problem of every file is reported together", async () => {
    const result = await loadFiles({
      "articles/a/de.md": article({ title: "A", date: "31.04.2025", updated: "kaputt" }),
      "articles/b/en.md": article({ date: "2025-01-01" }),
    });
    expect(result.errors.map((e) => e.location?.file)).toEqual(["articles/a/de.md", "articles/a/de.md", "articles/b/en.md"]);
  });
});

describe("normalization warnings", () => {
  test("an ambiguous day/month date follows the language, with a warning", async () => {
    const result = await loadFiles({ "articles/a/de.md": article({ title: "T", date: "03/04/2025" }) });
    expect(result.articles[0]!.date).toBe("2025-04-03T00:00:00+02:00");
    expect(result.warnings.some((w) => w.message.includes("ambiguous"))).toBe(true);
    expect(result.articles[0]!.diagnostics.length).toBeGreaterThan(0);
  });

  test("an unknown section is a warning, the article keeps no section", async () => {
    const result = await loadFiles({ "articles/a/de.md": article({ title: "T", date: "2025-01-01", category: "Kuriositäten" }) });
    expect(result.articles[0]!.category).toBeNull();
    expect(result.warnings[0]!.message).toContain('"Kuriositäten"');
  });

  test("a label the text contradicts is a warning with the detected language", async () => {
    const english = "The talks between the two presidents ended without any agreement on a ceasefire, and both sides said they would continue to negotiate in the coming weeks.";
    const result = await loadFiles({ "articles/a/index.md": article({ title: "T", lang: "de", date: "2025-01-01" }, english) });
    expect(result.articles[0]!.lang).toBe("de");
    expect(result.warnings.map((w) => w.message).join()).toMatch(/labelled de, but the text reads as en/);
  });

  test("no label and no language in the file name: detected from the text, with a warning", async () => {
    const french = "Les négociations entre les deux présidents se sont terminées sans accord sur un cessez-le-feu, et les deux parties ont déclaré qu’elles continueraient à négocier.";
    const result = await loadFiles({ "articles/a/index.md": article({ title: "T", date: "2025-01-01" }, french) });
    expect(result.errors).toEqual([]);
    expect(result.articles[0]!.lang).toBe("fr");
    expect(result.warnings[0]!.message).toMatch(/detected fr/);
  });

  test("a title from the body's leading # heading", async () => {
    const result = await loadFiles({ "articles/a/de.md": "---\ndate: 2025-01-01\n---\n\n# Überschrift im Text\n\nDer eigentliche Text des Artikels steht hier.\n" });
    expect(result.articles[0]!.title).toBe("Überschrift im Text");
    expect(result.articles[0]!.body).not.toContain("Überschrift");
  });

  test("an article without body text is skipped with a warning", async () => {
    const result = await loadFiles({ "articles/a/de.md": "---\ntitle: Leer\ndate: 2025-01-01\n---\n\n" });
    expect(result.articles).toEqual([]);
    expect(result.warnings[0]!.message).toMatch(/no body text/);
  });
});
