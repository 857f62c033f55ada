import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseConfig } from "../../../src/config/parse-config.js";
import { ConfigError } from "../../../src/errors/site-error.js";
import { REPO_ROOT } from "../../helpers/temp-site.js";

describe("parseConfig", () => {
  test("an empty file gives working defaults", () => {
    const config = parseConfig("", "/site");
    expect(config.languages.map((l) => l.code)).toEqual(["de", "en", "fr"]);
    expect(config.defaultLanguage).toBe("de");
    expect(config.baseUrl).toBe("http://localhost:4321/");
    expect(config.paths).toEqual({ content: "articles", templates: "templates", data: "data", out: "public" });
    expect(config.related.limit).toBe(5);
    expect([config.search, config.searchSlicePages]).toEqual([true, 2000]);
    expect(parseConfig("searchSlicePages: 0\n", "/site").searchSlicePages).toBe(0);
    expect(parseConfig("searchSlicePages: 500\n", "/site").searchSlicePages).toBe(500);
  });

  test("the repository's own gazette.config.yml is valid", async () => {
    const config = parseConfig(await readFile(path.join(REPO_ROOT, "gazette.config.yml"), "utf8"), REPO_ROOT);
    expect(config.baseUrl).toBe("https://news.example/");
    expect(config.languages.map((l) => [l.code, l.locale])).toEqual([["de", "de-DE"], ["en", "en-GB"], ["fr", "fr-FR"]]);
  });

  test("language order, locale, direction and a subpath base URL", () => {
    const config = parseConfig("baseUrl: https://example.org/news\nlanguages:\n  ar: { title: أخبار }\n  en: { title: News, locale: en-US }\n", "/site");
    expect(config.baseUrl).toBe("https://example.org/news/");
    expect(config.languages.map((l) => [l.code, l.dir, l.locale])).toEqual([["ar", "rtl", "ar"], ["en", "ltr", "en-US"]]);
    expect(config.defaultLanguage).toBe("ar");
  });

  test("--base-url and --content override the file", () => {
    const config = parseConfig("baseUrl: https://a.example/\n", "/site", { baseUrl: "https://b.example/sub", content: "other" });
    expect(config.baseUrl).toBe("https://b.example/sub/");
    expect(config.paths.content).toBe("other");
  });

  test.each([
    ["unknown key", "titel: x\n", 1, /unknown setting "titel"/],
    ["bad time zone", "timeZone: Mars/Olympus\n", 1, /not an IANA time zone/],
    ["relative base URL", "baseUrl: /news/\n", 1, /absolute http/],
    ["default not a site language", "languages:\n  de: {}\ndefaultLanguage: fr\n", 3, /not one of the site's languages/],
    ["non-canonical language code", "languages:\n  DE: {}\n", 2, /as "de"/],
    ["perPage not a number", "perPage: many\n", 1, /whole number|number from/],
    ["bad seo policy", "seo: maybe\n", 1, /one of self, source, noindex/],
    ["negative search slices", "search: true\nsearchSlicePages: -5\n", 2, /searchSlicePages/],
    ["search slices too small to pay for their bundles", "search: true\nsearchSlicePages: 3\n", 2, /at least 100 pages/],
    ["unknown related weight", "related:\n  weights:\n    vibes: 1\n", 3, /unknown related signal/],
    ["broken YAML", "languages: [de\n", 2, /not valid YAML/],
  ])("%s is a ConfigError with the line", (_name, text, line, message) => {
    let caught: unknown;
    try {
      parseConfig(text, "/site");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toMatch(message);
    expect((caught as ConfigError).location).toMatchObject({ file: "gazette.config.yml", line });
  });

  test("a bad --base-url names the flag", () => {
    expect(() => parseConfig("", "/site", { baseUrl: "ftp://x" })).toThrow(/--base-url/);
  });
});
