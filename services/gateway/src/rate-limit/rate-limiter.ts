import { GatewayError } from '../errors/gateway-error.js';
import { Admission } from './admission.js';
import type { LimitCheck, LimitName } from './limit-check.js';
import { keyLimitBase, planLimitChecks, type LimitRequest } from './plan-limit-checks.js';
import type { RateLimitPolicy } from './rate-limit-policy.js';
import type { PlacedDecision, ResilientLimitStore } from './resilient-limit-store.js';

const MINUTE_MS = 60_000;

/** A gateway key's use as its limits count it now. */
export interface KeyUse {
  requestsThisMinute: number;
  tokensThisMinute: number;
  openRequests: number;
}

/** What the store answers for a request with no checks, without being asked. */
const UNLIMITED: PlacedDecision = { allowed: true, states: [], store: undefined, backend: 'none' };

const REFUSAL: Readonly<Record<LimitName, string>> = {
  requests: 'This key has reached its requests-per-minute limit.',
  tokens: 'This key has reached its tokens-per-minute limit.',
  concurrent: 'This key has reached its limit of concurrent requests.',
  user_input_tokens: 'This user has reached its input-token limit for the interval.',
  model_requests: 'This model has reached its requests-per-minute limit.',
  model_tokens: 'This model has reached its tokens-per-minute limit.',
  auth_failures: 'Too many failed key checks from this address.',
};

/** Decides each request against every limit that applies to it, in one atomic step. */
export class RateLimiter {
  readonly #store: ResilientLimitStore;
  readonly #policy: RateLimitPolicy;
  readonly #onRejected: (limit: LimitName) => void;

  constructor(store: ResilientLimitStore, policy: RateLimitPolicy, onRejected: (limit: LimitName) => void) {
    this.#store = store;
    this.#policy = policy;
    this.#onRejected = onRejected;
  }

  get policy(): RateLimitPolicy {
    return this.#policy;
  }

  /**
   * Admits the request or throws a 429 (`rate_limited`, with the wait in `retryAfterMs`) naming the limit
   * that refused; a limiter that cannot decide in `closed` mode throws a 503. A request no limit applies to
   * is admitted at once, without a promise: most callers of a gateway without limits are such requests.
   */
  admit(request: LimitRequest): Admission | Promise<Admission> {
    const checks = planLimitChecks(request, this.#policy);
    if (checks.length === 0) return new Admission(UNLIMITED, checks, Date.now(), request.estimate);
    return this.#decide(request, checks);
  }

  async #decide(request: LimitRequest, checks: LimitCheck[]): Promise<Admission> {
    const now = Date.now();
    const decision = await this.#store.admit(checks, now);
    const admission = new Admission(decision, checks, now, request.estimate);
    if (!decision.allowed && decision.denied) {
      this.#onRejected(decision.denied.name);
      const { name, retryAfterMs, tooLarge } = decision.denied;
      throw new RateLimitRefusal(
        tooLarge ? `${REFUSAL[name]} This request alone is estimated above the limit.` : `${REFUSAL[name]} Retry after ${Math.ceil(retryAfterMs / 1000)} s.`,
        retryAfterMs,
        admission,
      );
    }
    return admission;
  }

  /** What `keyName`'s limits count now (every replica's requests while Redis answers), for the console. */
  async keyUse(keyName: string): Promise<KeyUse> {
    const base = keyLimitBase(this.#policy, keyName);
    const [requests = 0, tokens = 0, open = 0] = await this.#store.peek(
      [
        { kind: 'window', key: `${base}:requests`, windowMs: MINUTE_MS },
        { kind: 'window', key: `${base}:tokens`, windowMs: MINUTE_MS },
        { kind: 'concurrency', key: `${base}:open` },
      ],
      Date.now(),
    );
    return { requestsThisMinute: requests, tokensThisMinute: tokens, openRequests: open };
  }
}

/** A 429 that still carries the decision, so the refusal can show the `x-ratelimit-*` state too. */
export class RateLimitRefusal extends GatewayError {
  readonly admission: Admission;

  constructor(message: string, retryAfterMs: number, admission: Admission) {
    super({ kind: 'rate_limited', message, code: 'rate_limit_exceeded', retryAfterMs: Math.max(1, retryAfterMs) });
    this.admission = admission;
  }
}
