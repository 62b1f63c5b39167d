import type { Logger, NachosConfig } from '@nachos/common';
import type { ActiveEndpoint } from './active-endpoint.js';

/**
 * A `provider:model` fallback whose provider nothing serves would be skipped at the worst moment, when
 * the primary fails; say so at start instead, naming the entry.
 */
export function warnUnservedFallbacks(llm: NachosConfig['llm'], endpoints: readonly ActiveEndpoint[], logger: Logger): void {
  const entries = new Set([...llm.fallback_order, ...Object.values(llm.models).flatMap((route) => route.fallbacks ?? [])]);
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    if (colon <= 0) continue;
    const provider = entry.slice(0, colon);
    const served = endpoints.some(
      (endpoint) => endpoint.definition.id === provider || endpoint.definition.provider === provider || endpoint.plugin.names?.includes(provider),
    );
    if (!served) logger.warn(`fallback ${entry} names provider ${provider}, which is not configured: it will be skipped`, { fallback: entry });
  }
}
