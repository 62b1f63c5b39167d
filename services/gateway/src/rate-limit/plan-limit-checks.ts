import { createHash, randomUUID } from 'node:crypto';
import type { Caller } from '../auth/caller.js';
import { isModelAllowed } from '../auth/model-access.js';
import type { LimitCheck } from './limit-check.js';
import type { RateLimitPolicy } from './rate-limit-policy.js';

const MINUTE_MS = 60_000;

/** What one request asks of the limits. */
export interface LimitRequest {
  caller: Caller;
  /** The model the client named, when the request names one. */
  model: string | undefined;
  /** The end user the client named, when it names one. */
  user: string | undefined;
  /** Estimated before the call; reconciled with real usage afterwards. Zero for requests that call no model. */
  estimate: { inputTokens: number; totalTokens: number };
}

/**
 * The checks one request must pass, all decided together: the key's requests, tokens and open requests
 * per minute (its own limits over `[rate_limit.per_key]`), its end user's input tokens per interval, and
 * each matching `[[rate_limit.per_model]]` rule, its `per_user` limit included. A limit of 0 is no check
 * at all. Keys share one Redis hash tag so that a decision stays on one shard of a cluster.
 */
export function planLimitChecks(request: LimitRequest, policy: RateLimitPolicy): LimitCheck[] {
  const { caller, estimate } = request;
  const base = `${policy.keyPrefix}{rl}`;
  const own = caller.limits;
  const checks: LimitCheck[] = [];
  const window = (name: LimitCheck['name'], key: string, limit: number, cost: number, windowMs = MINUTE_MS) => {
    if (limit > 0) checks.push({ kind: 'window', name, key, limit, cost, windowMs, consume: true });
  };
  const keyBase = keyLimitBase(policy, caller.keyName);
  window('requests', `${keyBase}:requests`, own.requestsPerMinute ?? policy.perKey.requestsPerMinute, 1);
  if (request.model !== undefined) window('tokens', `${keyBase}:tokens`, own.tokensPerMinute ?? policy.perKey.tokensPerMinute, estimate.totalTokens);
  if (request.model !== undefined && request.user !== undefined) {
    const userLimit = own.inputTokenLimit ?? policy.perUser.inputTokenLimit;
    window('user_input_tokens', `${keyBase}:user:${digest(request.user)}:input`, userLimit, estimate.inputTokens, policy.perUser.intervalMs);
  }
  if (request.model !== undefined) {
    for (const rule of policy.perModel) {
      if (!isModelAllowed(rule.patterns, request.model)) continue;
      window('model_requests', `${base}:model:${rule.model}:requests`, rule.requestsPerMinute, 1);
      window('model_tokens', `${base}:model:${rule.model}:tokens`, rule.tokensPerMinute, estimate.totalTokens);
      // The end user the client names, else the key itself: a caller who names no user is still one user.
      const user = request.user === undefined ? `${base}:model:${rule.model}:key:${caller.keyName}` : `${base}:model:${rule.model}:key:${caller.keyName}:user:${digest(request.user)}`;
      window('user_input_tokens', `${user}:input`, rule.perUser.inputTokenLimit, estimate.inputTokens, rule.perUser.intervalMs);
    }
  }
  const maxConcurrent = own.maxConcurrent ?? policy.perKey.maxConcurrent;
  if (maxConcurrent > 0) {
    checks.push({ kind: 'concurrency', name: 'concurrent', key: `${keyBase}:open`, limit: maxConcurrent, leaseId: randomUUID(), ttlMs: policy.leaseTtlMs });
  }
  return checks;
}

/** Where a gateway key's limits are counted: `<base>:requests`, `<base>:tokens`, `<base>:open` (leases). */
export function keyLimitBase(policy: RateLimitPolicy, keyName: string): string {
  return `${policy.keyPrefix}{rl}:key:${keyName}`;
}

/** End-user ids are the caller's data, of any length: Redis keys carry a digest of them. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}
