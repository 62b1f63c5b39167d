import { readFileSync } from 'node:fs';
import { type ChatRequest, isProviderPlugin, type PluginLogger, type Provider, ProviderError, Secret, type StreamEvent } from '@nachos/plugin-sdk';
import {
  assertEventGrammar,
  collectEvents,
  type FakeUpstream,
  type FakeUpstreamHandler,
  joinText,
  respondWithJson,
  respondWithStall,
  respondWithStream,
  startFakeUpstream,
} from '@nachos/plugin-sdk/testing';
import convict from 'convict';
import type { AzureOpenAIOptions } from './azure-openai-options.js';
import plugin from './index.js';

const fixtures = new URL('../../../test/fixtures/protocols/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');
const silentLogger: PluginLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const defaultOptions: AzureOpenAIOptions = { timeout_ms: 10_000, stream_usage: true, api_version: '2024-10-21', deployments: {}, use_v1_api: false };

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function serve(handler: FakeUpstreamHandler, options: Partial<AzureOpenAIOptions> = {}, settings: { path?: string; apiKey?: string | null } = {}): Promise<Provider> {
  upstream = await startFakeUpstream(handler);
  const apiKey = settings.apiKey === undefined ? 'azure-key-123' : settings.apiKey;
  return plugin.createProvider({
    endpoint: { id: 'azure', baseUrl: `${upstream.url}${settings.path ?? ''}`, ...(apiKey === null ? {} : { apiKey: new Secret(apiKey) }) },
    options: { ...defaultOptions, ...options },
    logger: silentLogger,
    fetch: globalThis.fetch,
  });
}

function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'gpt-5-nano', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }], sampling: {}, stream: true, ...overrides };
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

const contentFilterStream = (_request: unknown, response: Parameters<FakeUpstreamHandler>[1]) =>
  respondWithStream(response, fixture('azure-openai/chat-stream-content-filter.sse'), { chunkSize: 113 });
const sentBody = (position = 0): Record<string, unknown> => upstream!.requests[position]!.json() as Record<string, unknown>;

describe('the azure-openai plugin declaration', () => {
  const validate = (options: Record<string, unknown>) => {
    const schema = convict(plugin.configSchema as convict.Schema<Record<string, unknown>>, { env: {}, args: [] });
    schema.load(options);
    schema.validate({ allowed: 'strict' });
    return schema.getProperties();
  };

  it('needs a key and an endpoint from the variables Microsoft\'s SDKs read', () => {
    expect(isProviderPlugin(plugin)).toBe(true);
    expect(plugin).toMatchObject({ id: 'azure-openai', apiKeyEnv: 'AZURE_OPENAI_API_KEY', baseUrlEnv: 'AZURE_OPENAI_ENDPOINT', requiresApiKey: true });
    expect(plugin.defaultBaseUrl).toBeUndefined();
    expect(plugin.catalogue.map((model) => model.id)).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-5-nano', 'text-embedding-3-small']));
  });

  it('takes deployments as a table or as model=deployment pairs, which can name models with dots', () => {
    expect(validate({})).toEqual({ timeout_ms: 600_000, stream_usage: true, choices: true, api_version: '2024-10-21', deployments: {}, use_v1_api: false });
    expect(validate({ deployments: { 'gpt-4o': 'four-o' } }).deployments).toEqual({ 'gpt-4o': 'four-o' });
    expect(validate({ deployments: ['gpt-4.1=prod-41'] }).deployments).toEqual(['gpt-4.1=prod-41']);
    expect(() => validate({ deployments: ['gpt-4.1'] })).toThrow(/model=deployment/);
    expect(() => validate({ deployments: 'gpt-4o' })).toThrow();
    expect(() => validate({ deployments: { 'gpt-4o': '' } })).toThrow(/non-empty/);
  });
});

