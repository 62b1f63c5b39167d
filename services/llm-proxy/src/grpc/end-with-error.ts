import type * as grpc from '@grpc/grpc-js';
import { toGrpcStatus } from '@nachos/proto';

/** Ends a call with the gRPC status that the error table gives the error (kind and retry-after in trailers). */
export function endWithError(call: grpc.ServerUnaryCall<unknown, unknown>, error: unknown, callback?: grpc.sendUnaryData<never>): void {
  const status = toGrpcStatus(error);
  const serviceError = Object.assign(new Error(status.details), status);
  if (callback) callback(serviceError);
  else call.emit('error', serviceError);
}
