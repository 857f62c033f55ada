import type { Article, Diagnostic, SeoPolicy, SourceArticle, SourceLocation, SourceRef } from "../types.js";
import type { SiteConfig } from "../config/site-config.js";
import { MetadataError, SiteError, UnknownLanguageError } from "../errors/site-error.js";
import { countWords, splitBlocks } from "../util/markdown-text.js";
import { slugify } from "../util/slugify.js";
import { foldText } from "../util/text.js";
import { parseAuthors } from "./authors.js";
import { stripBoilerplate } from "./boilerplate.js";
import { cleanBody, cleanLine, typographicQuotes } from "./clean-text.js";
import { properCaseDateline } from "./dateline.js";
import { findEntities, type EntityTable } from "./entities.js";
import { detectForeignPassages, detectLanguage, languageFromFileStem, normalizeLanguageLabel } from "./language.js";
import { epochOf, parseDate, type DatePrecision } from "./parse-date.js";
import { parseSource } from "./source.js";
import { cutAtSentence, summarize, SUMMARY_MAX_CHARS } from "./summarize.js";
import { canonicalizeTagList, MAX_TAGS, splitTags } from "./tags.js";

export interface NormalizeContext {
  config: SiteConfig;
  entities: EntityTable;
}

/** Words a reader reads per minute, for "3 min read". */
const WORDS_PER_MINUTE = 220;
/** Detection below this confidence never overrides or contradicts a label. */
const CONFIDENT = 0.8;

export type NormalizeOutcome = { article: Article; errors: SiteError[] } | { article: null; errors: SiteError[]; skipped?: Diagnostic };

/**
 * One SourceArticle -> one canonical Article, or the errors that prevent it.
 * Every field is tried, so one run reports every problem of the file.
 */
