import type { GatewaySettings, RedisSettings } from '@nachos/common';
import { MemoryResponsesStore } from './memory-responses-store.js';
import type { ResponsesStore } from './stored-response.js';

export type ResponsesSettings = Pick<GatewaySettings, 'responses_ttl_s' | 'responses_max_bytes' | 'responses_memory_bytes'>;

/** The configuration's defaults, for an app built without a configuration (in-process tests). */
export const DEFAULT_RESPONSES_SETTINGS: ResponsesSettings = {
  responses_ttl_s: 2_592_000,
  responses_max_bytes: 4_194_304,
  responses_memory_bytes: 134_217_728,
};

/** Stored responses in this process, for a gateway without Redis. */
export function createMemoryResponsesStore(settings: ResponsesSettings): ResponsesStore {
  return new MemoryResponsesStore({
    ttlMs: settings.responses_ttl_s * 1000,
    maxResponseBytes: settings.responses_max_bytes,
    maxTotalBytes: settings.responses_memory_bytes,
  });
}

/**
 * Stored responses in Redis when there is one, so every replica sees them; else in this process.
 * ioredis is loaded only when Redis is configured, as for the other stores.
 */
export async function createResponsesStore(settings: ResponsesSettings, redis: RedisSettings): Promise<ResponsesStore> {
  if (!redis.url) return createMemoryResponsesStore(settings);
  const { RedisResponsesStore } = await import('./redis-responses-store.js');
  return new RedisResponsesStore({
    url: redis.url,
    keyPrefix: redis.key_prefix,
    ttlMs: settings.responses_ttl_s * 1000,
    maxResponseBytes: settings.responses_max_bytes,
    commandTimeoutMs: Math.max(redis.command_timeout_ms, 1_000),
  });
}
