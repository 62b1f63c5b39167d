import type { ModelRouteConfig } from '@nachos/common';
import { ProviderError, type ModelInfo } from '@nachos/plugin-sdk';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import { matchesModelPattern } from './match-model-pattern.js';
import type { ModelRoute } from './model-route.js';

const PREFIX_SEPARATORS = ['/', ':', '-'] as const;
const MAX_RENAMES = 8;
/** Names whose routes a table remembers; names come from requests, so the memo starts over when full. */
const MAX_REMEMBERED = 1_024;
/**
 * What a model id may look like to be forwarded on the strength of its family alone: segments of letters,
 * digits and `._:-`, joined by `/` for hosts whose ids are paths (`accounts/fireworks/models/<id>`).
 */
const WELL_FORMED_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*(?:\/[A-Za-z0-9][A-Za-z0-9._:-]*)*$/;

export interface ModelTableOptions {
  /** `[llm] provider`: serves `[llm] model` even when no catalogue lists it. */
  defaultProvider?: string;
  /** `[llm] listed_names`: how listings name models (`endpoint/model` as Nexus clients expect). */
  listedNames?: 'model' | 'endpoint/model';
}

/**
 * Resolves the model name a client wrote to ordered routes. The rule, in order:
 * 1. `[llm.models.<name>] rename` replaces the name (renames may chain, cycles are an error).
 * 2. An empty name or `default` means `[llm] model`.
 * 3. An exact model id or alias served by endpoints: every such endpoint, in endpoint order
 *    (config file, then `[llm] provider`, then provider keys, then `LLM_PROXY_ENDPOINT_*`).
 * 4. `[llm] model` itself, on `[llm] provider`, even when its catalogue does not list it.
 * 5. `<endpoint or provider><sep><model>` with sep `/`, `:` or `-`: the longest endpoint id, provider or
 *    provider name (`gemini`) the name starts with, matched whole (so `lab-b/x` is `lab-b`'s, never
 *    `lab`'s). With `/` or `:` a model the endpoint does not list is forwarded as is unless it declares an
 *    explicit model list, and a name that picked an endpoint goes nowhere else. A `-` may be part of a
 *    model's own id, so there only a model the endpoint knows is taken and the next steps still apply.
 * 6. A well-formed id of a provider's model family (`claude-*`, `gemini-*`) on the endpoints of that
 *    provider without an explicit model list, so a new model need not wait for a catalogue update.
 * 7. Endpoints whose model list holds a pattern (`*`) the name matches, forwarded as written.
 * Anything else is `not_found`, which costs no upstream call.
 *
 * A table never changes (a change of endpoints makes a new one, and an endpoint's models are settled
 * before it joins one), so the routes of a name are worked out once and shared, read-only, by every
 * request that names it. A name that fails is worked out again each time.
 */
export class ModelTable {
  readonly #endpoints: readonly ActiveEndpoint[];
  readonly #renames: Readonly<Record<string, ModelRouteConfig>>;
  readonly #defaultModel: string;
  readonly #options: ModelTableOptions;
  readonly #remembered = new Map<string, readonly ModelRoute[]>();

  constructor(
    endpoints: readonly ActiveEndpoint[],
    renames: Readonly<Record<string, ModelRouteConfig>>,
    defaultModel: string,
    options: ModelTableOptions = {},
  ) {
    this.#endpoints = endpoints;
    this.#renames = renames;
    this.#defaultModel = defaultModel;
    this.#options = options;
  }

  get endpoints(): readonly ActiveEndpoint[] {
    return this.#endpoints;
  }

  /** The name a listing gives one of an endpoint's models. */
  listedName(endpoint: ActiveEndpoint, model: ModelInfo): string {
    return this.#options.listedNames === 'endpoint/model' ? `${endpoint.definition.id}/${model.id}` : model.id;
  }

  resolve(requested: string): readonly ModelRoute[] {
    let routes = this.#remembered.get(requested);
    if (routes === undefined) {
      routes = this.#resolveAnew(requested);
      if (this.#remembered.size >= MAX_REMEMBERED) this.#remembered.clear();
      this.#remembered.set(requested, routes);
    }
    return routes;
  }

  #resolveAnew(requested: string): ModelRoute[] {
    const name = this.#applyRenames(requested.trim() === '' || requested === 'default' ? this.#defaultModel : requested.trim());
    if (name === '') {
      throw new ProviderError({ kind: 'invalid_request', message: 'no model given, and no default model is configured' });
    }
    const exact = this.#endpoints.flatMap((endpoint) => routeTo(endpoint, name, false));
    if (exact.length > 0) return exact;
    const provider = this.#options.defaultProvider;
    if (provider && name === this.#applyRenames(this.#defaultModel)) {
      const routes = this.#endpoints.filter((endpoint) => answersTo(endpoint, provider)).flatMap((endpoint) => routeTo(endpoint, name, true));
      if (routes.length > 0) return routes;
    }
    const prefixed = this.#prefixed(name, requested);
    if (prefixed !== undefined) return prefixed;
    if (WELL_FORMED_ID.test(name)) {
      const family = this.#endpoints.filter(
        (endpoint) => !endpoint.definition.models && endpoint.plugin.modelFamilies?.some((pattern) => matchesModelPattern(pattern, name)),
      );
      if (family.length > 0) return family.map((endpoint) => ({ endpoint, upstreamModel: name, info: undefined }));
    }
    const patterned = this.#endpoints.filter((endpoint) => servesPattern(endpoint, name));
    if (patterned.length > 0) return patterned.map((endpoint) => ({ endpoint, upstreamModel: name, info: undefined }));
    throw notFound(requested);
  }

  /** Routes for `<endpoint or provider><sep><model>`; undefined when the name names no endpoint that way. */
  #prefixed(name: string, requested: string): ModelRoute[] | undefined {
    let prefix = '';
    let separator = '';
    for (const endpoint of this.#endpoints) {
      for (const candidate of namesOf(endpoint)) {
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
    const dashed = separator === '-';
    const routes = this.#endpoints.filter((endpoint) => answersTo(endpoint, prefix)).flatMap((endpoint) => routeTo(endpoint, model, !dashed));
    if (routes.length > 0) return routes;
    if (dashed) return undefined;
    throw notFound(requested);
  }

  #applyRenames(name: string): string {
    let current = name;
    for (let step = 0; step < MAX_RENAMES; step += 1) {
      const rename = this.#renames[current]?.rename ?? this.#providerRename(current);
      if (rename === undefined || rename === current) return current;
      current = rename;
    }
    throw new ProviderError({ kind: 'invalid_request', message: `model renames starting at '${name}' form a cycle` });
  }

  /** `<provider>/<rename>`: a rename asked for under an endpoint's name stays on that endpoint (`openai/smart`). */
  #providerRename(name: string): string | undefined {
    const slash = name.indexOf('/');
    if (slash <= 0) return undefined;
    const rename = this.#renames[name.slice(slash + 1)]?.rename;
    if (rename === undefined) return undefined;
    const prefix = name.slice(0, slash);
    return this.#endpoints.some((endpoint) => answersTo(endpoint, prefix)) ? `${prefix}/${rename}` : undefined;
  }
}

/** The names an endpoint is picked by in `<name>/<model>`: its id, its provider and the provider's other names. */
function namesOf(endpoint: ActiveEndpoint): readonly string[] {
  return [endpoint.definition.id, endpoint.definition.provider, ...(endpoint.plugin.names ?? [])];
}

function answersTo(endpoint: ActiveEndpoint, name: string): boolean {
  return namesOf(endpoint).includes(name);
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
