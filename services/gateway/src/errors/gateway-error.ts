import type { ErrorKind } from '@nachos/plugin-sdk';

export interface GatewayErrorOptions {
  kind: ErrorKind;
  message: string;
  /** The request field at fault, for OpenAI's `param`. */
  param?: string;
  /** A machine-readable code, for OpenAI's `code` (`model_not_found`, `empty_array`). */
  code?: string;
  retryAfterMs?: number;
  /** Overrides the status the kind maps to (413 for a body too large is still `invalid_request`). */
  status?: number;
}

/**
 * A failure the gateway decides itself (bad input, auth, limits). Rendered in the caller's protocol by the
 * error handler, like the `ProviderError`s that come back from llm-proxy.
 */
export class GatewayError extends Error {
  readonly kind: ErrorKind;
  readonly param: string | undefined;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(options: GatewayErrorOptions) {
    super(options.message);
    this.name = 'GatewayError';
    this.kind = options.kind;
    this.param = options.param;
    this.code = options.code;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

export function invalidRequest(message: string, param?: string, code?: string): GatewayError {
  return new GatewayError({ kind: 'invalid_request', message, ...(param ? { param } : {}), ...(code ? { code } : {}) });
}
