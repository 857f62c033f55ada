// Throughput of detectForeignPassages (and of detectLanguage on whole articles), per block.
//
//   node /work/shared/bench/make-corpus.mjs --out /tmp/corp --stories 1000
//   CORPUS=/tmp/corp npx vitest bench --run bench/foreign-passages.bench.ts
//
// Without CORPUS only the real articles are used. Besides vitest's table, prints µs per block
// (warm), the cold first pass (which includes loading eld if any block needs it) and counts.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, bench, describe } from "vitest";
import { detectForeignPassages, detectLanguage } from "../src/normalize/language.js";

interface Article {
  lang: string;
  blocks: string[];
  text: string;
}

// Same block split as the tests: top-level Markdown blocks as plain text, list items joined.
function plainBlocks(markdown: string): string[] {
  return markdown
    .replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, "")
    .split(/\n\s*\n/)
    .map((block) =>
      block
        .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, "")
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/[*_`]+/g, "")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter((block) => block !== "");
}

function loadArticles(dir: string): Article[] {
  const articles: Article[] = [];
  for (const story of readdirSync(dir).sort()) {
    for (const file of readdirSync(join(dir, story)).sort()) {
      if (!file.endsWith(".md")) continue;
      const blocks = plainBlocks(readFileSync(join(dir, story, file), "utf8"));
      articles.push({ lang: file.replace(/\.md$/, ""), blocks, text: blocks.join("\n\n") });
    }
  }
  return articles;
}

const sets: [string, Article[]][] = [["real articles", loadArticles(join(import.meta.dirname, "../articles"))]];
if (process.env.CORPUS) sets.push([`corpus ${process.env.CORPUS}`, loadArticles(process.env.CORPUS)]);

const report: string[] = [];
for (const [name, articles] of sets) {
  const blocks = articles.reduce((n, a) => n + a.blocks.length, 0);
  let t = performance.now();
  let passages = 0;
  for (const a of articles) passages += detectForeignPassages(a.blocks, a.lang).length;
  const cold = performance.now() - t;
  let rounds = 0;
  t = performance.now();
  do {
    for (const a of articles) detectForeignPassages(a.blocks, a.lang);
    rounds++;
  } while (performance.now() - t < 1500);
  const warm = (performance.now() - t) / rounds;
  t = performance.now();
  let wrong = 0;
  for (const a of articles) if (detectLanguage(a.text)?.lang !== a.lang) wrong++;
  const whole = performance.now() - t;
  report.push(
    `${name}: ${articles.length} articles, ${blocks} blocks, ${passages} passages flagged; ` +
      `detectForeignPassages ${((warm * 1000) / blocks).toFixed(2)} µs/block warm (${warm.toFixed(1)} ms a pass), ` +
      `first pass ${cold.toFixed(1)} ms; detectLanguage on whole articles ${((whole * 1000) / articles.length).toFixed(1)} µs/article, ${wrong} wrong`,
  );

  describe(name, () => {
    bench(`detectForeignPassages over ${blocks} blocks`, () => {
      for (const a of articles) detectForeignPassages(a.blocks, a.lang);
    });
    bench(`detectLanguage over ${articles.length} whole articles`, () => {
      for (const a of articles) detectLanguage(a.text);
    });
  });
}

afterAll(() => {
  console.log(report.join("\n"));
});
