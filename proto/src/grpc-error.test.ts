import * as grpc from '@grpc/grpc-js';
import { ERROR_KINDS, ProviderError, type ErrorKind } from '@nachos/plugin-sdk';
import { fromGrpcError, toGrpcStatus } from './grpc-error.js';
import { ERROR_KIND_METADATA_KEY, RETRY_AFTER_METADATA_KEY } from './metadata-keys.js';

/** What a grpc-js client hands to its callback or `'error'` listener for a status a server sent. */
function serviceError(code: grpc.status, details: string, metadata = new grpc.Metadata()): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${grpc.status[code]}: ${details}`), { code, details, metadata });
}

const TABLE: Array<[ErrorKind, grpc.status]> = [
  ['invalid_request', grpc.status.INVALID_ARGUMENT],
  ['authentication', grpc.status.UNAUTHENTICATED],
  ['permission', grpc.status.PERMISSION_DENIED],
  ['not_found', grpc.status.NOT_FOUND],
  ['rate_limited', grpc.status.RESOURCE_EXHAUSTED],
  ['unavailable', grpc.status.UNAVAILABLE],
  ['timeout', grpc.status.DEADLINE_EXCEEDED],
  ['context_length', grpc.status.OUT_OF_RANGE],
  ['content_filter', grpc.status.FAILED_PRECONDITION],
  ['internal', grpc.status.INTERNAL],
  ['cancelled', grpc.status.CANCELLED],
];

describe('gRPC error table', () => {
  it('covers every error kind', () => {
    expect(TABLE.map(([kind]) => kind).sort()).toEqual([...ERROR_KINDS].sort());
  });

  it.each(TABLE)('sends %s as status %s with the kind in the trailers', (kind, code) => {
    const status = toGrpcStatus(new ProviderError({ kind, message: `upstream said ${kind}` }));
    expect(status.code).toBe(code);
    expect(status.details).toBe(`upstream said ${kind}`);
    expect(status.metadata.get(ERROR_KIND_METADATA_KEY)).toEqual([kind]);
    expect(status.metadata.get(RETRY_AFTER_METADATA_KEY)).toEqual([]);
  });

  it.each(TABLE)('reads %s back from its status and trailers', (kind) => {
    const { code, details, metadata } = toGrpcStatus(new ProviderError({ kind, message: 'went wrong' }));
    const error = fromGrpcError(serviceError(code, details, metadata));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind, message: 'went wrong', retryAfterMs: undefined });
  });

  it.each(TABLE)('reads %s from status %s alone when there are no trailers', (kind, code) => {
    expect(fromGrpcError(serviceError(code, 'no trailers')).kind).toBe(kind);
  });

  it('carries retry-after across the wire', () => {
    const status = toGrpcStatus(new ProviderError({ kind: 'rate_limited', message: 'slow down', retryAfterMs: 2500 }));
    expect(status.metadata.get(RETRY_AFTER_METADATA_KEY)).toEqual(['2500']);
    const error = fromGrpcError(serviceError(status.code, status.details, status.metadata));
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2500, isRetryable: true });
  });

  it('prefers the kind in the trailers over the status code', () => {
    const metadata = new grpc.Metadata();
    metadata.set(ERROR_KIND_METADATA_KEY, 'context_length');
    expect(fromGrpcError(serviceError(grpc.status.INVALID_ARGUMENT, 'too long', metadata)).kind).toBe('context_length');
  });

  it('ignores a kind or retry-after in the trailers that it cannot read', () => {
    const metadata = new grpc.Metadata();
    metadata.set(ERROR_KIND_METADATA_KEY, 'exploded');
    metadata.set(RETRY_AFTER_METADATA_KEY, 'soon');
    const error = fromGrpcError(serviceError(grpc.status.UNAVAILABLE, 'down', metadata));
    expect(error).toMatchObject({ kind: 'unavailable', retryAfterMs: undefined });
  });

  it.each([grpc.status.UNKNOWN, grpc.status.UNIMPLEMENTED, grpc.status.DATA_LOSS, grpc.status.ABORTED])(
    'reads status %s, which no kind maps to, as internal',
    (code) => {
      expect(fromGrpcError(serviceError(code, 'odd')).kind).toBe('internal');
    },
  );

  it.each([
    ['an Error', new Error('ECONNRESET at /srv/app/node_modules/undici/lib/fetch.js:42 key=sk-secret')],
    ['a string', 'sk-secret leaked in a string'],
    ['undefined', undefined],
    ['a plain object', { kind: 'rate_limited', message: 'not really a ProviderError' }],
  ])('turns %s into INTERNAL with a generic message', (_label, thrown) => {
    const status = toGrpcStatus(thrown);
    expect(status.code).toBe(grpc.status.INTERNAL);
    expect(status.details).toBe('Internal error in llm-proxy');
    expect(status.metadata.get(ERROR_KIND_METADATA_KEY)).toEqual(['internal']);
    expect(JSON.stringify(status.metadata.getMap())).not.toMatch(/sk-secret|node_modules|ECONNRESET/);
  });

  it('replaces the transport details of a status llm-proxy did not send, which name internal addresses', () => {
    const error = fromGrpcError(serviceError(grpc.status.UNAVAILABLE, 'No connection established. Last error: connect ECONNREFUSED 10.0.3.7:50051'));
    expect(error).toMatchObject({ kind: 'unavailable', message: 'llm-proxy is unavailable; try again shortly.' });
    const metadata = new grpc.Metadata();
    metadata.set(ERROR_KIND_METADATA_KEY, 'unavailable');
    expect(fromGrpcError(serviceError(grpc.status.UNAVAILABLE, 'upstream overloaded', metadata)).message).toBe('upstream overloaded');
  });

  it('recognises a ProviderError from another copy of the SDK by its marker', () => {
    const foreign = Object.assign(new Error('from a plugin bundle'), {
      [Symbol.for('nachos.provider-error')]: true,
      kind: 'not_found' as const,
      retryAfterMs: undefined,
    });
    expect(toGrpcStatus(foreign)).toMatchObject({ code: grpc.status.NOT_FOUND, details: 'from a plugin bundle' });
  });
});
