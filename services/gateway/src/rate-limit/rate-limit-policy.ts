import { parseInterval, type AuthSettings, type RateLimitSettings } from '@nachos/common';

/** The limits of `[rate_limit]`, read once at start-up. 0 means no limit throughout. */
export interface RateLimitPolicy {
  perKey: { requestsPerMinute: number; tokensPerMinute: number; maxConcurrent: number };
  perUser: { inputTokenLimit: number; intervalMs: number };
  perModel: ReadonlyArray<ModelLimits>;
  leaseTtlMs: number;
  estimatedOutputTokens: number;
  failedAttemptsPerMinute: number;
  /** Prefix of every Redis key, `redis.key_prefix`. */
  keyPrefix: string;
}

/** One `[[rate_limit.per_model]]` rule. */
export interface ModelLimits {
  /** The rule's patterns as one name, keying its counters. */
  model: string;
  patterns: readonly string[];
  requestsPerMinute: number;
  tokensPerMinute: number;
  perUser: { inputTokenLimit: number; intervalMs: number };
}

export function readRateLimitPolicy(settings: RateLimitSettings, auth: AuthSettings, keyPrefix: string): RateLimitPolicy {
  const userIntervalMs = parseInterval(settings.per_user.interval) ?? 86_400_000;
  return {
    perKey: {
      requestsPerMinute: settings.per_key.requests_per_minute,
      tokensPerMinute: settings.per_key.tokens_per_minute,
      maxConcurrent: settings.per_key.max_concurrent,
    },
    perUser: { inputTokenLimit: settings.per_user.input_token_limit, intervalMs: userIntervalMs },
    perModel: settings.per_model.map((rule) => {
      const patterns = typeof rule.model === 'string' ? [rule.model] : rule.model;
      return {
        model: patterns.join(','),
        patterns,
        requestsPerMinute: rule.requests_per_minute ?? 0,
        tokensPerMinute: rule.tokens_per_minute ?? 0,
        perUser: { inputTokenLimit: rule.per_user?.input_token_limit ?? 0, intervalMs: parseInterval(rule.per_user?.interval) ?? userIntervalMs },
      };
    }),
    leaseTtlMs: Math.max(1_000, settings.lease_ttl_ms),
    estimatedOutputTokens: settings.estimated_output_tokens,
    failedAttemptsPerMinute: auth.failed_attempts_per_minute,
    keyPrefix,
  };
}
