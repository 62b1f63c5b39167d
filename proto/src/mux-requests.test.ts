import { create, fromBinary, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { ProviderError, Secret } from '@nachos/plugin-sdk';
import { everyField, minimal } from '../test/chat-request-samples.js';
import { fromProtoCallerPolicy, toProtoCallerPolicy, type CallerContext } from './codec/caller-policy-codec.js';
import { toProtoChatRequest } from './codec/chat-request-codec.js';
import { writeMuxOpen } from './codec/mux-open-writer.js';
import { ChatRequestSchema, MuxRequestSchema } from './gen/nachos/llm/v1/llm_proxy_pb.js';
import { combinedFrameLength } from './combined-frames.js';
import { cancelFrame, creditFrame, encodeCombinedRequests, openFrame } from './mux-frames.js';
import { decodeMuxRequest, decodeMuxRequestMessage } from './mux-requests.js';

const generated = (init: MessageInitShape<typeof MuxRequestSchema>) => toBinary(MuxRequestSchema, create(MuxRequestSchema, init));

/** The generated decoder's reading, in the shape decodeMuxRequest gives (request bytes as the schema re-encodes them). */
function byReflection(bytes: Uint8Array) {
  const { callId, frame } = fromBinary(MuxRequestSchema, bytes);
  switch (frame.case) {
    case 'open': {
      const { request, requestId, timeoutMs, credit, caller } = frame.value;
      return {
        callId,
        kind: 'open',
        open: { request: request && toBinary(ChatRequestSchema, request), requestId, timeoutMs, credit, caller: fromProtoCallerPolicy(caller) },
      };
    }
    case 'credit':
      return { callId, kind: 'credit', credit: frame.value };
    case 'cancel':
      return { callId, kind: 'cancel' };
    default:
      return { callId, kind: undefined };
  }
}

const reveal = (frame: ReturnType<typeof decodeMuxRequest>) =>
  frame.kind === 'open'
    ? { ...frame, open: { ...frame.open, request: frame.open.request && Buffer.from(frame.open.request).toString('hex'), caller: { ...frame.open.caller, providerKey: frame.open.caller.providerKey?.reveal() } } }
    : frame;

function expectSameAsReflection(bytes: Uint8Array): void {
  const expected = byReflection(bytes) as ReturnType<typeof decodeMuxRequest>;
  expect(reveal(decodeMuxRequest(bytes))).toEqual(reveal(expected));
}

const callers: Array<CallerContext | undefined> = [
  undefined,
  { allowedModels: [] },
  { allowedModels: ['gpt-*'], providerKey: new Secret('sk-own'), clientHeaders: { 'X-Team': 'blue', 'x-empty': '' } },
];

describe('decodeMuxRequest', () => {
  it('reads open frames as the generated decoder does, the chat request left as its bytes', () => {
    for (const request of [minimal, everyField]) {
      for (const caller of callers) {
        for (const [callId, requestId, timeoutMs, credit] of [[1, 'req-1', 30_000, 16], [2 ** 32 - 1, '', 0, 0]] as const) {
          const open = writeMuxOpen({ request, requestId, timeoutMs, credit, ...(caller ? { caller } : {}) });
          expectSameAsReflection(openFrame(callId, open));
          expectSameAsReflection(
            generated({ callId, frame: { case: 'open', value: { request: toProtoChatRequest(request), requestId, timeoutMs, credit, ...(caller ? { caller: toProtoCallerPolicy(caller) } : {}) } } }),
          );
        }
      }
    }
    expectSameAsReflection(generated({ callId: 3, frame: { case: 'open', value: {} } }));
  });

  it('reads credit, cancel and empty frames, the last frame member winning', () => {
    for (const bytes of [creditFrame(7, 8), creditFrame(300, 2 ** 31), cancelFrame(9), generated({ callId: 4 }), generated({ callId: 5, frame: { case: 'cancel', value: false } })]) {
      expectSameAsReflection(bytes);
    }
    const both = new Uint8Array([...creditFrame(7, 8), ...cancelFrame(7)]);
    expectSameAsReflection(both);
    expect(decodeMuxRequest(both)).toEqual({ callId: 7, kind: 'cancel' });
  });

  it('refuses a frame cut inside a field', () => {
    const bytes = openFrame(1, writeMuxOpen({ request: everyField, requestId: 'r', timeoutMs: 5, credit: 16 }));
    for (const length of [1, 3, 20, bytes.length - 1]) expect(() => decodeMuxRequest(bytes.subarray(0, length))).toThrow(ProviderError);
  });
});

describe('decodeMuxRequestMessage', () => {
  it('reads a combined message exactly as the generated schema writes it, frames in order, and a lone frame as decodeMuxRequest does', () => {
    const frames = [openFrame(1, writeMuxOpen({ request: minimal, requestId: 'r', timeoutMs: 5, credit: 16 })), creditFrame(2, 8), cancelFrame(3)];
    const message = encodeCombinedRequests(frames, frames.reduce((sum, frame) => sum + combinedFrameLength(frame), 0));
    expect(message).toEqual(toBinary(MuxRequestSchema, create(MuxRequestSchema, { combined: frames.map((frame) => fromBinary(MuxRequestSchema, frame)) })));
    const decoded = decodeMuxRequestMessage(message);
    expect('combined' in decoded && decoded.combined.map(reveal)).toEqual(frames.map((frame) => reveal(decodeMuxRequest(frame))));
    expect(decodeMuxRequestMessage(frames[1]!)).toEqual({ callId: 2, kind: 'credit', credit: 8 });
  });
});
