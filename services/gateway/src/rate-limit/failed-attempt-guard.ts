import type { FailedAttemptGuard } from '../auth/failed-attempt-guard.js';
import type { ResilientLimitStore } from './resilient-limit-store.js';

/** Addresses remembered as blocked by one process; beyond it the oldest are forgotten first. */
const MAX_REMEMBERED = 10_000;

/**
 * Counts failed key checks per client address in the shared limiter. Once an address is over the limit,
 * this process remembers it until its wait ends, so it is refused before any key is compared (and a
 * correct guess cannot be told from a wrong one); the other replicas learn it at its next failure there.
 * `counted` names what fails (gateway keys, admin keys), each with a count of its own.
 */
export function createFailedAttemptGuard(store: ResilientLimitStore, perMinute: number, keyPrefix: string, counted = 'auth-failures'): FailedAttemptGuard {
  const blockedUntil = new Map<string, number>();
  return {
    blockedFor(address) {
      const until = blockedUntil.get(address);
      if (until === undefined) return 0;
      const remaining = until - Date.now();
      if (remaining > 0) return remaining;
      blockedUntil.delete(address);
      return 0;
    },
    async recordFailure(address) {
      if (perMinute === 0) return 0;
      const key = `${keyPrefix}{rl}:${counted}:${address}`;
      const decision = await store
        .admit([{ kind: 'window', name: 'auth_failures', key, limit: perMinute, cost: 1, windowMs: 60_000, consume: true }], Date.now())
        .catch(() => undefined);
      if (!decision || decision.allowed) return 0;
      const waitMs = decision.denied?.retryAfterMs ?? 60_000;
      if (blockedUntil.size >= MAX_REMEMBERED) blockedUntil.delete(blockedUntil.keys().next().value as string);
      blockedUntil.set(address, Date.now() + waitMs);
      return waitMs;
    },
  };
}
