#!/usr/bin/env -S node --max-semi-space-size=32
// Entry point of `npx gazette`: runs the compiled CLI (npm ci compiles src/ to dist/ via "prepare").
// The flag: with V8's default 16 MB young generation, a 10,000-story build promotes short-lived
// page data into the old generation, which then grows to ~1.4 GB without a full collection, and
// scavenges take ~7 s; with 32 MB, 3.3 s and ~580 MB (docs/performance-log.md). It can only be given
// when Node starts, hence here (npm's scripts run this file directly too).
import { existsSync } from "node:fs";

// The CLI as one script with its compiled code cached (dist/cli/cli-bundle.js): ~0.1 s less to start.
const loader = new URL("../dist/cli/cli-bundle.js", import.meta.url);
if (!existsSync(loader)) {
  process.stderr.write("gazette: dist/ is missing. Run `npm ci` (or `npm run compile`) in the Gazette folder first.\n");
  process.exit(1);
}
// A reader that stops early (`gazette list --json | head`) closes the pipe: stop quietly, as Unix
// tools do, instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
const { cliEntry } = await import(loader.href);
process.exitCode = await (await cliEntry()).main(process.argv.slice(2));
