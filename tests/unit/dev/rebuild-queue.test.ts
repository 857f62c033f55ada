import { describe, expect, test } from "vitest";
import type { Change } from "../../../src/dev/classify-change.js";
import { RebuildQueue } from "../../../src/dev/rebuild-queue.js";

const change = (path: string): Change => ({ kind: "content", path, event: "change" });

/** A queue whose timers fire only when the test says so (all of them, cancelled ones too: a cancelled job must not run). */
function manualQueue(run: (changes: Change[]) => Promise<void>) {
  const callbacks: (() => void)[] = [];
  const schedule = (callback: () => void) => {
    callbacks.push(callback);
    return setTimeout(() => {}, 0);
  };
  const queue = new RebuildQueue(run, 40, schedule);
  const fire = async () => {
    for (const callback of callbacks.splice(0)) callback();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { queue, fire };
}

describe("RebuildQueue", () => {
  test("a burst of changes is one rebuild", async () => {
    const runs: string[][] = [];
    const queue = new RebuildQueue(async (changes) => void runs.push(changes.map((c) => c.path)), 5);
    queue.push(change("a"));
    queue.push(change("b"));
    await queue.idle();
    expect(runs).toEqual([["a", "b"]]);
  });

  test("a follow-up job runs after the quiet period, and idle() waits for it", async () => {
    const log: string[] = [];
    const queue = new RebuildQueue(async (changes) => void log.push(`rebuild ${changes.length}`), 5);
    queue.push(change("a"));
    await queue.idle();
    queue.whenQuiet(async () => void log.push("settle"), 10_000);
    await queue.idle(); // runs it now instead of waiting 10 s
    expect(log).toEqual(["rebuild 1", "settle"]);
  });

  test("a change cancels a scheduled follow-up; its rebuild may schedule it again", async () => {
    const log: string[] = [];
    const { queue, fire } = manualQueue(async (changes) => void log.push(`rebuild ${changes.map((c) => c.path).join(",")}`));
    queue.whenQuiet(async () => void log.push("settle"), 250);
    queue.push(change("b"));
    await fire(); // the follow-up's timer was cancelled; the rebuild's fires
    await queue.idle();
    expect(log).toEqual(["rebuild b"]);
    queue.whenQuiet(async () => void log.push("settle"), 250);
    await fire();
    await queue.idle();
    expect(log).toEqual(["rebuild b", "settle"]);
  });

  test("a follow-up never runs while a rebuild is running", async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new RebuildQueue(async () => {
      log.push("rebuild start");
      await gate;
      log.push("rebuild end");
    }, 1);
    queue.push(change("a"));
    const flushing = queue.flush();
    await new Promise((resolve) => setImmediate(resolve));
    queue.whenQuiet(async () => void log.push("settle"), 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await flushing;
    await queue.idle();
    expect(log).toEqual(["rebuild start", "rebuild end", "settle"]);
  });

  test("close() drops scheduled work", async () => {
    const log: string[] = [];
    const queue = new RebuildQueue(async () => void log.push("rebuild"), 1);
    queue.whenQuiet(async () => void log.push("settle"), 1);
    queue.close();
    queue.push(change("a"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await queue.idle();
    expect(log).toEqual([]);
  });
});
