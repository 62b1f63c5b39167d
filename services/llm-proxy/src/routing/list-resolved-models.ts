import type { ListedModel } from '@nachos/proto';
import { ProviderError, type ModelInfo } from '@nachos/plugin-sdk';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import { listedCapabilities } from '../endpoints/listed-capabilities.js';
import type { ModelTable } from './model-table.js';

/** What a model nobody describes is taken to hold: Ollama's own default context window. */
const DEFAULT_CONTEXT_LENGTH = 4_096;
/** A catalogue entry lends its facts to an unlisted model of the same line (`claude-opus-5` ← `claude-opus-4-8`). */
const MIN_SHARED_PREFIX = 6;

/**
 * What `name` resolves to, as a chat request naming it would be routed, one entry per route under the
 * name asked for: so that Ollama's `/api/show` and `/api/pull` accept exactly the names chat does, and
 * say a context length and capabilities for each — the catalogue's, else those of the catalogue entry of
 * the same line, else a context length of 4096; capabilities none of those state are the endpoint's declared ones. A name that resolves to nothing lists nothing.
 */
export function listResolvedModels(table: ModelTable, name: string): ListedModel[] {
  let routes;
  try {
    routes = table.resolve(name);
  } catch (error) {
    if (ProviderError.isInstance(error) && (error.kind === 'not_found' || error.kind === 'invalid_request')) return [];
    throw error;
  }
  return routes.map((route) => {
    const facts = route.info ?? nearestEntry(route.endpoint, route.upstreamModel);
    return {
      id: name,
      provider: route.endpoint.definition.provider,
      endpoint: route.endpoint.definition.id,
      upstreamId: route.upstreamModel,
      contextLength: facts?.contextLength ?? DEFAULT_CONTEXT_LENGTH,
      ...(facts?.maxOutputTokens === undefined ? {} : { maxOutputTokens: facts.maxOutputTokens }),
      capabilities: listedCapabilities(route.endpoint, facts),
      created: facts?.created ?? 0,
      ownedBy: facts?.ownedBy ?? route.endpoint.definition.provider,
      source: route.endpoint.definition.source,
    };
  });
}

function nearestEntry(endpoint: ActiveEndpoint, id: string): ModelInfo | undefined {
  let best: ModelInfo | undefined;
  let bestLength = MIN_SHARED_PREFIX - 1;
  for (const entry of endpoint.models) {
    let shared = 0;
    while (shared < entry.id.length && shared < id.length && entry.id[shared] === id[shared]) shared += 1;
    if (shared > bestLength && entry.contextLength !== undefined) {
      best = entry;
      bestLength = shared;
    }
  }
  return best;
}
