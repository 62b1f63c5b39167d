import type { CacheControl, JsonObject } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject } from '../request-fields.js';

/**
 * A block's `cache_control` ({type: "ephemeral", ttl?}) as a canonical cache breakpoint, ready to spread
 * into the part; nothing when the block has none.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 */
export function readCacheControl(block: JsonObject, param: string): { cacheControl?: CacheControl } {
  const value = block.cache_control;
  if (value === undefined || value === null) return {};
  const at = `${param}.cache_control`;
  if (!isObject(value) || value.type !== 'ephemeral') throw invalidRequest(`'${at}' must be {"type": "ephemeral"}.`, `${at}.type`);
  if (value.ttl !== undefined && typeof value.ttl !== 'string') throw invalidRequest(`'${at}.ttl' must be a string such as "5m" or "1h".`, `${at}.ttl`);
  return { cacheControl: { type: 'ephemeral', ...(typeof value.ttl === 'string' ? { ttl: value.ttl } : {}) } };
}