export function normalizeArticle(source: SourceArticle, context: NormalizeContext): NormalizeOutcome {
  const fields = new FieldReader(source);
  const { config } = context;
  const fm = source.frontmatter;

  // Body first: language detection and the summary need its text.
  const cleaned = cleanBody(source.body);
  const boilerplate = stripBoilerplate(cleaned.text);
  for (const removed of boilerplate.removed) {
    fields.warn(`removed a line of site boilerplate: "${truncate(removed, 80)}".`, fields.at(), "Delete it from the file to silence this.");
  }
  const body = boilerplate.body.trim() === "" ? "" : boilerplate.body;
  const blocks = splitBlocks(body);
  const plainText = blocks.map((block) => block.text).join("\n");

  // Title: required; a leading "# Heading" stands in when the frontmatter has none.
  let title = fields.text("title");
  let finalBody = body;
  if (title === undefined && !("title" in fm)) {
    const heading = /^#\s+(.+)\n?/.exec(body.trimStart());
    if (heading) {
      title = cleanLine(heading[1]!).text;
      finalBody = body.trimStart().slice(heading[0].length).trimStart();
    } else {
      fields.fail("title", `"title" is missing.`, "Add a line `title: Your headline` to the frontmatter.");
    }
  }
  // fields.text() already removed them: look at the title as written.
  if (title !== undefined && typeof fm.title === "string" && cleanLine(fm.title).hadBidiControls) {
    fields.warn("the title contained Unicode direction-override characters; they were removed.", fields.at("title"));
  }

  if (finalBody.trim() === "") {
    return { article: null, errors: fields.errors, skipped: fields.skip("skipped: the article has no body text.", "Write the article below the frontmatter.") };
  }

  const lang = resolveLanguage(fields, source, plainText, config);
  const langForParsing = lang ?? "en";

  // Dates: `retrieved` first, because relative dates count back from it.
  let retrieved: string | undefined;
  if (fm.retrieved !== undefined && fm.retrieved !== null) {
    const result = parseDate(fm.retrieved, { lang: langForParsing, timeZone: config.timeZone });
    if (result.ok) retrieved = result.iso;
    else fields.fail("retrieved", `"retrieved" ${describe(fm.retrieved)}: ${result.message}`, result.hint);
  }
  const date = readDate(fields, "date", langForParsing, config.timeZone, retrieved, true);
  const updated = readDate(fields, "updated", langForParsing, config.timeZone, retrieved, false);
  if (date && updated && epochOf(updated.iso) < epochOf(date.iso)) {
    fields.fail("updated", `"updated" (${updated.iso}) is before "date" (${date.iso}).`, "An update cannot precede publication: fix one of the two.");
  }
  let precision: DatePrecision = date?.precision ?? "day";
  const declaredPrecision = fields.oneOf("date_precision", ["day", "month", "time"] as const);
  if (declaredPrecision) precision = declaredPrecision;
  if (date && fm.relative_date !== undefined) checkRelativeDate(fields, date.iso, langForParsing, config.timeZone, retrieved);

  const authors = parseAuthors(fm.authors ?? fm.author);
  if (authors === null) fields.fail(fm.authors !== undefined ? "authors" : "author", `"${fm.authors !== undefined ? "authors" : "author"}" must be a name or a list of names.`, "Write author: Anna Weber, or authors: [Anna Weber, Tom Berg].");
  if (fm.author !== undefined && fm.authors !== undefined) fields.warn(`both "author" and "authors" are given; "authors" is used.`, fields.at("author"));

  let sourceRef: SourceRef | null = null;
  if (fm.source !== undefined && fm.source !== null) {
    const result = parseSource(fm.source);
    if (result.ok) sourceRef = result.source;
    else fields.fail("source", `"source" ${result.message}.`, result.hint);
  }
  const references = readReferences(fields);

  const tagLabels = [...splitTags(fm.tags, context.entities), ...splitTags(fm.keywords, context.entities)];
  const { tags, dropped } = lang ? canonicalizeTagList(tagLabels, lang, context.entities) : { tags: [], dropped: 0 };
  if (dropped > 0) {
    fields.warn(`${dropped} more tags were dropped: an article keeps at most ${MAX_TAGS}.`, fields.at(fm.tags !== undefined ? "tags" : "keywords"), "Keep the tags that describe the story best.");
  }

  const category = readCategory(fields, config);
  const datelineRaw = fields.text("location");
  const dateline = datelineRaw ? properCaseDateline(datelineRaw) : null;

  const summaryGiven = fields.text("summary");
  const summary = summaryGiven !== undefined ? typographicQuotes(summaryGiven, langForParsing) : summarize(blocks);
  if (summaryGiven !== undefined && summaryGiven.length > SUMMARY_MAX_CHARS * 2) {
    fields.warn(`"summary" is ${summaryGiven.length} characters; feeds and search results show about ${SUMMARY_MAX_CHARS}.`, fields.at("summary"), `Shorten it, e.g. "${cutAtSentence(summaryGiven, SUMMARY_MAX_CHARS)}".`);
  }

  const typographicTitle = title !== undefined ? typographicQuotes(title, langForParsing) : "";
  const slug = readSlug(fields, typographicTitle, langForParsing, source.storyKey);

  let translatedFrom: string | null = null;
  const translatedRaw = fields.text("translated_from");
  if (translatedRaw !== undefined) {
    translatedFrom = normalizeLanguageLabel(translatedRaw);
    if (!translatedFrom) fields.fail("translated_from", `"translated_from" is "${translatedRaw}", which is not a language.`, "Use a language code such as de.", UnknownLanguageError);
    else if (lang && translatedFrom.split("-")[0] === lang.split("-")[0]) {
      fields.fail("translated_from", `"translated_from" is ${translatedFrom}, the article's own language.`, "Name the language the text was translated from, or remove the field.");
    }
  }

  const draft = fields.boolean("draft") ?? false;
  const relatedPins = fields.keyList("related");
  const relatedExclude = fields.keyList("related_exclude");
  const seo = fields.oneOf("seo", ["self", "source", "noindex"] as const) ?? null;
  if (seo === "source" && !sourceRef?.url) {
    fields.fail("seo", `"seo: source" points search engines to the source, but the source has no URL.`, "Add source: { name, url }, or use seo: self or seo: noindex.");
  }

  const entities = lang
    ? findEntities([typographicTitle, ...tags.map((tag) => tag.name), plainText], context.entities, lang)
    : [];
  const passages = lang ? detectForeignPassages(blocks.map((block) => block.text), lang) : [];
  const wordCount = countWords(plainText);

  if (fields.errors.length > 0 || !lang || !date || title === undefined) return { article: null, errors: fields.errors };
  const article: Article = {
    id: `${source.storyKey}/${lang}`,
    storyKey: source.storyKey,
    lang,
    file: source.file,
    slug,
    slugGiven: fields.text("slug") !== undefined,
    url: `/${lang}/${slug}/`,
    title: typographicTitle,
    date: date.iso,
    datePrecision: precision,
    updated: updated?.iso ?? null,
    authors: authors ?? [],
    source: sourceRef,
    references,
    tags,
    entities,
    category,
    dateline,
    summary,
    body: finalBody,
    bodyLine: source.bodyLine,
    passages,
    wordCount,
    readingMinutes: Math.max(1, Math.round(wordCount / WORDS_PER_MINUTE)),
    translatedFrom,
    draft,
    relatedPins,
    relatedExclude,
    seo,
    diagnostics: fields.warnings,
    hash: source.hash,
  };
  return { article, errors: [] };
}

/**
 * Language: frontmatter label, else the file name, else detection from the text.
 * The result must be one of the site's languages (exactly, or by its primary subtag: de-DE -> de).
 */
