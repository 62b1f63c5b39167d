import { Router } from 'express';
import type { LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import type { ReadinessCheck } from '../policy/readiness-check.js';

const READY_TIMEOUT_MS = 2_000;

/**
 * `/health` is liveness (this process answers); `/ready` is readiness (llm-proxy answers its health
 * service too, and every extra check, such as Redis, allows serving), so an orchestrator only routes
 * traffic to a gateway that can serve it. A degraded check keeps the replica ready but says so.
 */
export function healthRoutes(client: LlmProxyClient, isDraining: () => boolean, extraChecks: readonly ReadinessCheck[] = []): Router {
  const router = Router();
  router.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/ready', async (_request, response) => {
    const [llmProxy, extra] = await Promise.all([client.isServing(READY_TIMEOUT_MS), Promise.all(extraChecks.map((check) => check.probe()))]);
    const ready = llmProxy && !isDraining() && extra.every((result) => result.ready);
    const degraded = extra.some((result) => result.degraded);
    response.status(ready ? 200 : 503).json({
      status: ready ? (degraded ? 'degraded' : 'ready') : 'not_ready',
      checks: {
        llm_proxy: llmProxy ? 'serving' : 'unreachable',
        draining: isDraining(),
        ...Object.fromEntries(extraChecks.map((check, index) => [check.name, extra[index]?.status])),
      },
    });
  });
  return router;
}
