import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseConfig } from "../../../src/config/parse-config.js";
import { classifyChange, summarizeChanges, type Change } from "../../../src/dev/classify-change.js";
import { RebuildQueue } from "../../../src/dev/rebuild-queue.js";

const root = "/site";
const config = parseConfig("", root, {});
const themeDirs = [path.join(root, "templates")];
const kind = (relative: string) => classifyChange(path.join(root, relative), config, themeDirs);

describe("classifyChange", () => {
  test.each([
    ["articles/alaska/de.md", "content"],
    ["articles/alaska/notes.txt", "ignored"],
    ["articles/alaska/.de.md.swp", "ignored"],
    ["articles/alaska/de.md~", "ignored"],
    ["templates/article.eta", "template"],
    ["templates/partials/footer.eta", "template"],
    ["templates/i18n/de.yml", "template"],
    ["templates/assets/style.css", "asset"],
    ["data/entities.yml", "data"],
    ["data/other.csv", "ignored"],
    ["gazette.config.yml", "config"],
    ["public/de/index.html", "ignored"],
    ["README.md", "ignored"],
  ])("%s is %s", (relative, expected) => {
    expect(kind(relative)).toBe(expected);
  });
});

describe("summarizeChanges", () => {
  const change = (kind: Change["kind"], relative: string, event: Change["event"] = "change"): Change => ({ kind, path: path.join(root, relative), event });

  test("the broadest kind wins; content files keep their last event", () => {
    const set = summarizeChanges([change("content", "articles/a/de.md", "add"), change("content", "articles/a/de.md", "unlink"), change("content", "articles/b/en.md")]);
    expect(set).toMatchObject({ full: false, theme: false, assetsOnly: false });
    expect([...set.contentFiles]).toEqual([
      [path.join(root, "articles/a/de.md"), "unlink"],
      [path.join(root, "articles/b/en.md"), "change"],
    ]);
    expect(summarizeChanges([change("content", "articles/a/de.md"), change("config", "gazette.config.yml")]).full).toBe(true);
    expect(summarizeChanges([change("data", "data/entities.yml")]).full).toBe(true);
    expect(summarizeChanges([change("template", "templates/article.eta")]).theme).toBe(true);
  });

  test("assets alone are assetsOnly; with anything else they are not", () => {
    expect(summarizeChanges([change("asset", "templates/assets/style.css"), change("ignored", "x.swp")])).toMatchObject({ theme: true, assetsOnly: true });
    expect(summarizeChanges([change("asset", "templates/assets/style.css"), change("content", "articles/a/de.md")]).assetsOnly).toBe(false);
  });
});

describe("RebuildQueue", () => {
  /** A manual clock: timers fire only when the test says so. */
  function manualClock() {
    const timers: (() => void)[] = [];
    const schedule = (callback: () => void) => {
      timers.push(callback);
      return timers.length as unknown as ReturnType<typeof setTimeout>;
    };
    return { schedule, fire: () => timers.splice(0).forEach((timer) => timer()) };
  }
  const change = (relative: string): Change => ({ kind: "content", path: `/site/${relative}`, event: "change" });

  test("a burst of events becomes one rebuild; ignored events never start one", async () => {
    const runs: string[][] = [];
    const clock = manualClock();
    const queue = new RebuildQueue(async (changes) => void runs.push(changes.map((c) => c.path)), 40, clock.schedule);
    queue.push({ kind: "ignored", path: "/site/x.swp", event: "change" });
    queue.push(change("a.md"));
    queue.push(change("b.md"));
    queue.push(change("c.md"));
    expect(runs).toEqual([]);
    clock.fire();
    await queue.idle();
    expect(runs).toEqual([["/site/a.md", "/site/b.md", "/site/c.md"]]);
  });

  test("events during a rebuild are batched into exactly one next rebuild, never run concurrently", async () => {
    let running = 0;
    let maxRunning = 0;
    const runs: string[][] = [];
    let release!: () => void;
    const queue = new RebuildQueue(async (changes) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      runs.push(changes.map((c) => c.path));
      if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
      running--;
    }, 0);
    queue.push(change("a.md"));
    const first = queue.flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
    queue.push(change("b.md"));
    queue.push(change("c.md"));
    const second = queue.flush();
    release();
    await Promise.all([first, second]);
    await queue.idle();
    expect(runs).toEqual([["/site/a.md"], ["/site/b.md", "/site/c.md"]]);
    expect(maxRunning).toBe(1);
  });

  test("after close nothing runs", async () => {
    const runs: number[] = [];
    const clock = manualClock();
    const queue = new RebuildQueue(async () => void runs.push(1), 40, clock.schedule);
    queue.close();
    queue.push(change("a.md"));
    clock.fire();
    await queue.idle();
    expect(runs).toEqual([]);
  });
});
