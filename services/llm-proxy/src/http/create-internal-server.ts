import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SharedState } from '@nachos/common';
import type { Secret } from '@nachos/plugin-sdk';
import type { Registry } from 'prom-client';
import type { HealthState } from '../grpc/health-service.js';
import { PASSTHROUGH_PREFIX } from '../passthrough/passthrough-handler.js';
import { hasAdminKey } from './check-admin-key.js';

export interface InternalServerDependencies {
  registry: Registry;
  state: SharedState;
  health: HealthState;
  /** Without one, the admin routes answer 403: they are never open by accident. */
  adminKey: Secret | undefined;
  /** Serves `/passthrough/…` here when pass-through has no port of its own. */
  passthrough?: (request: IncomingMessage, response: ServerResponse) => void;
}

/**
 * llm-proxy's internal HTTP port (never published): `/health`, `/ready` (degraded when Redis is away),
 * `/metrics` for Prometheus, `/admin/v1/cooldowns` behind the admin key, and `/passthrough/…` when
 * pass-through shares this port.
 */
export function createInternalServer(dependencies: InternalServerDependencies): Server {
  return createServer((request, response) => {
    if (dependencies.passthrough && request.url?.startsWith(PASSTHROUGH_PREFIX)) return dependencies.passthrough(request, response);
    void route(request, response, dependencies).catch(() => send(response, 500, { error: 'internal error' }));
  });
}

async function route(request: IncomingMessage, response: ServerResponse, dependencies: InternalServerDependencies): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET') return send(response, 405, { error: 'method not allowed' });
  switch (path) {
    case '/health':
      return send(response, 200, { status: 'ok' });
    case '/ready': {
      const mode = dependencies.state.mode();
      const serving = dependencies.health.serving;
      const lagMs = dependencies.health.lagging;
      if (serving && lagMs !== undefined) return send(response, 503, { status: 'lagging', state: mode, event_loop_lag_ms: lagMs });
      return send(response, serving ? 200 : 503, { status: serving ? (mode === 'degraded' ? 'degraded' : 'ready') : 'draining', state: mode });
    }
    case '/metrics': {
      response.writeHead(200, { 'content-type': dependencies.registry.contentType });
      response.end(await dependencies.registry.metrics());
      return;
    }
    case '/admin/v1/cooldowns': {
      if (!dependencies.adminKey) return send(response, 403, { error: 'admin API disabled: set NACHOS_ADMIN_KEY' });
      if (!hasAdminKey(request, dependencies.adminKey)) return send(response, 401, { error: 'admin key required' });
      const now = Date.now();
      const cooldowns = (await dependencies.state.listCooldowns())
        .sort((a, b) => a.untilMs - b.untilMs)
        .map((cooldown) => ({
          key: cooldown.key,
          reason: cooldown.reason,
          until: new Date(cooldown.untilMs).toISOString(),
          remaining_ms: Math.max(0, cooldown.untilMs - now),
        }));
      return send(response, 200, { cooldowns, state: dependencies.state.mode() });
    }
    default:
      return send(response, 404, { error: 'not found' });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
