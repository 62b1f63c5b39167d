import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger, NachosConfig, SharedState } from '@nachos/common';
import { Counter, type Registry } from 'prom-client';
import type { EndpointTargetPolicy } from '../registry/endpoint-target-policy.js';
import { LoadBalancer } from '../routing/load-balancer.js';
import type { ModelTable } from '../routing/model-table.js';
import { createPassthroughHandler } from './passthrough-handler.js';

export interface Passthrough {
  handler: (request: IncomingMessage, response: ServerResponse) => void;
  /** Its own listener when `LLM_PROXY_PASSTHROUGH_PORT` is set; else the internal HTTP port serves it. */
  server: Server | undefined;
}

/** Builds the pass-through handler and, when it has a port of its own, listens on it. */
export async function startPassthrough(
  config: NachosConfig,
  table: () => ModelTable,
  state: SharedState,
  policy: EndpointTargetPolicy,
  registry: Registry,
  logger: Logger,
): Promise<Passthrough> {
  const strategy = config.llm.routing.load_balance;
  const handler = createPassthroughHandler({
    table,
    balancer: new LoadBalancer(strategy, state),
    strategy,
    state,
    policy,
    idleMs: config.llm.timeouts.idle_ms,
    requests: new Counter({
      name: 'nachos_llm_proxy_passthrough_requests_total',
      help: 'Pass-through requests by endpoint and upstream status ("failed" when the upstream never answered).',
      labelNames: ['endpoint', 'status'],
      registers: [registry],
    }),
    logger,
  });
  const port = config.llm_proxy.passthrough_port;
  if (port === 0) return { handler, server: undefined };
  const server = createServer(handler);
  // Uploads and long streams are the point of pass-through: only silence ends them (the idle timeout).
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, config.llm_proxy.host, () => resolve());
  });
  return { handler, server };
}
