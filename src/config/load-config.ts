import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ParsedSources } from "../cache/parsed-sources.js";
import { ConfigError } from "../errors/site-error.js";
import { CONFIG_FILE, type SiteConfig } from "./site-config.js";

export interface ConfigOverrides {
  baseUrl?: string;
  content?: string;
  out?: string;
}

/**
 * Reads `gazette.config.yml` from the project root (optional: every key has a default) and
 * validates it into a SiteConfig (parse-config.ts, loaded only when needed: a build whose config
 * is in the cache, `sources`, never loads the YAML parser). Errors carry the config line.
 */
export async function loadConfig(root: string, overrides: ConfigOverrides = {}, sources?: ParsedSources): Promise<SiteConfig> {
  const file = path.join(root, CONFIG_FILE);
  let text: string | null = null;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new ConfigError(`${CONFIG_FILE} cannot be read.`, { location: { file: CONFIG_FILE }, cause: error });
    }
  }
  const parse = async () => (await import("./parse-config.js")).parseConfig(text ?? "", root, overrides);
  return sources ? sources.get("config", text ?? "", JSON.stringify([root, overrides]), async () => ({ value: await parse(), keep: true })) : parse();
}
