import { EventLoopLag, ConfigError, parseInterval, readSecretEnv, type Environment, type Logger, type NachosConfig } from '@nachos/common';
import type { Secret } from '@nachos/plugin-sdk';
import type { RequestHandler } from 'express';
import { authenticate } from '../auth/authenticate.js';
import { readHeaderSetting } from '../auth/read-header-setting.js';
import type { FailedAttemptGuard } from '../auth/failed-attempt-guard.js';
import type { RequestShapeLimits } from '../hygiene/check-request-shape.js';
import type { GatewayKey } from '../auth/gateway-key.js';
import { KeyRing } from '../auth/key-ring.js';
import { loadGatewayKeys } from '../auth/load-gateway-keys.js';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { createFailedAttemptGuard } from '../rate-limit/failed-attempt-guard.js';
import { MemoryLimitStore } from '../rate-limit/memory-limit-store.js';
import { readRateLimitPolicy } from '../rate-limit/rate-limit-policy.js';
import { RateLimiter, type KeyUse } from '../rate-limit/rate-limiter.js';
import { ResilientLimitStore } from '../rate-limit/resilient-limit-store.js';
import { createUsageReporters } from '../usage/create-usage-reporters.js';
import { MemoryHistoryBackend } from '../usage/history/memory-history-backend.js';
import { UsageHistory } from '../usage/history/usage-history.js';
import { meterEmbeddings } from '../usage/meter-embeddings.js';
import { UsageAggregates } from '../usage/usage-aggregates.js';
import { UsageSink } from '../usage/usage-sink.js';
import { admitRequest } from './admit-request.js';
import { HeaderForwarding } from './header-forwarding.js';
import type { ReadinessCheck } from './readiness-check.js';

/** Everything the app mounts to know its callers, limit them, meter them and report on itself. */
export interface GatewayPolicy {
  /** Before the body is read: who is calling (401 otherwise). */
  authenticate: RequestHandler;
  /** After the body is read: model access, rate limits, metering, request scope. */
  admit: RequestHandler;
  metrics: GatewayMetrics;
  usage: UsageSink;
  /** The gateway keys by name, allowed models and own limits (never their values), for the admin console. */
  keys: ReadonlyArray<Omit<GatewayKey, 'secret'>>;
  /** `[rate_limit.per_key]`, the limits of keys without their own. */
  perKeyLimits: { requestsPerMinute: number; tokensPerMinute: number; maxConcurrent: number };
  /** A key's use as its limits count it now, shared by every replica while Redis answers. */
  keyUse(keyName: string): Promise<KeyUse>;
  adminKey: Secret | undefined;
  /** Wrong admin keys per client address, throttled like wrong gateway keys but counted apart. */
  adminGuard: FailedAttemptGuard;
  /** Bounds on identifiers, messages and parts in a request body. */
  requestShape: RequestShapeLimits;
  maxJsonDepth: number;
  readiness: ReadinessCheck[];
  /** How late the event loop runs (against `[gateway] event_loop_lag_limit_ms`); told of each request. */
  lag: EventLoopLag;
  /** The llm-proxy client as routers should use it (embeddings metered). */
  wrapClient(client: LlmProxyClient): LlmProxyClient;
  close(timeoutMs: number): Promise<void>;
}

/**
 * Builds the gateway's policy from the configuration: gateway keys, the shared (or per-process) limiter,
 * usage reporters and metrics. Start-up says whether callers need a key and whether limits are shared.
 */
