import * as grpc from '@grpc/grpc-js';
import { ProviderError } from '@nachos/plugin-sdk';
import { ERROR_KIND_METADATA_KEY, RETRY_AFTER_METADATA_KEY } from '@nachos/proto';
import { toClientError } from '../errors/client-error.js';
import { callError } from './call-error.js';

function serviceError(code: grpc.status, details: string, metadata = new grpc.Metadata()): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata });
}

describe('errors of unary calls to llm-proxy', () => {
  it('reads a message the transport refused for its size as 413, never as a rate limit', () => {
    const error = callError(serviceError(grpc.status.RESOURCE_EXHAUSTED, 'Received message larger than max (5000000 vs. 4194304)'));
    expect(toClientError(error)).toMatchObject({ kind: 'invalid_request', status: 413 });
  });

  it('keeps a rate limit llm-proxy reported, with its retry hint', () => {
    const metadata = new grpc.Metadata();
    metadata.set(ERROR_KIND_METADATA_KEY, 'rate_limited');
    metadata.set(RETRY_AFTER_METADATA_KEY, '2000');
    const error = callError(serviceError(grpc.status.RESOURCE_EXHAUSTED, 'slow down', metadata));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(toClientError(error)).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 2000 });
  });
});
