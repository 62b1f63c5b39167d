import type { SharedState } from '@nachos/common';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import type { EndpointDefinition } from '../endpoints/endpoint-definition.js';

const MINUTE_MS = 60_000;
const NOTHING = (): void => {};

/**
 * An endpoint's own `rate_limit {rpm, tpm}`: nachos stays under the provider's limits by skipping an
 * endpoint whose current minute is used up, instead of collecting 429s; when every endpoint for a request
 * is, the caller gets a 429 with the time until the minute ends. Counted in the shared state,
 * so the limit holds across llm-proxy replicas.
 */
export class EndpointRateLimit {
  readonly #state: SharedState;

  constructor(state: SharedState) {
    this.#state = state;
  }

  // Each method returns undefined at once for an endpoint without the limit it counts, rather than a
  // promise: most endpoints have none, and a request then waits on nothing (see the router's calls).

  /** Milliseconds until the endpoint's used-up minute ends, or undefined while it is under its limits. */
  limitedFor(endpoint: ActiveEndpoint): Promise<number | undefined> | undefined {
    const limit = endpoint.definition.rateLimit;
    return limit ? this.#limitedFor(endpoint.definition.id, limit) : undefined;
  }

  countRequest(endpoint: ActiveEndpoint): Promise<void> | undefined {
    if (endpoint.definition.rateLimit?.rpm === undefined) return undefined;
    return this.#state.addToWindow(`rpm:${endpoint.definition.id}`, 1, MINUTE_MS).then(NOTHING);
  }

  countTokens(endpoint: ActiveEndpoint, tokens: number): Promise<void> | undefined {
    if (endpoint.definition.rateLimit?.tpm === undefined || tokens <= 0) return undefined;
    return this.#state.addToWindow(`tpm:${endpoint.definition.id}`, tokens, MINUTE_MS).then(NOTHING);
  }

  async #limitedFor(id: string, limit: NonNullable<EndpointDefinition['rateLimit']>): Promise<number | undefined> {
    const full =
      (limit.rpm !== undefined && (await this.#state.readWindow(`rpm:${id}`, MINUTE_MS)) >= limit.rpm) ||
      (limit.tpm !== undefined && (await this.#state.readWindow(`tpm:${id}`, MINUTE_MS)) >= limit.tpm);
    // Windows are whole minutes of the clock, so the next one starts at the top of the minute.
    return full ? MINUTE_MS - (Date.now() % MINUTE_MS) : undefined;
  }
}
