import { Redis } from 'ioredis';

/**
 * The gateway's Redis connection for request-time stores (limits, stored responses, usage history):
 * commands fail at once while Redis is away instead of queueing behind a reconnect, and reconnects stay
 * at most 500 ms apart so each store returns to Redis soon after it does. Failures surface on the
 * commands; the client's own error events would only repeat them.
 */
export function connectFailFastRedis(url: string, commandTimeoutMs: number): Redis {
  const redis = new Redis(url, {
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 500),
  });
  redis.on('error', () => {});
  return redis;
}
