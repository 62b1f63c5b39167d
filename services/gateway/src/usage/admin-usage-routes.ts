import { Router } from 'express';
import type { Secret } from '@nachos/plugin-sdk';
import type { FailedAttemptGuard } from '../auth/failed-attempt-guard.js';
import { requireAdminKey } from '../routes/require-admin-key.js';
import { sendAdminError } from '../routes/send-admin-error.js';
import { bucketsOf, HISTORY_RANGES, isHistoryRange } from './history/history-range.js';
import { summarizeHistory } from './history/summarize-history.js';
import type { UsageHistory } from './history/usage-history.js';
import type { UsageAggregates } from './usage-aggregates.js';

/**
 * The admin API under `/admin/v1`, behind its own key (`NACHOS_ADMIN_KEY`, also llm-proxy's): gateway keys
 * do not open it. Without an admin key it answers 403, so it is never open by accident.
 * `GET /admin/v1/usage`: this replica's usage totals since start, overall, per key and per model.
 * `GET /admin/v1/usage/history?range=hour|day|yesterday|week`: every replica's usage over that range, per
 * minute (hour) or per hour, overall and by gateway key, model, provider and endpoint.
 */
export function adminUsageRoutes(
  aggregates: UsageAggregates,
  history: UsageHistory,
  adminKey: Secret | undefined,
  adminGuard?: FailedAttemptGuard,
): Router {
  const router = Router();
  router.use(requireAdminKey(adminKey, adminGuard));
  router.get('/v1/usage', (_request, response) => {
    response.json(aggregates.snapshot());
  });
  router.get('/v1/usage/history', async (request, response) => {
    const range = request.query.range ?? 'hour';
    if (!isHistoryRange(range)) return sendAdminError(response, 400, 'invalid_request', `range must be one of ${HISTORY_RANGES.join(', ')}.`);
    const buckets = bucketsOf(range, Date.now());
    try {
      response.json(summarizeHistory(buckets, await history.buckets(buckets.scale, buckets.starts)));
    } catch {
      sendAdminError(response, 503, 'unavailable', 'The usage history store (Redis) did not answer; try again shortly.');
    }
  });
  return router;
}
