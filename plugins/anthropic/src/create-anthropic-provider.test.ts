import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { ProviderError, Secret, type CallOptions, type ChatRequest, type Provider, type StreamEvent } from '@nachos/plugin-sdk';
import {
  assertEventGrammar,
  collectEvents,
  joinText,
  joinToolCalls,
  respondWithJson,
  respondWithStall,
  respondWithStream,
  startFakeUpstream,
  type FakeUpstream,
  type RecordedRequest,
} from '@nachos/plugin-sdk/testing';
import type { AnthropicOptions } from './anthropic-options.js';
import plugin from './index.js';

const FIXTURES = new URL('../../../test/fixtures/protocols/anthropic-messages/', import.meta.url);
const KEY = 'anthropic-test-key-not-real-0123';

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

const silentLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const DEFAULT_OPTIONS: AnthropicOptions = { timeout_ms: 600_000, default_max_tokens: 0, anthropic_version: '2023-06-01', auth_scheme: 'x-api-key' };

async function createProvider(baseUrl: string, options: Partial<AnthropicOptions> = {}, apiKey: string | null = KEY): Promise<Provider> {
  return plugin.createProvider({
    endpoint: { id: 'anthropic-test', baseUrl, ...(apiKey === null ? {} : { apiKey: new Secret(apiKey) }), headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } },
    options: { ...DEFAULT_OPTIONS, ...options },
    logger: silentLogger,
    fetch: globalThis.fetch,
  });
}

function callOptions(overrides: Partial<CallOptions> = {}): CallOptions {
  return { signal: new AbortController().signal, requestId: 'req-7', ...overrides };
}

function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'claude-opus-4-1-20250805',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the weather like in San Francisco?' }] }],
    sampling: { maxTokens: 1024 },
    stream: true,
    ...overrides,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!ProviderError.isInstance(error)) {
    throw new Error(`expected a ProviderError, got ${String(error)}`);
  }
  return error;
}

