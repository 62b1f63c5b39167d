import { Router } from 'express';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';

const READY_TIMEOUT_MS = 2_000;

/**
 * `/health` is liveness (this process answers); `/ready` is readiness (llm-proxy answers its health
 * service too), so an orchestrator only routes traffic to a gateway that can serve it.
 */
export function healthRoutes(client: LlmProxyClient, isDraining: () => boolean): Router {
  const router = Router();
  router.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/ready', async (_request, response) => {
    const llmProxy = await client.isServing(READY_TIMEOUT_MS);
    const ready = llmProxy && !isDraining();
    response.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      checks: { llm_proxy: llmProxy ? 'serving' : 'unreachable', draining: isDraining() },
    });
  });
  return router;
}