describe('azure-openai chat on deployment URLs', () => {
  it('replays the recorded stream whose first chunk is a filter report with no id or model', async () => {
    const provider = await serve(contentFilterStream);
    const events = await chat(provider);
    expect(events[0]).toEqual({ type: 'start', id: 'chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt', model: 'gpt-5-nano-2025-08-07' });
    expect(joinText(events)).toBe('Capital of Denmark.');
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'stop' });
    const [sent] = upstream!.requests;
    expect(sent?.url).toBe('/openai/deployments/gpt-5-nano/chat/completions?api-version=2024-10-21');
    expect(sent?.headers['api-key']).toBe('azure-key-123');
    expect(sent?.headers['authorization']).toBeUndefined();
    expect(sentBody()).toEqual({ ...(JSON.parse(fixture('azure-openai/chat.request.json')) as object), stream: true, stream_options: { include_usage: true } });
  });

  it('reads the recorded non-streamed answer with its filter results and reasoning tokens', async () => {
    const provider = await serve((_request, response) => respondWithJson(response, 200, fixture('azure-openai/chat.response.json')));
    const events = await chat(provider, chatRequest({ stream: false }));
    expect(joinText(events)).toMatch(/^Hi there! How can I help today\?/);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 8, outputTokens: 271, cacheReadTokens: 0, reasoningTokens: 192 } },
    ]);
  });

  it('finds the deployment from the deployments option, and reads the endpoint with an /openai suffix', async () => {
    const provider = await serve(contentFilterStream, { deployments: ['gpt-4.1=prod-41', 'gpt-4o=four o'], api_version: '2025-04-01-preview' }, { path: '/openai/' });
    await chat(provider, chatRequest({ model: 'gpt-4.1' }));
    await chat(provider, chatRequest({ model: 'gpt-4o' }));
    expect(upstream!.requests.map((request) => request.url)).toEqual([
      '/openai/deployments/prod-41/chat/completions?api-version=2025-04-01-preview',
      '/openai/deployments/four%20o/chat/completions?api-version=2025-04-01-preview',
    ]);
  });

  it('serves any number of client-named deployments, each at its own URL, the earliest again after many others', async () => {
    const provider = await serve(contentFilterStream);
    const names = [...Array.from({ length: 70 }, (_, index) => `deployment-${index}`), 'deployment-0'];
    for (const name of names) await chat(provider, chatRequest({ model: name }));
    expect(upstream!.requests.map((request) => request.url)).toEqual(names.map((name) => `/openai/deployments/${name}/chat/completions?api-version=2024-10-21`));
  });

  it('fits the body to a reasoning model: max_completion_tokens, developer role, no sampling it rejects', async () => {
    const provider = await serve(contentFilterStream);
    const request = chatRequest({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be terse.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Hello!' }] },
      ],
      sampling: { maxTokens: 100, temperature: 0.4, topP: 0.9, presencePenalty: 0.2 },
      reasoning: { effort: 'low' },
    });
    await chat(provider, request);
    expect(sentBody()).toMatchObject({ max_completion_tokens: 100, reasoning_effort: 'low', messages: [{ role: 'developer', content: 'Be terse.' }, { role: 'user', content: 'Hello!' }] });
    for (const field of ['max_tokens', 'temperature', 'top_p', 'presence_penalty']) {
      expect(sentBody()).not.toHaveProperty(field);
    }
    await chat(provider, { ...request, model: 'gpt-4o' });
    expect(sentBody(1)).toMatchObject({ max_tokens: 100, temperature: 0.4, top_p: 0.9, messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Hello!' }] });
    expect(sentBody(1)).not.toHaveProperty('reasoning_effort');
  });

  it('maps a content_filter finish reason', async () => {
    const chunks = [
      { id: 'chatcmpl-1', model: 'gpt-4o-2024-11-20', choices: [{ index: 0, delta: { role: 'assistant', content: 'I can' } }] },
      { id: 'chatcmpl-1', model: 'gpt-4o-2024-11-20', choices: [{ index: 0, delta: {}, finish_reason: 'content_filter', content_filter_results: { violence: { filtered: true, severity: 'high' } } }] },
    ];
    const provider = await serve((_request, response) => respondWithStream(response, `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`));
    const events = await chat(provider, chatRequest({ model: 'gpt-4o' }));
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'content_filter' });
  });
});

describe('azure-openai on the v1 surface', () => {
  it('posts to /openai/v1/chat/completions without api-version, naming the deployment as the model', async () => {
    const provider = await serve(contentFilterStream, { use_v1_api: true, deployments: { 'gpt-5-nano': 'nano-prod' } });
    const events = await chat(provider);
    expect(joinText(events)).toBe('Capital of Denmark.');
    expect(upstream!.requests[0]?.url).toBe('/openai/v1/chat/completions');
    expect(upstream!.requests[0]?.headers['api-key']).toBe('azure-key-123');
    expect(sentBody()).toMatchObject({ model: 'nano-prod' });
  });
});