describe('anthropic provider against a fake Messages API', () => {
  let upstream: FakeUpstream | undefined;
  afterEach(async () => {
    await upstream?.close();
    upstream = undefined;
  });

  async function serve(handler: (request: RecordedRequest, response: ServerResponse) => void | Promise<void>): Promise<FakeUpstream> {
    upstream = await startFakeUpstream(handler);
    return upstream;
  }

  it('posts the documented tool-use request and streams the recorded answer back as events', async () => {
    const server = await serve((_request, response) => respondWithStream(response, fixture('messages-stream-tooluse-docs.sse'), { chunkSize: 37 }));
    const documented = JSON.parse(fixture('messages-stream-tooluse-docs.request.json')) as {
      tools: Array<{ name: string; description: string; input_schema: Record<string, never> }>;
      messages: Array<{ content: string }>;
    };
    const provider = await createProvider(`${server.url}/v1`);
    const events = await collectEvents(
      provider.chat(
        chatRequest({
          tools: documented.tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.input_schema })),
          toolChoice: { type: 'required' },
        }),
        callOptions(),
      ),
    );

    const [sent] = server.requests;
    expect(sent).toMatchObject({ method: 'POST', url: '/v1/messages' });
    expect(sent?.headers).toMatchObject({
      'x-api-key': KEY,
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'prompt-caching-2024-07-31',
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'x-request-id': 'req-7',
    });
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.json()).toEqual({
      ...documented,
      messages: [{ role: 'user', content: [{ type: 'text', text: documented.messages[0]?.content }] }],
    });

    assertEventGrammar(events);
    expect(events[0]).toEqual({ type: 'start', id: 'msg_014p7gG3wDgGV9EUtLvnow3U', model: 'claude-opus-4-1-20250805' });
    expect(joinText(events)).toBe("Okay, let's check the weather for San Francisco, CA:");
    expect(joinToolCalls(events).map((call) => JSON.parse(call.arguments) as unknown)).toEqual([{ location: 'San Francisco, CA', unit: 'fahrenheit' }]);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 472, outputTokens: 89 } },
    ]);
  });

  it.each([
    ['the SDK form without /v1', '', '/v1/messages'],
    ['the OpenAI form with /v1', '/v1', '/v1/messages'],
    ['a gateway prefix without /v1', '/llm/anthropic/', '/llm/anthropic/v1/messages'],
  ])('accepts a base URL in %s', async (_form, path, expected) => {
    const server = await serve((_request, response) => respondWithStream(response, fixture('messages-stream-text.sse')));
    const provider = await createProvider(`${server.url}${path}`);
    expect(joinText(await collectEvents(provider.chat(chatRequest(), callOptions())))).toBe('Hello there!');
    expect(server.requests[0]?.url).toBe(expected);
  });

  it('sends the key as a bearer token when the endpoint says so, and a caller key instead of the endpoint key', async () => {
    const server = await serve((_request, response) => respondWithStream(response, fixture('messages-stream-text.sse')));
    const provider = await createProvider(server.url, { auth_scheme: 'bearer' });
    await collectEvents(provider.chat(chatRequest(), callOptions({ apiKey: new Secret('caller-own-key') })));
    expect(server.requests[0]?.headers.authorization).toBe('Bearer caller-own-key');
    expect(server.requests[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('asks for one JSON message when the client did not ask for a stream', async () => {
    const server = await serve((_request, response) => respondWithJson(response, 200, fixture('messages-text.response.json')));
    const provider = await createProvider(server.url);
    const events = await collectEvents(provider.chat(chatRequest({ stream: false }), callOptions()));
    expect(server.requests[0]?.headers.accept).toBe('application/json');
    expect(server.requests[0]?.json()).toMatchObject({ stream: false });
    assertEventGrammar(events);
    expect(joinText(events)).toMatch(/^Hello! I'm doing well/);
  });

  it('reads a JSON message from a compatible host that ignores stream: true', async () => {
    const server = await serve((_request, response) => respondWithJson(response, 200, fixture('messages-text.response.json')));
    const events = await collectEvents((await createProvider(server.url)).chat(chatRequest(), callOptions()));
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('throws an in-stream overloaded error as unavailable', async () => {
    const server = await serve((_request, response) => respondWithStream(response, fixture('messages-stream-error-event.sse')));
    const error = await failureOf(collectEvents((await createProvider(server.url)).chat(chatRequest(), callOptions())));
    expect(error).toMatchObject({ kind: 'unavailable', message: 'Overloaded', providerId: 'anthropic' });
  });

  it.each([
    [400, 'invalid_request', fixture('error-400-tool-result-missing.response.json'), {}, undefined],
    [400, 'context_length', { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } }, {}, undefined],
    [401, 'authentication', { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${KEY}` } }, {}, undefined],
    [403, 'permission', { type: 'error', error: { type: 'permission_error', message: 'no access' } }, {}, undefined],
    [404, 'not_found', { type: 'error', error: { type: 'not_found_error', message: 'model: claude-nope' } }, {}, undefined],
    [408, 'timeout', 'request timeout', {}, undefined],
    [413, 'invalid_request', { type: 'error', error: { type: 'request_too_large', message: 'too large' } }, {}, undefined],
    [429, 'rate_limited', { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }, { 'retry-after': '7' }, 7000],
    [500, 'unavailable', { type: 'error', error: { type: 'api_error', message: 'oops' } }, {}, undefined],
    [529, 'unavailable', fixture('error-529-overloaded.response.json'), {}, undefined],
  ])('maps HTTP %i to %s', async (status, kind, body, headers, retryAfterMs) => {
    const server = await serve((_request, response) => respondWithJson(response, status, body, headers));
    const error = await failureOf(collectEvents((await createProvider(server.url)).chat(chatRequest(), callOptions())));
    expect(error).toMatchObject({ kind, status, retryAfterMs, providerId: 'anthropic' });
    expect(error.message).not.toContain(KEY);
  });

  it('fails with internal on a body that is not JSON, and on a stream event that is not JSON', async () => {
    let server = await serve((_request, response) => respondWithJson(response, 200, 'this is not json'));
    expect((await failureOf(collectEvents((await createProvider(server.url)).chat(chatRequest({ stream: false }), callOptions())))).kind).toBe('internal');
    await server.close();
    server = await serve((_request, response) => respondWithStream(response, 'event: message_start\ndata: {not json}\n\n'));
    expect((await failureOf(collectEvents((await createProvider(server.url)).chat(chatRequest(), callOptions())))).kind).toBe('internal');
  });

  it('fails without an upstream call when the endpoint has no key', async () => {
    const server = await serve((_request, response) => respondWithStream(response, fixture('messages-stream-text.sse')));
    const error = await failureOf(collectEvents((await createProvider(server.url, {}, null)).chat(chatRequest(), callOptions())));
    expect(error.kind).toBe('authentication');
    expect(server.requests).toHaveLength(0);
  });

  it('stops a stalled stream promptly when the caller aborts, as cancelled', async () => {
    const server = await serve((_request, response) => respondWithStall(response, fixture('messages-stream-text.sse').split('event: content_block_start')[0]));
    const controller = new AbortController();
    const iterator = (await createProvider(server.url)).chat(chatRequest(), callOptions({ signal: controller.signal }))[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect((first.value as StreamEvent).type).toBe('start');
    const pending = iterator.next();
    const abortedAt = Date.now();
    controller.abort();
    const error = await failureOf(pending);
    expect(error.kind).toBe('cancelled');
    expect(Date.now() - abortedAt).toBeLessThan(1000);
  });

  it('ends a stalled stream with timeout after timeout_ms', async () => {
    const server = await serve((_request, response) => respondWithStall(response));
    const error = await failureOf(collectEvents((await createProvider(server.url, { timeout_ms: 200 })).chat(chatRequest(), callOptions())));
    expect(error.kind).toBe('timeout');
  });

  it('lists models page by page in Anthropic shape', async () => {
    const pages: Record<string, unknown> = {
      '/v1/models?limit=1000': {
        data: [
          {
            type: 'model',
            id: 'claude-opus-4-8',
            display_name: 'Claude Opus 4.8',
            created_at: '2026-06-01T00:00:00Z',
            max_input_tokens: 1_000_000,
            max_tokens: 128_000,
            capabilities: { image_input: { supported: true }, thinking: { supported: true, types: {} } },
          },
        ],
        has_more: true,
        first_id: 'claude-opus-4-8',
        last_id: 'claude-opus-4-8',
      },
      '/v1/models?limit=1000&after_id=claude-opus-4-8': {
        data: [{ type: 'model', id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' }],
        has_more: false,
        first_id: 'claude-haiku-4-5-20251001',
        last_id: 'claude-haiku-4-5-20251001',
      },
    };
    const server = await serve((request, response) => respondWithJson(response, pages[request.url] === undefined ? 404 : 200, pages[request.url] ?? {}));
    const models = await (await createProvider(server.url)).listModels?.(callOptions());
    expect(server.requests.map((request) => [request.method, request.headers['anthropic-version'], request.headers['x-api-key']])).toEqual([
      ['GET', '2023-06-01', KEY],
      ['GET', '2023-06-01', KEY],
    ]);
    expect(models).toEqual([
      {
        id: 'claude-opus-4-8',
        ownedBy: 'anthropic',
        created: Date.parse('2026-06-01T00:00:00Z') / 1000,
        contextLength: 1_000_000,
        maxOutputTokens: 128_000,
        capabilities: { tools: true, embeddings: false, vision: true, reasoning: true },
      },
      { id: 'claude-haiku-4-5-20251001', ownedBy: 'anthropic', created: Date.parse('2025-10-01T00:00:00Z') / 1000, capabilities: { tools: true, embeddings: false } },
    ]);
  });

  it('counts tokens with only the fields count_tokens accepts', async () => {
    const server = await serve((_request, response) => respondWithJson(response, 200, { input_tokens: 14 }));
    const provider = await createProvider(server.url);
    const count = await provider.countTokens?.(
      chatRequest({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        ],
        sampling: { temperature: 0.5, maxTokens: 100 },
        user: 'u1',
        passthrough: { family: 'anthropic', fields: { cache_control: { type: 'ephemeral' }, service_tier: 'auto' } },
      }),
      callOptions(),
    );
    expect(count).toBe(14);
    expect(server.requests[0]?.url).toBe('/v1/messages/count_tokens');
    expect(server.requests[0]?.json()).toEqual({
      model: 'claude-opus-4-1-20250805',
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      cache_control: { type: 'ephemeral' },
    });
  });
});