function resolveLanguage(fields: FieldReader, source: SourceArticle, text: string, config: SiteConfig): string | null {
  const fm = source.frontmatter;
  const key = fm.lang !== undefined ? "lang" : fm.language !== undefined ? "language" : null;
  if (fm.lang !== undefined && fm.language !== undefined && String(fm.lang) !== String(fm.language)) {
    fields.warn(`both "lang" and "language" are given; "lang" is used.`, fields.at("language"));
  }
  let labelled: string | null = null;
  if (key) {
    const raw = fields.text(key);
    if (raw !== undefined) {
      labelled = normalizeLanguageLabel(raw);
      if (!labelled) {
        fields.fail(key, `"${key}" is "${raw}", which is not a language Gazette knows.`, "Use a code such as de, en, fr or pt-BR.", UnknownLanguageError);
        return null;
      }
    }
  }
  const fromName = languageFromFileStem(source.fileStem);
  if (labelled && fromName && primary(labelled) !== primary(fromName)) {
    fields.fail(key!, `"${key}" says ${labelled}, but the file name ${source.fileStem}.md says ${fromName}.`, `Rename the file to ${primary(labelled)}.md, or correct "${key}".`);
    return null;
  }

  let tag = labelled ?? fromName;
  const detected = detectLanguage(text);
  if (!tag) {
    if (!detected || detected.confidence < CONFIDENT) {
      fields.fail(
        key ?? "lang",
        `the article has no language label, its file name "${source.fileStem}.md" names none, and the text is not clearly in one language${detected ? ` (best guess ${detected.lang}, ${Math.round(detected.confidence * 100)} % sure)` : ""}.`,
        "Add `lang: de` (or the right code) to the frontmatter, or name the file de.md.",
        UnknownLanguageError,
      );
      return null;
    }
    tag = detected.lang;
    fields.warn(`no language given; detected ${detected.lang} from the text (${Math.round(detected.confidence * 100)} % sure).`, fields.at(), `Add lang: ${detected.lang} to make it explicit.`);
  } else if (detected && detected.confidence >= CONFIDENT && primary(detected.lang) !== primary(tag)) {
    fields.warn(
      `labelled ${tag}, but the text reads as ${detected.lang} (${Math.round(detected.confidence * 100)} % sure).`,
      fields.at(key ?? undefined),
      `Check the label; if the text is right, set lang: ${detected.lang}.`,
    );
  }

  const site = config.languages.find((language) => language.code === tag) ?? config.languages.find((language) => primary(language.code) === primary(tag!) && !language.code.includes("-"));
  if (!site) {
    const codes = config.languages.map((language) => language.code).join(", ");
    fields.fail(key ?? "lang", `the article is in ${tag}, which this site does not publish (${codes}).`, `Add ${tag} under languages in gazette.config.yml, or fix the label.`, UnknownLanguageError);
    return null;
  }
  return site.code;
}

function readDate(
  fields: FieldReader,
  key: "date" | "updated",
  lang: string,
  timeZone: string,
  retrieved: string | undefined,
  required: boolean,
): { iso: string; precision: DatePrecision } | null {
  const value = fields.raw(key);
  if (value === undefined || value === null || value === "") {
    if (required) fields.fail(key, `"${key}" is missing.`, "Add the publication date, e.g. date: 2025-02-13 or date: 2025-02-13T14:30:00+01:00.");
    return null;
  }
  const result = parseDate(value, retrieved === undefined ? { lang, timeZone } : { lang, timeZone, retrieved });
  if (!result.ok) {
    fields.fail(key, `"${key}" ${describe(value)}: ${result.message}`, result.hint);
    return null;
  }
  if (result.warning) fields.warn(`"${key}": ${result.warning}`, fields.at(key));
  return { iso: result.iso, precision: result.precision };
}

/** A source that shows both a date and "1 Woche vor": the two should agree, or one is wrong. */
function checkRelativeDate(fields: FieldReader, dateIso: string, lang: string, timeZone: string, retrieved: string | undefined): void {
  const value = fields.raw("relative_date");
  if (retrieved === undefined) {
    fields.warn(`"relative_date" cannot be checked without "retrieved".`, fields.at("relative_date"), "Add retrieved: <the date the page was saved>.");
    return;
  }
  const result = parseDate(value, { lang, timeZone, retrieved });
  if (!result.ok) {
    fields.fail("relative_date", `"relative_date" ${describe(value)}: ${result.message}`, result.hint);
    return;
  }
  const day = 86_400_000;
  const age = epochOf(retrieved) - epochOf(dateIso);
  const difference = Math.abs(epochOf(result.iso) - epochOf(dateIso));
  if (difference > Math.max(day, age / 2)) {
    fields.warn(
      `"relative_date" ${describe(value)} points to ${result.iso.slice(0, 10)}, far from "date" ${dateIso.slice(0, 10)}.`,
      fields.at("relative_date"),
      "One of them is wrong: check the source.",
    );
  }
}

