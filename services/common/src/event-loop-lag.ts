import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** How often the worst delay is taken and the measurement restarted. */
const WINDOW_MS = 1_000;

/**
 * Watches how late this process's event loop runs (Node's own delay histogram, sampled every 20 ms). The lag
 * is the worst delay of the last full window or of the current one, so after a long block — a plugin in a
 * busy loop, say — it reads high for about a window more before it settles. Readiness reports not-ready
 * while it is above `limitMs` (0 turns that off). What one Node process cannot do: answer anything, health
 * checks included, while its loop is blocked; that is what liveness checks with a timeout are for.
 */
export class EventLoopLag {
  readonly limitMs: number;
  readonly #histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  readonly #timer: NodeJS.Timeout;
  #lastWindowMs = 0;

  constructor(limitMs: number) {
    this.limitMs = limitMs;
    this.#histogram.enable();
    this.#timer = setInterval(() => {
      this.#lastWindowMs = this.#histogram.max / 1e6;
      this.#histogram.reset();
    }, WINDOW_MS).unref();
  }

  /** The worst event-loop delay lately, in whole milliseconds. */
  get lagMs(): number {
    return Math.round(Math.max(this.#lastWindowMs, this.#histogram.max / 1e6));
  }

  get high(): boolean {
    return this.limitMs > 0 && this.lagMs > this.limitMs;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#histogram.disable();
  }
}
