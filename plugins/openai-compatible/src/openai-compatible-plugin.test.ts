import { readFileSync } from 'node:fs';
import {
  type ChatRequest,
  isProviderPlugin,
  type OpenAICompatibleOptions,
  type PluginLogger,
  type Provider,
  ProviderError,
  type ProviderPlugin,
  Secret,
  type StreamEvent,
} from '@nachos/plugin-sdk';
import {
  assertEventGrammar,
  collectEvents,
  type FakeUpstream,
  type FakeUpstreamHandler,
  joinReasoning,
  joinText,
  joinToolCalls,
  respondWithJson,
  respondWithStall,
  respondWithStream,
  startFakeUpstream,
} from '@nachos/plugin-sdk/testing';
import convict from 'convict';
import genericPlugin, { providers } from './index.js';

const fixtures = new URL('../../../test/fixtures/protocols/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');
const silentLogger: PluginLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

const presetPlugin = (id: string): ProviderPlugin => providers.find((plugin) => plugin.id === id)!;

interface ServeSettings {
  plugin?: ProviderPlugin;
  /** Appended to the fake upstream's URL, like a host's version path. */
  path?: string;
  apiKey?: string;
  options?: Partial<OpenAICompatibleOptions>;
}

async function serve(handler: FakeUpstreamHandler, settings: ServeSettings = {}): Promise<Provider> {
  upstream = await startFakeUpstream(handler);
  return (settings.plugin ?? genericPlugin).createProvider({
    endpoint: { id: 'test-endpoint', baseUrl: `${upstream.url}${settings.path ?? '/v1'}`, ...(settings.apiKey === undefined ? {} : { apiKey: new Secret(settings.apiKey) }) },
    options: { timeout_ms: 10_000, stream_usage: true, preset: '', ...settings.options },
    logger: silentLogger,
    fetch: globalThis.fetch,
  });
}

const streamFixture = (name: string): FakeUpstreamHandler => (_request, response) => respondWithStream(response, fixture(name), { chunkSize: 97 });

function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'some-model', messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in San Francisco?' }] }], sampling: {}, stream: true, ...overrides };
}

async function chat(provider: Provider, request: ChatRequest = chatRequest()): Promise<StreamEvent[]> {
  const events = await collectEvents(provider.chat(request, { signal: new AbortController().signal }));
  assertEventGrammar(events);
  return events;
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!ProviderError.isInstance(error)) {
    throw new Error(`expected a ProviderError, got ${String(error)}`);
  }
  return error;
}

const sentBody = (position = 0): Record<string, unknown> => upstream!.requests[position]!.json() as Record<string, unknown>;

describe('the openai-compatible plugin declaration', () => {
  it('is keyless, has no default base URL and validates its preset option the way llm-proxy does', () => {
    expect(isProviderPlugin(genericPlugin)).toBe(true);
    expect(genericPlugin).toMatchObject({ id: 'openai-compatible', requiresApiKey: false, catalogue: [] });
    expect(genericPlugin.defaultBaseUrl).toBeUndefined();
    expect(genericPlugin.apiKeyEnv).toBeUndefined();
    const validate = (options: Record<string, unknown>) => {
      const schema = convict(genericPlugin.configSchema as convict.Schema<Record<string, unknown>>, { env: {}, args: [] });
      schema.load(options);
      schema.validate({ allowed: 'strict' });
      return schema.getProperties();
    };
    expect(validate({ preset: 'groq' })).toEqual({ timeout_ms: 600_000, stream_usage: true, choices: false, preset: 'groq' });
    expect(validate({})).toMatchObject({ preset: '' });
    expect(() => validate({ preset: 'gorq' })).toThrow(/preset/);
  });

  it('exports every preset as a provider of its own, keyed by its variable, none clashing with a plugin folder', () => {
    expect(providers.map((plugin) => plugin.id)).toEqual(['groq', 'together', 'mistral', 'deepseek', 'xai', 'perplexity', 'openrouter', 'fireworks', 'sambanova', 'lmstudio', 'vllm', 'litellm']);
    for (const plugin of providers) {
      expect(isProviderPlugin(plugin)).toBe(true);
      expect(['openai', 'anthropic', 'google', 'ollama', 'azure-openai', 'bedrock', 'mock', 'openai-compatible', 'sdk']).not.toContain(plugin.id);
    }
    expect(presetPlugin('groq')).toMatchObject({ apiKeyEnv: 'GROQ_API_KEY', defaultBaseUrl: 'https://api.groq.com/openai/v1', requiresApiKey: true });
    expect(presetPlugin('lmstudio')).toMatchObject({ defaultBaseUrl: 'http://127.0.0.1:1234/v1', requiresApiKey: false });
    expect(presetPlugin('perplexity').catalogue.find((model) => model.id === 'sonar')?.aliases).toEqual(['perplexity', 'pplx']);
  });
});

