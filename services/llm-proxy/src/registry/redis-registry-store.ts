import { connectFailFastRedis, connectRedisSubscriber, STEADY_RECONNECT } from '@nachos/common/redis';
import type { Redis } from 'ioredis';
import type { RegistryStore } from './registry-store.js';
import type { StoredEndpoint } from './stored-endpoint.js';

/** How long a read waits for a connection that is still being made. */
const CONNECT_WAIT_MS = 3_000;

export interface RedisRegistryStoreOptions {
  url: string;
  prefix: string;
  commandTimeoutMs: number;
}

/**
 * The registry in one Redis hash (`<prefix>registry:endpoints`, id → endpoint), shared by every replica.
 * Each write publishes the id on `<prefix>registry:changed`; every replica subscribes and re-reads, so a
 * change reaches all of them within a round trip. A replica that lost Redis re-reads when it reconnects,
 * since it may have missed notices meanwhile.
 */
export class RedisRegistryStore implements RegistryStore {
  readonly kind = 'redis' as const;
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #hash: string;
  readonly #channel: string;

  constructor(options: RedisRegistryStoreOptions) {
    this.#hash = `${options.prefix}registry:endpoints`;
    this.#channel = `${options.prefix}registry:changed`;
    this.#redis = connectFailFastRedis(options.url, Math.max(options.commandTimeoutMs, 1_000), STEADY_RECONNECT);
    this.#subscriber = connectRedisSubscriber(options.url, STEADY_RECONNECT);
  }

  async load(): Promise<StoredEndpoint[]> {
    await this.#connected(CONNECT_WAIT_MS);
    const entries = await this.#redis.hgetall(this.#hash);
    return Object.values(entries).map((value) => JSON.parse(value) as StoredEndpoint);
  }

  async put(endpoint: StoredEndpoint): Promise<void> {
    await this.#redis.multi().hset(this.#hash, endpoint.id, JSON.stringify(endpoint)).publish(this.#channel, endpoint.id).exec();
  }

  async remove(id: string): Promise<boolean> {
    const results = await this.#redis.multi().hdel(this.#hash, id).publish(this.#channel, id).exec();
    return Number(results?.[0]?.[1] ?? 0) > 0;
  }

  watch(onChange: () => void): void {
    this.#subscriber.on('message', (channel: string) => {
      if (channel === this.#channel) onChange();
    });
    // The first `ready` is the initial connection; every later one follows an outage.
    let connectedBefore = false;
    this.#subscriber.on('ready', () => {
      if (connectedBefore) onChange();
      connectedBefore = true;
    });
    void this.#subscriber.subscribe(this.#channel).catch(() => {});
  }

  /** Commands fail fast while disconnected (no offline queue); a read at start-up waits for the connection first. */
  async #connected(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#redis.status !== 'ready' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  }

  async close(): Promise<void> {
    this.#subscriber.disconnect();
    this.#redis.disconnect();
  }
}
