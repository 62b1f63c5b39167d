import { Router } from 'express';
import type { Secret } from '@nachos/plugin-sdk';
import { requireAdminKey } from '../routes/require-admin-key.js';
import type { UsageAggregates } from './usage-aggregates.js';

/**
 * The admin API under `/admin/v1`, behind its own key (`NACHOS_ADMIN_KEY`, also llm-proxy's): gateway keys
 * do not open it. Without an admin key it answers 403, so it is never open by accident.
 * `GET /admin/v1/usage`: this replica's usage totals since start, overall, per key and per model.
 */
export function adminUsageRoutes(aggregates: UsageAggregates, adminKey: Secret | undefined): Router {
  const router = Router();
  router.use(requireAdminKey(adminKey));
  router.get('/v1/usage', (_request, response) => {
    response.json(aggregates.snapshot());
  });
  return router;
}
