import type { Redis } from 'ioredis';
import { connectFailFastRedis, PROMPT_RECONNECT } from '@nachos/common/redis';
import type { BucketCounters } from './history-counters.js';
import { SCALE_MS, type BucketIncrement, type BucketScale, type HistoryBackend } from './history-backend.js';

const CONNECT_WAIT_MS = 1_000;

export interface RedisHistoryOptions {
  url: string;
  keyPrefix: string;
  retentionMs: number;
  commandTimeoutMs: number;
}

/**
 * Usage history in Redis, one hash of counters per minute and per hour (`<prefix>usage:minute:<start>`),
 * added to by every gateway replica and expiring after the retention. Like the limiter's connection it
 * fails fast and reconnects in the background.
 */
export class RedisHistoryBackend implements HistoryBackend {
  readonly #redis: Redis;
  readonly #options: RedisHistoryOptions;

  constructor(options: RedisHistoryOptions) {
    this.#options = options;
    this.#redis = connectFailFastRedis(options.url, Math.max(options.commandTimeoutMs, 1_000), PROMPT_RECONNECT);
  }

  async add(increments: readonly BucketIncrement[]): Promise<void> {
    await this.#connected();
    const pipeline = this.#redis.multi();
    for (const increment of increments) {
      const key = this.#keyOf(increment.scale, increment.startMs);
      for (const [field, amount] of increment.counters) pipeline.hincrby(key, field, amount);
      pipeline.pexpireat(key, increment.startMs + SCALE_MS[increment.scale] + this.#options.retentionMs);
    }
    const results = await pipeline.exec();
    const failure = results?.find(([error]) => error);
    if (!results || failure) throw failure?.[0] ?? new Error('Redis did not run the usage history update');
  }

  async read(scale: BucketScale, starts: readonly number[]): Promise<BucketCounters[]> {
    await this.#connected();
    const pipeline = this.#redis.pipeline();
    for (const start of starts) pipeline.hgetall(this.#keyOf(scale, start));
    const results = (await pipeline.exec()) ?? [];
    return starts.map((_start, index) => {
      const [error, hash] = results[index] ?? [new Error('no answer'), undefined];
      if (error) throw error;
      return new Map(Object.entries((hash ?? {}) as Record<string, string>).map(([field, value]) => [field, Number(value)]));
    });
  }

  close(): void {
    this.#redis.disconnect();
  }

  /** Neither caller is on a request's path: a connection still being made (at start, after an outage) is worth a short wait. */
  async #connected(): Promise<void> {
    const deadline = Date.now() + CONNECT_WAIT_MS;
    while (this.#redis.status !== 'ready' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  }

  #keyOf(scale: BucketScale, startMs: number): string {
    return `${this.#options.keyPrefix}usage:${scale}:${startMs}`;
  }
}
