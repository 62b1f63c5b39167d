import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { ERROR_KINDS, ProviderError } from '@nachos/plugin-sdk';
import { MuxStatusSchema } from './gen/nachos/llm/v1/llm_proxy_pb.js';
import { fromMuxStatus, toMuxStatus } from './mux-status.js';
import { MAX_STATUS_MESSAGE_LENGTH } from './seam-limits.js';

const roundTrip = (error?: unknown) => fromMuxStatus(fromBinary(MuxStatusSchema, toBinary(MuxStatusSchema, toMuxStatus(error))));

describe('Mux call status', () => {
  it('reads success as no error', () => {
    expect(roundTrip()).toBeUndefined();
  });

  it.each([...ERROR_KINDS])('keeps the kind %s and its message', (kind) => {
    expect(roundTrip(new ProviderError({ kind, message: `upstream said ${kind}` }))).toMatchObject({ kind, message: `upstream said ${kind}`, retryAfterMs: undefined });
  });

  it('carries the retry hint of a rate limit', () => {
    expect(roundTrip(new ProviderError({ kind: 'rate_limited', message: 'slow down', retryAfterMs: 2_500 }))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2_500 });
  });

  it('says nothing of an unexpected error but that it happened', () => {
    const error = roundTrip(new Error('connect ECONNRESET sk-secret at /srv/node_modules/x.js'));
    expect(error).toMatchObject({ kind: 'internal', message: 'Internal error in llm-proxy' });
  });

  it('cuts a message that quotes a huge client value', () => {
    const error = roundTrip(new ProviderError({ kind: 'not_found', message: `Unknown model '${'m'.repeat(100_000)}'` }));
    expect(error?.message.length).toBe(MAX_STATUS_MESSAGE_LENGTH);
    expect(error?.message.startsWith("Unknown model 'mmm")).toBe(true);
  });

  it('reads a kind it does not know as internal', () => {
    expect(fromMuxStatus({ ...toMuxStatus(), errorKind: 'from_the_future', message: 'x' })).toMatchObject({ kind: 'internal', message: 'x' });
  });
});
