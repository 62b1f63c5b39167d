import type { Server } from 'node:http';
import { ConfigError, createSharedState, EventLoopLag, readSecretEnv, ReplicaDirectory, withEventLoopDelays, type Environment, type Logger, type NachosConfig, type SharedState } from '@nachos/common';
import { SDK_VERSION } from '@nachos/plugin-sdk';
import type * as grpc from '@grpc/grpc-js';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ActiveEndpoint } from './endpoints/active-endpoint.js';
import { assignProfiles } from './endpoints/assign-profiles.js';
import { collectEndpoints } from './endpoints/collect-endpoints.js';
import { createActiveEndpoint, refreshListedModels } from './endpoints/create-active-endpoint.js';
import { createUpstreamConnections, upstreamPoolSettings } from './endpoints/upstream-connections.js';
import { warnUnservedFallbacks } from './endpoints/warn-unserved-fallbacks.js';
import { bindServer, createGrpcServer } from './grpc/create-grpc-server.js';
import { HealthState } from './grpc/health-service.js';
import { registerSeamMetrics } from './grpc/seam-metrics.js';
import { createInternalServer } from './http/create-internal-server.js';
import { findUsedPluginFailure } from './plugins/find-used-plugin-failure.js';
import { importPlugin } from './plugins/import-plugin.js';
import { startPassthrough } from './passthrough/start-passthrough.js';
import { loadPlugins } from './plugins/load-plugins.js';
import { resolvePluginsDirectory } from './resolve-plugins-directory.js';
import { EndpointRateLimit } from './routing/endpoint-rate-limit.js';
import { LoadBalancer } from './routing/load-balancer.js';
import { LiveEndpoints } from './registry/live-endpoints.js';
import { startEndpointSources, type EndpointSources } from './registry/start-endpoint-sources.js';
import { RetryBudget } from './routing/retry-budget.js';
import { Router } from './routing/router.js';
import { createRouterMetrics } from './routing/router-metrics.js';

const MODEL_LISTING_TIMEOUT_MS = 5_000;

export interface RunningLlmProxy {
  port: number;
  health: HealthState;
  server: grpc.Server;
  internalServer: Server;
  state: SharedState;
  /** Every endpoint, from every source; `live.table()` is the model table in force. */
  live: LiveEndpoints;
  sources: EndpointSources;
  passthroughServer: Server | undefined;
  /** This replica's beat in Redis, which lets any replica list them all. */
  replicas: ReplicaDirectory;
}

/**
 * Loads plugins, builds endpoints and serves gRPC plus the internal HTTP port. A plugin that the
 * configuration uses and that failed to load is fatal; any other broken plugin is a warning.
 */
