import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Logger, SharedState } from '@nachos/common';
import { joinUrl, redactSecrets } from '@nachos/plugin-sdk';
import type { Counter } from 'prom-client';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import type { EndpointTargetPolicy } from '../registry/endpoint-target-policy.js';
import { guardedLookup } from '../registry/guarded-lookup.js';
import { credentialCooldownKey } from '../routing/cooldown-keys.js';
import type { Credential } from '../routing/credential.js';
import type { LoadBalancer, LoadBalanceStrategy } from '../routing/load-balancer.js';
import type { ModelTable } from '../routing/model-table.js';
import { holdUpstreamLease } from '../routing/upstream-lease.js';
import { forwardedRequestHeaders, forwardedResponseHeaders } from './forwarded-headers.js';
import { upstreamAuthHeaders } from './upstream-auth-headers.js';

/** Requests under this path are pass-through: `/passthrough/<endpoint or provider>/<path on its base URL>`. */
export const PASSTHROUGH_PREFIX = '/passthrough/';

export interface PassthroughDependencies {
  table: () => ModelTable;
  /** Its own balancer: pass-through pools rotate apart from model routes, by the same strategy. */
  balancer: LoadBalancer;
  strategy: LoadBalanceStrategy;
  state: SharedState;
  /** Checked again at connect time for endpoints added at run time (DNS rebinding). */
  policy: EndpointTargetPolicy;
  /** Longest silence on the upstream connection, either way. */
  idleMs: number;
  requests: Counter<'endpoint' | 'status'>;
  logger: Logger;
}

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * The raw pass-through for the APIs nachos does not translate (files, batches, images, audio, rerank):
 * picks a backend (the named endpoint, or one of the endpoints of the named provider, by the load-balance
 * strategy and weights), puts the endpoint's key in the provider's auth header in place of anything the
 * client sent, and streams the bytes both ways as they come, unbuffered. Only the gateway reaches it, on
 * the internal network; the gateway has already applied auth and limits.
 */
export function createPassthroughHandler(dependencies: PassthroughDependencies): (request: http.IncomingMessage, response: http.ServerResponse) => void {
  return (request, response) => {
    void forward(request, response, dependencies).catch((error: Error) => {
      dependencies.logger.error('pass-through failed', { error: error.message });
      fail(response, 502, 'internal', 'The pass-through request failed.');
    });
  };
}

async function forward(request: http.IncomingMessage, response: http.ServerResponse, dependencies: PassthroughDependencies): Promise<void> {
  const requestId = headerValue(request, 'x-request-id') ?? randomUUID();
  const url = new URL(request.url ?? '/', 'http://passthrough');
  const [name = '', ...rest] = url.pathname.slice(PASSTHROUGH_PREFIX.length).split('/');
  const path = rest.join('/');
  if (rest.some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) return fail(response, 400, 'invalid_request', 'Pass-through paths may not contain "." or ".." segments.');
  const pool = backendsFor(dependencies.table(), decodeURIComponent(name.replace(/%(?![0-9a-f]{2})/gi, '%25')));
  if (pool.length === 0) return fail(response, 404, 'not_found', `No endpoint or provider named '${name}' is served here.`);
  const ordered = await dependencies.balancer.order(`passthrough:${name}`, pool.map((endpoint) => ({ endpoint, upstreamModel: '', info: undefined })));
  const endpoint = (ordered[0] ?? { endpoint: pool[0] }).endpoint as ActiveEndpoint;
  const { id, provider } = endpoint.definition;
  const credential = await usableCredential(endpoint, dependencies.state);
  const target = new URL(joinUrl(endpoint.definition.baseUrl, path));
  for (const [key, value] of url.searchParams) target.searchParams.append(key, value);
  const clientHeaders = forwardedRequestHeaders(request.headers);
  const headers = {
    ...clientHeaders,
    ...endpoint.definition.headers,
    ...upstreamAuthHeaders(provider, credential?.apiKey, clientHeaders),
    'x-request-id': requestId,
  };
  const leasing = holdUpstreamLease(dependencies.state, dependencies.strategy, id);
  const lease = leasing && (await leasing);
  const startedAt = performance.now();
  const transport = target.protocol === 'https:' ? https : http;
  const upstream = transport.request(target, {
    method: request.method,
    headers,
    agent: agents[target.protocol as 'http:' | 'https:'],
    timeout: dependencies.idleMs,
    ...(endpoint.definition.source === 'admin' ? { lookup: guardedLookup(dependencies.policy) } : {}),
  });
  let status = 0;
  response.on('close', () => {
    if (!response.writableFinished) upstream.destroy();
    void lease?.release();
    dependencies.requests.inc({ endpoint: id, status: status === 0 ? 'failed' : String(status) });
  });
  upstream.on('timeout', () => upstream.destroy(new Error(`no data for ${dependencies.idleMs} ms`)));
  upstream.on('response', (upstreamResponse) => {
    status = upstreamResponse.statusCode ?? 502;
    dependencies.balancer.recordFirstToken(id, performance.now() - startedAt);
    response.writeHead(status, { ...forwardedResponseHeaders(upstreamResponse.headers), 'x-nachos-endpoint': id, 'x-nachos-provider': provider });
    response.flushHeaders();
    upstreamResponse.on('error', () => response.destroy());
    upstreamResponse.pipe(response);
  });
  upstream.on('error', (error) => {
    dependencies.logger.warn('pass-through upstream failed', { requestId, endpoint: id, error: redactSecrets(error.message) });
    if (response.headersSent) response.destroy();
    else fail(response, 502, 'unavailable', `The upstream of '${id}' could not be reached.`);
  });
  request.pipe(upstream);
}

/** The endpoint itself when one has that id; else every endpoint of that provider (a weighted pool). */
function backendsFor(table: ModelTable, name: string): ActiveEndpoint[] {
  const exact = table.endpoints.filter((endpoint) => endpoint.definition.id === name);
  return exact.length > 0 ? exact : table.endpoints.filter((endpoint) => endpoint.definition.provider === name);
}

/** The first of the endpoint's keys that is not cooling down; the first one when all are. */
async function usableCredential(endpoint: ActiveEndpoint, state: SharedState): Promise<Credential | undefined> {
  const keys = endpoint.credentials.map((credential) => credentialCooldownKey(endpoint.definition.id, credential.name));
  const cooling = await state.activeCooldowns(keys).catch(() => new Map());
  return endpoint.credentials.find((credential) => !cooling.has(credentialCooldownKey(endpoint.definition.id, credential.name))) ?? endpoint.credentials[0];
}

function headerValue(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : undefined;
}

function fail(response: http.ServerResponse, status: number, type: string, message: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: { type, message } }));
}
