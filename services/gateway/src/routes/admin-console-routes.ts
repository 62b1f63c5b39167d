import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger, ReplicaDirectory } from '@nachos/common';
import type { Secret } from '@nachos/plugin-sdk';
import type { FailedAttemptGuard } from '../auth/failed-attempt-guard.js';
import type { KeyLimits } from '../auth/gateway-key.js';
import type { ConsoleFacts } from '../console/console-facts.js';
import { ModelDirectory } from '../console/model-directory.js';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import type { RegistryClient } from '../llm-proxy/registry-client.js';
import type { ReadinessCheck } from '../policy/readiness-check.js';
import type { KeyUse } from '../rate-limit/rate-limiter.js';
import { bucketsOf } from '../usage/history/history-range.js';
import { summarizeHistory } from '../usage/history/summarize-history.js';
import type { UsageHistory } from '../usage/history/usage-history.js';
import { adminErrors, registryEndpointJson, requestIdOf } from './admin-routes.js';
import { requireAdminKey } from './require-admin-key.js';
import { sendAdminError } from './send-admin-error.js';

const PROBE_TIMEOUT_MS = 2_000;

export interface AdminConsoleDependencies {
  client: Pick<LlmProxyClient, 'isServing' | 'listModels'>;
  registry: Pick<RegistryClient, 'list' | 'cooldowns' | 'replicas'>;
  adminKey: Secret | undefined;
  /** Throttles wrong admin keys per client address, as on the other admin routes. */
  adminGuard: FailedAttemptGuard | undefined;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  isDraining: () => boolean;
  history: UsageHistory;
  facts: ConsoleFacts;
  replicas: ReplicaDirectory;
  /** Gateway keys by name (never their values), with their own limits. */
  keys: ReadonlyArray<{ name: string; models: readonly string[] | undefined; limits: KeyLimits }>;
  /** `[rate_limit.per_key]`, for keys without limits of their own. */
  perKey: { requestsPerMinute: number; tokensPerMinute: number; maxConcurrent: number };
  /** A key's use as its limits count it (every replica's, while Redis answers). */
  keyUse: (keyName: string) => Promise<KeyUse>;
}

/**
 * The admin API routes the console's pages read, behind the admin key, beside the registry, cooldown and
 * usage routes (which stay as they are):
 * - `GET /admin/v1/status`: this gateway, each gateway and llm-proxy replica alive with its status, Redis;
 * - `GET /admin/v1/endpoints`: the registry's endpoints with their limits, cooldown health and open
 *   connections (of the llm-proxy replica that answered);
 * - `GET /admin/v1/models`: every name a client can use, its routes, fallbacks and capabilities;
 * - `GET /admin/v1/models/resolve?model=…`: how one name routes, step by step;
 * - `GET /admin/v1/keys`: gateway keys by name, their allowed models, limits and current use against them.
 */
