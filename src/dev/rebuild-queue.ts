import type { Change } from "./classify-change.js";

/**
 * Coalesces bursts of file events (an editor's save, a `git checkout`) into one rebuild, and never
 * runs two rebuilds at once: events that arrive during a rebuild are batched into the next one.
 *
 *   push(a) push(b) ...quiet for `delayMs`... -> run([a, b])
 *   push(c) during run -> run([c]) right after
 *
 * A follow-up job (`whenQuiet`: bringing related lists up to date after a quick rebuild) runs
 * once nothing has happened for a while; a new change cancels it (its rebuild schedules it again).
 */
export class RebuildQueue {
  private pending: Change[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  private followUp: (() => Promise<void>) | null = null;
  private followUpTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly run: (changes: Change[]) => Promise<void>,
    private readonly delayMs = 40,
    private readonly schedule: (callback: () => void, ms: number) => ReturnType<typeof setTimeout> = setTimeout,
  ) {}

  push(change: Change): void {
    if (this.closed || change.kind === "ignored") return;
    this.pending.push(change);
    this.cancelFollowUp();
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

  /** Runs `job` after `quietMs` without changes or rebuilds (replacing any job scheduled before). */
  whenQuiet(job: () => Promise<void>, quietMs: number): void {
    if (this.closed) return;
    this.cancelFollowUp();
    this.followUp = job;
    this.followUpTimer = this.schedule(() => {
      this.followUpTimer = null;
      void this.runFollowUp();
    }, quietMs);
  }

  private async runFollowUp(): Promise<void> {
    while (this.running) await this.running;
    const job = this.followUp;
    // Changes came in meanwhile: their rebuild goes first and schedules the job again if needed.
    if (job === null || this.pending.length > 0 || this.timer) return;
    this.followUp = null;
    this.running = job().finally(() => {
      this.running = null;
    });
    await this.running;
  }

  private cancelFollowUp(): void {
    if (this.followUpTimer) clearTimeout(this.followUpTimer);
    this.followUpTimer = null;
    this.followUp = null;
  }

  /** Resolves once no rebuild or follow-up job is running or scheduled (scheduled ones run now). */
  async idle(): Promise<void> {
    while (this.running || this.timer || this.pending.length > 0 || this.followUp) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      await this.flush();
      if (!this.running && !this.timer && this.pending.length === 0 && this.followUp) {
        if (this.followUpTimer) clearTimeout(this.followUpTimer);
        this.followUpTimer = null;
        await this.runFollowUp();
      }
    }
  }

  close(): void {
    this.closed = true;
    this.cancelFollowUp();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }
}
