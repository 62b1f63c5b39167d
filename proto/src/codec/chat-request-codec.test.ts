import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ProviderError, type ChatRequest, type Message } from '@nachos/plugin-sdk';
import {
  ChatRequestSchema,
  ContentPartSchema,
  MessageSchema,
  ReasoningEffort,
  Role,
} from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import { everyField, minimal } from '../../test/chat-request-samples.js';
import { fromProtoChatRequest, toProtoChatRequest } from './chat-request-codec.js';

/** canonical → proto → bytes → proto → canonical, the path a request takes from the gateway to llm-proxy. */
function throughTheWire(request: ChatRequest): ChatRequest {
  return fromProtoChatRequest(fromBinary(ChatRequestSchema, toBinary(ChatRequestSchema, toProtoChatRequest(request))));
}

describe('chat request codec', () => {
  it('keeps every field of a request across the wire', () => {
    // But for a tool sent with no parameters (not a canonical tool: only a hand-made frame lacks them), read back with an empty schema.
    const tools = everyField.tools!.map((tool) => (tool.parameters === undefined ? { ...tool, parameters: {} } : tool));
    expect(throughTheWire(everyField)).toStrictEqual({ ...everyField, tools });
  });

  it('keeps optional fields absent across the wire', () => {
    const decoded = throughTheWire(minimal);
    expect(decoded).toStrictEqual(minimal);
    expect(Object.keys(decoded).sort()).toEqual(['messages', 'model', 'sampling', 'stream']);
  });

  it('keeps optional fields absent inside messages, parts, tools and options', () => {
    const request: ChatRequest = {
      ...minimal,
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'thinking' },
            { type: 'tool-call', id: 'call_2', name: 'lookup', arguments: '{' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_2', content: [] }] },
      ],
      tools: [{ name: 'lookup', parameters: {} }],
      responseFormat: { type: 'json_schema', name: 'empty', schema: {} },
      reasoning: {},
      sampling: { temperature: 1 },
    };
    expect(throughTheWire(request)).toStrictEqual(request);
  });

  it('keeps present falsy values (0, false, empty string) distinct from absent ones', () => {
    const request: ChatRequest = {
      ...minimal,
      messages: [
        { role: 'user', name: '', content: [{ type: 'text', text: '' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', toolName: '', isError: false, content: [] }] },
      ],
      tools: [{ name: 't', description: '', parameters: { type: 'object' }, strict: false }],
      parallelToolCalls: false,
      sampling: {
        maxTokens: 0,
        temperature: 0,
        topP: 0,
        topK: 0,
        seed: 0,
        presencePenalty: 0,
        frequencyPenalty: 0,
      },
      responseFormat: { type: 'json_schema', name: '', schema: {}, strict: false },
      reasoning: { budgetTokens: 0 },
      user: '',
      passthrough: { family: 'openai', fields: {} },
    };
    expect(throughTheWire(request)).toStrictEqual(request);
  });

  it.each(['system', 'developer', 'user', 'assistant', 'tool'] as const)('keeps the %s role', (role) => {
    const request: ChatRequest = { ...minimal, messages: [{ role, content: [{ type: 'text', text: 'x' }] }] };
    expect(throughTheWire(request)).toStrictEqual(request);
  });

  it.each([
    { type: 'auto' },
    { type: 'none' },
    { type: 'required' },
    { type: 'tool', name: 'get_weather' },
  ] as const)('keeps tool choice $type', (toolChoice) => {
    const request: ChatRequest = { ...minimal, toolChoice };
    expect(throughTheWire(request)).toStrictEqual(request);
  });

  it.each([
    { type: 'text' },
    { type: 'json_object' },
    { type: 'json_schema', name: 'answer', schema: { type: 'string' } },
  ] as const)('keeps response format $type', (responseFormat) => {
    const request: ChatRequest = { ...minimal, responseFormat };
    expect(throughTheWire(request)).toStrictEqual(request);
  });

  it.each(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const)('keeps reasoning effort %s', (effort) => {
    const request: ChatRequest = { ...minimal, reasoning: { effort } };
    expect(throughTheWire(request)).toStrictEqual(request);
  });

  it.each(['openai', 'anthropic', 'google', 'ollama'] as const)('keeps passthrough family %s', (family) => {
    const request: ChatRequest = { ...minimal, passthrough: { family, fields: { keep_alive: '5m' } } };
    expect(throughTheWire(request)).toStrictEqual(request);
  });

  it('carries the extreme safe-integer seeds exactly through int64', () => {
    for (const seed of [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -1]) {
      const request: ChatRequest = { ...minimal, sampling: { seed } };
      expect(throughTheWire(request)).toStrictEqual(request);
    }
  });

  it('refuses a seed that int64 cannot carry as the same number', () => {
    expect(() => toProtoChatRequest({ ...minimal, sampling: { seed: 1.5 } })).toThrow(
      expect.objectContaining({ kind: 'invalid_request' }),
    );
    const hugeSeed = create(ChatRequestSchema, { model: 'm', sampling: { seed: 2n ** 60n } });
    expect(() => fromProtoChatRequest(hugeSeed)).toThrow(expect.objectContaining({ kind: 'invalid_request' }));
  });

  it('decodes empty lists and maps as absent, since proto3 cannot tell them apart', () => {
    const request: ChatRequest = { ...minimal, tools: [], metadata: {}, sampling: { stop: [] } };
    expect(throughTheWire(request)).toStrictEqual({ ...minimal, sampling: {} });
  });

  it('rejects malformed messages from the wire as invalid requests', () => {
    const withoutRole = create(ChatRequestSchema, { model: 'm', messages: [{ role: Role.UNSPECIFIED }] });
    const withEmptyPart = create(ChatRequestSchema, {
      model: 'm',
      messages: [create(MessageSchema, { role: Role.USER, content: [create(ContentPartSchema)] })],
    });
    const withUnknownEffort = create(ChatRequestSchema, { model: 'm', reasoning: { effort: 99 as ReasoningEffort } });
    const withUnknownFamily = create(ChatRequestSchema, { model: 'm', passthrough: { family: 'cohere' } });
    const withEmptyToolChoice = create(ChatRequestSchema, { model: 'm', toolChoice: {} });
    for (const request of [withoutRole, withEmptyPart, withUnknownEffort, withUnknownFamily, withEmptyToolChoice]) {
      let failure: unknown;
      try {
        fromProtoChatRequest(request);
      } catch (error) {
        failure = error;
      }
      expect(ProviderError.isInstance(failure)).toBe(true);
      expect(failure).toMatchObject({ kind: 'invalid_request' });
    }
  });

  it('rejects a canonical value outside its union instead of sending a zero enum', () => {
    const message = { role: 'robot', content: [] } as unknown as Message;
    expect(() => toProtoChatRequest({ ...minimal, messages: [message] })).toThrow(
      expect.objectContaining({ kind: 'invalid_request', message: 'Unknown role "robot"' }),
    );
  });
});
