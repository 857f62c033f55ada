import type { Change } from "./classify-change.js";

/**
 * Coalesces bursts of file events (an editor's save, a `git checkout`) into one rebuild, and never
 * runs two rebuilds at once: events that arrive during a rebuild are batched into the next one.
 *
 *   push(a) push(b) ...quiet for `delayMs`... -> run([a, b])
 *   push(c) during run -> run([c]) right after
 */
export class RebuildQueue {
  private pending: Change[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly run: (changes: Change[]) => Promise<void>,
    private readonly delayMs = 40,
    private readonly schedule: (callback: () => void, ms: number) => ReturnType<typeof setTimeout> = setTimeout,
  ) {}

  push(change: Change): void {
    if (this.closed || change.kind === "ignored") return;
    this.pending.push(change);
    if (this.timer) clearTimeout(this.timer);
    this.timer = this.schedule(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
  }

  /** Runs the pending batch now (after any running rebuild); resolves when it is done. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.running = this.run(batch).finally(() => {
      this.running = null;
    });
    await this.running;
  }

  /** Resolves once no rebuild is running or scheduled. */
  async idle(): Promise<void> {
    while (this.running || this.timer || this.pending.length > 0) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      await this.flush();
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }
}
