import { randomUUID } from 'node:crypto';
import type { Logger } from '@nachos/common';
import { ProviderError, type ProviderPlugin } from '@nachos/plugin-sdk';
import type { RegistryEndpointInput, RegistryEndpointView } from '@nachos/proto';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import { createActiveEndpoint, refreshListedModels } from '../endpoints/create-active-endpoint.js';
import type { EndpointDefinition } from '../endpoints/endpoint-definition.js';
import { checkEndpointInput, DEFAULT_RUNTIME_PROVIDER } from './check-endpoint-input.js';
import { createUpstreamDispatcher, type UpstreamConnections, type UpstreamPoolSettings } from '../endpoints/upstream-connections.js';
import { createGuardedFetch } from './create-guarded-fetch.js';
import { guardedLookup } from './guarded-lookup.js';
import type { EndpointTargetPolicy } from './endpoint-target-policy.js';
import type { LiveEndpoints } from './live-endpoints.js';
import type { RegistryStore } from './registry-store.js';
import { toRegistryView } from './registry-view.js';
import type { KeySealer } from './seal-key.js';
import type { StoredEndpoint } from './stored-endpoint.js';

export interface EndpointRegistryDependencies {
  store: RegistryStore;
  live: LiveEndpoints;
  plugins: ReadonlyMap<string, ProviderPlugin>;
  policy: EndpointTargetPolicy;
  sealer: KeySealer;
  logger: Logger;
  /** How often the store is re-read in case a change notice was missed (0: never). */
  syncIntervalMs: number;
  /** Longest an added endpoint's upstream may take to list its models. */
  listingTimeoutMs: number;
  /** Pool limits of the added endpoints' connections (each also resolved through the policy). */
  pool: Omit<UpstreamPoolSettings, 'lookup'>;
}

/**
 * The endpoints added through the admin API (source `admin`). A change is checked (shape, then the SSRF
 * policy on the URL and what it resolves to), built into a provider whose connections are checked again
 * at connect time (guarded pools and fetch), saved to the store and applied here;
 * every other replica hears of it from the store and applies the same stored record, checked again under
 * its own policy. All changes run one after another, so a re-read never races an add.
 */
export class EndpointRegistry {
  readonly #dependencies: EndpointRegistryDependencies;
  readonly #revisions = new Map<string, string>();
  #queue: Promise<unknown> = Promise.resolve();
  readonly #connections: UpstreamConnections;
  #timer: NodeJS.Timeout | undefined;

