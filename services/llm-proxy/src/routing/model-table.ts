import type { ModelRouteConfig } from '@nachos/common';
import { ProviderError } from '@nachos/plugin-sdk';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import { matchesModelPattern } from './match-model-pattern.js';
import type { ModelRoute } from './model-route.js';

const PREFIX_SEPARATORS = ['/', ':', '-'] as const;
const MAX_RENAMES = 8;

/**
 * Resolves the model name a client wrote to ordered routes. The rule, in order:
 * 1. `[llm.models.<name>] rename` replaces the name (renames may chain, cycles are an error).
 * 2. An empty name or `default` means `[llm] model`.
 * 3. An exact model id or alias served by endpoints: every such endpoint, in endpoint order
 *    (config file, then `[llm] provider`, then provider keys, then `LLM_PROXY_ENDPOINT_*`).
 * 4. `<endpoint or provider><sep><model>` with sep `/`, `:` or `-`: the longest endpoint id or provider
 *    the name starts with, matched whole (so `lab-b/x` is `lab-b`'s, never `lab`'s), serving `<model>`;
 *    a model they do not list is forwarded as is unless the endpoint declares an explicit model list.
 *    With `/` or `:` a name that picked an endpoint goes nowhere else; a `-` may be part of a model's own
 *    name, so there the next steps still apply.
 * 5. Endpoints whose model list holds a pattern (`*`) the name matches, forwarded as written.
 * Anything else is `not_found`, which costs no upstream call.
 */
export class ModelTable {
  readonly #endpoints: readonly ActiveEndpoint[];
  readonly #renames: Readonly<Record<string, ModelRouteConfig>>;
  readonly #defaultModel: string;

  constructor(endpoints: readonly ActiveEndpoint[], renames: Readonly<Record<string, ModelRouteConfig>>, defaultModel: string) {
    this.#endpoints = endpoints;
    this.#renames = renames;
    this.#defaultModel = defaultModel;
  }

  get endpoints(): readonly ActiveEndpoint[] {
    return this.#endpoints;
  }

  resolve(requested: string): ModelRoute[] {
    const name = this.#applyRenames(requested.trim() === '' || requested === 'default' ? this.#defaultModel : requested.trim());
    if (name === '') {
      throw new ProviderError({ kind: 'invalid_request', message: 'no model given, and no default model is configured' });
    }
    const exact = this.#endpoints.flatMap((endpoint) => routeTo(endpoint, name, false));
    if (exact.length > 0) return exact;
    const prefixed = this.#prefixed(name, requested);
    if (prefixed !== undefined) return prefixed;
    const patterned = this.#endpoints.filter((endpoint) => servesPattern(endpoint, name));
    if (patterned.length > 0) return patterned.map((endpoint) => ({ endpoint, upstreamModel: name, info: undefined }));
    throw notFound(requested);
  }

  /** Routes for `<endpoint or provider><sep><model>`; undefined when the name names no endpoint that way. */
  #prefixed(name: string, requested: string): ModelRoute[] | undefined {
    let prefix = '';
    let separator = '';
    for (const endpoint of this.#endpoints) {
      for (const candidate of [endpoint.definition.id, endpoint.definition.provider]) {
        if (candidate.length <= prefix.length || name.length <= candidate.length + 1 || !name.startsWith(candidate)) continue;
        const next = name[candidate.length] as string;
        if ((PREFIX_SEPARATORS as readonly string[]).includes(next)) {
          prefix = candidate;
          separator = next;
        }
      }
    }
    if (prefix === '') return undefined;
    const model = name.slice(prefix.length + 1);
    const named = this.#endpoints.filter((endpoint) => endpoint.definition.id === prefix || endpoint.definition.provider === prefix);
    const routes = named.flatMap((endpoint) => routeTo(endpoint, model, true));
    if (routes.length > 0) return routes;
    if (separator === '-') return undefined;
    throw notFound(requested);
  }

  #applyRenames(name: string): string {
    let current = name;
    for (let step = 0; step < MAX_RENAMES; step += 1) {
      const rename = this.#renames[current]?.rename;
      if (rename === undefined || rename === current) return current;
      current = rename;
    }
    throw new ProviderError({ kind: 'invalid_request', message: `model renames starting at '${name}' form a cycle` });
  }
}

function routeTo(endpoint: ActiveEndpoint, model: string, forwardUnknown: boolean): ModelRoute[] {
  const info = endpoint.models.find((entry) => entry.id === model || entry.aliases?.includes(model));
  if (info) return [{ endpoint, upstreamModel: info.id, info }];
  if (forwardUnknown && (!endpoint.definition.models || servesPattern(endpoint, model))) {
    return [{ endpoint, upstreamModel: model, info: undefined }];
  }
  return [];
}

function servesPattern(endpoint: ActiveEndpoint, model: string): boolean {
  return endpoint.modelPatterns?.some((pattern) => matchesModelPattern(pattern, model)) ?? false;
}

function notFound(requested: string): ProviderError {
  return new ProviderError({
    kind: 'not_found',
    message: `The model '${requested}' does not exist or is not served here; GET /v1/models lists the models.`,
  });
}
