import { BUCKETS_PER_WINDOW, bucketMsOf, type ConcurrencyCheck, type Decision, type LimitCheck, type LimitProbe, type LimitState, type WindowAdjustment } from './limit-check.js';
import type { LimitStore } from './limit-store.js';

interface Measured {
  used: number;
  current: number;
  bucketMs: number;
  newest: number;
}

/** Sweeps forgotten keys (users come and go) once this many decisions have been made. */
const SWEEP_EVERY = 1_000;

/**
 * The per-process store, with the same algorithm as the Redis scripts: serves a single gateway without
 * Redis, and a replica whose Redis is down (with its share of each limit).
 */
export class MemoryLimitStore implements LimitStore {
  readonly #windows = new Map<string, { bucketMs: number; buckets: Map<number, number> }>();
  readonly #leases = new Map<string, Map<string, number>>();
  #decisions = 0;

  async admit(checks: readonly LimitCheck[], now: number): Promise<Decision> {
    if (++this.#decisions % SWEEP_EVERY === 0) this.#sweep(now);
    let denied: Decision['denied'];
    const measured = checks.map((check) => {
      if (check.kind === 'concurrency') {
        const held = this.#liveLeases(check.key, now).size;
        if (held + 1 > check.limit && !denied) denied = { name: check.name, retryAfterMs: 1_000, tooLarge: false };
        return { used: held, current: 0, bucketMs: 0, newest: 0 };
      }
      const window = this.#measure(check.key, check.windowMs, now);
      if (window.used + check.cost > check.limit && !denied) denied = { name: check.name, ...this.#retryAfter(check, window, now) };
      return window;
    });
    const states = checks.map((check, index) => this.#apply(check, measured[index] as Measured, !denied, now));
    return denied ? { allowed: false, denied, states } : { allowed: true, states };
  }

  async settle(adjustments: readonly WindowAdjustment[], leases: readonly ConcurrencyCheck[]): Promise<void> {
    for (const adjustment of adjustments) {
      const window = this.#windows.get(adjustment.key);
      if (!window || adjustment.delta === 0) continue;
      const bucket = Math.floor(adjustment.countedAt / window.bucketMs);
      const value = window.buckets.get(bucket);
      if (value !== undefined) window.buckets.set(bucket, value + adjustment.delta);
    }
    for (const lease of leases) this.#leases.get(lease.key)?.delete(lease.leaseId);
  }

  async renew(leases: readonly ConcurrencyCheck[], now: number): Promise<void> {
    for (const lease of leases) {
      const held = this.#leases.get(lease.key);
      if (held?.has(lease.leaseId)) held.set(lease.leaseId, now + lease.ttlMs);
    }
  }

  async peek(probes: readonly LimitProbe[], now: number): Promise<number[]> {
    return probes.map((probe) => (probe.kind === 'window' ? this.#measure(probe.key, probe.windowMs, now).used : this.#liveLeases(probe.key, now).size));
  }

  #measure(key: string, windowMs: number, now: number): Measured {
    const bucketMs = bucketMsOf(windowMs);
    const current = Math.floor(now / bucketMs);
    const window = this.#windows.get(key);
    let used = 0;
    let newest = current;
    if (window) {
      for (const [bucket, value] of window.buckets) {
        if (bucket < current - BUCKETS_PER_WINDOW) window.buckets.delete(bucket);
        else {
          used += value;
          newest = Math.max(newest, bucket);
        }
      }
    }
    return { used, current, bucketMs, newest };
  }

  #retryAfter(check: Extract<LimitCheck, { kind: 'window' }>, window: Measured, now: number): { retryAfterMs: number; tooLarge: boolean } {
    if (check.cost > check.limit) return { retryAfterMs: (BUCKETS_PER_WINDOW + 1) * window.bucketMs, tooLarge: true };
    const buckets = [...(this.#windows.get(check.key)?.buckets ?? [])].sort(([a], [b]) => a - b);
    const excess = window.used + check.cost - check.limit;
    let freed = 0;
    for (const [bucket, value] of buckets) {
      freed += value;
      if (freed >= excess) return { retryAfterMs: Math.max(0, (bucket + BUCKETS_PER_WINDOW + 1) * window.bucketMs - now), tooLarge: false };
    }
    return { retryAfterMs: window.bucketMs, tooLarge: false };
  }

  #apply(check: LimitCheck, measured: Measured, admitted: boolean, now: number): LimitState {
    if (check.kind === 'concurrency') {
      if (!admitted) return { name: check.name, limit: check.limit, used: measured.used, resetMs: 0 };
      const leases = this.#leases.get(check.key) ?? new Map<string, number>();
      leases.set(check.leaseId, now + check.ttlMs);
      this.#leases.set(check.key, leases);
      return { name: check.name, limit: check.limit, used: measured.used + 1, resetMs: 0 };
    }
    let used = measured.used;
    if (admitted && check.consume && check.cost > 0) {
      const window = this.#windows.get(check.key) ?? { bucketMs: measured.bucketMs, buckets: new Map<number, number>() };
      window.buckets.set(measured.current, (window.buckets.get(measured.current) ?? 0) + check.cost);
      this.#windows.set(check.key, window);
      used += check.cost;
    }
    const resetMs = used > 0 ? (measured.newest + BUCKETS_PER_WINDOW + 1) * measured.bucketMs - now : 0;
    return { name: check.name, limit: check.limit, used, resetMs };
  }

  #liveLeases(key: string, now: number): Map<string, number> {
    const leases = this.#leases.get(key) ?? new Map<string, number>();
    for (const [id, expiry] of leases) if (expiry <= now) leases.delete(id);
    return leases;
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) {
      const current = Math.floor(now / window.bucketMs);
      for (const bucket of window.buckets.keys()) if (bucket < current - BUCKETS_PER_WINDOW) window.buckets.delete(bucket);
      if (window.buckets.size === 0) this.#windows.delete(key);
    }
    for (const [key, leases] of this.#leases) if (this.#liveLeases(key, now).size === 0) this.#leases.delete(key);
  }
}
