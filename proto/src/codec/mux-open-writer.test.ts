import { create, toBinary } from '@bufbuild/protobuf';
import { Secret, type ChatRequest } from '@nachos/plugin-sdk';
import { MuxOpenSchema } from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import type { CallerContext } from './caller-policy-codec.js';
import { toProtoCallerPolicy } from './caller-policy-codec.js';
import { toProtoChatRequest } from './chat-request-codec.js';
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

const minimal: ChatRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], sampling: {}, stream: false };

const everyField: ChatRequest = {
  model: 'claude-sonnet',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.', cacheControl: { type: 'ephemeral', ttl: '1h' } }] },
    { role: 'developer', content: [{ type: 'text', text: 'Answer in English.', cacheControl: { type: 'ephemeral' } }] },
    {
      role: 'user',
      name: 'alice',
      content: [
        { type: 'text', text: 'Qu’y a-t-il sur ces images ? 🐱' },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' }, detail: 'high' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'low' },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/dog.png' } },
        { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'a.pdf', title: 'A', context: 'c', citations: true },
        { type: 'document', source: { kind: 'url', url: 'https://example.com/b.pdf' }, cacheControl: { type: 'ephemeral' } },
        { type: 'document', source: { kind: 'text', text: '' }, citations: false },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'The user wants the weather.', signature: 'sig-thinking' },
        { type: 'reasoning', text: '' },
        { type: 'redacted-reasoning', data: 'EuYBCkQYAiJA' },
        { type: 'text', text: '' },
        { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', signature: 'gemini-thought' },
        { type: 'tool-call', id: 'call_2', name: 'lookup', arguments: '' },
      ],
    },
    {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'call_1',
          toolName: 'get_weather',
          isError: true,
          content: [
            { type: 'text', text: 'Service down' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQ' }, detail: 'auto' },
          ],
        },
        { type: 'tool-result', toolCallId: 'call_2', content: [], isError: false },
      ],
    },
  ],
  tools: [
    {
      name: 'get_weather',
      description: 'Current weather for a city',
      strict: false,
      parameters: {
        type: 'object',
        properties: { city: { type: 'string', enum: ['Paris', 'Rome'] }, days: { type: 'integer', minimum: 1 } },
        required: ['city'],
        examples: [{ city: 'Paris', days: 2.5 }, null, true, -0.125],
      },
    },
    { name: 'noop', parameters: {} },
    { name: 'bare' },
  ],
  toolChoice: { type: 'tool', name: 'get_weather' },
  parallelToolCalls: false,
  sampling: { maxTokens: 1024, temperature: 0, topP: 0.9, topK: 40, stop: ['\n\nHuman:', ''], seed: -9007199254740991, presencePenalty: 0.5, frequencyPenalty: -0.25 },
  responseFormat: { type: 'json_schema', name: 'weather', strict: true, schema: { type: 'object', properties: { temperature: { type: 'number' } } } },
  reasoning: { effort: 'xhigh', budgetTokens: 0 },
  user: '',
  metadata: { tenant: 'acme', '2': 'numeric keys first, as in any JS object', empty: '' },
  stream: true,
  passthrough: { family: 'anthropic', fields: { top_level: { nested: [1, 'two', false, null] }, service_tier: 'auto' } },
  anthropicBeta: ['prompt-caching-2024-07-31', 'pdfs-2024-09-25'],
  choices: 3,
};

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
