import type * as grpc from '@grpc/grpc-js';
import { ProviderError } from '@nachos/plugin-sdk';
import { fromGrpcError, isMessageTooLarge } from '@nachos/proto';
import { GatewayError } from '../errors/gateway-error.js';

/** A request whose encoding the seam cannot carry is the caller's: 413, as for a body over the limit. */
export function requestTooLarge(): GatewayError {
  return new GatewayError({ kind: 'invalid_request', status: 413, message: 'The request is too large.' });
}

/** The error a failed unary call stands for: a size refusal by the transport is 413, never a rate limit. */
export function callError(error: grpc.ServiceError): Error {
  return isMessageTooLarge(error) ? requestTooLarge() : fromGrpcError(error);
}

export function llmProxyUnavailable(): ProviderError {
  return new ProviderError({ kind: 'unavailable', message: 'llm-proxy is unavailable; try again shortly.' });
}
