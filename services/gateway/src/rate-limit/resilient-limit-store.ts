import { GatewayError } from '../errors/gateway-error.js';
import type { Decision, LimitCheck, LimitProbe } from './limit-check.js';
import type { LimitStore } from './limit-store.js';
import type { MemoryLimitStore } from './memory-limit-store.js';
import type { RedisLimitStore } from './redis-limit-store.js';

/** What the gateway does about limits while Redis is unreachable (`rate_limit.on_redis_failure`). */
export type RedisFailureMode = 'local' | 'open' | 'closed';

/** A decision and the store that made it, which must also settle it (a lease lives where it was taken). */
export interface PlacedDecision extends Decision {
  store: LimitStore | undefined;
  backend: 'redis' | 'memory' | 'none';
}

export interface ResilientLimitStoreOptions {
  mode: RedisFailureMode;
  /** Replicas sharing the limits: in `local` mode each enforces `limit ÷ replicas`. */
  replicas: number;
  /** After a failure, how long decisions skip Redis before trying it again. */
  retryIntervalMs: number;
  onModeChange: (degraded: boolean, error?: Error) => void;
}

/**
 * Redis first. When it fails (or is known to be down), the configured mode decides: per-process limits at
 * this replica's share, everything admitted, or a 503 — never a wait longer than the command timeout, and
 * never a 429 the caller did not earn. Decisions go back to Redis as soon as it answers, without a restart.
 */
export class ResilientLimitStore {
  readonly #redis: RedisLimitStore | undefined;
  readonly #memory: MemoryLimitStore;
  readonly #options: ResilientLimitStoreOptions;
  #degraded = false;
  #retryAt = 0;

  /** Without a Redis the memory store is the store, by design: not degraded. */
  constructor(redis: RedisLimitStore | undefined, memory: MemoryLimitStore, options: ResilientLimitStoreOptions) {
    this.#redis = redis;
    this.#memory = memory;
    this.#options = options;
  }

  get degraded(): boolean {
    return this.#degraded;
  }

  get shared(): boolean {
    return this.#redis !== undefined;
  }

  get mode(): RedisFailureMode {
    return this.#options.mode;
  }

  /** Asks Redis directly (for `/ready`), which also notices an outage or a recovery while no request comes. */
  async probe(): Promise<'ok' | 'unreachable' | 'not_configured'> {
    if (!this.#redis) return 'not_configured';
    if (await this.#redis.ping()) {
      this.#recovered();
      return 'ok';
    }
    this.#failed(new Error('Redis did not answer a ping'), Date.now());
    return 'unreachable';
  }

  async admit(checks: readonly LimitCheck[], now: number): Promise<PlacedDecision> {
    if (checks.length === 0) return { allowed: true, states: [], store: undefined, backend: 'none' };
    const redis = this.#redis;
    if (!redis) return { ...(await this.#memory.admit(checks, now)), store: this.#memory, backend: 'memory' };
    const attemptAt = Date.now();
    // While backing off, requests skip Redis without moving the next attempt: under steady traffic the
    // retry must still come due, or the gateway would never return to Redis.
    if (attemptAt < this.#retryAt) return this.#withoutRedis(checks, now);
    if (redis.connected) {
      try {
        const decision = await redis.admit(checks, now);
        this.#recovered();
        return { ...decision, store: redis, backend: 'redis' };
      } catch (error) {
        this.#failed(error as Error, attemptAt);
      }
    } else {
      this.#failed(new Error('Redis is not connected'), attemptAt);
    }
    return this.#withoutRedis(checks, now);
  }

  /**
   * What the limits count now, from where decisions are made now: Redis (every replica's requests) while it
   * answers, else this process's own store. Never changes the mode: only requests decide it.
   */
  async peek(probes: readonly LimitProbe[], now: number): Promise<number[]> {
    if (this.#redis?.connected && !this.#degraded) {
      try {
        return await this.#redis.peek(probes, now);
      } catch {
        // answered from this process below
      }
    }
    return this.#memory.peek(probes, now);
  }

  async #withoutRedis(checks: readonly LimitCheck[], now: number): Promise<PlacedDecision> {
    switch (this.#options.mode) {
      case 'open':
        return { allowed: true, states: [], store: undefined, backend: 'none' };
      case 'closed':
        throw new GatewayError({ kind: 'unavailable', message: 'Rate limits cannot be checked right now; try again shortly.', retryAfterMs: 1_000 });
      case 'local': {
        const share = checks.map((check) => ({ ...check, limit: Math.max(1, Math.floor(check.limit / Math.max(1, this.#options.replicas))) }));
        return { ...(await this.#memory.admit(share, now)), store: this.#memory, backend: 'memory' };
      }
    }
  }

  /** `attemptAt` is when Redis was tried: the next try comes one interval after it, however many requests pass meanwhile. */
  #failed(error: Error, attemptAt: number): void {
    this.#retryAt = attemptAt + this.#options.retryIntervalMs;
    if (this.#degraded) return;
    this.#degraded = true;
    this.#options.onModeChange(true, error);
  }

  #recovered(): void {
    this.#retryAt = 0;
    if (!this.#degraded) return;
    this.#degraded = false;
    this.#options.onModeChange(false);
  }
}
