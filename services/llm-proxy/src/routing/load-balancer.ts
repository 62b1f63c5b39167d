import type { SharedState } from '@nachos/common';
import type { ModelRoute } from './model-route.js';

export type LoadBalanceStrategy = 'round_robin' | 'least_connections' | 'latency';

const EWMA_WEIGHT = 0.3;

/**
 * Orders the endpoints that serve one model (all equally good) before each request:
 * - `round_robin`: smooth weighted round robin (nginx's algorithm), deterministic and fair by weight;
 * - `least_connections`: fewest open streams first, counted through the shared state (leases), so
 *   every replica sees every other's load;
 * - `latency`: lowest moving average of time to first token first; unmeasured endpoints go first so
 *   each gets measured.
 * Later entries are the failover order within the pool.
 */
export class LoadBalancer {
  readonly #strategy: LoadBalanceStrategy;
  readonly #state: SharedState;
  readonly #currentWeights = new Map<string, Map<string, number>>();
  readonly #firstTokenEwma = new Map<string, number>();

  constructor(strategy: LoadBalanceStrategy, state: SharedState) {
    this.#strategy = strategy;
    this.#state = state;
  }

  async order(pool: string, routes: readonly ModelRoute[]): Promise<ModelRoute[]> {
    if (routes.length < 2) return [...routes];
    switch (this.#strategy) {
      case 'least_connections': {
        const counts = await this.#state.countLeases(routes.map((route) => route.endpoint.definition.id));
        const rotated = this.#roundRobin(pool, routes);
        return rotated
          .map((route) => ({ route, count: counts[routes.indexOf(route)] ?? 0 }))
          .sort((a, b) => a.count - b.count)
          .map(({ route }) => route);
      }
      case 'latency': {
        const rotated = this.#roundRobin(pool, routes);
        return rotated
          .map((route) => ({ route, latency: this.#firstTokenEwma.get(route.endpoint.definition.id) ?? 0 }))
          .sort((a, b) => a.latency - b.latency)
          .map(({ route }) => route);
      }
      default:
        return this.#roundRobin(pool, routes);
    }
  }

  recordFirstToken(endpoint: string, milliseconds: number): void {
    const previous = this.#firstTokenEwma.get(endpoint);
    this.#firstTokenEwma.set(endpoint, previous === undefined ? milliseconds : previous + EWMA_WEIGHT * (milliseconds - previous));
  }

  /** Smooth weighted round robin: the winner is moved to the front, the rest keep their order. */
  #roundRobin(pool: string, routes: readonly ModelRoute[]): ModelRoute[] {
    const weights = this.#currentWeights.get(pool) ?? new Map<string, number>();
    this.#currentWeights.set(pool, weights);
    let total = 0;
    let best: ModelRoute | undefined;
    let bestWeight = -Infinity;
    for (const route of routes) {
      const id = route.endpoint.definition.id;
      const weight = route.endpoint.definition.weight;
      total += weight;
      const current = (weights.get(id) ?? 0) + weight;
      weights.set(id, current);
      if (current > bestWeight) {
        bestWeight = current;
        best = route;
      }
    }
    if (!best) return [...routes];
    const bestId = best.endpoint.definition.id;
    weights.set(bestId, (weights.get(bestId) ?? 0) - total);
    return [best, ...routes.filter((route) => route !== best)];
  }
}
