const WINDOW_MS = 10_000;

/**
 * Caps retries at a share of recent requests (plus a small floor), as Envoy's retry budget does, so
 * that an upstream outage cannot multiply the load nachos sends it. Per process.
 */
export class RetryBudget {
  readonly #requests: number[] = [];
  readonly #retries: number[] = [];
  readonly #percent: number;
  readonly #floorPerSecond: number;

  constructor(percent: number, floorPerSecond: number) {
    this.#percent = percent;
    this.#floorPerSecond = floorPerSecond;
  }

  recordRequest(now = Date.now()): void {
    this.#requests.push(now);
  }

  /** Takes one retry from the budget if there is one left. */
  tryRetry(now = Date.now()): boolean {
    prune(this.#requests, now);
    prune(this.#retries, now);
    const allowed = Math.max(this.#floorPerSecond * (WINDOW_MS / 1000), (this.#requests.length * this.#percent) / 100);
    if (this.#retries.length >= allowed) return false;
    this.#retries.push(now);
    return true;
  }
}

function prune(times: number[], now: number): void {
  while (times.length > 0 && (times[0] as number) <= now - WINDOW_MS) times.shift();
}
