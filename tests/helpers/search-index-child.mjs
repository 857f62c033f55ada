// Run by tests/unit/output/search-index.test.ts in a plain Node process (vitest's module runner
// gives a module one instance whatever its query, so one Pagefind service): indexes the pages it
// reads from stdin with the compiled search indexer and with one Pagefind service, and prints
// both sets of files (base64) and how many Pagefind processes the indexer ran.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const [compiled] = process.argv.slice(2);
const { pages, languages, articlePages } = JSON.parse(readFileSync(0, "utf8"));
const { createSearchIndexer } = await import(compiled);
const search = createSearchIndexer(languages, articlePages);
for (const { url, html } of pages) await search.add(url, html);
const services = execFileSync("ps", ["-o", "args=", "--ppid", String(process.pid)], { encoding: "utf8" }).split("\n").filter((line) => line.includes("pagefind")).length;
const ours = await search.finish();
await search.close();
const pagefind = await import(`${import.meta.resolve("pagefind")}?one-service`);
const { index } = await pagefind.createIndex({ keepIndexUrl: false });
for (const { url, html } of pages) await index.addHTMLFile({ url, content: html });
const reference = (await index.getFiles()).files;
await pagefind.close();
const base64 = (bytes) => Buffer.from(bytes).toString("base64");
process.stdout.write(JSON.stringify({
  services,
  ours: ours.map((file) => [file.outputPath, base64(file.body)]),
  reference: reference.map((file) => [`pagefind/${file.path.replace(/^\/+/, "")}`, base64(file.content)]),
}));
