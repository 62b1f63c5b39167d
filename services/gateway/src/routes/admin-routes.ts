import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Logger } from '@nachos/common';
import { ProviderError, type Secret } from '@nachos/plugin-sdk';
import type { RegistryEndpointView } from '@nachos/proto';
import type { FailedAttemptGuard } from '../auth/failed-attempt-guard.js';
import { GatewayError } from '../errors/gateway-error.js';
import { HTTP_STATUS } from '../errors/http-status.js';
import type { RegistryClient } from '../llm-proxy/registry-client.js';
import { readRegistryInput } from './read-registry-input.js';
import { requireAdminKey } from './require-admin-key.js';
import { sendAdminError } from './send-admin-error.js';

export interface AdminDependencies {
  registry: Pick<RegistryClient, 'list' | 'put' | 'remove' | 'cooldowns' | 'clearCooldown'>;
  adminKey: Secret | undefined;
  /** Throttles wrong admin keys per client address (with the gateway policy). */
  adminGuard?: FailedAttemptGuard | undefined;
  logger: Logger;
}

/** Where the registry is answered: the admin prefix, and `/api/v1/registry` for tools that expect it there. */
export const REGISTRY_PATHS = ['/admin/v1/registry', '/api/v1/registry'];

/**
 * The endpoint registry's admin API, behind the admin key (not a gateway key):
 * - `GET` lists every endpoint llm-proxy serves with its source (`config`, `env`, `admin`,
 *   `auto-discovery`), never a key; `GET /<id>` one of them;
 * - `POST` adds an endpoint, or replaces one added earlier with the same id; every llm-proxy replica
 *   serves it within a moment, and it survives restarts;
 * - `DELETE /<id>` removes one added here (declared ones live in the config file or the environment).
 */
export function adminRoutes(dependencies: AdminDependencies): Router {
  const router = Router();
  router.use(requireAdminKey(dependencies.adminKey, dependencies.adminGuard));
  router.use(express.json({ limit: '1mb', type: () => true }));
  router.get('/', async (_request, response) => {
    response.json({ endpoints: (await dependencies.registry.list(requestIdOf(response))).map(registryEndpointJson) });
  });
  router.get('/:id', async (request: Request<{ id: string }>, response) => {
    const endpoint = (await dependencies.registry.list(requestIdOf(response))).find((candidate) => candidate.id === request.params.id);
    if (!endpoint) throw new GatewayError({ kind: 'not_found', message: `No endpoint "${request.params.id}".` });
    response.json({ endpoint: registryEndpointJson(endpoint) });
  });
  router.post('/', async (request, response) => {
    const endpoint = await dependencies.registry.put(readRegistryInput(request.body), requestIdOf(response));
    response.status(201).json({ endpoint: registryEndpointJson(endpoint) });
  });
  router.delete('/:id', async (request: Request<{ id: string }>, response) => {
    await dependencies.registry.remove(request.params.id, requestIdOf(response));
    response.json({ deleted: request.params.id });
  });
  router.use(adminErrors(dependencies.logger));
  return router;
}

/** Where the key cooldowns are answered, beside the registry. */
export const COOLDOWN_PATHS = ['/admin/v1/cooldowns', '/api/v1/cooldowns'];

/**
 * The key cooldowns in force, behind the admin key: which key (and model) is out of rotation, why, and
 * until when — the same list on every gateway, since llm-proxy replicas share it through Redis; and
 * `DELETE` to end one by hand.
 */
export function adminCooldownRoutes(dependencies: AdminDependencies): Router {
  const router = Router();
  router.use(requireAdminKey(dependencies.adminKey, dependencies.adminGuard));
  router.get('/', async (_request, response) => {
    const now = Date.now();
    const { cooldowns, state } = await dependencies.registry.cooldowns(requestIdOf(response));
    response.json({
      cooldowns: cooldowns.map((cooldown) => ({
        key: cooldown.key,
        reason: cooldown.reason,
        until: new Date(cooldown.untilMs).toISOString(),
        remaining_ms: Math.max(0, cooldown.untilMs - now),
      })),
      state,
    });
  });
  // `DELETE /<key>` (the key URL-encoded, as it holds slashes) ends that cooldown on every replica now.
  router.delete('/:key', async (request: Request<{ key: string }>, response) => {
    const cleared = await dependencies.registry.clearCooldown(request.params.key, requestIdOf(response));
    if (!cleared) throw new GatewayError({ kind: 'not_found', message: `No cooldown "${request.params.key}" is in force.` });
    response.json({ cleared: request.params.key });
  });
  router.use(adminErrors(dependencies.logger));
  return router;
}

/** An operator wants the real reason: every kind keeps its own status here (no client-protocol folding). */
export function adminErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _request, response, _next) => {
    if ((error as { type?: string }).type === 'entity.parse.failed') {
      return sendAdminError(response, 400, 'invalid_request', 'The request body is not valid JSON.');
    }
    if (error instanceof GatewayError || ProviderError.isInstance(error)) {
      response.locals.failure = { kind: error.kind };
      return sendAdminError(response, HTTP_STATUS[error.kind], error.kind, error.message);
    }
    logger.error('admin request failed', { requestId: response.locals.requestId, error: (error as Error)?.stack ?? String(error) });
    sendAdminError(response, 502, 'internal', 'The admin request failed.');
  };
}

export function requestIdOf(response: Response): string {
  return String(response.locals.requestId ?? '');
}

/** A registry endpoint as every admin answer shows it: names and facts, never its key. */
export function registryEndpointJson(endpoint: RegistryEndpointView) {
  return {
    id: endpoint.id,
    provider: endpoint.provider,
    base_url: endpoint.baseUrl,
    source: endpoint.source,
    models: endpoint.models,
    explicit_models: endpoint.explicitModels,
    weight: endpoint.weight,
    has_key: endpoint.hasKey,
    header_names: endpoint.headerNames,
    rate_limit: endpoint.rateLimit,
  };
}