export async function createGatewayPolicy(config: NachosConfig, env: Environment, logger: Logger): Promise<GatewayPolicy> {
  const lag = new EventLoopLag(config.gateway.event_loop_lag_limit_ms);
  const metrics = new GatewayMetrics(lag);
  const keys = loadGatewayKeys(env, config.auth.keys);
  if (keys.length === 0 && config.auth.enabled === true) {
    // Fail closed: a gateway its operator meant to protect must not serve everyone for want of a key.
    throw new ConfigError('auth.enabled = true, but no gateway key is configured: set NACHOS_API_KEYS (or NACHOS_API_KEYS_FILE) or add [[auth.keys]]');
  }
  if (keys.length === 0) logger.warn('no gateway keys configured (NACHOS_API_KEYS or [[auth.keys]]): serving every caller without authentication');
  else if (config.auth.enabled === false) logger.warn(`[auth] enabled = false: ${keys.length} gateway key(s) configured but not required`);
  else logger.info('gateway keys required', { keys: keys.map((key) => key.name) });

  // ioredis is loaded only when Redis is configured: it is a quarter of an idle gateway's memory.
  const redis = config.redis.url
    ? new (await import('../rate-limit/redis-limit-store.js')).RedisLimitStore({ url: config.redis.url, commandTimeoutMs: config.redis.command_timeout_ms })
    : undefined;
  const store = new ResilientLimitStore(redis, new MemoryLimitStore(), {
    mode: config.rate_limit.on_redis_failure,
    replicas: config.rate_limit.replicas,
    retryIntervalMs: 1_000,
    onModeChange: (degraded, error) => {
      metrics.limiterDegraded(degraded);
      if (degraded) logger.error(`Redis unavailable for rate limits: ${describeMode(config.rate_limit.on_redis_failure)}`, { error: error?.message });
      else logger.warn('Redis is back: rate limits are shared again');
    },
  });
  if (redis) {
    if (await redis.ready(3_000)) logger.info('rate limits shared in Redis');
    else logger.error(`Redis did not answer at start-up: ${describeMode(config.rate_limit.on_redis_failure)} until it does`);
  } else logger.info('no REDIS_URL: rate limits are counted in this process');

  const policy = readRateLimitPolicy(config.rate_limit, config.auth, config.redis.key_prefix);
  const limiter = new RateLimiter(store, policy, (limit) => metrics.rateLimitRejected(limit));
  const aggregates = new UsageAggregates();
  const reporters = config.usage.enabled ? createUsageReporters(config.usage.reporters, { env, logger, metrics }) : [];
  const retentionMs = parseInterval(config.usage.history_retention) ?? 8 * 86_400_000;
  const history = new UsageHistory({
    backend: config.redis.url
      ? new (await import('../usage/history/redis-history-backend.js')).RedisHistoryBackend({ url: config.redis.url, keyPrefix: config.redis.key_prefix, retentionMs, commandTimeoutMs: config.redis.command_timeout_ms })
      : new MemoryHistoryBackend(retentionMs),
    retentionMs,
    onFlushResult: (error) => {
      if (error) logger.error('usage history not saved to Redis; kept in memory and retried', { error: error.message });
      else logger.warn('usage history saved to Redis again');
    },
  });
  const usage = new UsageSink(metrics, aggregates, history, reporters);
  const providerKeyHeader = readHeaderSetting(config.auth, 'provider_key_header');

  return {
    authenticate: authenticate({
      keyRing: new KeyRing(keys),
      enabled: config.auth.enabled !== false,
      headerNames: config.auth.header_names,
      skipPaths: new Set(config.auth.skip_paths),
      guard: createFailedAttemptGuard(store, policy.failedAttemptsPerMinute, policy.keyPrefix),
      providerKeyHeader: [...Object.values(config.providers), ...Object.values(config.endpoints)].some((entry) => entry.forward_token === true)
        ? providerKeyHeader
        : undefined,
      onFailure: (reason) => metrics.authFailed(reason),
    }),
    admit: admitRequest({ limiter, headerForwarding: new HeaderForwarding(config.header_rules, config.auth.header_names, providerKeyHeader), sink: usage, metrics, userHeader: readHeaderSetting(config.auth, 'user_header') }),
    metrics,
    usage,
    keys: keys.map(({ name, models, limits }) => ({ name, models, limits })),
    perKeyLimits: policy.perKey,
    keyUse: (keyName) => limiter.keyUse(keyName),
    adminKey: readSecretEnv(env, 'NACHOS_ADMIN_KEY') ?? keys.find((key) => key.name === config.auth.keys.find((entry) => entry.admin)?.name)?.secret,
    adminGuard: createFailedAttemptGuard(store, policy.failedAttemptsPerMinute, policy.keyPrefix, 'admin-failures'),
    requestShape: {
      maxIdentifierLength: config.gateway.max_identifier_length,
      maxMetadataLength: config.gateway.max_metadata_length,
      maxMessages: config.gateway.max_messages,
      maxContentParts: config.gateway.max_content_parts,
    },
    maxJsonDepth: config.gateway.max_json_depth,
    readiness: [
      {
        name: 'redis',
        probe: async () => {
          const status = await store.probe();
          const down = status === 'unreachable';
          return { status, ready: !(down && store.mode === 'closed'), degraded: down };
        },
      },
      {
        name: 'event_loop',
        probe: async () => ({ status: lag.high ? `lagging ${lag.lagMs} ms` : 'ok', ready: !lag.high, degraded: false }),
      },
    ],
    lag,
    wrapClient: meterEmbeddings,
    close: async (timeoutMs) => {
      await usage.close(timeoutMs);
      lag.stop();
      redis?.close();
    },
  };
}

function describeMode(mode: 'local' | 'open' | 'closed'): string {
  switch (mode) {
    case 'local':
      return 'each replica enforces its share of every limit';
    case 'open':
      return 'requests are admitted without limits';
    case 'closed':
      return 'requests are refused with 503';
  }
}
