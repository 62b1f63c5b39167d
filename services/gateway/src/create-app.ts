import express from 'express';
import type { Logger } from '@nachos/common';
import { inferProtocol } from './auth/infer-protocol.js';
import { GatewayError } from './errors/gateway-error.js';
import { checkContentType } from './hygiene/check-content-type.js';
import { checkRequestShape } from './hygiene/check-request-shape.js';
import { refuseDeepJson, verifyJsonDepth } from './hygiene/json-depth.js';
import type { LlmProxyClient } from './llm-proxy/llm-proxy-client.js';
import type { RegistryClient } from './llm-proxy/registry-client.js';
import { accessLog } from './middleware/access-log.js';
import { defaultModel } from './middleware/default-model.js';
import { errorHandler } from './middleware/error-handler.js';
import { jsonBody } from './middleware/json-body.js';
import { markProtocol } from './middleware/mark-protocol.js';
import { openRequestCap } from './middleware/open-request-cap.js';
import { requestId } from './middleware/request-id.js';
import { metricsRoutes } from './metrics/metrics-routes.js';
import type { GatewayPolicy } from './policy/create-gateway-policy.js';
import { adminCooldownRoutes, adminRoutes, COOLDOWN_PATHS, REGISTRY_PATHS } from './routes/admin-routes.js';
import { anthropicRoutes, markAnthropic } from './routes/anthropic-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { ollamaRoutes } from './routes/ollama-routes.js';
import { openAIRoutes } from './routes/openai-routes.js';
import { DEFAULT_PROTOCOL_PREFIXES, type ProtocolPrefixes } from './routes/protocol-prefixes.js';
import { passthroughRoutes } from './routes/passthrough-routes.js';
import { chatRoutes } from './routes/chat-routes.js';
import { dispatchChatsFirst, type ChatChain } from './routes/chat-dispatch.js';
import { adminUsageRoutes } from './usage/admin-usage-routes.js';
import { createMemoryResponsesStore, DEFAULT_RESPONSES_SETTINGS } from './responses-store/create-responses-store.js';
import type { ResponsesStore } from './responses-store/stored-response.js';

export interface AppDependencies {
  client: LlmProxyClient;
  logger: Logger;
  bodyLimit: string;
  /** Most requests served at once (above it, 503 with Retry-After); 0 or absent: no cap. */
  maxOpenRequests?: number;
  isDraining: () => boolean;
  /**
   * Authentication, rate limits, metering, metrics and request hygiene. Without it (in-process tests of
   * the protocol surfaces) every caller is served openly and nothing is metered.
   */
  policy?: GatewayPolicy;
  /** Express "trust proxy": which proxies may name the client address (per-address limits). */
  trustProxy?: string;
  /** llm-proxy's endpoint registry, answered at `/admin/v1/registry` and `/api/v1/registry` (admin key). */
  registry?: Pick<RegistryClient, 'list' | 'put' | 'remove' | 'cooldowns' | 'clearCooldown'>;
  /** The admin console (page and the admin routes it reads), mounted at `/admin` ahead of the other admin routes. */
  adminConsole?: express.Router;
  /** `/passthrough/…` goes to `target` (llm-proxy's pass-through listener); mounted with the policy only. */
  passthrough?: { target: string; keyHeaders: readonly string[] };
  /** Where Responses API answers are kept; without it, in this process with the default bounds. */
  responsesStore?: ResponsesStore;
  /** The most choices (`n`) one chat request may ask for (default 8), each an upstream call. */
  maxChoices?: number;
  /** `[llm] model`: given to a generation request that names none. */
  defaultModel?: string;
  /** Where the OpenAI and Anthropic APIs are served (`[gateway.protocols]`); without it, the defaults. */
  prefixes?: ProtocolPrefixes;
}

