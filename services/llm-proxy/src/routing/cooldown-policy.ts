import type { NachosConfig } from '@nachos/common';
import type { ProviderError } from '@nachos/plugin-sdk';

export interface CooldownDecision {
  /** `credential`: the key is bad for every model; `model`: the provider limits this key per model. */
  scope: 'credential' | 'model';
  durationMs: number;
  reason: string;
  /** A rejected key is an operator problem worth an error-level log line. */
  loud: boolean;
}

/**
 * When a failed attempt takes its credential out of rotation, and for how long:
 * - 429: the provider's Retry-After (capped), else a default; per model, as providers limit per model.
 * - 401/403: a long cooldown for the key on every model, logged loudly.
 * - 5xx and timeouts: only after `server_error_threshold` in a row, per model.
 * Request errors (400-class) never cool a key: the request was at fault, not the key. Neither do
 * local failures (no pooled connection in time, a connect that timed out under our own load):
 * cooldowns come from what the provider said or did.
 */
export function decideCooldown(
  error: ProviderError,
  consecutiveServerErrors: number,
  settings: NachosConfig['llm']['cooldowns'],
): CooldownDecision | undefined {
  if (error.local) {
    return undefined;
  }
  switch (error.kind) {
    case 'rate_limited':
      return {
        scope: 'model',
        durationMs: Math.min(error.retryAfterMs ?? settings.rate_limit_default_ms, settings.rate_limit_max_ms),
        reason: `rate limited (${error.status ?? 429})`,
        loud: false,
      };
    case 'authentication':
    case 'permission':
      return { scope: 'credential', durationMs: settings.auth_ms, reason: `key rejected (${error.status ?? error.kind})`, loud: true };
    case 'unavailable':
    case 'timeout':
    case 'internal':
      return consecutiveServerErrors >= settings.server_error_threshold
        ? {
            scope: 'model',
            durationMs: settings.server_error_ms,
            reason: `${consecutiveServerErrors} failures in a row (${error.status ?? error.kind})`,
            loud: false,
          }
        : undefined;
    default:
      return undefined;
  }
}