  constructor(dependencies: EndpointRegistryDependencies) {
    this.#dependencies = dependencies;
    this.#connections = {
      fetch: createGuardedFetch(dependencies.policy),
      dispatcher: createUpstreamDispatcher({ ...dependencies.pool, lookup: guardedLookup(dependencies.policy) }),
    };
  }

  /** Reads the store once (a failure is logged, not fatal: the next re-read tries again), then follows it. */
  async start(): Promise<void> {
    await this.sync().catch((error: Error) => {
      this.#dependencies.logger.error('endpoint registry could not be read; retrying in the background', { store: this.#dependencies.store.kind, error: error.message });
    });
    this.#dependencies.store.watch?.(() => void this.sync().catch(() => {}));
    if (this.#dependencies.syncIntervalMs > 0) {
      this.#timer = setInterval(() => void this.sync().catch(() => {}), this.#dependencies.syncIntervalMs);
      this.#timer.unref();
    }
  }

  /** Every endpoint served right now, from every source, in routing order. */
  list(): RegistryEndpointView[] {
    return this.#dependencies.live.table().endpoints.map(toRegistryView);
  }

  put(input: RegistryEndpointInput): Promise<RegistryEndpointView> {
    return this.#serialise(async () => {
      const { live, plugins, policy, sealer, store, logger } = this.#dependencies;
      checkEndpointInput(input, plugins);
      const fixed = live.staticEndpoints.find((endpoint) => endpoint.definition.id === input.id);
      if (fixed) {
        throw new ProviderError({
          kind: 'invalid_request',
          message: `endpoint refused: "${input.id}" is declared by ${fixed.definition.source === 'env' ? 'the environment' : 'the config file'}; change it there`,
        });
      }
      await policy.checkUrl(input.baseUrl);
      const stored: StoredEndpoint = {
        id: input.id,
        provider: input.provider ?? DEFAULT_RUNTIME_PROVIDER,
        baseUrl: input.baseUrl,
        ...(input.models ? { models: [...input.models] } : {}),
        weight: input.weight ?? 1,
        ...(input.rateLimit ? { rateLimit: { ...input.rateLimit } } : {}),
        headers: { ...input.headers },
        options: { ...input.options },
        ...(input.apiKey ? { key: sealer.seal(input.apiKey) } : {}),
        revision: randomUUID(),
        updatedAt: new Date().toISOString(),
      };
      const endpoint = await this.#build(stored);
      try {
        await store.put(stored);
      } catch (error) {
        logger.error('endpoint registry could not be saved', { store: store.kind, error: (error as Error).message });
        throw new ProviderError({ kind: 'unavailable', message: 'The endpoint registry could not be saved; nothing was changed. Try again.' });
      }
      this.#apply([...live.adminEndpoints.filter((existing) => existing.definition.id !== stored.id), endpoint]);
      this.#revisions.set(stored.id, stored.revision);
      logger.info('endpoint added through the admin API', { endpoint: stored.id, provider: stored.provider, baseUrl: stored.baseUrl, models: endpoint.models.length });
      return toRegistryView(endpoint);
    });
  }

  remove(id: string): Promise<void> {
    return this.#serialise(async () => {
      const { live, store, logger } = this.#dependencies;
      const fixed = live.staticEndpoints.find((endpoint) => endpoint.definition.id === id);
      if (fixed) {
        throw new ProviderError({ kind: 'invalid_request', message: `"${id}" is declared by the ${fixed.definition.source === 'env' ? 'environment' : 'config file'} and cannot be removed here` });
      }
      let existed: boolean;
      try {
        existed = await store.remove(id);
      } catch (error) {
        logger.error('endpoint registry could not be saved', { store: store.kind, error: (error as Error).message });
        throw new ProviderError({ kind: 'unavailable', message: 'The endpoint registry could not be saved; nothing was changed. Try again.' });
      }
      const known = live.adminEndpoints.some((endpoint) => endpoint.definition.id === id);
      if (!existed && !known) throw new ProviderError({ kind: 'not_found', message: `No endpoint "${id}" was added through the admin API.` });
      this.#apply(live.adminEndpoints.filter((endpoint) => endpoint.definition.id !== id));
      this.#revisions.delete(id);
      logger.info('endpoint removed through the admin API', { endpoint: id });
    });
  }

  /** Re-reads the store and applies what changed: new and changed records are built, gone ones dropped. */
  sync(): Promise<void> {
    return this.#serialise(async () => {
      const { live, logger } = this.#dependencies;
      const stored = await this.#dependencies.store.load();
      const current = new Map(live.adminEndpoints.map((endpoint) => [endpoint.definition.id, endpoint]));
      const next: ActiveEndpoint[] = [];
      let changed = stored.length !== current.size;
      for (const record of stored) {
        const existing = current.get(record.id);
        if (existing && this.#revisions.get(record.id) === record.revision) {
          next.push(existing);
          continue;
        }
        changed = true;
        try {
          await this.#dependencies.policy.checkUrl(record.baseUrl);
          next.push(await this.#build(record));
          this.#revisions.set(record.id, record.revision);
          logger.info('endpoint from the registry applied', { endpoint: record.id, provider: record.provider, baseUrl: record.baseUrl });
        } catch (error) {
          logger.error('endpoint from the registry skipped', { endpoint: record.id, error: (error as Error).message });
        }
      }
      for (const id of this.#revisions.keys()) {
        if (!stored.some((record) => record.id === id)) this.#revisions.delete(id);
      }
      if (changed) this.#apply(next);
    });
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#queue.catch(() => {});
    await this.#dependencies.store.close();
  }

  /** Static endpoints keep their ids; an admin endpoint never shadows one, even if the store says so. */
  #apply(endpoints: ActiveEndpoint[]): void {
    const fixed = new Set(this.#dependencies.live.staticEndpoints.map((endpoint) => endpoint.definition.id));
    this.#dependencies.live.setAdmin(endpoints.filter((endpoint) => !fixed.has(endpoint.definition.id)));
  }

  async #build(record: StoredEndpoint): Promise<ActiveEndpoint> {
    const plugin = this.#dependencies.plugins.get(record.provider);
    if (!plugin) throw new ProviderError({ kind: 'invalid_request', message: `endpoint refused: provider "${record.provider}" is not a loaded plugin` });
    const apiKey = record.key ? this.#dependencies.sealer.open(record.key) : undefined;
    const definition: EndpointDefinition = {
      id: record.id,
      provider: record.provider,
      baseUrl: record.baseUrl,
      ...(apiKey ? { apiKey } : {}),
      ...(record.models ? { models: [...record.models] } : {}),
      weight: record.weight,
      ...(record.rateLimit ? { rateLimit: { ...record.rateLimit } } : {}),
      headers: { ...record.headers },
      options: { ...record.options },
      source: 'admin',
    };
    let endpoint: ActiveEndpoint;
    try {
      const credentials = [{ name: 'default', ...(apiKey ? { apiKey } : {}) }];
      endpoint = await createActiveEndpoint(definition, plugin, credentials, this.#dependencies.logger, this.#connections);
    } catch (error) {
      throw new ProviderError({ kind: 'invalid_request', message: `endpoint refused: ${(error as Error).message}` });
    }
    await refreshListedModels(endpoint, this.#dependencies.logger, this.#dependencies.listingTimeoutMs);
    return endpoint;
  }

  #serialise<Result>(task: () => Promise<Result>): Promise<Result> {
    const next = this.#queue.then(task);
    this.#queue = next.catch(() => {});
    return next;
  }
}
