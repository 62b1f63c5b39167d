import type { Redis } from 'ioredis';
import { connectFailFastRedis, PROMPT_RECONNECT } from '@nachos/common/redis';
import type { ResponsesStore, StoredResponse } from './stored-response.js';

export interface RedisResponsesStoreOptions {
  url: string;
  keyPrefix: string;
  ttlMs: number;
  /** Largest single response kept, as serialised JSON bytes. */
  maxResponseBytes: number;
  commandTimeoutMs: number;
}

/**
 * Stored responses in Redis, so that every gateway replica can continue a conversation another one
 * answered. Each response is one string key that expires on its own; the owning gateway key is part
 * of the Redis key, so another key's lookup misses. Commands fail fast when Redis is away, and the
 * caller decides what that means (a save is given up, a lookup answers 503).
 */
export class RedisResponsesStore implements ResponsesStore {
  readonly #redis: Redis;
  readonly #options: RedisResponsesStoreOptions;

  constructor(options: RedisResponsesStoreOptions) {
    this.#options = options;
    this.#redis = connectFailFastRedis(options.url, options.commandTimeoutMs, PROMPT_RECONNECT);
  }

  async save(owner: string, id: string, stored: StoredResponse): Promise<boolean> {
    const json = JSON.stringify(stored);
    if (Buffer.byteLength(json) > this.#options.maxResponseBytes) return false;
    await this.#redis.set(this.#keyOf(owner, id), json, 'PX', this.#options.ttlMs);
    return true;
  }

  async get(owner: string, id: string): Promise<StoredResponse | undefined> {
    const json = await this.#redis.get(this.#keyOf(owner, id));
    return json === null ? undefined : (JSON.parse(json) as StoredResponse);
  }

  async delete(owner: string, id: string): Promise<boolean> {
    return (await this.#redis.del(this.#keyOf(owner, id))) > 0;
  }

  close(): void {
    this.#redis.disconnect();
  }

  #keyOf(owner: string, id: string): string {
    return `${this.#options.keyPrefix}responses:${Buffer.from(owner).toString('base64url')}:${id}`;
  }
}
