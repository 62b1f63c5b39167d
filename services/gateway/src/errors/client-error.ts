import { ProviderError, type ErrorKind } from '@nachos/plugin-sdk';
import { GatewayError } from './gateway-error.js';
import { HTTP_STATUS } from './http-status.js';

/** What every protocol's error renderer needs to know about a failure, whatever threw it. */
export interface ClientError {
  kind: ErrorKind;
  status: number;
  message: string;
  param?: string;
  code?: string;
  retryAfterMs?: number;
}

const CALLER_KEY_REJECTED = 'The provider rejected the provider API key this request brought.';

/**
 * Normalises anything thrown while serving a request. Unknown errors become a generic 502 so that no
 * stack trace or internal detail reaches a client; the caller logs the original. A provider's refusal of
 * a key is the operator's problem (503), unless the caller brought their own provider key (401).
 */
export function toClientError(error: unknown, caller?: { providerKey?: unknown }): ClientError {
  if (error instanceof GatewayError) {
    return {
      kind: error.kind,
      status: error.status ?? HTTP_STATUS[error.kind],
      message: error.message,
      ...(error.param ? { param: error.param } : {}),
      ...(error.code ? { code: error.code } : {}),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
  }
  if (ProviderError.isInstance(error)) {
    // A caller who brought a provider key is told when a provider refused a key: it is theirs to fix.
    if (error.kind === 'authentication' && caller?.providerKey !== undefined) {
      return { kind: 'authentication', status: HTTP_STATUS.authentication, message: CALLER_KEY_REJECTED, code: 'invalid_provider_key' };
    }
    const kind = error.kind === 'authentication' || error.kind === 'permission' ? 'unavailable' : error.kind;
    const message =
      kind === error.kind ? error.message : 'The upstream provider rejected the configured credentials; the operator has been told.';
    return {
      kind,
      status: HTTP_STATUS[kind],
      message,
      ...(kind === 'not_found' ? { code: 'model_not_found' } : {}),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
  }
  return { kind: 'internal', status: 502, message: 'The gateway could not complete the request.' };
}
