import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { commitUpdate, finishInterruptedUpdates, type UpdateJournal } from "../../../src/output/update-in-place.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A parent folder holding `public/` with `files`, and an empty staging folder beside it. */
function setup(files: Record<string, string>): { parent: string; outDir: string; staging: string } {
  const parent = mkdtempSync(path.join(os.tmpdir(), "gazette-update-"));
  dirs.push(parent);
  const outDir = path.join(parent, "public");
  const staging = path.join(parent, `.gazette-tmp-public-${process.pid}-x`);
  mkdirSync(outDir);
  mkdirSync(staging);
  write(outDir, files);
  return { parent, outDir, staging };
}

function write(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const relative = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(relative);
      else out[relative] = readFileSync(path.join(dir, relative), "utf8");
    }
  };
  walk("");
  return out;
}

/** A pid no process has: a build that was killed. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("commitUpdate", () => {
  test("renames staged files over the old ones, deletes files gone from the site and folders left empty", () => {
    const { outDir, staging, parent } = setup({ "index.html": "old", "de/gone/index.html": "gone", "de/kept/index.html": "kept", ".gazette-output": "m1" });
    write(staging, { "index.html": "new", "de/new/index.html": "added", ".gazette-output": "m2" });
    commitUpdate({ outDir, staging, deletes: ["de/gone/index.html"], moves: ["de/new/index.html", "index.html", ".gazette-output"] });
    expect(tree(outDir)).toEqual({ "index.html": "new", "de/new/index.html": "added", "de/kept/index.html": "kept", ".gazette-output": "m2" });
    expect(existsSync(path.join(outDir, "de/gone"))).toBe(false);
    // Neither the staging folder nor the journal is left.
    expect(readdirSync(parent).sort()).toEqual(["public"]);
  });

  test("a file may become a folder and a folder a file", () => {
    const { outDir, staging } = setup({ "a": "file", "b/index.html": "in a folder" });
    write(staging, { "a/index.html": "now in a folder", "b": "now a file" });
    commitUpdate({ outDir, staging, deletes: ["a", "b/index.html"], moves: ["a/index.html", "b"] });
    expect(tree(outDir)).toEqual({ "a/index.html": "now in a folder", "b": "now a file" });
  });

  test("a replaced file gets a new inode: readers holding the old one keep reading it whole", () => {
    const { outDir, staging } = setup({ "index.html": "old" });
    const before = lstatSync(path.join(outDir, "index.html")).ino;
    write(staging, { "index.html": "new" });
    commitUpdate({ outDir, staging, deletes: [], moves: ["index.html"] });
    expect(lstatSync(path.join(outDir, "index.html")).ino).not.toBe(before);
  });
});

describe("finishInterruptedUpdates", () => {
  function interrupted(done: number): { parent: string; outDir: string; journal: UpdateJournal; file: string } {
    const { parent, outDir, staging } = setup({ "index.html": "old", "de/gone/index.html": "gone", "de/a/index.html": "a1" });
    write(staging, { "index.html": "new", "de/a/index.html": "a2", "de/b/index.html": "b" });
    const journal: UpdateJournal = { outDir, staging: staging.replace(`-${process.pid}-`, "-1-"), deletes: ["de/gone/index.html"], moves: ["de/a/index.html", "de/b/index.html", "index.html"] };
    // The killed build's staging folder carries its own pid.
    rmSync(journal.staging, { recursive: true, force: true });
    spawnSync("mv", [staging, journal.staging]);
    // What the killed build had done: the deletions and `done` of the moves.
    rmSync(path.join(outDir, "de/gone"), { recursive: true });
    for (const move of journal.moves.slice(0, done)) {
      mkdirSync(path.dirname(path.join(outDir, move)), { recursive: true });
      spawnSync("mv", [path.join(journal.staging, move), path.join(outDir, move)]);
    }
    const file = path.join(parent, `.gazette-update-public-${deadPid()}.json`);
    writeFileSync(file, JSON.stringify(journal));
    return { parent, outDir, journal, file };
  }

  test.each([0, 1, 2, 3])("a build killed after %i of 3 moves: the next one finishes the update", (done) => {
    const { parent, outDir } = interrupted(done);
    finishInterruptedUpdates(parent, "public", readdirSync(parent));
    expect(tree(outDir)).toEqual({ "index.html": "new", "de/a/index.html": "a2", "de/b/index.html": "b" });
    expect(readdirSync(parent)).toEqual(["public"]);
  });

  test("the journal of a build still running is left alone", () => {
    const { parent, outDir, file } = interrupted(1);
    const mine = path.join(parent, `.gazette-update-public-${process.pid}.json`);
    writeFileSync(mine, readFileSync(file));
    rmSync(file);
    finishInterruptedUpdates(parent, "public", readdirSync(parent));
    expect(existsSync(mine)).toBe(true);
    expect(readFileSync(path.join(outDir, "index.html"), "utf8")).toBe("old");
  });

  test("a journal whose own write was cut short is dropped; nothing had been changed", () => {
    const { parent, outDir } = setup({ "index.html": "old" });
    const partial = path.join(parent, `.gazette-update-public-${deadPid()}.json.tmp`);
    writeFileSync(partial, '{"outDir":');
    finishInterruptedUpdates(parent, "public", readdirSync(parent));
    expect(existsSync(partial)).toBe(false);
    expect(tree(outDir)).toEqual({ "index.html": "old" });
  });

  test.each([
    ["another output folder", (j: UpdateJournal) => ({ ...j, outDir: "/etc" })],
    ["a staging folder elsewhere", (j: UpdateJournal) => ({ ...j, staging: "/tmp" })],
    ["a path out of the output", (j: UpdateJournal) => ({ ...j, deletes: ["../user-file"] })],
    ["an absolute path", (j: UpdateJournal) => ({ ...j, moves: ["/etc/passwd"] })],
  ])("a journal that points to %s is refused, and nothing is touched", (_name, tamper) => {
    const { parent, outDir, journal, file } = interrupted(0);
    writeFileSync(path.join(parent, "user-file"), "mine");
    writeFileSync(file, JSON.stringify(tamper(journal)));
    expect(() => finishInterruptedUpdates(parent, "public", readdirSync(parent))).toThrow(/not one Gazette wrote/);
    expect(readFileSync(path.join(parent, "user-file"), "utf8")).toBe("mine");
    expect(readFileSync(path.join(outDir, "index.html"), "utf8")).toBe("old");
  });
});
