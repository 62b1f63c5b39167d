import * as grpc from '@grpc/grpc-js';
import { ProviderError, isErrorKind, type ErrorKind } from '@nachos/plugin-sdk';
import { ERROR_KIND_METADATA_KEY, RETRY_AFTER_METADATA_KEY } from './metadata-keys.js';
import { boundStatusMessage } from './seam-limits.js';

/**
 * The one table between error kinds and gRPC status codes. llm-proxy ends a failed call with
 * `toGrpcStatus(error)`; the gateway turns the `ServiceError` it receives back into the same
 * `ProviderError` with `fromGrpcError`. The kind also travels in the trailers, because several kinds
 * could share a code in the future and a code alone cannot say "context_length" from "out of range".
 */

const STATUS_BY_KIND: Readonly<Record<ErrorKind, grpc.status>> = {
  invalid_request: grpc.status.INVALID_ARGUMENT,
  authentication: grpc.status.UNAUTHENTICATED,
  permission: grpc.status.PERMISSION_DENIED,
  not_found: grpc.status.NOT_FOUND,
  rate_limited: grpc.status.RESOURCE_EXHAUSTED,
  unavailable: grpc.status.UNAVAILABLE,
  timeout: grpc.status.DEADLINE_EXCEEDED,
  context_length: grpc.status.OUT_OF_RANGE,
  content_filter: grpc.status.FAILED_PRECONDITION,
  internal: grpc.status.INTERNAL,
  cancelled: grpc.status.CANCELLED,
};

const KIND_BY_STATUS: ReadonlyMap<grpc.status, ErrorKind> = new Map(
  (Object.entries(STATUS_BY_KIND) as Array<[ErrorKind, grpc.status]>).map(([kind, code]) => [code, kind]),
);

/** Said instead of an unexpected error's own message, which may hold internals or secrets. */
export const GENERIC_INTERNAL_MESSAGE = 'Internal error in llm-proxy';

/** A status for `call.emit('error', status)` or `callback(status)`: grpc-js sends `metadata` as trailers. */
export interface GrpcStatus {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}

/**
 * Maps anything thrown while serving a call to a gRPC status. A `ProviderError` keeps its kind, message
 * and retry hint; any other value becomes INTERNAL with a generic message (log the original yourself).
 */
export function toGrpcStatus(error: unknown): GrpcStatus {
  const metadata = new grpc.Metadata();
  if (!ProviderError.isInstance(error)) {
    metadata.set(ERROR_KIND_METADATA_KEY, 'internal');
    return { code: grpc.status.INTERNAL, details: GENERIC_INTERNAL_MESSAGE, metadata };
  }
  metadata.set(ERROR_KIND_METADATA_KEY, error.kind);
  if (error.retryAfterMs !== undefined) metadata.set(RETRY_AFTER_METADATA_KEY, String(Math.round(error.retryAfterMs)));
  return { code: STATUS_BY_KIND[error.kind], details: boundStatusMessage(error.message), metadata };
}

const TRANSPORT_MESSAGES: Partial<Record<string, string>> = {
  unavailable: 'llm-proxy is unavailable; try again shortly.',
  timeout: 'llm-proxy did not answer in time.',
  cancelled: 'The call to llm-proxy was cancelled.',
};

/**
 * Whether a failed call was refused by the transport for its size: RESOURCE_EXHAUSTED that llm-proxy did
 * not send (no kind in the trailers). It is the request's fault, never a rate limit; the gateway answers 413.
 */
export function isMessageTooLarge(error: grpc.ServiceError): boolean {
  return error.code === grpc.status.RESOURCE_EXHAUSTED && !isErrorKind(error.metadata?.get(ERROR_KIND_METADATA_KEY)[0]);
}

/**
 * Rebuilds the `ProviderError` behind a failed call: the kind from the trailers when llm-proxy sent one,
 * else from the status code (a deadline or cancellation on the client side, a connection that failed),
 * else `internal`.
 */
export function fromGrpcError(error: grpc.ServiceError): ProviderError {
  const [kindValue] = error.metadata?.get(ERROR_KIND_METADATA_KEY) ?? [];
  const kind = isErrorKind(kindValue) ? kindValue : (KIND_BY_STATUS.get(error.code) ?? 'internal');
  const [retryAfterValue] = error.metadata?.get(RETRY_AFTER_METADATA_KEY) ?? [];
  const retryAfterMs = typeof retryAfterValue === 'string' ? Number(retryAfterValue) : Number.NaN;
  // A status llm-proxy did not send (no kind in the trailers) comes from the transport, whose details
  // name internal addresses; callers get a plain sentence instead.
  const fromServer = isErrorKind(kindValue);
  return new ProviderError({
    kind,
    message: fromServer ? error.details || error.message : TRANSPORT_MESSAGES[kind] ?? 'llm-proxy could not complete the call.',
    ...(Number.isFinite(retryAfterMs) && retryAfterMs >= 0 ? { retryAfterMs } : {}),
    cause: error,
  });
}
