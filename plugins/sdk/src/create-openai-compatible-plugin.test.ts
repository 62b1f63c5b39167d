import { readFileSync } from 'node:fs';
import type { ChatRequest } from './chat-request.js';
import { createOpenAICompatiblePlugin, type OpenAICompatiblePluginSettings } from './create-openai-compatible-plugin.js';
import { ProviderError } from './provider-error.js';
import { isProviderPlugin, type PluginLogger, type Provider } from './provider-plugin.js';
import { Secret } from './secret.js';
import { assertEventGrammar } from './testing/assert-event-grammar.js';
import { collectEvents, joinText, joinToolCalls } from './testing/collect-events.js';
import { respondWithJson, respondWithStall, respondWithStream } from './testing/respond.js';
import { startFakeUpstream, type FakeUpstream, type FakeUpstreamHandler } from './testing/start-fake-upstream.js';

const fixtures = new URL('../../../test/fixtures/protocols/', import.meta.url);
const fixture = (path: string): string => readFileSync(new URL(path, fixtures), 'utf8');
const silentLogger: PluginLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const request: ChatRequest = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
  sampling: { maxTokens: 50 },
  stream: true,
};

describe('createOpenAICompatiblePlugin', () => {
  let upstream: FakeUpstream | undefined;
  afterEach(async () => {
    await upstream?.close();
    upstream = undefined;
  });

  async function provider(
    handler: FakeUpstreamHandler,
    settings: Partial<OpenAICompatiblePluginSettings> = {},
    endpoint: { apiKey?: Secret; headers?: Record<string, string> } = { apiKey: new Secret('sk-endpoint-key') },
    options: Record<string, unknown> = {},
  ): Promise<Provider> {
    upstream = await startFakeUpstream(handler);
    const plugin = createOpenAICompatiblePlugin({ id: 'acme', catalogue: [{ id: 'gpt-4o-mini' }], apiKeyEnv: 'ACME_API_KEY', ...settings });
    return plugin.createProvider({
      endpoint: { id: 'acme-eu', baseUrl: `${upstream.url}/v1/`, ...endpoint },
      options: { timeout_ms: 10_000, stream_usage: true, ...options },
      logger: silentLogger,
      fetch: globalThis.fetch,
    });
  }

  const signal = (): AbortSignal => new AbortController().signal;

  it('declares a branded plugin with the shared options', () => {
    const plugin = createOpenAICompatiblePlugin({ id: 'acme', catalogue: [], defaultBaseUrl: 'https://acme.test/v1' });
    expect(isProviderPlugin(plugin)).toBe(true);
    expect(plugin).toMatchObject({ id: 'acme', requiresApiKey: true, defaultBaseUrl: 'https://acme.test/v1', contractVersion: 1 });
    expect(Object.keys(plugin.configSchema)).toEqual(['timeout_ms', 'stream_usage', 'choices']);
  });

  it('streams a chat: request shape, headers and events', async () => {
    const chat = await provider((_request, response) => respondWithStream(response, fixture('openai-chat/chat-stream-toolcall.sse'), { chunkSize: 97 }), {}, {
      apiKey: new Secret('sk-endpoint-key'),
      headers: { 'X-Operator': 'yes' },
    });
    const events = await collectEvents(chat.chat(request, { signal: signal(), requestId: 'req-9', headers: { 'x-route': 'r1' } }));
    assertEventGrammar(events);
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'call_O17Uplv4lJvD6DVdIvFFeRMw', name: 'test-tool', arguments: '{"value":"Sparkle Day"}' }]);

    const [sent] = upstream?.requests ?? [];
    expect(sent?.url).toBe('/v1/chat/completions');
    expect(sent?.headers).toMatchObject({
      authorization: 'Bearer sk-endpoint-key',
      'x-request-id': 'req-9',
      'x-operator': 'yes',
      'x-route': 'r1',
      accept: 'text/event-stream',
    });
    expect(sent?.json()).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
    });
  });

  it('asks for a single JSON body when the request is not streamed', async () => {
    const chat = await provider((_request, response) => respondWithJson(response, 200, fixture('openai-chat/chat-text.response.json')));
    const events = await collectEvents(chat.chat({ ...request, stream: false }, { signal: signal() }));
    assertEventGrammar(events);
    expect(joinText(events)).toMatch(/^Hi there!/);
    expect(upstream?.requests[0]?.json()).toMatchObject({ stream: false });
    expect(upstream?.requests[0]?.json()).not.toHaveProperty('stream_options');
  });

  it('reads a JSON answer from a host that ignores stream: true', async () => {
    const chat = await provider((_request, response) => respondWithJson(response, 200, fixture('openai-chat/chat-toolcall.response.json')));
    const events = await collectEvents(chat.chat(request, { signal: signal() }));
    assertEventGrammar(events);
    expect(joinToolCalls(events)[0]?.name).toBe('get_current_weather');
  });

  it('applies the transform hook, provider headers and the stream_usage option', async () => {
    const chat = await provider(
      (_request, response) => respondWithStream(response, fixture('openai-chat/chat-stream-text.sse')),
      {
        transformRequest: (body) => ({ ...body, max_completion_tokens: body.max_tokens, max_tokens: undefined }),
        headers: (options) => ({ 'x-tenant': String(options['tenant']) }),
      },
      { apiKey: new Secret('k') },
      { stream_usage: false, tenant: 't1' },
    );
    await collectEvents(chat.chat(request, { signal: signal() }));
    const body = upstream?.requests[0]?.json() as Record<string, unknown>;
    expect(body['max_completion_tokens']).toBe(50);
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('stream_options');
    expect(upstream?.requests[0]?.headers['x-tenant']).toBe('t1');
  });

  it('sends the key in the header the host wants, and a caller key over the endpoint key', async () => {
    const chat = await provider((_request, response) => respondWithStream(response, fixture('openai-chat/chat-stream-text.sse')), {
      auth: { header: 'api-key' },
    });
    await collectEvents(chat.chat(request, { signal: signal(), apiKey: new Secret('caller-own-key') }));
    expect(upstream?.requests[0]?.headers['api-key']).toBe('caller-own-key');
    expect(upstream?.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('refuses to call out without a key when one is required, naming the variable', async () => {
    const chat = await provider(() => undefined, {}, {});
    const failure = await collectEvents(chat.chat(request, { signal: signal() })).catch((error: unknown) => error);
    expect(ProviderError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ kind: 'authentication', providerId: 'acme' });
    expect((failure as Error).message).toContain('ACME_API_KEY');
    expect(upstream?.requests).toHaveLength(0);
  });

  it('calls keyless hosts without an authorization header', async () => {
    const chat = await provider((_request, response) => respondWithStream(response, fixture('openai-chat/chat-stream-text.sse')), { requiresApiKey: false }, {});
    await collectEvents(chat.chat(request, { signal: signal() }));
    expect(upstream?.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('maps an upstream 404 to not_found with the provider message', async () => {
    const chat = await provider((_request, response) => respondWithJson(response, 404, fixture('openai-chat/error-404-model-not-found.response.json')));
    await expect(collectEvents(chat.chat(request, { signal: signal() }))).rejects.toMatchObject({
      kind: 'not_found',
      status: 404,
      providerId: 'acme',
      message: 'The model `gpt-4.1-nano-wrong` does not exist or you do not have access to it.',
    });
  });

  it('stops promptly with cancelled when the caller aborts a stalled stream', async () => {
    const chat = await provider((_request, response) => respondWithStall(response, `${fixture('openai-chat/chat-stream-text.sse').split('\n\n')[0]}\n\n`));
    const controller = new AbortController();
    const seen: string[] = [];
    const started = Date.now();
    const failure = await (async () => {
      for await (const event of chat.chat(request, { signal: controller.signal })) {
        seen.push(event.type);
        setTimeout(() => controller.abort(), 20);
      }
    })().catch((error: unknown) => error);
    expect(seen).toEqual(['start']);
    expect(failure).toMatchObject({ kind: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('closes the upstream connection when the consumer stops reading', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const chat = await provider((_request, response) => {
      response.on('close', closed);
      respondWithStall(response, `${fixture('openai-chat/chat-stream-text.sse').split('\n\n')[0]}\n\n`);
    });
    for await (const event of chat.chat(request, { signal: signal() })) {
      expect(event.type).toBe('start');
      break;
    }
    await connectionClosed;
  });

  it('embeds with floats, in input order', async () => {
    const chat = await provider((_request, response) =>
      respondWithJson(response, 200, {
        object: 'list',
        model: 'text-embedding-3-small',
        data: [
          { object: 'embedding', index: 1, embedding: [0.3, 0.4] },
          { object: 'embedding', index: 0, embedding: [0.1, 0.2] },
        ],
        usage: { prompt_tokens: 6, total_tokens: 6 },
      }),
    );
    const result = await chat.embed?.({ model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 2 }, { signal: signal() });
    expect(result).toEqual({ model: 'text-embedding-3-small', embeddings: [[0.1, 0.2], [0.3, 0.4]], usage: { inputTokens: 6 } });
    expect(upstream?.requests[0]).toMatchObject({ method: 'POST', url: '/v1/embeddings' });
    expect(upstream?.requests[0]?.json()).toEqual({ model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float', dimensions: 2 });
  });

  it('reads a recorded embeddings response, and decodes base64 vectors if a host sends them anyway', async () => {
    const recorded = JSON.parse(fixture('openai-embeddings/embeddings-base64.response.json')) as { data: Array<{ embedding: string }> };
    const chat = await provider((_request, response) => respondWithJson(response, 200, recorded));
    const result = await chat.embed?.({ model: 'text-embedding-3-small', input: ['x'] }, { signal: signal() });
    const expectedLength = Buffer.from(recorded.data[0]?.embedding ?? '', 'base64').byteLength / 4;
    expect(result?.embeddings[0]).toHaveLength(expectedLength);
    expect(result?.embeddings[0]?.every((value) => Number.isFinite(value) && Math.abs(value) < 1)).toBe(true);
  });

  it('lists models from GET /models', async () => {
    const chat = await provider((_request, response) => respondWithJson(response, 200, fixture('openai-models/models-list.response.json')));
    const models = await chat.listModels?.({ signal: signal() });
    expect(models?.[0]).toEqual({ id: 'model-id-0', created: 1686935002, ownedBy: 'organization-owner' });
    expect(models).toHaveLength(3);
    expect(upstream?.requests[0]).toMatchObject({ method: 'GET', url: '/v1/models' });
  });

  it('leaves out embed and listModels for hosts without them', async () => {
    const chat = await provider(() => undefined, { embeddings: false, listModels: false });
    expect(chat.embed).toBeUndefined();
    expect(chat.listModels).toBeUndefined();
  });
});
