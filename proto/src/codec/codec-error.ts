import { ProviderError, type ErrorKind } from '@nachos/plugin-sdk';

/**
 * The codec fails with a `ProviderError` like every other layer, so the error table turns it into a gRPC
 * status and the gateway into a client error. A bad request is the caller's fault (`invalid_request`);
 * a bad event, model list or embedding is llm-proxy's (`internal`).
 */
export type CodecErrorKind = Extract<ErrorKind, 'invalid_request' | 'internal'>;

export function codecError(kind: CodecErrorKind, message: string): ProviderError {
  return new ProviderError({ kind, message });
}
