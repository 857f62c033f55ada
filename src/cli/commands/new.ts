import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { loadConfig } from "../../config/load-config.js";
import { ContentError, UsageError } from "../../errors/site-error.js";
import { normalizeLanguageLabel } from "../../normalize/language.js";
import { zonedIso } from "../../normalize/parse-date.js";
import { slugify } from "../../util/slugify.js";
import type { CommandSpec, ParsedCommand } from "../args.js";

export const spec: CommandSpec = {
  name: "new",
  summary: "Create a new article (a story bundle file) with valid frontmatter, as a draft.",
  usage: 'gazette new "Title" --lang de [--key STORY-KEY] [--content DIR]',
  options: { lang: { type: "string" }, key: { type: "string" } },
  help: [
    "--lang LANG       language of the article (one of the site's languages)",
    "--key KEY         story folder name (default: from the title); an existing story gets a new language version",
  ],
  positionals: { min: 1, max: 1 },
};

export async function run(args: ParsedCommand): Promise<number> {
  const title = args.positionals[0]!.trim();
  if (title === "") throw new UsageError("the title is empty.", { hint: spec.usage });
  if (typeof args.values.lang !== "string") throw new UsageError("--lang is required.", { hint: spec.usage });
  const root = process.cwd();
  const config = await loadConfig(root, typeof args.values.content === "string" ? { content: path.relative(root, path.resolve(args.values.content)) || "." } : {});
  const lang = normalizeLanguageLabel(args.values.lang);
  const site = config.languages.find((language) => language.code === lang);
  if (!lang || !site) {
    throw new UsageError(`--lang ${args.values.lang} is not one of the site's languages (${config.languages.map((language) => language.code).join(", ")}).`);
  }
  const key = typeof args.values.key === "string" ? args.values.key : slugify(title, lang);
  if (!/^[\p{L}\p{N}](?:[\p{L}\p{N}._-]*[\p{L}\p{N}])?$/u.test(key)) throw new UsageError(`--key "${key}" is not a valid story key (letters, digits, hyphens).`);

  const folder = path.resolve(root, config.paths.content, key);
  const file = path.join(folder, `${lang}.md`);
  const relative = path.relative(root, file).split(path.sep).join("/");
  const existing = await readdir(folder).catch(() => [] as string[]);
  if (existing.includes(`${lang}.md`)) {
    throw new ContentError(`${relative} already exists; nothing was written.`, { hint: "Pick another title or --key, or edit the existing file." });
  }
  const otherVersion = existing.filter((name) => name.endsWith(".md")).map((name) => name.slice(0, -3)).sort()[0];
  const date = zonedIso(process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) * 1000 : Date.now(), config.timeZone);
  const frontmatter: Record<string, unknown> = { title, lang, date, authors: [], tags: [], draft: true };
  if (otherVersion) frontmatter.translated_from = otherVersion;
  const text = `---\n${stringify(frontmatter, { lineWidth: 0 })}# summary: One or two sentences for listings and feeds (else the first paragraph is used).\n# source: { name: Agency, url: https://… }\n---\n\nWrite the article here.\n`;
  await mkdir(folder, { recursive: true });
  await writeFile(file, text, { flag: "wx" });
  process.stdout.write(`${relative}\n`);
  process.stderr.write(`created ${relative} (a draft: remove "draft: true" to publish it)\n`);
  return 0;
}
