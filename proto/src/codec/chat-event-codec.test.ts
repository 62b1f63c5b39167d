import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { FinishReason, StreamEvent } from '@nachos/plugin-sdk';
import { ChatEventSchema, FinishReason as ProtoFinishReason } from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import { fromProtoChatEvent, toProtoChatEvent } from './chat-event-codec.js';

/** canonical → proto → bytes → proto → canonical, the path an event takes from llm-proxy to the gateway. */
function throughTheWire(event: StreamEvent): StreamEvent {
  return fromProtoChatEvent(fromBinary(ChatEventSchema, toBinary(ChatEventSchema, toProtoChatEvent(event))));
}

const everyEventWithEveryField: StreamEvent[] = [
  { type: 'start', id: 'msg_01', model: 'claude-sonnet-4-5', provider: 'anthropic', endpoint: 'anthropic-eu', attempts: 2 },
  { type: 'text-delta', text: 'Hello' },
  { type: 'reasoning-delta', text: 'Considering', signature: 'sig-abc' },
  { type: 'redacted-reasoning', data: 'EuYBCkQYAiJA' },
  { type: 'tool-call-start', index: 3, id: 'call_1', name: 'get_weather', signature: 'gemini-thought' },
  { type: 'tool-call-delta', index: 3, argumentsDelta: '{"city":' },
  { type: 'tool-call-end', index: 3 },
  { type: 'finish', reason: 'stop', stopSequence: '\n\nHuman:' },
  {
    type: 'usage',
    usage: { inputTokens: 120, outputTokens: 45, cacheReadTokens: 100, cacheWriteTokens: 20, reasoningTokens: 30 },
  },
];

const everyEventWithoutOptionalFields: StreamEvent[] = [
  { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o' },
  { type: 'reasoning-delta', text: 'Considering' },
  { type: 'tool-call-start', index: 0, id: 'call_1', name: 'lookup' },
  { type: 'finish', reason: 'tool_calls' },
  { type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } },
];

const presentFalsyValues: StreamEvent[] = [
  { type: 'start', id: '', model: '', provider: '', endpoint: '', attempts: 0 },
  { type: 'text-delta', text: '' },
  { type: 'reasoning-delta', text: '', signature: '' },
  { type: 'tool-call-start', index: 0, id: '', name: '', signature: '' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '' },
  { type: 'finish', reason: 'stop', stopSequence: '' },
  {
    type: 'usage',
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
  },
];

describe('chat event codec', () => {
  it.each(everyEventWithEveryField.map((event) => [event.type, event] as const))(
    'keeps every field of a %s event across the wire',
    (_type, event) => {
      expect(throughTheWire(event)).toStrictEqual(event);
    },
  );

  it.each(everyEventWithoutOptionalFields.map((event) => [event.type, event] as const))(
    'keeps the optional fields of a %s event absent',
    (_type, event) => {
      expect(throughTheWire(event)).toStrictEqual(event);
    },
  );

  it.each(presentFalsyValues.map((event) => [event.type, event] as const))(
    'keeps present empty and zero values of a %s event',
    (_type, event) => {
      expect(throughTheWire(event)).toStrictEqual(event);
    },
  );

  it.each(['stop', 'length', 'tool_calls', 'content_filter', 'other'] as const)('keeps finish reason %s', (reason) => {
    const event: StreamEvent = { type: 'finish', reason };
    expect(throughTheWire(event)).toStrictEqual(event);
  });

  it('reads a finish reason this build does not know as "other", so the stream still ends', () => {
    const fromNewerPeer = create(ChatEventSchema, {
      event: { case: 'finish', value: { reason: 42 as ProtoFinishReason } },
    });
    expect(fromProtoChatEvent(fromNewerPeer)).toStrictEqual({ type: 'finish', reason: 'other' });
  });

  it('fails on an event with no kind, as an internal error', () => {
    expect(() => fromProtoChatEvent(create(ChatEventSchema))).toThrow(expect.objectContaining({ kind: 'internal' }));
  });

  it('refuses to encode a finish reason outside the union', () => {
    const event = { type: 'finish', reason: 'done' as FinishReason } as const;
    expect(() => toProtoChatEvent(event)).toThrow(expect.objectContaining({ kind: 'internal' }));
  });
});
