import type { SharedState } from '@nachos/common';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';

const MINUTE_MS = 60_000;

/**
 * An endpoint's own `rate_limit {rpm, tpm}`: nachos stays under the provider's limits by skipping an
 * endpoint whose current minute is used up, instead of collecting 429s. Counted in the shared state,
 * so the limit holds across llm-proxy replicas.
 */
export class EndpointRateLimit {
  readonly #state: SharedState;

  constructor(state: SharedState) {
    this.#state = state;
  }

  async isAtLimit(endpoint: ActiveEndpoint): Promise<boolean> {
    const limit = endpoint.definition.rateLimit;
    if (!limit) return false;
    const id = endpoint.definition.id;
    if (limit.rpm !== undefined && (await this.#state.readWindow(`rpm:${id}`, MINUTE_MS)) >= limit.rpm) return true;
    if (limit.tpm !== undefined && (await this.#state.readWindow(`tpm:${id}`, MINUTE_MS)) >= limit.tpm) return true;
    return false;
  }

  async countRequest(endpoint: ActiveEndpoint): Promise<void> {
    if (endpoint.definition.rateLimit?.rpm !== undefined) await this.#state.addToWindow(`rpm:${endpoint.definition.id}`, 1, MINUTE_MS);
  }

  async countTokens(endpoint: ActiveEndpoint, tokens: number): Promise<void> {
    if (endpoint.definition.rateLimit?.tpm !== undefined && tokens > 0) {
      await this.#state.addToWindow(`tpm:${endpoint.definition.id}`, tokens, MINUTE_MS);
    }
  }
}
