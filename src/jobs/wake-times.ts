/**
 * One timer for many wake-up times: it fires at the earliest time asked for, and at least every `maxWaitMs` (a
 * safety net, which also keeps a far time within what a timer can wait); every time asked for is kept, so a later
 * one is not forgotten when an earlier one fires.
 */
export class WakeTimes {
  private readonly times: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly wake: () => void,
    private readonly maxWaitMs: number,
  ) {}

  /** Wake at `at` (ms since the epoch) too. */
  at(at: number): void {
    const i = this.times.findIndex((t) => t > at);
    this.times.splice(i === -1 ? this.times.length : i, 0, at);
    this.arm();
  }

  /** Set the timer for the earliest time kept, or the safety net, unless it is set sooner. */
  arm(): void {
    const next = Math.min(this.times[0] ?? Number.POSITIVE_INFINITY, Date.now() + this.maxWaitMs);
    if (this.stopped || next >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(
      () => {
        this.timerAt = Number.POSITIVE_INFINITY;
        const now = Date.now();
        while ((this.times[0] ?? Number.POSITIVE_INFINITY) <= now) this.times.shift();
        this.wake();
      },
      Math.max(0, next - Date.now()),
    );
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
