// Run by tests/unit/output/search-index.test.ts in a plain Node process (vitest's module runner
// gives a module one instance whatever its query, so one Pagefind service): indexes the pages it
// reads from stdin with the compiled search indexer and with one Pagefind service, and prints
// both sets of files (base64) and how many Pagefind processes the indexer ran.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

// With `slicePages`, the reference is the indexer itself with one service (a small site's),
// the same slices planned.
const [compiled] = process.argv.slice(2);
const { pages, languages, articlePages, slicePages } = JSON.parse(readFileSync(0, "utf8"));
const { createSearchIndexer } = await import(compiled);
const plan = async () => (slicePages ? (await import(compiled.replace(/search-index\.js$/, "search-slices.js"))).planSearchSlices(pages.map(({ url, html }) => ({ lang: /lang="([^"]*)"/.exec(html)[1], href: url })), slicePages) : null);
const search = createSearchIndexer(languages, articlePages, await plan());
for (const { url, html } of pages) await search.add(url, html);
const services = execFileSync("ps", ["-o", "args=", "--ppid", String(process.pid)], { encoding: "utf8" }).split("\n").filter((line) => line.includes("pagefind")).length;
const ours = await search.finish();
await search.close();
const base64 = (bytes) => Buffer.from(bytes).toString("base64");
let reference;
if (slicePages) {
  const one = createSearchIndexer(languages, 1, await plan());
  for (const { url, html } of pages) await one.add(url, html);
  reference = (await one.finish()).map((file) => [file.outputPath, base64(file.body)]);
  await one.close();
} else {
  const pagefind = await import(`${import.meta.resolve("pagefind")}?one-service`);
  const { index } = await pagefind.createIndex({ keepIndexUrl: false });
  for (const { url, html } of pages) await index.addHTMLFile({ url, content: html });
  reference = (await index.getFiles()).files.map((file) => [`pagefind/${file.path.replace(/^\/+/, "")}`, base64(file.content)]);
  await pagefind.close();
}
process.stdout.write(JSON.stringify({ services, ours: ours.map((file) => [file.outputPath, base64(file.body)]), reference }));
