import type { Secret } from '@nachos/plugin-sdk';

/** Limits a key carries itself; each one absent falls back to `[rate_limit.per_key]` / `[rate_limit.per_user]`. */
export interface KeyLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  maxConcurrent?: number;
  inputTokenLimit?: number;
}

/** A key callers present to the gateway. Its name (never its value) is what logs, usage and limits know it by. */
export interface GatewayKey {
  name: string;
  secret: Secret;
  /** Model patterns the key may use; undefined means every model. */
  models: readonly string[] | undefined;
  limits: KeyLimits;
}
