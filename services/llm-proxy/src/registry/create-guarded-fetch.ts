import { Agent, fetchOver } from '../endpoints/undici-agent.js';
import type { EndpointTargetPolicy } from './endpoint-target-policy.js';
import { guardedLookup } from './guarded-lookup.js';

/**
 * The `fetch` that providers of endpoints added at run time get: every connection resolves its host
 * through {@link guardedLookup}, so the SSRF policy holds at connect time, not only when the endpoint was
 * added. Built on undici, whose agent takes a lookup of its own (Node's global `fetch` does not).
 */
export function createGuardedFetch(policy: EndpointTargetPolicy): typeof globalThis.fetch {
  return fetchOver(new Agent({ connect: { lookup: guardedLookup(policy) } }));
}
