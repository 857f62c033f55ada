import type { OutputWriter } from "./write-output.js";

/**
 * Keeps at most `limit` writes (or links) in flight: rendering never races ahead of the disk by
 * more. A count and the callers waiting for a slot, not `Promise.race` over the tasks in flight:
 * a race adds a reaction to each of them, and 34,000 pages × 64 tasks in flight made ~2 million
 * (a warm 10,000-story build spent ~1.7 s in them and the garbage they left).
 */
export class WriteQueue {
  private inFlight = 0;
  private waiting: (() => void)[] = [];
  private failure: unknown = null;

  constructor(
    private readonly writer: Pick<OutputWriter, "write">,
    private readonly limit: number,
  ) {}

  async push(page: Parameters<OutputWriter["write"]>[0]): Promise<void> {
    await this.run(() => this.writer.write(page));
  }

  /** Starts an output task, and returns once fewer than `limit` are in flight (or one failed). */
  async run(task: () => Promise<void>): Promise<void> {
    if (this.failure) throw this.failure;
    let started: Promise<void>;
    try {
      started = task();
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
    this.inFlight++;
    started.then(
      () => this.settled(),
      (error: unknown) => {
        this.failure ??= error;
        this.settled();
      },
    );
    while (this.inFlight >= this.limit && !this.failure) await this.change();
    if (this.failure) throw this.failure;
  }

  /** Waits for every task started; throws the first failure. */
  async drain(): Promise<void> {
    while (this.inFlight > 0) await this.change();
    if (this.failure) throw this.failure;
  }

  private change(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private settled(): void {
    this.inFlight--;
    // Every waiter checks again (there is one at a time in a build: its render loop).
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }
}
