import { hostname } from 'node:os';
import type { Redis } from 'ioredis';

/** How often a replica says it is alive, and how long after its last word it is no longer listed. */
const BEAT_MS = 10_000;
const STALE_MS = 30_000;

export interface ReplicaSighting {
  replica: string;
  started_at: string;
  seen_at: string;
}

/**
 * The gateway replicas alive right now, for the console's overview: each one writes its name and start
 * time into one Redis hash every few seconds. Without Redis a replica knows only itself.
 */
export class ReplicaDirectory {
  readonly self: ReplicaSighting;
  readonly #redis: Redis | undefined;
  readonly #key: string;
  readonly #timer: NodeJS.Timeout | undefined;

  /** ioredis is loaded only when Redis is configured, as everywhere in the gateway. */
  static async start(options: { redisUrl: string; keyPrefix: string; port: number }): Promise<ReplicaDirectory> {
    return new ReplicaDirectory(options, options.redisUrl ? (await import('ioredis')).Redis : undefined);
  }

  private constructor(options: { redisUrl: string; keyPrefix: string; port: number }, RedisClient: typeof Redis | undefined) {
    const now = new Date().toISOString();
    this.self = { replica: `${hostname()}:${options.port} (pid ${process.pid})`, started_at: now, seen_at: now };
    this.#key = `${options.keyPrefix}gateway:replicas`;
    if (!RedisClient) return;
    this.#redis = new RedisClient(options.redisUrl, { connectTimeout: 2_000, commandTimeout: 1_000, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: (attempt) => Math.min(attempt * 200, 2_000) });
    // A missed beat only hides this replica from the overview for a while; the commands' errors say nothing more.
    this.#redis.on('error', () => {});
    this.#redis.on('ready', () => void this.#beat());
    this.#timer = setInterval(() => void this.#beat(), BEAT_MS);
    this.#timer.unref();
  }

  /** Replicas heard from within the last half minute, this one always among them. */
  async list(): Promise<ReplicaSighting[]> {
    if (!this.#redis || this.#redis.status !== 'ready') return [this.self];
    try {
      const entries = await this.#redis.hgetall(this.#key);
      const now = Date.now();
      const alive: ReplicaSighting[] = [];
      for (const [replica, value] of Object.entries(entries)) {
        const sighting = parse(value);
        if (sighting && now - Date.parse(sighting.seen_at) < STALE_MS) alive.push({ ...sighting, replica });
        else await this.#redis.hdel(this.#key, replica);
      }
      if (!alive.some((sighting) => sighting.replica === this.self.replica)) alive.push(this.self);
      return alive.sort((a, b) => a.replica.localeCompare(b.replica));
    } catch {
      return [this.self];
    }
  }

  close(): void {
    clearInterval(this.#timer);
    this.#redis?.disconnect();
  }

  async #beat(): Promise<void> {
    if (!this.#redis || this.#redis.status !== 'ready') return;
    this.self.seen_at = new Date().toISOString();
    try {
      await this.#redis.hset(this.#key, this.self.replica, JSON.stringify({ started_at: this.self.started_at, seen_at: this.self.seen_at }));
    } catch {
      // the next beat tries again
    }
  }
}

function parse(value: string): Omit<ReplicaSighting, 'replica'> | undefined {
  try {
    const parsed = JSON.parse(value) as { started_at?: unknown; seen_at?: unknown };
    return typeof parsed.started_at === 'string' && typeof parsed.seen_at === 'string' ? { started_at: parsed.started_at, seen_at: parsed.seen_at } : undefined;
  } catch {
    return undefined;
  }
}
