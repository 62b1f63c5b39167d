import { create, toBinary } from '@bufbuild/protobuf';
import { Secret, type ChatRequest } from '@nachos/plugin-sdk';
import { MuxOpenSchema } from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import type { CallerContext } from './caller-policy-codec.js';
import { toProtoCallerPolicy } from './caller-policy-codec.js';
import { toProtoChatRequest } from './chat-request-codec.js';
import { everyField, minimal } from '../../test/chat-request-samples.js';
import { writeMuxOpen, type MuxOpenFields } from './mux-open-writer.js';

/** What protobuf-es writes for the same open: the generated schema, by reflection. */
function byReflection(open: MuxOpenFields): Uint8Array {
  return toBinary(
    MuxOpenSchema,
    create(MuxOpenSchema, {
      request: toProtoChatRequest(open.request),
      requestId: open.requestId,
      timeoutMs: open.timeoutMs,
      credit: open.credit,
      ...(open.caller ? { caller: toProtoCallerPolicy(open.caller) } : {}),
    }),
  );
}

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const callers: Array<CallerContext | undefined> = [
  undefined,
  {},
  { allowedModels: [] },
  { allowedModels: ['gpt-*', 'claude-sonnet'], providerKey: new Secret('sk-own-key'), clientHeaders: { 'x-team': 'blue', 'x-empty': '' } },
];

describe('writeMuxOpen', () => {
  it.each([
    ['a minimal request', minimal],
    ['a request with every field, part and option', everyField],
    ['the other tool choices, response formats and an empty reasoning', { ...minimal, toolChoice: { type: 'auto' }, responseFormat: { type: 'text' }, reasoning: {} } satisfies ChatRequest],
    ['tool choice none and JSON mode', { ...minimal, toolChoice: { type: 'none' }, responseFormat: { type: 'json_object' }, reasoning: { effort: 'none' } } satisfies ChatRequest],
    ['tool choice required and a schema with nothing in it', { ...minimal, model: '', toolChoice: { type: 'required' }, responseFormat: { type: 'json_schema', name: '' } } satisfies ChatRequest],
    ['empty lists and maps', { ...minimal, messages: [], tools: [], metadata: {}, anthropicBeta: [], sampling: { stop: [] } } satisfies ChatRequest],
  ])('writes %s exactly as protobuf-es does, with and without a caller', (_name, request) => {
    for (const caller of callers) {
      for (const [requestId, timeoutMs, credit] of [['req-1', 30_000, 16], ['', 0, 0], ['r', 0xffffffff, 1]] as const) {
        const open: MuxOpenFields = { request, requestId, timeoutMs, credit, ...(caller ? { caller } : {}) };
        expect(Buffer.from(writeMuxOpen(open)).toString('hex')).toBe(Buffer.from(byReflection(open)).toString('hex'));
      }
    }
  });

  it.each([
    ['an unknown role', { ...minimal, messages: [{ role: 'robot', content: [] }] }],
    ['an unknown content part', { ...minimal, messages: [{ role: 'user', content: [{ type: 'video' }] }] }],
    ['an unknown image detail', { ...minimal, messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'u' }, detail: 'max' }] }] }],
    ['an unknown tool choice', { ...minimal, toolChoice: { type: 'any' } }],
    ['a seed that is not an integer', { ...minimal, sampling: { seed: 1.5 } }],
    ['an unknown response format', { ...minimal, responseFormat: { type: 'yaml' } }],
    ['an unknown reasoning effort', { ...minimal, reasoning: { effort: 'extreme' } }],
    ['max_tokens that is not an int32', { ...minimal, sampling: { maxTokens: 2 ** 31 } }],
    ['top_k that is not an int32', { ...minimal, sampling: { topK: -(2 ** 31) - 1 } }],
    ['a reasoning budget that is not an int32', { ...minimal, reasoning: { budgetTokens: 2 ** 40 } }],
  ])('refuses %s with the error protobuf-es would give', (_name, request) => {
    const open = { request: request as unknown as ChatRequest, requestId: 'r', timeoutMs: 0, credit: 16 };
    const expected = failure(() => byReflection(open));
    const actual = failure(() => writeMuxOpen(open));
    expect(actual).toBeInstanceOf((expected as object).constructor);
    expect(actual).toMatchObject({ message: (expected as Error).message });
  });
});
