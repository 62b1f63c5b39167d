import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { StreamEvent } from '@nachos/plugin-sdk';
import { fromProtoChatEvent, toProtoChatEvent } from './codec/chat-event-codec.js';
import { MuxResponseSchema } from './gen/nachos/llm/v1/llm_proxy_pb.js';
import { combinedFrameLength } from './combined-frames.js';
import { decodeMuxResponse, encodeCombinedFrames, encodeEventsFrame, encodeStatusFrame } from './mux-events.js';
import { toMuxStatus } from './mux-status.js';
import { ProviderError } from '@nachos/plugin-sdk';

/** Every kind of event, with its optional fields absent and present, zero values and non-ASCII text included. */
const EVENTS: StreamEvent[] = [
  { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o' },
  { type: 'start', id: '', model: 'm', provider: 'openai', endpoint: 'openai', attempts: 2 },
  { type: 'start', id: 'x', model: 'm', provider: '', attempts: 0 },
  { type: 'start', id: 'n', model: 'm', provider: 'openai', attempts: 1, choices: 3 },
  { type: 'choice', index: 0 },
  { type: 'choice', index: 2 },
  { type: 'text-delta', text: 'Hello, wörld 👋' },
  { type: 'text-delta', text: '' },
  { type: 'reasoning-delta', text: 'thinking' },
  { type: 'reasoning-delta', text: '', signature: 'sig==' },
  { type: 'redacted-reasoning', data: 'opaque' },
  { type: 'tool-call-start', index: 0, id: 'call_1', name: 'get_weather' },
  { type: 'tool-call-start', index: 3, id: 'call_2', name: 'f', signature: 's' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":"Zürich"}' },
  { type: 'tool-call-end', index: 0 },
  { type: 'tool-call-end', index: 7 },
  { type: 'finish', reason: 'stop' },
  { type: 'finish', reason: 'tool_calls', stopSequence: '' },
  { type: 'finish', reason: 'length', stopSequence: 'END' },
  { type: 'usage', usage: { inputTokens: 12, outputTokens: 0 } },
  { type: 'usage', usage: { inputTokens: 0, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 3, reasoningTokens: 2_000_000 } },
  // Lengths past one varint byte, and a negative int32 (ten bytes on the wire).
  { type: 'text-delta', text: 'ß'.repeat(200) + '字'.repeat(5000) },
  { type: 'tool-call-end', index: -2 },
  { type: 'usage', usage: { inputTokens: 2 ** 31 - 1, outputTokens: -(2 ** 31) } },
];

const generated = (callId: number, events: StreamEvent[]) =>
  toBinary(MuxResponseSchema, create(MuxResponseSchema, { callId, frame: { case: 'events', value: { events: events.map(toProtoChatEvent) } } }));

describe('Mux event frames written and read by hand', () => {
  it('writes exactly the bytes the generated schema writes', () => {
    for (const callId of [1, 300, 2 ** 32 - 1]) expect(encodeEventsFrame(callId, EVENTS)).toEqual(generated(callId, EVENTS));
    expect(encodeEventsFrame(5, [])).toEqual(generated(5, []));
  });

  it('reads back the canonical events the generated decoder and codec give', () => {
    const frame = decodeMuxResponse(encodeEventsFrame(42, EVENTS));
    expect(frame.callId).toBe(42);
    const viaSchema = fromBinary(MuxResponseSchema, generated(42, EVENTS));
    const expected = viaSchema.frame.case === 'events' ? viaSchema.frame.value.events.map(fromProtoChatEvent) : [];
    expect(frame.events).toStrictEqual(expected);
    expect(frame.events).toStrictEqual(EVENTS);
  });

  it('writes status frames exactly as the generated schema does', () => {
    const statuses = [toMuxStatus(), toMuxStatus(new ProviderError({ kind: 'rate_limited', message: 'slow', retryAfterMs: 0 })), toMuxStatus(new Error('x'))];
    for (const callId of [1, 300, 2 ** 32 - 1]) {
      for (const status of statuses) {
        expect(encodeStatusFrame(callId, status)).toEqual(toBinary(MuxResponseSchema, create(MuxResponseSchema, { callId, frame: { case: 'status', value: status } })));
      }
    }
  });

  it('refuses to write a count that is no int32', () => {
    for (const index of [2 ** 31, 1.5, Number.NaN]) {
      expect(() => encodeEventsFrame(1, [{ type: 'tool-call-end', index }])).toThrow(ProviderError);
    }
  });

  it('reads a status frame', () => {
    const bytes = toBinary(MuxResponseSchema, create(MuxResponseSchema, { callId: 9, frame: { case: 'status', value: toMuxStatus(new ProviderError({ kind: 'rate_limited', message: 'slow', retryAfterMs: 5 })) } }));
    expect(decodeMuxResponse(bytes)).toMatchObject({ callId: 9, status: { errorKind: 'rate_limited', message: 'slow', retryAfterMs: 5 } });
  });

  it('reads a finish reason from a newer llm-proxy as "other", and refuses an event of no known kind', () => {
    const finish = generated(1, [{ type: 'finish', reason: 'stop' }]);
    // The reason is the last byte of the frame: STOP (1) becomes a value this build does not know.
    finish[finish.length - 1] = 99;
    expect(decodeMuxResponse(finish).events).toEqual([{ type: 'finish', reason: 'other' }]);
    const empty = toBinary(MuxResponseSchema, create(MuxResponseSchema, { callId: 1, frame: { case: 'events', value: { events: [{}] } } }));
    expect(() => decodeMuxResponse(empty)).toThrow(ProviderError);
  });

  it('refuses a frame cut short anywhere, and skips fields it does not know', () => {
    const whole = encodeEventsFrame(7, EVENTS);
    for (const length of [1, 3, 10, whole.length - 1]) expect(() => decodeMuxResponse(whole.subarray(0, length))).toThrow(ProviderError);
    // Unknown fields of each wire type (varint, 64-bit, length-delimited, 32-bit) before the known ones.
    const unknown = Uint8Array.from([0x78, 0x96, 0x01, 0x81, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x8a, 0x01, 2, 0x61, 0x62, 0x95, 0x01, 1, 2, 3, 4]);
    const frame = new Uint8Array(unknown.length + whole.length);
    frame.set(unknown);
    frame.set(whole, unknown.length);
    expect(decodeMuxResponse(frame)).toEqual({ callId: 7, events: EVENTS });
  });

  it('combines frames in one message exactly as the generated schema writes its combined field, and reads them back in order', () => {
    const frames = [
      encodeEventsFrame(1, EVENTS.slice(0, 3)),
      encodeStatusFrame(2, toMuxStatus(new ProviderError({ kind: 'rate_limited', message: 'slow', retryAfterMs: 5 }))),
      encodeEventsFrame(300, EVENTS),
      encodeStatusFrame(1, toMuxStatus()),
    ];
    const message = encodeCombinedFrames(frames, frames.reduce((sum, frame) => sum + combinedFrameLength(frame), 0));
    expect(message).toEqual(toBinary(MuxResponseSchema, create(MuxResponseSchema, { combined: frames.map((frame) => fromBinary(MuxResponseSchema, frame)) })));
    expect(decodeMuxResponse(message)).toEqual({ combined: frames.map((frame) => decodeMuxResponse(frame)) });
    const cut = message.subarray(0, message.length - 1);
    expect(() => decodeMuxResponse(cut)).toThrow(ProviderError);
  });

  it('refuses to write an event it does not know', () => {
    expect(() => encodeEventsFrame(1, [{ type: 'telepathy' } as unknown as StreamEvent])).toThrow(/Unknown stream event type/);
  });
});