export function adminConsoleRoutes(dependencies: AdminConsoleDependencies): Router {
  const router = Router();
  const admin = requireAdminKey(dependencies.adminKey, dependencies.adminGuard);
  const get = (path: string, handler: (request: Request, response: Response) => Promise<unknown>) => router.get(path, admin, handler as RequestHandler);

  get('/v1/status', async (_request, response) => {
    const redis = dependencies.readiness.find((check) => check.name === 'redis');
    const [serving, redisStatus, replicas, llmProxyReplicas] = await Promise.all([
      dependencies.client.isServing(PROBE_TIMEOUT_MS),
      redis ? redis.probe().then((result) => result.status) : Promise.resolve('not_configured'),
      dependencies.replicas.list(),
      // An llm-proxy this gateway cannot reach lists none; its status below says why.
      dependencies.registry.replicas(requestIdOf(response), PROBE_TIMEOUT_MS).catch(() => []),
    ]);
    response.json({
      gateway: { replica: dependencies.replicas.replica, started_at: dependencies.replicas.startedAt, draining: dependencies.isDraining() },
      llm_proxy: serving ? 'serving' : 'unreachable',
      redis: redisStatus,
      replicas,
      llm_proxy_replicas: llmProxyReplicas.map((replica) => ({
        replica: replica.instance,
        status: replica.status,
        started_at: new Date(replica.startedAtMs).toISOString(),
        seen_at: new Date(replica.seenAtMs).toISOString(),
      })),
    });
  });

  get('/v1/endpoints', async (_request, response) => {
    const requestId = requestIdOf(response);
    const [endpoints, { cooldowns }] = await Promise.all([dependencies.registry.list(requestId), dependencies.registry.cooldowns(requestId)]);
    response.json({
      endpoints: endpoints.map((endpoint) => {
        const cooling = cooldowns.filter((cooldown) => cooldown.key.split('/')[0] === endpoint.id);
        return {
          ...registryEndpointJson(endpoint),
          connections: endpoint.connections,
          health: { status: cooling.length ? 'cooling' : 'ok', cooldowns: cooling.length, reasons: [...new Set(cooling.map((cooldown) => cooldown.reason))] },
        };
      }),
    });
  });

  const directory = async (response: Response) => {
    const requestId = requestIdOf(response);
    const [listed, endpoints] = await Promise.all([
      dependencies.client.listModels({ requestId, signal: new AbortController().signal }),
      dependencies.registry.list(requestId),
    ]);
    return new ModelDirectory(listed, endpoints, dependencies.facts);
  };
  get('/v1/models', async (_request, response) => {
    response.json({ models: (await directory(response)).entries() });
  });
  get('/v1/models/resolve', async (request, response) => {
    const model = request.query.model;
    if (typeof model !== 'string') return sendAdminError(response, 400, 'invalid_request', 'Name the model to resolve: ?model=<name>.');
    const context = { requestId: requestIdOf(response), signal: new AbortController().signal };
    const [models, routed] = await Promise.all([directory(response), dependencies.client.listModels(context, model.trim() || 'default')]);
    response.json(models.resolve(model, routed));
  });

  get('/v1/keys', async (_request, response) => {
    const range = bucketsOf('hour', Date.now());
    const [buckets, uses] = await Promise.all([
      dependencies.history.buckets(range.scale, range.starts),
      Promise.all(dependencies.keys.map((key) => dependencies.keyUse(key.name))),
    ]);
    const history = summarizeHistory(range, buckets);
    const used = new Map((history.groups.key ?? []).map((group) => [group.name, group]));
    const { perKey } = dependencies;
    response.json({
      open: dependencies.keys.length === 0,
      keys: dependencies.keys.map((key, index) => {
        const group = used.get(key.name);
        const limits = {
          requests_per_minute: key.limits.requestsPerMinute ?? perKey.requestsPerMinute,
          tokens_per_minute: key.limits.tokensPerMinute ?? perKey.tokensPerMinute,
          max_concurrent: key.limits.maxConcurrent ?? perKey.maxConcurrent,
        };
        const use = uses[index] as KeyUse;
        return {
          name: key.name,
          models: key.models ?? null,
          limits,
          // A limit counts the last minute as it decides (tokens estimated, then corrected); a key without
          // that limit is not counted there, so its finished requests of this clock minute stand in.
          use: {
            requests_this_minute: limits.requests_per_minute > 0 ? use.requestsThisMinute : (group?.series.requests.at(-1) ?? 0),
            tokens_this_minute: limits.tokens_per_minute > 0 ? use.tokensThisMinute : (group?.series.total_tokens.at(-1) ?? 0),
            open_requests: limits.max_concurrent > 0 ? use.openRequests : null,
            requests_last_hour: group?.requests ?? 0,
            tokens_last_hour: group?.total_tokens ?? 0,
          },
        };
      }),
    });
  });

  router.use('/v1', adminErrors(dependencies.logger));
  return router;
}

