import { create } from '@bufbuild/protobuf';
import { ProviderError, isErrorKind } from '@nachos/plugin-sdk';
import { MuxStatusSchema, type MuxStatus } from './gen/nachos/llm/v1/llm_proxy_pb.js';
import { GENERIC_INTERNAL_MESSAGE } from './grpc-error.js';
import { boundStatusMessage } from './seam-limits.js';

/**
 * The terminal status of a call on the `Mux` stream. It carries the canonical error kind itself, so no
 * gRPC code stands between the two services: a rate limit is `rate_limited` because llm-proxy said so,
 * never because a transport ran out of something.
 */

const OK = create(MuxStatusSchema, {});

/** The status for a call that ended: success with no error, else the error's kind, message and retry hint. */
export function toMuxStatus(error?: unknown): MuxStatus {
  if (error === undefined) return OK;
  if (!ProviderError.isInstance(error)) return create(MuxStatusSchema, { errorKind: 'internal', message: GENERIC_INTERNAL_MESSAGE });
  return create(MuxStatusSchema, {
    errorKind: error.kind,
    message: boundStatusMessage(error.message),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: Math.max(0, Math.min(0xffffffff, Math.round(error.retryAfterMs))) }),
  });
}

/** The error a status reports, or undefined for success. A kind this build does not know is `internal`. */
export function fromMuxStatus(status: MuxStatus): ProviderError | undefined {
  if (status.errorKind === '') return undefined;
  return new ProviderError({
    kind: isErrorKind(status.errorKind) ? status.errorKind : 'internal',
    message: status.message,
    ...(status.retryAfterMs === undefined ? {} : { retryAfterMs: status.retryAfterMs }),
  });
}
