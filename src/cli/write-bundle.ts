// Run by `npm run compile` after tsc: writes dist/gazette.cjs and its code cache (make-bundle.ts).
import { fileURLToPath } from "node:url";
import { writeBundle } from "./make-bundle.js";

await writeBundle(fileURLToPath(import.meta.url));
