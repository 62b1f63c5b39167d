import type { ConcurrencyCheck, Decision, LimitCheck, LimitProbe, WindowAdjustment } from './limit-check.js';

/**
 * Where limits are counted. Each method is one atomic decision; the Redis store is shared by every
 * gateway replica, the memory store by one process.
 */
export interface LimitStore {
  /** Checks every limit and, when all pass, counts the request in each (window costs, a lease). */
  admit(checks: readonly LimitCheck[], now: number): Promise<Decision>;
  /** Applies usage corrections and releases leases. */
  settle(adjustments: readonly WindowAdjustment[], leases: readonly ConcurrencyCheck[]): Promise<void>;
  /** Keeps leases alive while their requests are open. */
  renew(leases: readonly ConcurrencyCheck[], now: number): Promise<void>;
  /** What each probed limit counts now (a window's total, live leases), changing nothing. */
  peek(probes: readonly LimitProbe[], now: number): Promise<number[]>;
}
