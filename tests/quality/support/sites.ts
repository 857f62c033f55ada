/**
 * The sites the validity, spec and browser tests look at, each built once per test file into a
 * fresh temp folder with the fixed build date:
 *   real     the project's own articles (5 stories; de, en, fr)
 *   rich     tests/fixtures/sites/rich: foreign passages, tables, code, pagination, several authors
 *   hostile  tests/fixtures/hostile: the corpus that renders (script, handlers, breakouts, bidi)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildSite } from "../../../src/build.js";
import { writeHostileSite } from "../../fixtures/hostile/corpus.js";
import { REPO_ROOT } from "../../helpers/temp-site.js";
import { FIXED_EPOCH } from "./cli.js";

export type SiteName = "real" | "rich" | "hostile";

export interface BuiltSite {
  name: SiteName;
  /** Project root the site was built from. */
  root: string;
  /** Output folder (public/) holding the built site. */
  out: string;
  baseUrl: string;
  remove(): Promise<void>;
}

const BASE_URLS: Record<SiteName, string> = { real: "https://news.example/", rich: "https://rich.example/", hostile: "https://hostile.example/" };

/** Builds one of the test sites to disk. Call `remove()` in afterAll. */
export async function buildTestSite(name: SiteName): Promise<BuiltSite> {
  const dir = await mkdtemp(path.join(tmpdir(), `gazette-${name}-site-`));
  let root: string;
  if (name === "real") root = REPO_ROOT;
  else if (name === "rich") root = path.join(REPO_ROOT, "tests/fixtures/sites/rich");
  else {
    root = path.join(dir, "project");
    await writeHostileSite(root);
  }
  const out = path.join(dir, "public");
  const previous = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = FIXED_EPOCH;
  try {
    await buildSite({ root, out });
  } finally {
    if (previous === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = previous;
  }
  return { name, root, out, baseUrl: BASE_URLS[name], remove: () => rm(dir, { recursive: true, force: true }) };
}
