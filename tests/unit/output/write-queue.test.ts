import { createHook } from "node:async_hooks";
import { describe, expect, test } from "vitest";
import { WriteQueue } from "../../../src/output/write-queue.js";
import type { RenderedPage } from "../../../src/types.js";

/** A task the test settles by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((ok, fail) => ([resolve, reject] = [ok, fail]));
  return { promise, resolve, reject };
}

const noWriter = { write: async (): Promise<void> => {} };
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("WriteQueue", () => {
  test("keeps at most `limit` tasks in flight, and a caller waits for a free slot", async () => {
    const queue = new WriteQueue(noWriter, 3);
    const tasks = Array.from({ length: 4 }, deferred);
    let inFlight = 0;
    let most = 0;
    const start = (i: number) => () => {
      most = Math.max(most, ++inFlight);
      return tasks[i]!.promise.finally(() => inFlight--);
    };
    await queue.run(start(0));
    await queue.run(start(1));
    let third = false;
    const thirdRun = queue.run(start(2)).then(() => (third = true));
    await tick();
    expect(third).toBe(false); // three in flight: the third caller waits
    tasks[1]!.resolve();
    await thirdRun;
    const fourthRun = queue.run(start(3));
    tasks[0]!.resolve();
    await fourthRun;
    let drained = false;
    const drain = queue.drain().then(() => (drained = true));
    tasks[2]!.resolve();
    await tick();
    expect(drained).toBe(false); // the fourth is still in flight
    tasks[3]!.resolve();
    await drain;
    expect(most).toBe(3);
  });

  test("pushes pages through the writer", async () => {
    const written: string[] = [];
    const queue = new WriteQueue({ write: async (page: RenderedPage) => void written.push(page.outputPath) }, 2);
    for (const outputPath of ["a.html", "b.html", "c.html"]) await queue.push({ outputPath, body: "" });
    await queue.drain();
    expect(written).toEqual(["a.html", "b.html", "c.html"]);
  });

  test("a failed task fails the next call and the drain, which still waits for the others", async () => {
    const queue = new WriteQueue(noWriter, 4);
    const slow = deferred();
    await queue.run(() => slow.promise);
    await queue.run(() => Promise.reject(new Error("disk full")));
    await tick();
    await expect(queue.run(async () => {})).rejects.toThrow("disk full");
    let drained = false;
    const drain = queue.drain().catch((error: Error) => {
      drained = true;
      return error.message;
    });
    await tick();
    expect(drained).toBe(false);
    slow.resolve();
    expect(await drain).toBe("disk full");
  });

  test("a caller waiting for a slot hears of a failure at once", async () => {
    const queue = new WriteQueue(noWriter, 2);
    const stuck = deferred();
    const failing = deferred();
    await queue.run(() => stuck.promise);
    const waiting = queue.run(() => failing.promise);
    failing.reject(new Error("EACCES"));
    await expect(waiting).rejects.toThrow("EACCES");
    stuck.resolve();
  });

  test("a task that throws before it returns a promise leaves nothing in flight", async () => {
    const queue = new WriteQueue(noWriter, 2);
    await expect(
      queue.run(() => {
        throw new Error("bad path");
      }),
    ).rejects.toThrow("bad path");
    await expect(queue.drain()).rejects.toThrow("bad path"); // settles: nothing was counted in flight
  });

  test("waiting for a slot costs a few promises per task, not one per task in flight", async () => {
    // Promise.race over the tasks in flight made a promise for each of them on every call:
    // tens of thousands of pages × 64 in flight were millions of promises.
    const limit = 64;
    const queue = new WriteQueue(noWriter, limit);
    const held = Array.from({ length: limit - 1 }, deferred);
    for (const task of held) await queue.run(() => task.promise);
    let promises = 0;
    const hook = createHook({ init: (_id, type) => void (type === "PROMISE" && promises++) }).enable();
    const runs = 2000;
    try {
      for (let i = 0; i < runs; i++) await queue.run(async () => {});
    } finally {
      hook.disable();
    }
    for (const task of held) task.resolve();
    await queue.drain();
    expect(promises / runs).toBeLessThan(12);
  });
});
