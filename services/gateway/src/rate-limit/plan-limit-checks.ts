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
  const own = caller.limits;
  const checks: LimitCheck[] = [];
  // Each key (and an end user's digest) is made only for a limit that applies: a gateway without limits
  // builds no string and hashes nothing per request.
  const requestsPerMinute = own.requestsPerMinute ?? policy.perKey.requestsPerMinute;
  const tokensPerMinute = request.model === undefined ? 0 : (own.tokensPerMinute ?? policy.perKey.tokensPerMinute);
  const userLimit = request.model === undefined || request.user === undefined ? 0 : (own.inputTokenLimit ?? policy.perUser.inputTokenLimit);
  const maxConcurrent = own.maxConcurrent ?? policy.perKey.maxConcurrent;
  const keyBase = requestsPerMinute > 0 || tokensPerMinute > 0 || userLimit > 0 || maxConcurrent > 0 ? keyLimitBase(policy, caller.keyName) : '';
  if (requestsPerMinute > 0) checks.push(windowCheck('requests', `${keyBase}:requests`, requestsPerMinute, 1));
  if (tokensPerMinute > 0) checks.push(windowCheck('tokens', `${keyBase}:tokens`, tokensPerMinute, estimate.totalTokens));
  if (userLimit > 0) {
    const key = `${keyBase}:user:${digest(request.user as string)}:input`;
    checks.push(windowCheck('user_input_tokens', key, userLimit, estimate.inputTokens, policy.perUser.intervalMs));
  }
  if (request.model !== undefined) {
    const base = `${policy.keyPrefix}{rl}`;
    for (const rule of policy.perModel) {
      if (!isModelAllowed(rule.patterns, request.model)) continue;
      if (rule.requestsPerMinute > 0) checks.push(windowCheck('model_requests', `${base}:model:${rule.model}:requests`, rule.requestsPerMinute, 1));
      if (rule.tokensPerMinute > 0) checks.push(windowCheck('model_tokens', `${base}:model:${rule.model}:tokens`, rule.tokensPerMinute, estimate.totalTokens));
      if (rule.perUser.inputTokenLimit <= 0) continue;
      // The end user the client names, else the key itself: a caller who names no user is still one user.
      const user = request.user === undefined ? `${base}:model:${rule.model}:key:${caller.keyName}` : `${base}:model:${rule.model}:key:${caller.keyName}:user:${digest(request.user)}`;
      checks.push(windowCheck('user_input_tokens', `${user}:input`, rule.perUser.inputTokenLimit, estimate.inputTokens, rule.perUser.intervalMs));
    }
  }
  if (maxConcurrent > 0) {
    checks.push({ kind: 'concurrency', name: 'concurrent', key: `${keyBase}:open`, limit: maxConcurrent, leaseId: randomUUID(), ttlMs: policy.leaseTtlMs });
  }
  return checks;
}

function windowCheck(name: LimitCheck['name'], key: string, limit: number, cost: number, windowMs = MINUTE_MS): LimitCheck {
  return { kind: 'window', name, key, limit, cost, windowMs, consume: true };
}

/** Where a gateway key's limits are counted: `<base>:requests`, `<base>:tokens`, `<base>:open` (leases). */
export function keyLimitBase(policy: RateLimitPolicy, keyName: string): string {
  return `${policy.keyPrefix}{rl}:key:${keyName}`;
}

/** End-user ids are the caller's data, of any length: Redis keys carry a digest of them. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}
