import type { ListedModel, RegistryEndpointView } from '@nachos/proto';
import type { ConsoleFacts } from './console-facts.js';

export interface ModelRouteView {
  endpoint: string;
  provider: string;
  upstream_id: string;
  source: string;
}

export interface ModelEntryView {
  name: string;
  kind: 'model' | 'rename' | 'default';
  target: string | null;
  routes: ModelRouteView[];
  fallbacks: string[];
  capabilities: Record<string, boolean>;
  context_length: number | null;
  max_output_tokens: number | null;
}

export interface ResolutionView {
  model: string;
  found: boolean;
  steps: string[];
  routes: ModelRouteView[];
  fallbacks: string[];
}

const MAX_RENAMES = 8;

/**
 * Every name a client can use and how a name routes, told from llm-proxy's model listing, its endpoints
 * and the routing rules of the configuration.
 */
export class ModelDirectory {
  readonly #listed: readonly ListedModel[];
  readonly #endpoints: readonly RegistryEndpointView[];
  readonly #facts: ConsoleFacts;

  constructor(listed: readonly ListedModel[], endpoints: readonly RegistryEndpointView[], facts: ConsoleFacts) {
    this.#listed = listed;
    this.#endpoints = endpoints;
    this.#facts = facts;
  }

  entries(): ModelEntryView[] {
    const byName = new Map<string, ListedModel[]>();
    for (const model of this.#listed) byName.set(model.id, [...(byName.get(model.id) ?? []), model]);
    const entries: ModelEntryView[] = [...byName].map(([name, models]) => ({
      name,
      kind: 'model',
      target: null,
      routes: this.#servingEndpoints(name, models),
      fallbacks: this.#fallbacksOf(name),
      capabilities: mergeCapabilities(models),
      context_length: maxOf(models.map((model) => model.contextLength)),
      max_output_tokens: maxOf(models.map((model) => model.maxOutputTokens)),
    }));
    const extra = [
      ...Object.entries(this.#facts.models)
        .filter(([, rule]) => rule.rename !== undefined)
        .map(([name, rule]) => ({ name, kind: 'rename' as const, target: rule.rename as string })),
      ...(this.#facts.defaultModel ? [{ name: 'default', kind: 'default' as const, target: this.#facts.defaultModel }] : []),
    ];
    for (const { name, kind, target } of extra) {
      const final = this.#renamed(target);
      const served = this.#listed.filter((model) => model.id === final);
      entries.push({
        name,
        kind,
        target,
        routes: this.#servingEndpoints(final, served),
        fallbacks: this.#fallbacksOf(final),
        capabilities: mergeCapabilities(served),
        context_length: maxOf(served.map((model) => model.contextLength)),
        max_output_tokens: maxOf(served.map((model) => model.maxOutputTokens)),
      });
    }
    return entries.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * How `requested` routes: the configuration's default and renames as steps, then `routed`, what llm-proxy
   * itself resolves the name to (exactly as a chat request naming it is routed, first route first).
   */
  resolve(requested: string, routed: readonly ListedModel[]): ResolutionView {
    const steps: string[] = [];
    let name = requested.trim();
    if (name === '' || name === 'default') {
      if (!this.#facts.defaultModel) return { model: requested, found: false, steps: ['No model named, and no default model ([llm] model) is configured.'], routes: [], fallbacks: [] };
      steps.push(`"${name || '(empty)'}" means the default model, "${this.#facts.defaultModel}" ([llm] model).`);
      name = this.#facts.defaultModel;
    }
    for (let step = 0; step < MAX_RENAMES; step += 1) {
      const rename = this.#facts.models[name]?.rename;
      if (rename === undefined || rename === name) break;
      steps.push(`"${name}" is renamed to "${rename}" ([llm.models.${name}] rename).`);
      name = rename;
    }
    if (routed.length === 0) {
      steps.push(`No endpoint takes "${name}": not a model id or alias they serve, nor <endpoint or provider>/<model>, nor a model family one accepts.`);
      return { model: requested, found: false, steps, routes: [], fallbacks: [] };
    }
    const routes = unique(routed.map(routeOf));
    const endpoints = routes.map((route) => `${route.endpoint} (as "${route.upstream_id}")`).join(', ');
    const known = this.#listed.some((model) => model.id === name);
    steps.push(
      known
        ? `"${name}" is a model id served by ${routes.length} endpoint(s): ${endpoints}; the load-balancing rule orders them per request.`
        : `"${name}" is taken by ${routes.length} endpoint(s): ${endpoints} — through an alias, an <endpoint or provider> prefix or a model family.`,
    );
    const fallbacks = this.#fallbacksOf(name);
    steps.push(fallbacks.length ? `When every route fails with a retryable error, its fallbacks are tried in order: ${fallbacks.join(', ')}.` : 'It has no fallbacks.');
    return { model: requested, found: true, steps, routes, fallbacks };
  }

  /**
   * Every endpoint whose model list holds `name`, in routing order (the listing names only the first one
   * per id); the listing's own route when no list does (an alias).
   */
  #servingEndpoints(name: string, listed: readonly ListedModel[]): ModelRouteView[] {
    const serving = this.#endpoints
      .filter((endpoint) => endpoint.models.includes(name))
      .map((endpoint) => ({ endpoint: endpoint.id, provider: endpoint.provider, upstream_id: name, source: endpoint.source }));
    return serving.length > 0 ? serving : unique(listed.map(routeOf));
  }

  #renamed(name: string): string {
    let current = name;
    for (let step = 0; step < MAX_RENAMES; step += 1) {
      const rename = this.#facts.models[current]?.rename;
      if (rename === undefined || rename === current) return current;
      current = rename;
    }
    return current;
  }

  #fallbacksOf(name: string): string[] {
    return [...(this.#facts.models[name]?.fallbacks ?? this.#facts.fallbackOrder)];
  }
}

function routeOf(model: ListedModel): ModelRouteView {
  return { endpoint: model.endpoint, provider: model.provider, upstream_id: model.upstreamId, source: model.source };
}

function unique(routes: ModelRouteView[]): ModelRouteView[] {
  const seen = new Set<string>();
  return routes.filter((route) => {
    const key = `${route.endpoint}\u0000${route.upstream_id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function mergeCapabilities(models: readonly ListedModel[]): Record<string, boolean> {
  const merged: Record<string, boolean> = {};
  for (const model of models) for (const [name, value] of Object.entries(model.capabilities)) if (value) merged[name] = true;
  return merged;
}

function maxOf(values: ReadonlyArray<number | undefined>): number | null {
  const known = values.filter((value): value is number => typeof value === 'number' && value > 0);
  return known.length ? Math.max(...known) : null;
}
