#!/usr/bin/env node
// The Node lower bound the performance issue quotes: read every article, run marked on every body,
// write one HTML file each. No frontmatter semantics, templates, listings, feeds or related lists:
// what any Node generator pays at least. Used by `npm run bench -- --floor` for a side-by-side ratio
// (bench/run.mjs empties OUT_DIR before timing it).
//   node bench/floor.mjs CORPUS_DIR OUT_DIR
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { marked } from "marked";

const [corpus, out] = process.argv.slice(2);
await rm(out, { recursive: true, force: true });
const stories = (await readdir(corpus)).sort();
let index = 0;
async function worker() {
  while (index < stories.length) {
    const story = stories[index++];
    for (const file of await readdir(path.join(corpus, story))) {
      const text = await readFile(path.join(corpus, story, file), "utf8");
      const body = text.startsWith("---") ? text.slice(text.indexOf("\n---", 3) + 4) : text;
      const dir = path.join(out, story, path.basename(file, ".md"));
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, "index.html"), marked.parse(body));
    }
  }
}
await Promise.all(Array.from({ length: 32 }, worker));
