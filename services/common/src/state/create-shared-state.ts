import type { Logger } from '../create-logger.js';
import { MemoryState } from './memory-state.js';
import { ResilientState } from './resilient-state.js';
import type { SharedState } from './shared-state.js';

export interface SharedStateSettings {
  /** Empty: this process keeps its state in memory (one machine). */
  url: string;
  prefix: string;
  commandTimeoutMs: number;
}

/** The state backend a service runs on: Redis with a memory fallback when `REDIS_URL` is set, else memory. */
export async function createSharedState(settings: SharedStateSettings, logger: Logger): Promise<SharedState> {
  if (!settings.url) {
    logger.info('no REDIS_URL: state is kept in this process (single machine)');
    return new MemoryState();
  }
  // Loaded only here: ioredis is a quarter of an idle service's memory, and most single machines run without it.
  const { RedisState } = await import('./redis-state.js');
  const redis = new RedisState({ url: settings.url, prefix: settings.prefix, commandTimeoutMs: settings.commandTimeoutMs });
  const state = new ResilientState(redis, new MemoryState(), (mode, error) => {
    if (mode === 'degraded') logger.error('Redis unavailable: falling back to per-process state', { error: error?.message });
    else logger.warn('Redis is back: state is shared again');
  });
  if (await redis.ready(3_000)) logger.info('shared state in Redis');
  else logger.error('Redis did not answer at start-up: running degraded until it does');
  return state;
}
