/** What a limit counts, for headers, 429 messages and the rejection metric (a bounded label). */
export type LimitName = 'requests' | 'tokens' | 'concurrent' | 'user_input_tokens' | 'model_requests' | 'model_tokens' | 'auth_failures';

/**
 * A sliding window: `cost` is added to the current bucket of the `windowMs` window (60 buckets of
 * `windowMs / 60`), and the request passes when the last 61 buckets plus `cost` stay within `limit`. Counting
 * one bucket more than the window means no 60-second span ever admits more than `limit`, even a burst
 * straddling a window edge, at the price of refusing up to one bucket early.
 */
export interface WindowCheck {
  kind: 'window';
  name: LimitName;
  key: string;
  limit: number;
  cost: number;
  windowMs: number;
  /** False asks "would `cost` fit?" without adding it. */
  consume: boolean;
}

/** A concurrency cap: a lease per open request, each expiring `ttlMs` after it was last renewed. */
export interface ConcurrencyCheck {
  kind: 'concurrency';
  name: LimitName;
  key: string;
  limit: number;
  leaseId: string;
  ttlMs: number;
}

export type LimitCheck = WindowCheck | ConcurrencyCheck;

/** A limit's count read without a request (for the console): a window's total, or the leases held. */
export type LimitProbe = { kind: 'window'; key: string; windowMs: number } | { kind: 'concurrency'; key: string };

/** The state of one limit after a decision, for `x-ratelimit-*` headers. */
export interface LimitState {
  name: LimitName;
  limit: number;
  /** Counted in the window (or leases held), this request included when it was admitted. */
  used: number;
  /** Milliseconds until everything counted now has left the window. */
  resetMs: number;
}

/** The outcome of one atomic decision over several limits: all are consumed, or none. */
export interface Decision {
  allowed: boolean;
  /** The limit that refused, with how long until the request would fit. */
  denied?: { name: LimitName; retryAfterMs: number; tooLarge: boolean };
  states: LimitState[];
}

/** A correction of a window's count once real usage is known (negative when the estimate was high). */
export interface WindowAdjustment {
  key: string;
  windowMs: number;
  /** When the original cost was counted (its bucket). */
  countedAt: number;
  delta: number;
}

/** Buckets a window is cut into; the window counts one more, see {@link WindowCheck}. */
export const BUCKETS_PER_WINDOW = 60;

export function bucketMsOf(windowMs: number): number {
  return Math.max(1, Math.ceil(windowMs / BUCKETS_PER_WINDOW));
}

export function bucketOf(timeMs: number, windowMs: number): number {
  return Math.floor(timeMs / bucketMsOf(windowMs));
}