function readReferences(fields: FieldReader): SourceRef[] {
  const value = fields.raw("references");
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const references: SourceRef[] = [];
  for (const item of items) {
    const result = parseSource(item);
    if (result.ok) references.push(result.source);
    else fields.fail("references", `"references" has an entry that ${result.message}.`, result.hint);
  }
  return references;
}

function readCategory(fields: FieldReader, config: SiteConfig): string | null {
  const key = fields.raw("category") !== undefined ? "category" : "section";
  const label = fields.text(key);
  if (label === undefined) return null;
  const folded = foldText(label);
  for (const section of config.sections) {
    if (foldText(section.id) === folded) return section.id;
    if (Object.values(section.names).some((name) => foldText(name) === folded)) return section.id;
    if (section.aliases.some((alias) => foldText(alias) === folded)) return section.id;
  }
  fields.warn(
    `"${key}" is "${label}", which is none of the site's sections; the article gets no section.`,
    fields.at(key),
    `Use one of ${config.sections.map((section) => section.names[config.defaultLanguage] ?? section.id).join(", ")}, or add "${label}" as an alias in gazette.config.yml.`,
  );
  return null;
}

function readSlug(fields: FieldReader, title: string, lang: string, storyKey: string): string {
  const given = fields.text("slug");
  if (given === undefined) return slugify(title, lang, 80, slugify(storyKey, lang));
  const slug = slugify(given, lang, 80, slugify(storyKey, lang));
  if (slug !== given) {
    fields.warn(`"slug" "${given}" is not a clean URL segment; "${slug}" is used.`, fields.at("slug"), `Write slug: ${slug}.`);
  }
  return slug;
}

function primary(tag: string): string {
  return tag.split("-")[0]!.toLowerCase();
}

function describe(value: unknown): string {
  return `"${truncate(typeof value === "string" ? value : JSON.stringify(value) ?? String(value), 60)}"`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

/** Typed frontmatter access that records errors and warnings with the key's line. */
class FieldReader {
  readonly errors: SiteError[] = [];
  readonly warnings: Diagnostic[] = [];

  constructor(private readonly source: SourceArticle) {}

  at(key?: string): SourceLocation {
    const line = key === undefined ? undefined : this.source.keyLines[key];
    return line === undefined ? { file: this.source.file, line: 1 } : { file: this.source.file, line };
  }

  raw(key: string): unknown {
    return this.source.frontmatter[key];
  }

  fail(key: string, message: string, hint?: string, ErrorClass: typeof MetadataError = MetadataError): void {
    this.errors.push(new ErrorClass(message, hint === undefined ? { location: this.at(key) } : { location: this.at(key), hint }));
  }

  warn(message: string, location: SourceLocation, hint?: string): void {
    const warning: Diagnostic = { severity: "warning", message, location };
    if (hint) warning.hint = hint;
    this.warnings.push(warning);
  }

  skip(message: string, hint: string): Diagnostic {
    return { severity: "warning", message, location: { file: this.source.file }, hint };
  }

  /** A one-line text value, cleaned; undefined when absent or not text (then an error is recorded). */
  text(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "boolean" || typeof value === "object") {
      this.fail(key, `"${key}" must be text, not ${Array.isArray(value) ? "a list" : typeof value === "object" ? "a group of fields" : String(value)}.`, `Write ${key}: followed by the text; quote it if it contains a colon.`);
      return undefined;
    }
    const text = cleanLine(String(value)).text;
    if (text === "") {
      this.fail(key, `"${key}" is empty.`, `Give a value or remove the line.`);
      return undefined;
    }
    return text;
  }

  boolean(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "boolean") return value;
    if (typeof value === "string") {
      const word = value.trim().toLowerCase();
      if (["true", "yes", "ja", "oui", "1"].includes(word)) return true;
      if (["false", "no", "nein", "non", "0"].includes(word)) return false;
    }
    this.fail(key, `"${key}" must be true or false, not ${describe(value)}.`);
    return undefined;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string" && (allowed as readonly string[]).includes(value.trim())) return value.trim() as T;
    this.fail(key, `"${key}" must be one of ${allowed.join(", ")}, not ${describe(value)}.`);
    return undefined;
  }

  /** A list of story keys (`related: [key-a, key-b]` or `related: key-a`). */
  keyList(key: string): string[] {
    const value = this.raw(key);
    if (value === undefined || value === null) return [];
    const items = Array.isArray(value) ? value : [value];
    if (!items.every((item) => typeof item === "string" && item.trim() !== "")) {
      this.fail(key, `"${key}" must be a list of story keys (folder names under articles/).`);
      return [];
    }
    return [...new Set(items.map((item) => (item as string).trim()))];
  }
}

export type { SeoPolicy };
