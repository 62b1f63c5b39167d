import { randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { REQUEST_ID_METADATA_KEY } from '@nachos/proto';

/** The gateway's request id, or a fresh one for callers that sent none. */
export function requestIdOf(call: grpc.ServerUnaryCall<unknown, unknown>): string {
  const value = call.metadata.get(REQUEST_ID_METADATA_KEY)[0];
  return typeof value === 'string' && value !== '' ? value : randomUUID();
}
