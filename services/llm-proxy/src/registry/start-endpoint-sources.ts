import { resolve } from 'node:path';
import { readSecretEnv, type Environment, type Logger, type NachosConfig } from '@nachos/common';
import type { ProviderPlugin } from '@nachos/plugin-sdk';
import { LocalDiscovery } from '../discovery/local-discovery.js';
import { upstreamPoolSettings } from '../endpoints/upstream-connections.js';
import { EndpointRegistry } from './endpoint-registry.js';
import { EndpointTargetPolicy } from './endpoint-target-policy.js';
import { FileRegistryStore } from './file-registry-store.js';
import type { LiveEndpoints } from './live-endpoints.js';
import { KeySealer } from './seal-key.js';

export interface EndpointSources {
  registry: EndpointRegistry;
  policy: EndpointTargetPolicy;
  discovery: LocalDiscovery | undefined;
  close: () => Promise<void>;
}

/**
 * Starts the runtime sources of endpoints beside the static ones: the admin registry (Redis when
 * `REDIS_URL` is set, else the local file) and, unless turned off, local discovery. Both have served
 * their first read before this resolves, so llm-proxy is ready with every endpoint it can know of.
 */
export async function startEndpointSources(
  config: NachosConfig,
  env: Environment,
  live: LiveEndpoints,
  plugins: ReadonlyMap<string, ProviderPlugin>,
  logger: Logger,
  listingTimeoutMs: number,
): Promise<EndpointSources> {
  const { llm_proxy: own } = config;
  const policy = new EndpointTargetPolicy(config.registry, [own.grpc_port, own.http_port, own.passthrough_port]);
  // ioredis is loaded only when Redis is configured, so a single machine does not carry it.
  const store = config.redis.url
    ? new (await import('./redis-registry-store.js')).RedisRegistryStore({ url: config.redis.url, prefix: config.redis.key_prefix, commandTimeoutMs: config.redis.command_timeout_ms })
    : new FileRegistryStore(resolve(config.registry.file));
  const registry = new EndpointRegistry({
    store,
    live,
    plugins,
    policy,
    sealer: new KeySealer(readSecretEnv(env, 'LLM_PROXY_REGISTRY_SECRET')),
    logger,
    syncIntervalMs: config.registry.sync_interval_ms,
    listingTimeoutMs,
    pool: upstreamPoolSettings(config.llm),
  });
  await registry.start();
  logger.info('endpoint registry ready', { store: store.kind, endpoints: live.adminEndpoints.length });
  let discovery: LocalDiscovery | undefined;
  if (config.discovery.local_scan) {
    discovery = new LocalDiscovery({ settings: config.discovery, live, plugins, logger });
    await discovery.start();
  } else {
    logger.info('local discovery is off');
  }
  return {
    registry,
    policy,
    discovery,
    close: async () => {
      discovery?.close();
      await registry.close();
    },
  };
}
