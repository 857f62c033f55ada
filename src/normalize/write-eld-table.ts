// Run by `npm run compile` after tsc: writes eld's n-gram table as JSON into dist/ (see eld-table.ts).
import { ELD_TABLE_FILE, writeEldTable } from "./eld-table.js";

await writeEldTable(ELD_TABLE_FILE);
