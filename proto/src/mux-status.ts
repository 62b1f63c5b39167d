import { create } from '@bufbuild/protobuf';
import { ProviderError, isErrorKind } from '@nachos/plugin-sdk';
import { LENGTH_DELIMITED, VARINT, type WireReader } from './codec/wire-reader.js';
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

/** A status's fields, as the gateway reads them off the wire. */
export type MuxStatusFields = Pick<MuxStatus, 'errorKind' | 'message' | 'retryAfterMs'>;

const SUCCESS: MuxStatusFields = Object.freeze({ errorKind: '', message: '' });

/**
 * Reads a `MuxStatus` by hand from the .proto's field numbers, as `fromBinary(MuxStatusSchema, …)` would
 * (the last occurrence of a field wins, unknown fields skipped): every call ends with one, and success,
 * an empty message, is the shared {@link SUCCESS} with nothing built.
 */
export function readMuxStatus(r: WireReader, end: number): MuxStatusFields {
  if (r.pos === end) return SUCCESS;
  let errorKind = '';
  let message = '';
  let retryAfterMs: number | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 && wireType === LENGTH_DELIMITED) errorKind = r.string(end);
    else if (field === 2 && wireType === LENGTH_DELIMITED) message = r.string(end);
    else if (field === 3 && wireType === VARINT) retryAfterMs = r.varint(end);
    else r.skip(wireType, end);
  }
  return retryAfterMs === undefined ? { errorKind, message } : { errorKind, message, retryAfterMs };
}

/** The error a status reports, or undefined for success. A kind this build does not know is `internal`. */
export function fromMuxStatus(status: MuxStatusFields): ProviderError | undefined {
  if (status.errorKind === '') return undefined;
  return new ProviderError({
    kind: isErrorKind(status.errorKind) ? status.errorKind : 'internal',
    message: status.message,
    ...(status.retryAfterMs === undefined ? {} : { retryAfterMs: status.retryAfterMs }),
  });
}