describe('azure-openai embeddings and models', () => {
  const embeddingsBody = { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 3, total_tokens: 3 } };

  it('embeds through the model\'s deployment', async () => {
    const provider = await serve((_request, response) => respondWithJson(response, 200, embeddingsBody), { deployments: { 'text-embedding-3-small': 'embed-small' } });
    const result = await provider.embed!({ model: 'text-embedding-3-small', input: ['hi'] }, { signal: new AbortController().signal });
    expect(result).toEqual({ model: 'text-embedding-3-small', embeddings: [[0.1, 0.2]], usage: { inputTokens: 3 } });
    expect(upstream!.requests[0]?.url).toBe('/openai/deployments/embed-small/embeddings?api-version=2024-10-21');
  });

  it('embeds on the v1 surface with the deployment as the model', async () => {
    const provider = await serve((_request, response) => respondWithJson(response, 200, embeddingsBody), { use_v1_api: true, deployments: { 'text-embedding-3-small': 'embed-small' } });
    const result = await provider.embed!({ model: 'text-embedding-3-small', input: ['hi'] }, { signal: new AbortController().signal });
    expect(result.model).toBe('text-embedding-3-small');
    expect(upstream!.requests[0]?.url).toBe('/openai/v1/embeddings');
    expect(sentBody()).toMatchObject({ model: 'embed-small', input: ['hi'] });
  });

  it('lists the models mapped to deployments, without an upstream call', async () => {
    const provider = await serve(() => undefined, { deployments: ['gpt-4.1=prod-41', 'my-model=custom'] });
    await expect(provider.listModels!({ signal: new AbortController().signal })).resolves.toEqual([{ id: 'gpt-4.1' }, { id: 'my-model' }]);
    expect(upstream!.requests).toHaveLength(0);
  });
});

describe('azure-openai errors', () => {
  const cases: Array<[number, Record<string, string>, unknown, string]> = [
    [
      400,
      {},
      { error: { message: 'The response was filtered due to the prompt triggering Azure OpenAI\'s content management policy.', type: null, param: 'prompt', code: 'content_filter', status: 400, innererror: { code: 'ResponsibleAIPolicyViolation' } } },
      'content_filter',
    ],
    [400, {}, { error: { message: 'This model\'s maximum context length is 128000 tokens.', type: 'invalid_request_error', code: 'context_length_exceeded' } }, 'context_length'],
    [401, {}, { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } }, 'authentication'],
    [403, {}, { error: { code: 'Forbidden', message: 'Public access is disabled.' } }, 'permission'],
    [404, {}, { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } }, 'not_found'],
    [408, {}, 'Request Timeout', 'timeout'],
    [429, { 'retry-after-ms': '1500', 'retry-after': '2' }, { error: { code: '429', message: 'Requests to the ChatCompletions_Create Operation have exceeded call rate limit.' } }, 'rate_limited'],
    [500, {}, { error: { code: 'InternalServerError', message: 'The server had an error.' } }, 'unavailable'],
    [503, {}, '<html>Service Unavailable</html>', 'unavailable'],
  ];

  it.each(cases)('maps HTTP %i to its kind', async (status, headers, body, kind) => {
    const provider = await serve((_request, response) => respondWithJson(response, status, body, headers));
    const failure = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: new AbortController().signal })));
    expect(failure.kind).toBe(kind);
    expect(failure.status).toBe(status);
    expect(failure.message).not.toContain('azure-key-123');
    if (status === 429) {
      expect(failure.retryAfterMs).toBe(1500);
    }
  });

  it('refuses to call without a key', async () => {
    const provider = await serve(contentFilterStream, {}, { apiKey: null });
    const failure = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: new AbortController().signal })));
    expect(failure.kind).toBe('authentication');
    expect(failure.message).toMatch(/AZURE_OPENAI_API_KEY/);
    expect(upstream!.requests).toHaveLength(0);
  });

  it('fails with kind internal on a stream event that is not JSON', async () => {
    const provider = await serve((_request, response) => respondWithStream(response, 'data: {"choices":[],"id":"","model":""}\n\ndata: {oops\n\n'));
    const failure = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: new AbortController().signal })));
    expect(failure.kind).toBe('internal');
  });

  it('stops a stalled stream promptly when the caller aborts', async () => {
    const [filterChunk, firstChunk, textChunk] = fixture('azure-openai/chat-stream-content-filter.sse').split('\n\n');
    const provider = await serve((_request, response) => respondWithStall(response, `${filterChunk!}\n\n${firstChunk!}\n\n${textChunk!}\n\n`));
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
