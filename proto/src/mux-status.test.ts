import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { ERROR_KINDS, ProviderError } from '@nachos/plugin-sdk';
import { MuxStatusSchema } from './gen/nachos/llm/v1/llm_proxy_pb.js';
import { WireReader } from './codec/wire-reader.js';
import { fromMuxStatus, readMuxStatus, toMuxStatus } from './mux-status.js';
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

  it('reads every status by hand as the generated schema does', () => {
    const errors = [undefined, new ProviderError({ kind: 'rate_limited', message: 'slow', retryAfterMs: 0 }), new ProviderError({ kind: 'timeout', message: 'late', retryAfterMs: 90_000 }), new Error('x')];
    for (const error of errors) {
      const bytes = toBinary(MuxStatusSchema, toMuxStatus(error));
      const { errorKind, message, retryAfterMs } = fromBinary(MuxStatusSchema, bytes);
      expect(readMuxStatus(new WireReader(bytes), bytes.length)).toStrictEqual(retryAfterMs === undefined ? { errorKind, message } : { errorKind, message, retryAfterMs });
    }
  });

  it('skips fields it does not know when reading a status', () => {
    // field 9 (varint 1), then error_kind "x"
    const bytes = new Uint8Array([0x48, 0x01, 0x0a, 0x01, 0x78]);
    expect(readMuxStatus(new WireReader(bytes), bytes.length)).toStrictEqual({ errorKind: 'x', message: '' });
  });
});