export async function startLlmProxy(config: NachosConfig, env: Environment, logger: Logger): Promise<RunningLlmProxy> {
  const pluginsDirectory = resolvePluginsDirectory(config.llm_proxy.plugins_dir);
  const { plugins, failures } = await loadPlugins(pluginsDirectory, SDK_VERSION, importPlugin, config.llm_proxy.plugin_start_timeout_ms);
  let collected;
  try {
    collected = collectEndpoints(config, env, plugins);
  } catch (error) {
    throw findUsedPluginFailure(error as Error, failures) ?? error;
  }
  for (const failure of failures) logger.warn(failure.message, { cause: (failure.cause as Error | undefined)?.message });
  for (const warning of collected.warnings) logger.warn(warning);
  logger.info('plugins loaded', { directory: pluginsDirectory, plugins: [...plugins.keys()] });

  const connections = createUpstreamConnections(upstreamPoolSettings(config.llm));
  const endpoints: ActiveEndpoint[] = [];
  for (const definition of collected.endpoints) {
    const plugin = plugins.get(definition.provider);
    if (!plugin) throw new ConfigError(`endpoint ${definition.id}: no plugin "${definition.provider}"`);
    const credentials = assignProfiles(definition, config.llm.profiles, config.llm.profile_order, env);
    endpoints.push(await createActiveEndpoint(definition, plugin, credentials, logger, connections));
  }
  await Promise.all(endpoints.map((endpoint) => refreshListedModels(endpoint, logger, MODEL_LISTING_TIMEOUT_MS)));
  warnUnservedFallbacks(config.llm, endpoints, logger);
  if (collected.usingMockDefault) {
    logger.warn("no provider key or endpoint is configured: serving the mock provider's models (set OPENAI_API_KEY, ANTHROPIC_API_KEY, … or LLM_PROXY_ENDPOINT_<NAME>_URL)");
  }
  for (const endpoint of endpoints) {
    logger.info('endpoint ready', {
      endpoint: endpoint.definition.id,
      provider: endpoint.definition.provider,
      source: endpoint.definition.source,
      baseUrl: endpoint.definition.baseUrl,
      models: endpoint.models.length,
      credentials: endpoint.credentials.map((credential) => credential.name),
    });
  }

  const state = await createSharedState(
    { url: config.redis.url, prefix: config.redis.key_prefix, commandTimeoutMs: config.redis.command_timeout_ms },
    logger,
  );
  const lag = new EventLoopLag(config.llm_proxy.event_loop_lag_limit_ms);
  const registry = new Registry();
  withEventLoopDelays(lag, () => collectDefaultMetrics({ register: registry, prefix: 'nachos_llm_proxy_' }));
  const live = new LiveEndpoints(endpoints, config.llm.models, config.llm.model, {
    defaultProvider: config.llm.provider,
    listedNames: config.llm.listed_names,
  });
  const table = () => live.table();
  const sources = await startEndpointSources(config, env, live, plugins, logger, MODEL_LISTING_TIMEOUT_MS);
  const router = new Router({
    table,
    llm: config.llm,
    state,
    balancer: new LoadBalancer(config.llm.routing.load_balance, state),
    rateLimit: new EndpointRateLimit(state),
    budget: new RetryBudget(config.llm.routing.retry_budget_percent, config.llm.routing.min_retries_per_second),
    metrics: createRouterMetrics(registry, state),
    headerRules: config.header_rules,
    logger,
    lag,
  });
  const health = new HealthState(lag);
  const replicas = await ReplicaDirectory.start({
    redisUrl: config.redis.url,
    key: `${config.redis.key_prefix}llm-proxy:replicas`,
    port: config.llm_proxy.grpc_port,
    status: () => (!health.serving ? 'draining' : health.lagging !== undefined ? 'lagging' : 'serving'),
  });
  health.onNotServing(() => void replicas.beat());
  const server = createGrpcServer({
    models: table,
    router,
    defaults: { maxTokens: config.llm.max_tokens, temperature: config.llm.temperature },
    logger,
    health,
    registry: sources.registry,
    state,
    replicas,
  });
  const port = await bindServer(server, `${config.llm_proxy.host}:${config.llm_proxy.grpc_port}`);
  registerSeamMetrics(registry, server);
  const passthrough = await startPassthrough(config, table, state, sources.policy, registry, logger);
  const internalServer = createInternalServer({
    registry,
    state,
    health,
    adminKey: readSecretEnv(env, 'NACHOS_ADMIN_KEY'),
    ...(passthrough.server ? {} : { passthrough: passthrough.handler }),
  });
  // Pass-through uploads and streams may outlast Node's default five-minute request timeout.
  if (!passthrough.server) internalServer.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    internalServer.once('error', reject);
    internalServer.listen(config.llm_proxy.http_port, config.llm_proxy.host, () => resolve());
  });
  logger.info('llm-proxy listening', {
    grpc: `${config.llm_proxy.host}:${port}`,
    http: `${config.llm_proxy.host}:${config.llm_proxy.http_port}`,
    passthrough: passthrough.server ? `${config.llm_proxy.host}:${config.llm_proxy.passthrough_port}` : 'on the internal HTTP port',
  });
  return { port, health, server, internalServer, state, live, sources, passthroughServer: passthrough.server, replicas };
}
