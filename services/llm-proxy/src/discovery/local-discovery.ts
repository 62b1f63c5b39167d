import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DiscoverySettings, Logger } from '@nachos/common';
import type { ProviderPlugin } from '@nachos/plugin-sdk';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import { createActiveEndpoint } from '../endpoints/create-active-endpoint.js';
import type { LiveEndpoints } from '../registry/live-endpoints.js';
import { discoveryTargets, type DiscoveryTarget } from './discovery-targets.js';
import { probeModelServer, type ProbeHit } from './probe-model-server.js';
import { parseServerPorts, serverBaseUrl, type ServerKind } from './server-kinds.js';

export interface LocalDiscoveryDependencies {
  settings: DiscoverySettings;
  live: LiveEndpoints;
  plugins: ReadonlyMap<string, ProviderPlugin>;
  logger: Logger;
}

interface Found {
  target: DiscoveryTarget;
  origin: string;
  hit: ProbeHit;
}

/**
 * Auto-discovery: at start and then every `interval_ms`, probes this machine (`discovery.hosts`) and the
 * peers for Ollama, LM Studio, vLLM and LiteLLM, and serves what answers as endpoints of source
 * `auto-discovery`. Local hits are named after their kind (`ollama`), remote ones `<kind>-<host>`; an id
 * already taken gets `-auto`. A server that a declared or admin-added endpoint already points at is left
 * to that endpoint. Servers that stop answering are dropped, model lists follow what the servers report.
 */
export class LocalDiscovery {
  readonly #dependencies: LocalDiscoveryDependencies;
  readonly #ports: Array<{ kind: ServerKind; port: number }>;
  readonly #unresolvable = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(dependencies: LocalDiscoveryDependencies) {
    this.#dependencies = dependencies;
    this.#ports = parseServerPorts(dependencies.settings.ports);
  }

  /** Runs the first round (so local models are served as soon as llm-proxy is ready), then the interval. */
  async start(): Promise<void> {
    await this.round();
    this.#schedule();
  }

  /** One probe of every target, applied to the live endpoints when anything changed. */
  async round(): Promise<void> {
    const { settings } = this.#dependencies;
    const targets = discoveryTargets(settings.hosts, settings.peers, this.#ports);
    const probed = await Promise.all(targets.map((target) => this.#probe(target)));
    const next = await this.#endpointsFor(probed.filter((found): found is Found => found !== undefined));
    if (this.#closed) return;
    this.#report(this.#dependencies.live.discoveredEndpoints, next);
    if (!sameEndpoints(this.#dependencies.live.discoveredEndpoints, next)) this.#dependencies.live.setDiscovered(next);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      void this.round()
        .catch((error: Error) => this.#dependencies.logger.warn('discovery round failed', { error: error.message }))
        .finally(() => this.#schedule());
    }, this.#dependencies.settings.interval_ms);
    this.#timer.unref();
  }

  async #probe(target: DiscoveryTarget): Promise<Found | undefined> {
    if (!(await this.#resolves(target))) return undefined;
    const origin = `http://${isIP(target.host) === 6 ? `[${target.host}]` : target.host}:${target.port}`;
    const kindOfPort = (port: number) => this.#ports.find((entry) => entry.port === port)?.kind;
    const hit = await probeModelServer(origin, target.kinds, this.#dependencies.settings.timeout_ms, kindOfPort);
    return hit ? { target, origin, hit } : undefined;
  }

  /** A host name that does not resolve is skipped, and said once (a peer loudly, a default host quietly). */
  async #resolves(target: DiscoveryTarget): Promise<boolean> {
    if (isIP(target.host) !== 0) return true;
    try {
      await withTimeout(lookup(target.host), this.#dependencies.settings.timeout_ms);
      this.#unresolvable.delete(target.host);
      return true;
    } catch {
      if (!this.#unresolvable.has(target.host)) {
        this.#unresolvable.add(target.host);
        const level = target.local ? 'debug' : 'warn';
        this.#dependencies.logger.log(level, 'discovery host does not resolve; skipped', { host: target.host });
      }
      return false;
    }
  }

  async #endpointsFor(found: readonly Found[]): Promise<ActiveEndpoint[]> {
    const { live, plugins, logger } = this.#dependencies;
    const declared = [...live.staticEndpoints, ...live.adminEndpoints];
    const taken = new Set(declared.map((endpoint) => endpoint.definition.id));
    const servedHosts = new Set(declared.flatMap((endpoint) => hostPort(endpoint.definition.baseUrl)));
    const previous = new Map(live.discoveredEndpoints.map((endpoint) => [endpoint.definition.id, endpoint]));
    const endpoints: ActiveEndpoint[] = [];
    for (const { target, origin, hit } of found) {
      if (servedHosts.has(new URL(origin).host)) continue;
      const plugin = plugins.get(hit.kind);
      if (!plugin) {
        logger.debug('discovered a server whose plugin is not loaded', { provider: hit.kind, origin });
        continue;
      }
      const base = target.local ? hit.kind : `${hit.kind}-${target.host.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
      const id = taken.has(base) ? `${base}-auto` : base;
      if (taken.has(id)) continue;
      taken.add(id);
      const baseUrl = serverBaseUrl(hit.kind, origin);
      const kept = previous.get(id);
      if (kept && kept.definition.baseUrl === baseUrl && sameModels(kept.definition.models ?? [], hit.models)) {
        endpoints.push(kept);
        continue;
      }
      endpoints.push(
        await createActiveEndpoint(
          { id, provider: hit.kind, baseUrl, models: hit.models, weight: 1, headers: {}, options: {}, source: 'auto-discovery' },
          plugin,
          [{ name: 'default' }],
          logger,
        ),
      );
    }
    return endpoints;
  }

  #report(before: readonly ActiveEndpoint[], after: readonly ActiveEndpoint[]): void {
    const { logger } = this.#dependencies;
    for (const endpoint of after) {
      const old = before.find((candidate) => candidate.definition.id === endpoint.definition.id);
      if (old === endpoint) continue;
      const { id, provider, baseUrl } = endpoint.definition;
      logger.info(old ? 'discovered model server changed' : 'model server discovered', { endpoint: id, provider, baseUrl, models: endpoint.models.map((model) => model.id) });
    }
    for (const endpoint of before) {
      if (!after.some((candidate) => candidate.definition.id === endpoint.definition.id)) {
        logger.info('discovered model server gone', { endpoint: endpoint.definition.id, baseUrl: endpoint.definition.baseUrl });
      }
    }
  }
}

function hostPort(baseUrl: string): string[] {
  try {
    return [new URL(baseUrl).host];
  } catch {
    return [];
  }
}

function sameModels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((model, index) => model === b[index]);
}

function sameEndpoints(a: readonly ActiveEndpoint[], b: readonly ActiveEndpoint[]): boolean {
  return a.length === b.length && a.every((endpoint, index) => endpoint === b[index]);
}

/** DNS lookups take no signal; a resolver that hangs must not hold up the round. */
function withTimeout<Value>(promise: Promise<Value>, timeoutMs: number): Promise<Value> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
