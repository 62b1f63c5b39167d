import type { Redis } from 'ioredis';
import { connectFailFastRedis, STEADY_RECONNECT } from '../redis/connect-redis.js';
import { ADD_TO_WINDOW, EXTEND_COOLDOWN, HOLD_LEASE } from './redis-scripts.js';
import type { Cooldown, SharedState, SharedStateMode } from './shared-state.js';

export interface RedisStateOptions {
  url: string;
  prefix: string;
  /** Longest a command may take before the caller falls back; keeps a sick Redis from hanging requests. */
  commandTimeoutMs: number;
}

/**
 * The shared backend. Commands fail fast instead of queueing while Redis is away (no offline queue, no
 * per-request retries), and the connection keeps retrying in the background so that service resumes
 * on its own when Redis is back.
 */
export class RedisState implements SharedState {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(options: RedisStateOptions) {
    this.#prefix = options.prefix;
    this.#redis = connectFailFastRedis(options.url, options.commandTimeoutMs, STEADY_RECONNECT);
  }

  get client(): Redis {
    return this.#redis;
  }

  async ready(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.#redis.status === 'ready') return true;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.#redis.status === 'ready';
  }

  async extendCooldown(key: string, untilMs: number, reason: string): Promise<Cooldown> {
    const [until, effectiveReason] = (await this.#redis.eval(
      EXTEND_COOLDOWN,
      2,
      this.#key('cooldown', key),
      this.#key('cooldowns'),
      String(untilMs),
      reason,
      String(Date.now()),
      key,
    )) as [string, string];
    return { key, untilMs: Number(until), reason: effectiveReason };
  }

  async activeCooldowns(keys: readonly string[]): Promise<Map<string, Cooldown>> {
    const active = new Map<string, Cooldown>();
    if (keys.length === 0) return active;
    const pipeline = this.#redis.pipeline();
    for (const key of keys) pipeline.hmget(this.#key('cooldown', key), 'until', 'reason');
    const results = (await pipeline.exec()) ?? [];
    const now = Date.now();
    results.forEach(([error, value], index) => {
      if (error) throw error;
      const [until, reason] = value as [string | null, string | null];
      const key = keys[index] as string;
      if (until !== null && Number(until) > now) active.set(key, { key, untilMs: Number(until), reason: reason ?? '' });
    });
    return active;
  }

  async clearCooldown(key: string): Promise<boolean> {
    const results = await this.#redis.multi().del(this.#key('cooldown', key)).zrem(this.#key('cooldowns'), key).exec();
    const failure = results?.find(([error]) => error);
    if (!results || failure) throw failure?.[0] ?? new Error('Redis did not clear the cooldown');
    return Number(results[0]?.[1]) > 0;
  }

  async listCooldowns(): Promise<Cooldown[]> {
    const keys = await this.#redis.zrangebyscore(this.#key('cooldowns'), Date.now(), '+inf');
    return [...(await this.activeCooldowns(keys)).values()];
  }

  async addToWindow(key: string, amount: number, windowMs: number): Promise<number> {
    const windowKey = this.#windowKey(key, windowMs);
    return Number(await this.#redis.eval(ADD_TO_WINDOW, 1, windowKey, String(amount), String(windowMs * 2)));
  }

  async readWindow(key: string, windowMs: number): Promise<number> {
    return Number((await this.#redis.get(this.#windowKey(key, windowMs))) ?? 0);
  }

  async holdLease(key: string, leaseId: string, ttlMs: number): Promise<number> {
    const now = Date.now();
    return Number(await this.#redis.eval(HOLD_LEASE, 1, this.#key('leases', key), leaseId, String(now + ttlMs), String(now)));
  }

  async releaseLease(key: string, leaseId: string): Promise<void> {
    await this.#redis.zrem(this.#key('leases', key), leaseId);
  }

  async countLeases(keys: readonly string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    const now = Date.now();
    for (const key of keys) pipeline.zcount(this.#key('leases', key), now, '+inf');
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return Number(value);
    });
  }

  mode(): SharedStateMode {
    return 'redis';
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }

  #key(kind: string, key?: string): string {
    return key === undefined ? `${this.#prefix}${kind}` : `${this.#prefix}${kind}:${key}`;
  }

  #windowKey(key: string, windowMs: number): string {
    return this.#key('window', `${key}:${windowMs}:${Math.floor(Date.now() / windowMs)}`);
  }
}
