/** A cooldown on some key (a credential, or a credential and a model), with why it was set. */
export interface Cooldown {
  key: string;
  /** Epoch milliseconds until which the key must not be used. */
  untilMs: number;
  reason: string;
}

/** How the state is held right now: shared through Redis, per process by choice, or per process because Redis failed. */
export type SharedStateMode = 'redis' | 'memory' | 'degraded';

/**
 * The state every replica must agree on: cooldowns, counting windows and concurrency leases. One
 * interface with two backends (Redis, memory) so that a single machine needs no Redis, and so that a
 * Redis outage can fall back to memory without callers noticing more than a `degraded` mode.
 */
export interface SharedState {
  /** Sets a cooldown that can only grow: a later, shorter failure never shrinks it. Returns the one in force. */
  extendCooldown(key: string, untilMs: number, reason: string): Promise<Cooldown>;
  /** The cooldowns still in force among `keys`. */
  activeCooldowns(keys: readonly string[]): Promise<Map<string, Cooldown>>;
  /** Every cooldown in force, for the admin endpoint and metrics. */
  listCooldowns(): Promise<Cooldown[]>;
  /** Ends the cooldown on `key` now (an operator's decision); false when none was in force. */
  clearCooldown(key: string): Promise<boolean>;
  /** Adds `amount` to the current fixed window of `windowMs` for `key`; returns the window's total. */
  addToWindow(key: string, amount: number, windowMs: number): Promise<number>;
  /** The current window's total for `key`. */
  readWindow(key: string, windowMs: number): Promise<number>;
  /** Registers lease `leaseId` on `key` until `ttlMs` from now (again, to renew); returns how many are live. */
  holdLease(key: string, leaseId: string, ttlMs: number): Promise<number>;
  releaseLease(key: string, leaseId: string): Promise<void>;
  /** Live leases per key, in the order given. */
  countLeases(keys: readonly string[]): Promise<number[]>;
  mode(): SharedStateMode;
  close(): Promise<void>;
}
