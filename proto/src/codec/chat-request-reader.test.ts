import { create, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { fromBinary } from '@bufbuild/protobuf';
import type { ChatRequest } from '@nachos/plugin-sdk';
import { ProviderError } from '@nachos/plugin-sdk';
import { everyField, minimal } from '../../test/chat-request-samples.js';
import { ChatRequestSchema } from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import { fromProtoChatRequest, toProtoChatRequest } from './chat-request-codec.js';
import { readChatRequest } from './chat-request-reader.js';

/** What llm-proxy got before: the generated decoder, then the codec. */
const byReflection = (bytes: Uint8Array) => fromProtoChatRequest(fromBinary(ChatRequestSchema, bytes));

function outcome(read: () => ChatRequest): { request?: string; error?: { kind: string; message: string } } {
  try {
    // Key order included: the canonical request is spread and copied downstream.
    return { request: JSON.stringify(read()) };
  } catch (error) {
    return ProviderError.isInstance(error) ? { error: { kind: error.kind, message: error.message } } : { error: { kind: 'thrown', message: String(error) } };
  }
}

function expectSameAsReflection(bytes: Uint8Array): void {
  const expected = outcome(() => byReflection(bytes));
  expect(outcome(() => readChatRequest(bytes))).toEqual(expected);
  if (expected.request) expect(readChatRequest(bytes)).toEqual(byReflection(bytes));
}

const encode = (request: ChatRequest) => toBinary(ChatRequestSchema, toProtoChatRequest(request));
const raw = (init: MessageInitShape<typeof ChatRequestSchema>) => toBinary(ChatRequestSchema, create(ChatRequestSchema, init));

describe('readChatRequest', () => {
  it.each([
    ['a minimal request', minimal],
    ['a request with every field, part and option', everyField],
    ['the other tool choices, response formats and an empty reasoning', { ...minimal, toolChoice: { type: 'auto' }, responseFormat: { type: 'text' }, reasoning: {} } satisfies ChatRequest],
    ['tool choice none and JSON mode', { ...minimal, toolChoice: { type: 'none' }, responseFormat: { type: 'json_object' }, reasoning: { effort: 'none' } } satisfies ChatRequest],
    ['tool choice required and a schema with nothing in it', { ...minimal, model: '', toolChoice: { type: 'required' }, responseFormat: { type: 'json_schema', name: '' } } satisfies ChatRequest],
    ['empty lists and maps', { ...minimal, messages: [], tools: [], metadata: {}, anthropicBeta: [], sampling: { stop: [] } } satisfies ChatRequest],
    ['negative and large numbers', { ...minimal, sampling: { maxTokens: -5, topK: 2 ** 31 - 1, seed: 2 ** 53 - 1, temperature: 1e-300 } } satisfies ChatRequest],
  ])('reads %s as the generated decoder and codec do', (_name, request) => {
    expectSameAsReflection(encode(request));
  });

  it('reads an empty request, and skips fields it does not know', () => {
    expectSameAsReflection(new Uint8Array(0));
    const known = encode(everyField);
    // Unknown fields of each wire type (varint, 64-bit, length-delimited, 32-bit) before the known ones.
    const unknown = Uint8Array.from([0xf8, 0x07, 0x96, 0x01, 0x81, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x8a, 0x08, 2, 0x61, 0x62, 0x95, 0x08, 1, 2, 3, 4]);
    const bytes = new Uint8Array(unknown.length + known.length);
    bytes.set(unknown);
    bytes.set(known, unknown.length);
    expectSameAsReflection(bytes);
  });

  it.each([
    ['an unknown role', raw({ messages: [{ role: 99 }] })],
    ['no role', raw({ messages: [{}] })],
    ['a content part of no kind', raw({ messages: [{ role: 3, content: [{}] }] })],
    ['an image with no source', raw({ messages: [{ role: 3, content: [{ part: { case: 'image', value: {} } }] }] })],
    ['a document with no source', raw({ messages: [{ role: 3, content: [{ part: { case: 'document', value: {} } }] }] })],
    ['tool result content of no kind', raw({ messages: [{ role: 5, content: [{ part: { case: 'toolResult', value: { content: [{}] } } }] }] })],
    ['an image detail this build does not know', raw({ messages: [{ role: 3, content: [{ part: { case: 'image', value: { source: { case: 'url', value: 'u' }, detail: 42 } } }] }] })],
    ['a tool choice of no kind', raw({ toolChoice: {} })],
    ['a response format of no kind', raw({ responseFormat: {} })],
    ['an unknown reasoning effort', raw({ reasoning: { effort: 77 } })],
    ['an unknown pass-through family', raw({ passthrough: { family: 'cobol' } })],
    ['a seed past what a number holds', raw({ sampling: { seed: 2n ** 60n } })],
    ['a negative seed', raw({ sampling: { seed: -42n } })],
  ])('answers %s as the generated decoder and codec do', (_name, bytes) => {
    expectSameAsReflection(bytes);
  });

  it('reads a request cut short at a field boundary as the shorter request it is, and refuses one cut inside a field', () => {
    const bytes = encode(everyField);
    let refused = 0;
    for (let length = 1; length < bytes.length; length += 1) {
      const cut = bytes.subarray(0, length);
      const expected = outcome(() => byReflection(cut));
      if (expected.error?.kind === 'thrown') {
        refused += 1;
        expect(() => readChatRequest(cut)).toThrow(ProviderError);
      } else expect(outcome(() => readChatRequest(cut))).toEqual(expected);
    }
    expect(refused).toBeGreaterThan(bytes.length / 2);
  });
});
