import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

/** How often the worst delay is taken and the measurement restarted. */
const WINDOW_MS = 1_000;

/**
 * Watches how late this process's event loop runs (Node's own delay histogram, sampled every 20 ms). The lag
 * is the worst delay of the last full window or of the current one, so after a long block — a plugin in a
 * busy loop, say — it reads high for about a window more before it settles. The window's own timer counts
 * too, by how late it is: after a stall (a process stopped or starved by a saturated machine), the timers
 * that fell due run before or after the histogram's next sample in no set order, and one that reads the lag
 * before that sample — a first-token timeout judging whose fault it was — must see the stall all the same.
 * Readiness reports not-ready while it is above `limitMs` (0 turns that off). What one Node process cannot
 * do: answer anything, health checks included, while its loop is blocked; that is what liveness checks with a
 * timeout are for.
 */
export class EventLoopLag {
  readonly limitMs: number;
  readonly #histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  readonly #timer: NodeJS.Timeout;
  #lastWindowMs = 0;
  /** When the window last turned (performance.now()). */
  #windowStart = performance.now();

  constructor(limitMs: number) {
    this.limitMs = limitMs;
    this.#histogram.enable();
    this.#timer = setInterval(() => {
      this.#lastWindowMs = Math.max(this.#histogram.max / 1e6, this.#windowOverdueMs());
      this.#windowStart = performance.now();
      this.#histogram.reset();
    }, WINDOW_MS).unref();
  }

  /** The worst event-loop delay lately, in whole milliseconds. */
  get lagMs(): number {
    return Math.round(Math.max(this.#lastWindowMs, this.#histogram.max / 1e6, this.#windowOverdueMs()));
  }

  /** How late the window's timer is, or was when it ran: a delay the histogram may not have sampled yet. */
  #windowOverdueMs(): number {
    return performance.now() - this.#windowStart - WINDOW_MS;
  }

  get high(): boolean {
    return this.limitMs > 0 && this.lagMs > this.limitMs;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#histogram.disable();
  }
}
