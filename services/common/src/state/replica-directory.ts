import { hostname } from 'node:os';
import type { Redis } from 'ioredis';

/**
 * How often a replica says it is alive; after how long without a word it is `silent` (it missed its last
 * beats: stopped, frozen or cut off from Redis), and after how long it is no longer listed.
 */
const BEAT_MS = 5_000;
const SILENT_MS = 15_000;
const STALE_MS = 120_000;
const COMMAND_TIMEOUT_MS = 1_000;

export interface ReplicaSighting {
  replica: string;
  /** What the replica last said of itself (`serving`, `draining`, …), or `silent`. */
  status: string;
  started_at: string;
  seen_at: string;
}

export interface ReplicaDirectoryOptions {
  redisUrl: string;
  /** The Redis hash the replicas of one service share, prefix included. */
  key: string;
  /** Port the replica serves on, part of its name. */
  port: number;
  /** The replica's own status, asked at each beat and each listing. */
  status: () => string;
}

/**
 * The replicas of one service alive right now, for the console's overview: each writes its name, start time
 * and status into one Redis hash every few seconds, so any replica can list them all. Without Redis a
 * replica knows only itself.
 */
export class ReplicaDirectory {
  readonly replica: string;
  readonly startedAt = new Date().toISOString();
  readonly #status: () => string;
  readonly #redis: Redis | undefined;
  readonly #key: string;
  readonly #timer: NodeJS.Timeout | undefined;

  /** ioredis is loaded only when Redis is configured. */
  static async start(options: ReplicaDirectoryOptions): Promise<ReplicaDirectory> {
    if (!options.redisUrl) return new ReplicaDirectory(options, undefined);
    const { connectFailFastRedis, STEADY_RECONNECT } = await import('../redis/connect-redis.js');
    // A missed beat only shows this replica as silent for a while, and a failed listing lists this one alone.
    return new ReplicaDirectory(options, connectFailFastRedis(options.redisUrl, COMMAND_TIMEOUT_MS, STEADY_RECONNECT));
  }

  private constructor(options: ReplicaDirectoryOptions, redis: Redis | undefined) {
    this.replica = `${hostname()}:${options.port} (pid ${process.pid})`;
    this.#status = options.status;
    this.#key = options.key;
    this.#redis = redis;
    if (!redis) return;
    redis.on('ready', () => void this.beat());
    this.#timer = setInterval(() => void this.beat(), BEAT_MS);
    this.#timer.unref();
  }

  /** This replica as it is now. */
  self(): ReplicaSighting {
    const now = new Date().toISOString();
    return { replica: this.replica, status: this.#status(), started_at: this.startedAt, seen_at: now };
  }

  /** Replicas heard from within the last two minutes, this one always among them (with its status now). */
  async list(): Promise<ReplicaSighting[]> {
    const self = this.self();
    if (!this.#redis || this.#redis.status !== 'ready') return [self];
    try {
      const entries = await this.#redis.hgetall(this.#key);
      const now = Date.now();
      const alive: ReplicaSighting[] = [self];
      for (const [replica, value] of Object.entries(entries)) {
        if (replica === this.replica) continue;
        const sighting = parse(value);
        const age = sighting ? now - Date.parse(sighting.seen_at) : Infinity;
        if (sighting && age < STALE_MS) alive.push({ ...sighting, replica, status: age < SILENT_MS ? sighting.status : 'silent' });
        else await this.#redis.hdel(this.#key, replica);
      }
      return alive.sort((a, b) => a.replica.localeCompare(b.replica));
    } catch {
      return [self];
    }
  }

  /** A replica that stops cleanly leaves the list at once; one that dies goes silent, then leaves. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#redis?.hdel(this.#key, this.replica).catch(() => {});
    this.#redis?.disconnect();
  }

  /** Says this replica's status now; called on a change (a drain begins) too, so others see it at once. */
  async beat(): Promise<void> {
    if (!this.#redis || this.#redis.status !== 'ready') return;
    const { status, started_at, seen_at } = this.self();
    try {
      await this.#redis.hset(this.#key, this.replica, JSON.stringify({ status, started_at, seen_at }));
    } catch {
      // the next beat tries again
    }
  }
}

function parse(value: string): Omit<ReplicaSighting, 'replica'> | undefined {
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const { status, started_at, seen_at } = parsed;
    return typeof status === 'string' && typeof started_at === 'string' && typeof seen_at === 'string' ? { status, started_at, seen_at } : undefined;
  } catch {
    return undefined;
  }
}
