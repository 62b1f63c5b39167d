import type { ConcurrencyCheck, LimitCheck, WindowAdjustment, WindowCheck } from './limit-check.js';
import type { PlacedDecision } from './resilient-limit-store.js';

/** Real usage of an admitted request, to replace the estimate it was admitted with. */
export interface ActualUsage {
  inputTokens: number;
  totalTokens: number;
}

/**
 * One admitted request's hold on the limits: its concurrency leases stay alive while it runs and are
 * released when it ends, and its token estimates are corrected to what it really used. Settling is
 * best-effort: if Redis is gone by then, leases expire on their own and the window keeps the estimate.
 */
export class Admission {
  readonly decision: PlacedDecision;
  readonly #checks: readonly LimitCheck[];
  readonly #admittedAt: number;
  readonly #estimate: ActualUsage;
  readonly #renewal: NodeJS.Timeout | undefined;
  #finished = false;

  constructor(decision: PlacedDecision, checks: readonly LimitCheck[], admittedAt: number, estimate: ActualUsage) {
    this.decision = decision;
    this.#checks = checks;
    this.#admittedAt = admittedAt;
    this.#estimate = estimate;
    const leases = this.#leases();
    if (decision.allowed && decision.store && leases.length > 0) {
      const store = decision.store;
      const every = Math.max(250, Math.floor(Math.min(...leases.map((lease) => lease.ttlMs)) / 3));
      this.#renewal = setInterval(() => void store.renew(leases, Date.now()).catch(() => {}), every);
      this.#renewal.unref();
    }
  }

  /** Ends the request's hold; `usage` undefined means it used no tokens. Later calls do nothing. */
  finish(usage: ActualUsage | undefined): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#renewal) clearInterval(this.#renewal);
    const store = this.decision.store;
    if (!this.decision.allowed || !store) return;
    const actual = usage ?? { inputTokens: 0, totalTokens: 0 };
    const adjustments: WindowAdjustment[] = [];
    for (const check of this.#checks) {
      if (check.kind !== 'window' || !isTokenWindow(check)) continue;
      const real = check.name === 'user_input_tokens' ? actual.inputTokens : actual.totalTokens;
      const estimated = check.name === 'user_input_tokens' ? this.#estimate.inputTokens : this.#estimate.totalTokens;
      adjustments.push({ key: check.key, windowMs: check.windowMs, countedAt: this.#admittedAt, delta: Math.round(real - estimated) });
    }
    void store.settle(adjustments, this.#leases()).catch(() => {});
  }

  #leases(): ConcurrencyCheck[] {
    return this.#checks.filter((check): check is ConcurrencyCheck => check.kind === 'concurrency');
  }
}

function isTokenWindow(check: WindowCheck): boolean {
  return check.name === 'tokens' || check.name === 'model_tokens' || check.name === 'user_input_tokens';
}
