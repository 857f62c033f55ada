#!/usr/bin/env node
// Entry point of `npx gazette`: runs the compiled CLI (npm ci compiles src/ to dist/ via "prepare").
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("gazette: dist/ is missing. Run `npm ci` (or `npm run compile`) in the Gazette folder first.\n");
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
