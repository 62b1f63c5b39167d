import type { ModelRouteConfig } from '@nachos/common';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import { anyUpstreamCallRunning } from '../endpoints/upstream-connections.js';
import { ModelTable, type ModelTableOptions } from '../routing/model-table.js';

/**
 * Every endpoint llm-proxy serves, from all four sources side by side: the static ones (config file,
 * environment; fixed for the life of the process), those added through the admin API and those found by
 * auto-discovery. Each change replaces the {@link ModelTable} object, so a request that already resolved
 * its routes keeps them while the next one sees the change; the router and handlers read the table
 * through {@link LiveEndpoints.table}.
 *
 * Order is routing order: static first, then admin, then discovered. The mock that stands in when nothing
 * is configured (source `default`) steps aside once a runtime source brings a real endpoint. A discovered
 * endpoint never shadows a declared one with the same id (discovery picks another id on its next round).
 */
export class LiveEndpoints {
  readonly #static: readonly ActiveEndpoint[];
  readonly #renames: Readonly<Record<string, ModelRouteConfig>>;
  readonly #defaultModel: string;
  readonly #options: ModelTableOptions;
  #admin: readonly ActiveEndpoint[] = [];
  #discovered: readonly ActiveEndpoint[] = [];
  #table: ModelTable;

  constructor(
    staticEndpoints: readonly ActiveEndpoint[],
    renames: Readonly<Record<string, ModelRouteConfig>>,
    defaultModel: string,
    options: ModelTableOptions = {},
  ) {
    this.#static = staticEndpoints;
    this.#renames = renames;
    this.#defaultModel = defaultModel;
    this.#options = options;
    this.#table = this.#build();
  }

  table(): ModelTable {
    return this.#table;
  }

  get staticEndpoints(): readonly ActiveEndpoint[] {
    return this.#static;
  }

  get adminEndpoints(): readonly ActiveEndpoint[] {
    return this.#admin;
  }

  get discoveredEndpoints(): readonly ActiveEndpoint[] {
    return this.#discovered;
  }

  /**
   * Whether an endpoint of any source carries an upstream call now: llm-proxy gives memory back only when
   * none does (`releaseMemoryWhenIdle`). Most of them are static, from the config file or the environment.
   */
  upstreamCallRunning(): boolean {
    return anyUpstreamCallRunning([...this.#static, ...this.#admin, ...this.#discovered].map((endpoint) => endpoint.dispatcher));
  }

  setAdmin(endpoints: readonly ActiveEndpoint[]): void {
    this.#admin = endpoints;
    this.#table = this.#build();
  }

  setDiscovered(endpoints: readonly ActiveEndpoint[]): void {
    this.#discovered = endpoints;
    this.#table = this.#build();
  }

  #build(): ModelTable {
    const taken = new Set([...this.#static, ...this.#admin].map((endpoint) => endpoint.definition.id));
    const runtime = [...this.#admin, ...this.#discovered.filter((endpoint) => !taken.has(endpoint.definition.id))];
    const fixed = runtime.length > 0 ? this.#static.filter((endpoint) => endpoint.definition.source !== 'default') : this.#static;
    return new ModelTable([...fixed, ...runtime], this.#renames, this.#defaultModel, this.#options);
  }
}