describe('the generic plugin', () => {
  it('replays a recorded OpenAI stream from POST {base}/chat/completions, asking for usage', async () => {
    const provider = await serve(streamFixture('openai-chat/chat-stream-include-usage.sse'), { apiKey: 'sk-endpoint' });
    const events = await chat(provider);
    expect(events[0]).toMatchObject({ type: 'start', id: 'chatcmpl-C4Hq5a6K3RaPMymUv70btQNYv6SvY', model: 'gpt-5-nano-2025-08-07' });
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'length' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 100, cacheReadTokens: 0, reasoningTokens: 100 } },
    ]);
    const [sent] = upstream!.requests;
    expect(sent).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(sent?.headers['authorization']).toBe('Bearer sk-endpoint');
    expect(sentBody()).toMatchObject({ model: 'some-model', stream: true, stream_options: { include_usage: true } });
  });

  it('sends no authorization header when the endpoint has no key', async () => {
    const provider = await serve(streamFixture('openai-chat/chat-stream-text.sse'));
    expect(joinText(await chat(provider))).toMatch(/^Hi there! How can I help today\?/);
    expect(upstream!.requests[0]?.headers['authorization']).toBeUndefined();
  });

  it('numbers tool calls from 0 when an Anthropic-backed host starts its index at 1', async () => {
    const provider = await serve(streamFixture('openai-compatible/anthropic-backed-toolcall-index1.sse'));
    const events = await chat(provider);
    expect(joinText(events)).toBe('Reading it.');
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'toolu_sanitized', name: 'read_file', arguments: '{"path": "a.txt"}' }]);
  });

  it('applies the preset the option names, against the endpoint\'s own base URL', async () => {
    const provider = await serve(streamFixture('openai-compatible/mistral-stream-toolcall.sse'), { apiKey: 'mistral-key', options: { preset: 'mistral' } });
    await chat(provider, chatRequest({ sampling: { seed: 3 } }));
    expect(sentBody().stream_options).toBeUndefined();
    expect(sentBody()['random_seed']).toBe(3);
  });

  it('refuses a preset that needs a key when the endpoint has none, without an upstream call', async () => {
    const provider = await serve(streamFixture('openai-chat/chat-stream-text.sse'), { options: { preset: 'deepseek' } });
    const failure = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: new AbortController().signal })));
    expect(failure.kind).toBe('authentication');
    expect(failure.message).toMatch(/DEEPSEEK_API_KEY/);
    expect(upstream!.requests).toHaveLength(0);
  });

  it('lists the host\'s models merged with the preset catalogue, and the catalogue alone when listing fails', async () => {
    const provider = await serve(
      (_request, response) => respondWithJson(response, 200, { object: 'list', data: [{ id: 'llama-3.3-70b-versatile', object: 'model', created: 1733447754, owned_by: 'Meta' }, { id: 'whisper-large-v3', object: 'model', created: 1693721698, owned_by: 'OpenAI' }] }),
      { apiKey: 'gsk', path: '/openai/v1', options: { preset: 'groq' } },
    );
    const models = await provider.listModels!({ signal: new AbortController().signal });
    expect(upstream!.requests[0]).toMatchObject({ method: 'GET', url: '/openai/v1/models' });
    expect(models[0]).toMatchObject({ id: 'llama-3.3-70b-versatile', aliases: ['llama-3.3-70b'], contextLength: 131072, created: 1733447754 });
    expect(models[1]).toEqual({ id: 'whisper-large-v3', created: 1693721698, ownedBy: 'OpenAI' });
    expect(models.map((model) => model.id)).toContain('qwen/qwen3-32b');

    await upstream!.close();
    upstream = undefined;
    const fallback = await provider.listModels!({ signal: new AbortController().signal });
    expect(fallback.map((model) => model.id)).toEqual(presetPlugin('groq').catalogue.map((model) => model.id));
  });

  it('serves Perplexity\'s catalogue without asking the host, which has no model list', async () => {
    const provider = await serve(() => undefined, { apiKey: 'pplx-key', path: '', options: { preset: 'perplexity' } });
    const models = await provider.listModels!({ signal: new AbortController().signal });
    expect(models.find((model) => model.id === 'sonar')?.aliases).toEqual(['perplexity', 'pplx']);
    expect(upstream!.requests).toHaveLength(0);
    expect(provider.embed).toBeUndefined();
  });
});