/** Builds the Express app; no I/O happens here, so tests can drive it in-process. */
export function createApp(dependencies: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (dependencies.trustProxy) app.set('trust proxy', dependencies.trustProxy);
  const { policy } = dependencies;
  const client = policy ? policy.wrapClient(dependencies.client) : dependencies.client;
  const first = [requestId(), accessLog(dependencies.logger)];
  for (const handler of first) app.use(handler);
  // One instance of each check, shared by the chat routes below and the generic path, so both enforce the
  // same limits (the open-request cap is one count for the whole gateway).
  const cap = dependencies.maxOpenRequests ? [openRequestCap(dependencies.maxOpenRequests)] : [];
  const verify = policy ? verifyJsonDepth(policy.maxJsonDepth) : undefined;
  const bodyParser = express.json({ limit: dependencies.bodyLimit, type: () => true, strict: false, ...(verify ? { verify } : {}) });
  const json = jsonBody(bodyParser, dependencies.bodyLimit, verify);
  // Before the body is read: an unauthenticated caller, or a body that is not JSON at all, costs no parsing.
  const beforeBody = policy ? [policy.authenticate] : [];
  const contentType = policy ? [checkContentType()] : [];
  // Any content type is read as JSON: curl users often omit the header, and a wrong body fails clearly anyway.
  const parse = dependencies.defaultModel ? [json, defaultModel(dependencies.defaultModel)] : [json];
  const body = policy ? [...parse, refuseDeepJson(policy.maxJsonDepth), checkRequestShape(policy.requestShape), policy.admit] : parse;
  const responsesStore = dependencies.responsesStore ?? createMemoryResponsesStore(DEFAULT_RESPONSES_SETTINGS);
  const prefixes = dependencies.prefixes ?? DEFAULT_PROTOCOL_PREFIXES;
  // Chats first: each walks only the checks its request needs, not the probes, admin, metrics and
  // pass-through layers and the protocol routers that every other request passes.
  const chains: ChatChain[] = [];
  for (const route of chatRoutes(client, { store: responsesStore, logger: dependencies.logger, maxChoices: dependencies.maxChoices ?? 8, prefixes })) {
    const steps = [...route.before, ...cap, ...beforeBody, ...contentType, ...body, ...route.handlers];
    app.post(route.paths, ...steps);
    // Run straight from the server (see chat-dispatch.ts): the app-wide steps first, then the route's; a
    // chain whose route passed the request on would get the app's 404.
    chains.push({ paths: route.paths, steps: [...first, ...steps, noRoute] });
  }
  // Liveness and readiness answer without a key: orchestrators probe them. The admin API has its own key.
  app.use(healthRoutes(dependencies.client, dependencies.isDraining, policy?.readiness));
  if (dependencies.adminConsole) app.use('/admin', dependencies.adminConsole);
  if (policy) app.use('/admin', adminUsageRoutes(policy.usage.aggregates, policy.usage.history, policy.adminKey, policy.adminGuard));
  const { registry } = dependencies;
  if (registry) {
    const admin = { registry, adminKey: policy?.adminKey, adminGuard: policy?.adminGuard, logger: dependencies.logger };
    for (const path of REGISTRY_PATHS) app.use(path, adminRoutes(admin));
    for (const path of COOLDOWN_PATHS) app.use(path, adminCooldownRoutes(admin));
  }
  // Before the body parser, so that its errors (bad JSON, too large) reach Ollama clients as `{error}`.
  app.use('/api', markProtocol('ollama'));
  // Marked before the body is read, so a malformed or oversized body is refused in Anthropic's shape.
  // The root, or a path both protocols were given, is shared with OpenAI's routes: Anthropic owns only its own there.
  const shared = (prefix: string) => prefix === '/v1' || prefixes.openai.includes(prefix);
  const anthropicOwned = prefixes.anthropic.map((prefix) => (shared(prefix) ? `${prefix}/messages` : prefix));
  if (anthropicOwned.length > 0) app.use(anthropicOwned, markAnthropic);
  // After the protocol marks, so a refusal speaks the caller's protocol; probes and the admin API stay answered.
  for (const handler of [...cap, ...beforeBody]) app.use(handler);
  if (policy) {
    app.use(metricsRoutes(policy.metrics));
    // Raw bytes: after authentication and admission (limits, usage meter), before the content-type check and body parser.
    if (dependencies.passthrough) app.use('/passthrough', policy.admit, passthroughRoutes({ ...dependencies.passthrough, logger: dependencies.logger }));
  }
  for (const handler of [...contentType, ...body]) app.use(handler);
  // Before OpenAI's: under `/v1` the Anthropic router takes `/messages/count_tokens` and, for requests
  // carrying `anthropic-version`, `/models`; everything else falls through to OpenAI's routes.
  for (const prefix of prefixes.anthropic) app.use(prefix, anthropicRoutes(client, { sharedPrefix: shared(prefix) }));
  const openai = openAIRoutes(client, responsesStore);
  for (const prefix of prefixes.openai) app.use(prefix, openai);
  app.use(ollamaRoutes(client));
  app.use(noRoute);
  const errors = errorHandler(dependencies.logger);
  app.use(errors);
  dispatchChatsFirst(app, chains, errors);
  return app;
}

const noRoute: express.RequestHandler = (request, response, next) => {
  // No route took it, whichever router marked it on the way (OpenAI's marks all of `/v1`): answer in
  // the protocol its client speaks, Anthropic's when it sends anthropic-version as Anthropic's SDKs do.
  if (request.headers['anthropic-version'] !== undefined) response.locals.protocol = 'anthropic';
  else response.locals.protocol ??= inferProtocol(request, response);
  next(new GatewayError({ kind: 'not_found', message: `No route for ${request.method} ${request.path}.` }));
};
