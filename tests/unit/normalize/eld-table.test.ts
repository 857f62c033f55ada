import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eld } from "eld/extrasmall";
import { ELD_TABLE_FILE, eldInstanceOf, readEldTable, writeEldTable } from "../../../src/normalize/eld-table.js";

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "gazette-eld-"));
  file = path.join(dir, "eld.json");
  await writeEldTable(file);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SAMPLES = [
  "Der Präsident der Vereinigten Staaten hat am Montag mit dem Kreml telefoniert.",
  "The president spoke with the Kremlin on Monday about a ceasefire.",
  "Le président a parlé lundi avec le Kremlin d'un cessez-le-feu.",
  "El presidente habló el lunes con el Kremlin sobre un alto el fuego.",
  "Президент в понедельник говорил с Кремлём о прекращении огня.",
  "De president sprak maandag met het Kremlin over een staakt-het-vuren.",
  "Prezydent rozmawiał w poniedziałek z Kremlem o zawieszeniu broni.",
  "大統領は月曜日にクレムリンと停戦について話した。",
  "Waffenruhe",
  "ok",
];

describe("eld's table as JSON", () => {
  test("detects exactly as eld's own module: the same language and scores for every sample, in full and with a subset", () => {
    const table = readEldTable(file);
    expect(table).not.toBeNull();
    const fromJson = eldInstanceOf(table!);
    const fromModule = eld.newInstance();
    expect(fromJson.info().Languages).toEqual(fromModule.info().Languages);
    for (const text of SAMPLES) {
      const a = fromJson.detect(text);
      const b = fromModule.detect(text);
      expect(a.language, text).toBe(b.language);
      expect(a.getScores(), text).toEqual(b.getScores());
    }
    const subset = ["de", "en", "fr", "nl"];
    fromJson.setLanguageSubset(subset);
    fromModule.setLanguageSubset(subset);
    for (const text of SAMPLES) expect(fromJson.detect(text).getScores(), text).toEqual(fromModule.detect(text).getScores());
  });

  test("a table written for another eld version, a damaged one, or none is not used (the detector then imports eld's module)", async () => {
    const saved = JSON.parse(await readFile(file, "utf8")) as { eld: string };
    const other = path.join(dir, "other.json");
    await writeFile(other, JSON.stringify({ ...saved, eld: "0.0.1" }));
    expect(readEldTable(other)).toBeNull();
    const empty = path.join(dir, "empty.json");
    await writeFile(empty, JSON.stringify({ ...saved, table: { type: "XS60", languages: {}, ngrams: null } }));
    expect(readEldTable(empty)).toBeNull();
    const damaged = path.join(dir, "damaged.json");
    await writeFile(damaged, (await readFile(file, "utf8")).slice(0, 1000));
    expect(readEldTable(damaged)).toBeNull();
    expect(readEldTable(path.join(dir, "missing.json"))).toBeNull();
  });

  test("`npm run compile` wrote the table the detector loads (dist/eld-extrasmall.json)", () => {
    // `npm test` compiles before it runs the tests; without the file every build pays ~0.3 s more per thread.
    expect(readEldTable(ELD_TABLE_FILE)).not.toBeNull();
  });
});
