import { Router } from 'express';
import type { GatewayMetrics } from './gateway-metrics.js';

/** `GET /metrics` in Prometheus' text format. */
export function metricsRoutes(metrics: GatewayMetrics): Router {
  const router = Router();
  router.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
