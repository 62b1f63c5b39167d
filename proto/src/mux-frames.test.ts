import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { MuxOpenSchema, MuxRequestSchema } from './gen/nachos/llm/v1/llm_proxy_pb.js';
import { cancelFrame, creditFrame, openFrame } from './mux-frames.js';
import { toProtoChatRequest } from './codec/chat-request-codec.js';

const IDS = [1, 127, 128, 300, 16_383, 16_384, 2 ** 31, 2 ** 32 - 1];

describe('Mux frames written by hand', () => {
  it.each(IDS)('encode an open frame for call %d that the schema reads back', (callId) => {
    const open = create(MuxOpenSchema, {
      request: toProtoChatRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 'é'.repeat(200) }] }], sampling: {}, stream: true }),
      requestId: 'req-1',
      timeoutMs: 30_000,
      credit: 16,
      caller: { allowedModels: ['gpt-*'], restricted: true },
    });
    const frame = fromBinary(MuxRequestSchema, openFrame(callId, toBinary(MuxOpenSchema, open)));
    expect(frame.callId).toBe(callId);
    expect(frame.frame.case).toBe('open');
    expect(frame.frame.value).toEqual(open);
  });

  it.each(IDS)('encode credit and cancel frames for call %d', (callId) => {
    for (const credit of [0, 1, 8, 200, 70_000]) {
      expect(fromBinary(MuxRequestSchema, creditFrame(callId, credit))).toMatchObject({ callId, frame: { case: 'credit', value: credit } });
    }
    expect(fromBinary(MuxRequestSchema, cancelFrame(callId))).toMatchObject({ callId, frame: { case: 'cancel', value: true } });
  });
});
