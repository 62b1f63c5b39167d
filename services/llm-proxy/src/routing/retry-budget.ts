const WINDOW_SECONDS = 10;

/**
 * Caps retries at a share of recent requests (plus a small floor), as Envoy's retry budget does, so
 * that an upstream outage cannot multiply the load nachos sends it. Per process. "Recent" is the last
 * ten whole seconds, counted per second: the memory is the same after a billion requests as after one,
 * and a request costs no allocation.
 */
export class RetryBudget {
  readonly #requests = new SecondCounts();
  readonly #retries = new SecondCounts();
  readonly #percent: number;
  readonly #floorPerSecond: number;

  constructor(percent: number, floorPerSecond: number) {
    this.#percent = percent;
    this.#floorPerSecond = floorPerSecond;
  }

  recordRequest(now = Date.now()): void {
    this.#requests.add(now);
  }

  /** Takes one retry from the budget if there is one left. */
  tryRetry(now = Date.now()): boolean {
    const allowed = Math.max(this.#floorPerSecond * WINDOW_SECONDS, (this.#requests.total(now) * this.#percent) / 100);
    if (this.#retries.total(now) >= allowed) return false;
    this.#retries.add(now);
    return true;
  }
}

/** Events per second over the window, in a ring of one slot per second. */
class SecondCounts {
  readonly #counts = new Float64Array(WINDOW_SECONDS);
  /** The second each slot counts; a slot left from an older turn of the ring is stale. */
  readonly #seconds = new Float64Array(WINDOW_SECONDS).fill(-Infinity);

  add(now: number): void {
    const second = Math.floor(now / 1000);
    const slot = second % WINDOW_SECONDS;
    if (this.#seconds[slot] !== second) {
      this.#seconds[slot] = second;
      this.#counts[slot] = 0;
    }
    (this.#counts[slot] as number) += 1;
  }

  total(now: number): number {
    const oldest = Math.floor(now / 1000) - WINDOW_SECONDS;
    let total = 0;
    for (let slot = 0; slot < WINDOW_SECONDS; slot += 1) if ((this.#seconds[slot] as number) > oldest) total += this.#counts[slot] as number;
    return total;
  }
}