describe('the preset providers replay their hosts\' recorded streams', () => {
  it('groq: a whole tool call in one fragment with a non-call_ id, usage from the finish chunk', async () => {
    const provider = await serve(streamFixture('openai-compatible/groq-stream-toolcall.sse'), { plugin: presetPlugin('groq'), apiKey: 'gsk-test', path: '/openai/v1' });
    const request = chatRequest({ model: 'llama-3.3-70b-versatile', passthrough: { family: 'openai', fields: { logit_bias: { '50256': -100 }, logprobs: true } } });
    const events = await chat(provider, request);
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'tk85n1k4m', name: 'weather', arguments: '{}' }]);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 210, outputTokens: 15 } },
    ]);
    expect(upstream!.requests[0]).toMatchObject({ url: '/openai/v1/chat/completions' });
    expect(upstream!.requests[0]?.headers['authorization']).toBe('Bearer gsk-test');
    expect(sentBody()).not.toHaveProperty('logit_bias');
    expect(sentBody()).not.toHaveProperty('logprobs');
  });

  it('mistral: tool deltas without index, finish and usage on the same chunk', async () => {
    const provider = await serve(streamFixture('openai-compatible/mistral-stream-toolcall.sse'), { plugin: presetPlugin('mistral'), apiKey: 'mistral-test' });
    const events = await chat(provider, chatRequest({ model: 'mistral-small-latest', user: 'u-1' }));
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'gSIMJiOkT', name: 'weather', arguments: '{"location": "San Francisco"}' }]);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 124, outputTokens: 22 } },
    ]);
    expect(sentBody()).not.toHaveProperty('stream_options');
    expect(sentBody()).not.toHaveProperty('user');
  });

  it('deepseek: reasoning_content before the tool call, cache hits from prompt_cache_hit_tokens', async () => {
    const provider = await serve(streamFixture('openai-compatible/deepseek-reasoner-stream-toolcall.sse'), { plugin: presetPlugin('deepseek'), apiKey: 'ds-test' });
    const events = await chat(provider, chatRequest({ model: 'deepseek-reasoner' }));
    expect(joinReasoning(events)).toMatch(/^The user is asking for the weather in San Francisco\./);
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF', name: 'weather', arguments: '{"location": "San Francisco"}' }]);
    expect(events.find((event) => event.type === 'usage')).toEqual({
      type: 'usage',
      usage: { inputTokens: 339, outputTokens: 83, cacheReadTokens: 320, reasoningTokens: 39 },
    });
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('xai: completion_tokens that exclude reasoning are corrected to OpenAI semantics', async () => {
    const provider = await serve(streamFixture('openai-compatible/xai-stream-toolcall.sse'), { plugin: presetPlugin('xai'), apiKey: 'xai-test' });
    const events = await chat(provider, chatRequest({ model: 'grok-3-mini' }));
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'call_79382389', name: 'weather', arguments: '{"location":"San Francisco"}' }]);
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 307, outputTokens: 253, cacheReadTokens: 306, reasoningTokens: 227 } });
  });

  it('lmstudio: a local server answers without a key', async () => {
    const provider = await serve(streamFixture('openai-chat/chat-stream-text.sse'), { plugin: presetPlugin('lmstudio') });
    expect(joinText(await chat(provider))).toMatch(/^Hi there! How can I help today\?/);
    expect(upstream!.requests[0]?.headers['authorization']).toBeUndefined();
  });
});

describe('openai-compatible errors', () => {
  const cases: Array<[number, Record<string, string>, unknown, string]> = [
    [400, {}, { error: { message: 'bad', type: 'invalid_request_error', code: null } }, 'invalid_request'],
    [401, {}, { error: { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' } }, 'authentication'],
    [403, {}, { error: { message: 'forbidden', type: 'permission_error' } }, 'permission'],
    [404, {}, JSON.parse(fixture('openai-chat/error-404-model-not-found.response.json')), 'not_found'],
    [408, {}, 'timeout', 'timeout'],
    [429, { 'retry-after': '2' }, { error: { message: 'Rate limit reached', type: 'tokens', code: 'rate_limit_exceeded' } }, 'rate_limited'],
    [500, {}, { error: { message: 'oops', type: 'server_error' } }, 'unavailable'],
    [503, {}, '<html>down</html>', 'unavailable'],
  ];

  it.each(cases)('maps HTTP %i to its kind, with the key redacted', async (status, headers, body, kind) => {
    const provider = await serve((_request, response) => respondWithJson(response, status, body, headers), { plugin: presetPlugin('groq'), apiKey: 'gsk-secret-value' });
    const failure = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: new AbortController().signal })));
    expect(failure.kind).toBe(kind);
    expect(failure.status).toBe(status);
    expect(failure.message).not.toContain('gsk-secret-value');
    if (status === 429) {
      expect(failure.retryAfterMs).toBe(2000);
    }
  });

  it('fails with kind internal on a stream event that is not JSON', async () => {
    const provider = await serve((_request, response) => respondWithStream(response, 'data: {"id":"x","choices":[{"index":0,"delta":{"content":"a"}}]}\n\ndata: {not json\n\n'));
    const failure = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: new AbortController().signal })));
    expect(failure.kind).toBe('internal');
  });

  it('stops a stalled stream promptly when the caller aborts', async () => {
    const firstChunk = `${fixture('openai-chat/chat-stream-text.sse').split('\n\n').slice(0, 2).join('\n\n')}\n\n`;
    const provider = await serve((_request, response) => respondWithStall(response, firstChunk));
    const controller = new AbortController();
    const started = Date.now();
    const failure = await failureOf(
      (async () => {
        for await (const event of provider.chat(chatRequest(), { signal: controller.signal })) {
          if (event.type === 'text-delta') {
            controller.abort();
          }
        }
      })(),
    );
    expect(failure.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
