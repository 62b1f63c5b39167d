import type { Redis } from 'ioredis';
import { connectFailFastRedis, PROMPT_RECONNECT } from '@nachos/common/redis';
import { bucketMsOf, type ConcurrencyCheck, type Decision, type LimitCheck, type LimitProbe, type LimitState, type WindowAdjustment } from './limit-check.js';
import type { LimitStore } from './limit-store.js';
import { ADMIT_SCRIPT, PEEK_SCRIPT, RENEW_SCRIPT, SETTLE_SCRIPT } from './limit-scripts.js';

export interface RedisLimitStoreOptions {
  url: string;
  /** Longest a decision may wait for Redis; the caller then decides without it. */
  commandTimeoutMs: number;
}

type ScriptCall = (numberOfKeys: number, ...keysAndArguments: Array<string | number>) => Promise<unknown>;

interface LimiterCommands {
  nachosAdmit: ScriptCall;
  nachosSettle: ScriptCall;
  nachosRenew: ScriptCall;
  nachosPeek: ScriptCall;
}

/**
 * The limiter in Redis, shared by every gateway replica. Like the shared state's connection it fails fast
 * (no offline queue, no per-command retries, a short command timeout) and reconnects in the background.
 * Scripts run by EVALSHA with EVAL as the fallback, so a Redis (or proxy) that forbids SCRIPT LOAD works.
 */
export class RedisLimitStore implements LimitStore {
  readonly #redis: Redis;
  readonly #commands: LimiterCommands;

  constructor(options: RedisLimitStoreOptions) {
    this.#redis = connectFailFastRedis(options.url, options.commandTimeoutMs, PROMPT_RECONNECT);
    this.#redis.defineCommand('nachosAdmit', { lua: ADMIT_SCRIPT });
    this.#redis.defineCommand('nachosSettle', { lua: SETTLE_SCRIPT });
    this.#redis.defineCommand('nachosRenew', { lua: RENEW_SCRIPT });
    this.#redis.defineCommand('nachosPeek', { lua: PEEK_SCRIPT });
    this.#commands = this.#redis as unknown as LimiterCommands;
  }

  /** Whether the connection is up; a store that is not is skipped without waiting for a timeout. */
  get connected(): boolean {
    return this.#redis.status === 'ready';
  }

  /** Waits up to `timeoutMs` for the connection, so start-up can say whether limits are shared. */
  async ready(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.connected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    return this.connected;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.#redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async admit(checks: readonly LimitCheck[], now: number): Promise<Decision> {
    const argv: Array<string | number> = [now, checks.length];
    for (const check of checks) {
      if (check.kind === 'window') argv.push('w', check.limit, check.cost, bucketMsOf(check.windowMs), check.consume ? '1' : '0');
      else argv.push('c', check.limit, check.ttlMs, 0, check.leaseId);
    }
    const reply = (await this.#commands.nachosAdmit(checks.length, ...checks.map((check) => check.key), ...argv)) as number[];
    const [allowed, deniedIndex, retryAfterMs, tooLarge] = reply;
    const states: LimitState[] = checks.map((check, index) => ({
      name: check.name,
      limit: check.limit,
      used: Number(reply[4 + index * 2]),
      resetMs: Number(reply[5 + index * 2]),
    }));
    if (allowed === 1) return { allowed: true, states };
    const denied = checks[(deniedIndex as number) - 1] as LimitCheck;
    return { allowed: false, denied: { name: denied.name, retryAfterMs: Number(retryAfterMs), tooLarge: tooLarge === 1 }, states };
  }

  async settle(adjustments: readonly WindowAdjustment[], leases: readonly ConcurrencyCheck[]): Promise<void> {
    const windows = adjustments.filter((adjustment) => adjustment.delta !== 0);
    if (windows.length === 0 && leases.length === 0) return;
    const keys = [...windows.map((adjustment) => adjustment.key), ...leases.map((lease) => lease.key)];
    const argv: Array<string | number> = [windows.length];
    for (const adjustment of windows) argv.push(String(Math.floor(adjustment.countedAt / bucketMsOf(adjustment.windowMs))), Math.round(adjustment.delta));
    for (const lease of leases) argv.push(lease.leaseId);
    await this.#commands.nachosSettle(keys.length, ...keys, ...argv);
  }

  async renew(leases: readonly ConcurrencyCheck[], now: number): Promise<void> {
    if (leases.length === 0) return;
    const ttlMs = Math.max(...leases.map((lease) => lease.ttlMs));
    await this.#commands.nachosRenew(leases.length, ...leases.map((lease) => lease.key), now + ttlMs, ttlMs, ...leases.map((lease) => lease.leaseId));
  }

  async peek(probes: readonly LimitProbe[], now: number): Promise<number[]> {
    if (probes.length === 0) return [];
    const argv = probes.flatMap((probe) => (probe.kind === 'window' ? ['w', bucketMsOf(probe.windowMs)] : ['c', 0]));
    const reply = (await this.#commands.nachosPeek(probes.length, ...probes.map((probe) => probe.key), now, ...argv)) as number[];
    return reply.map(Number);
  }

  close(): void {
    this.#redis.disconnect();
  }
}
