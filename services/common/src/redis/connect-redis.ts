import { Redis } from 'ioredis';

/**
 * Every Redis connection the services open, with the options in one place. Its own entry point
 * (`@nachos/common/redis`), so that ioredis — a quarter of an idle service's memory — is loaded only by
 * the code that connects, never by importing `@nachos/common`.
 */

/** How soon a dropped connection is retried: `stepMs` more after each failed attempt, at most `maxMs`. */
export interface RedisReconnect {
  stepMs: number;
  maxMs: number;
}

/** For the gateway's request-time stores (limits, stored responses, usage history): back within 500 ms of Redis. */
export const PROMPT_RECONNECT: RedisReconnect = { stepMs: 100, maxMs: 500 };

/** For state that can wait a little longer (llm-proxy's registry, the shared cooldown state). */
export const STEADY_RECONNECT: RedisReconnect = { stepMs: 200, maxMs: 2_000 };

const CONNECT_TIMEOUT_MS = 2_000;

const retryStrategy = (reconnect: RedisReconnect) => (attempt: number) => Math.min(attempt * reconnect.stepMs, reconnect.maxMs);

/**
 * A connection for commands on a request's path: they fail at once while Redis is away instead of queueing
 * behind a reconnect (no offline queue, no per-command retries, `commandTimeoutMs` each), and the connection
 * keeps reconnecting in the background. Failures surface on the commands; the client's own error events
 * would only repeat them.
 */
export function connectFailFastRedis(url: string, commandTimeoutMs: number, reconnect: RedisReconnect): Redis {
  const redis = new Redis(url, {
    commandTimeout: commandTimeoutMs,
    connectTimeout: CONNECT_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: retryStrategy(reconnect),
  });
  redis.on('error', () => {});
  return redis;
}

/** A connection for SUBSCRIBE: its subscription waits through an outage and is renewed on reconnect. */
export function connectRedisSubscriber(url: string, reconnect: RedisReconnect): Redis {
  const redis = new Redis(url, { connectTimeout: CONNECT_TIMEOUT_MS, retryStrategy: retryStrategy(reconnect) });
  redis.on('error', () => {});
  return redis;
}
