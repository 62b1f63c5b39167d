import { parseInterval, type AuthSettings, type RateLimitSettings } from '@nachos/common';

/** The limits of `[rate_limit]`, read once at start-up. 0 means no limit throughout. */
export interface RateLimitPolicy {
  perKey: { requestsPerMinute: number; tokensPerMinute: number; maxConcurrent: number };
  perUser: { inputTokenLimit: number; intervalMs: number };
  perModel: ReadonlyArray<{ model: string; requestsPerMinute: number; tokensPerMinute: number }>;
  leaseTtlMs: number;
  estimatedOutputTokens: number;
  failedAttemptsPerMinute: number;
  /** Prefix of every Redis key, `redis.key_prefix`. */
  keyPrefix: string;
}

export function readRateLimitPolicy(settings: RateLimitSettings, auth: AuthSettings, keyPrefix: string): RateLimitPolicy {
  return {
    perKey: {
      requestsPerMinute: settings.per_key.requests_per_minute,
      tokensPerMinute: settings.per_key.tokens_per_minute,
      maxConcurrent: settings.per_key.max_concurrent,
    },
    perUser: { inputTokenLimit: settings.per_user.input_token_limit, intervalMs: parseInterval(settings.per_user.interval) ?? 86_400_000 },
    perModel: settings.per_model.map((rule) => ({
      model: rule.model,
      requestsPerMinute: rule.requests_per_minute ?? 0,
      tokensPerMinute: rule.tokens_per_minute ?? 0,
    })),
    leaseTtlMs: Math.max(1_000, settings.lease_ttl_ms),
    estimatedOutputTokens: settings.estimated_output_tokens,
    failedAttemptsPerMinute: auth.failed_attempts_per_minute,
    keyPrefix,
  };
}
