import type { NachosConfig } from '@nachos/common';
import { ProviderError } from '@nachos/plugin-sdk';
import type { LoadBalancer } from './load-balancer.js';
import type { ModelRoute } from './model-route.js';
import type { ModelTable } from './model-table.js';

/**
 * Every route a request may try, in order: the endpoints serving the model (ordered by the load
 * balancer), then the model's own `fallbacks`, else `[llm] fallback_order`. Duplicates are dropped;
 * a fallback that resolves to nothing is skipped. An unknown model fails here, before any upstream call.
 */
export async function attemptCandidates(
  model: string,
  table: ModelTable,
  llm: NachosConfig['llm'],
  balancer: LoadBalancer,
): Promise<ModelRoute[]> {
  const primary = (await balancer.order(model, table.resolve(model))).map((route) => ({ ...route, via: model }));
  const fallbacks = llm.models[model]?.fallbacks ?? llm.fallback_order;
  const routes = [...primary];
  for (const fallback of fallbacks) {
    let resolved: ModelRoute[];
    try {
      resolved = table.resolve(fallback);
    } catch (error) {
      if (ProviderError.isInstance(error) && error.kind === 'not_found') continue;
      throw error;
    }
    for (const route of resolved) {
      const duplicate = routes.some(
        (existing) => existing.endpoint === route.endpoint && existing.upstreamModel === route.upstreamModel,
      );
      if (!duplicate) routes.push({ ...route, via: fallback });
    }
  }
  return routes;
}
