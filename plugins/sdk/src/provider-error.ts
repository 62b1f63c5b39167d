import { type ErrorKind, isRetryableKind } from './error-kind.js';

const MARKER = Symbol.for('nachos.provider-error');

export interface ProviderErrorOptions {
  kind: ErrorKind;
  message: string;
  /** The upstream HTTP status, when there was one. */
  status?: number;
  /** How long the upstream asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  providerId?: string;
  /**
   * The call failed on our side before the provider was reached (no free pooled connection in time,
   * a connect that timed out): it says nothing about the provider or the key.
   */
  local?: boolean;
  cause?: unknown;
}

/**
 * The one way a plugin fails. Marked with a global symbol instead of relying on `instanceof`, because
 * a third-party plugin may carry its own copy of the SDK.
 */
export class ProviderError extends Error {
  readonly [MARKER] = true;
  readonly kind: ErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly providerId: string | undefined;
  readonly local: boolean;

  constructor(options: ProviderErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.providerId = options.providerId;
    this.local = options.local === true;
  }

  /** Whether another endpoint or key might succeed where this attempt failed. */
  get isRetryable(): boolean {
    return isRetryableKind(this.kind);
  }

  static isInstance(error: unknown): error is ProviderError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
