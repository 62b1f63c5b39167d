import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { ProviderError, Secret, type CallOptions, type ChatRequest, type Provider, type StreamEvent } from '@nachos/plugin-sdk';
import {
  assertEventGrammar,
  collectEvents,
  joinText,
  respondWithJson,
  respondWithStall,
  respondWithStream,
  startFakeUpstream,
  type FakeUpstream,
  type RecordedRequest,
} from '@nachos/plugin-sdk/testing';
import type { GoogleOptions } from './google-options.js';
import plugin from './index.js';

const FIXTURES = new URL('../../../test/fixtures/protocols/gemini/', import.meta.url);
const KEY = 'AIzaSyTestKey0123456789abcdefghijklmno';

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

const silentLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
// The fake servers live on loopback, which the image guard refuses unless allowed (tested below).
const DEFAULT_OPTIONS: GoogleOptions = { timeout_ms: 600_000, max_image_bytes: 20 * 1024 * 1024, allow_private_image_urls: true };

async function createProvider(baseUrl: string, options: Partial<GoogleOptions> = {}, apiKey: string | null = KEY): Promise<Provider> {
  return plugin.createProvider({
    endpoint: { id: 'google-test', baseUrl, ...(apiKey === null ? {} : { apiKey: new Secret(apiKey) }) },
    options: { ...DEFAULT_OPTIONS, ...options },
    logger: silentLogger,
    fetch: globalThis.fetch,
  });
}

function callOptions(overrides: Partial<CallOptions> = {}): CallOptions {
  return { signal: new AbortController().signal, requestId: 'req-9', ...overrides };
}

function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'gemini-2.0-flash',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'why is the sky blue?' }] }],
    sampling: {},
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

describe('google provider against a fake Gemini API', () => {
  let upstream: FakeUpstream | undefined;
  afterEach(async () => {
    const server = upstream;
    upstream = undefined;
    await server?.close();
    // The key travels in a header only: never as `?key=` in any URL the plugin requested.
    expect(server?.requests.filter((request) => /[?&]key=/i.test(request.url)) ?? []).toEqual([]);
  });

  async function serve(handler: (request: RecordedRequest, response: ServerResponse) => void | Promise<void>): Promise<FakeUpstream> {
    upstream = await startFakeUpstream(handler);
    return upstream;
  }

  it('streams the recorded answer over SSE with the key in x-goog-api-key and the recorded body', async () => {
    const server = await serve((_request, response) => respondWithStream(response, fixture('stream-text.sse'), { chunkSize: 53 }));
    const events = await collectEvents((await createProvider(`${server.url}/v1beta`)).chat(chatRequest(), callOptions()));
    const [sent] = server.requests;
    expect(sent).toMatchObject({ method: 'POST', url: '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse' });
    expect(sent?.headers).toMatchObject({ 'x-goog-api-key': KEY, accept: 'text/event-stream', 'content-type': 'application/json', 'x-request-id': 'req-9' });
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.json()).toEqual(JSON.parse(fixture('stream-text.request.json')));
    assertEventGrammar(events);
    expect(joinText(events)).toMatch(/^The sky is blue due to/);
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 6, outputTokens: 377 } });
  });

  it('adds the version path to a bare host, as Google SDK base URLs are written', async () => {
    const server = await serve((_request, response) => respondWithStream(response, fixture('stream-raw-crlf.sse')));
    const events = await collectEvents((await createProvider(server.url)).chat(chatRequest({ model: 'gemini-2.5-flash' }), callOptions()));
    expect(server.requests[0]?.url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(joinText(events)).toBe('1, 2, 3');
  });

  it('calls generateContent when the client did not ask for a stream', async () => {
    const server = await serve((_request, response) => respondWithJson(response, 200, fixture('generate-text.response.json')));
    const events = await collectEvents((await createProvider(server.url)).chat(chatRequest({ stream: false }), callOptions()));
    expect(server.requests[0]?.url).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(server.requests[0]?.headers.accept).toBe('application/json');
    assertEventGrammar(events);
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('reads the JSON-array form when a stream comes back without SSE framing', async () => {
    const server = await serve((_request, response) => respondWithJson(response, 200, fixture('stream-jsonarray.response.json')));
    const events = await collectEvents((await createProvider(server.url)).chat(chatRequest(), callOptions()));
    expect(joinText(events)).toBe('1\n2\n3\n4\n5\n6\n7\n8\n9\n10');
  });

  it.each([
    [404, 'not_found', fixture('error-404-model-not-found.response.json'), { 'content-type': 'text/event-stream' }, undefined],
    [429, 'rate_limited', fixture('error-429-resource-exhausted.response.json'), {}, 34_400],
    [429, 'rate_limited', { error: { code: 429, message: 'Resource exhausted', status: 'RESOURCE_EXHAUSTED' } }, { 'retry-after': '2' }, 2000],
    [400, 'invalid_request', { error: { code: 400, message: 'Invalid JSON payload', status: 'INVALID_ARGUMENT' } }, {}, undefined],
    [400, 'context_length', { error: { code: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', status: 'INVALID_ARGUMENT' } }, {}, undefined],
    [400, 'invalid_request', { error: { code: 400, message: `API key not valid: ${KEY}`, status: 'INVALID_ARGUMENT' } }, {}, undefined],
    [401, 'authentication', { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } }, {}, undefined],
    [403, 'permission', { error: { code: 403, message: 'Permission denied', status: 'PERMISSION_DENIED' } }, {}, undefined],
    [408, 'timeout', 'Request Timeout', {}, undefined],
    [500, 'unavailable', { error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } }, {}, undefined],
    [503, 'unavailable', { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }, {}, undefined],
  ])('maps HTTP %i to %s', async (status, kind, body, headers, retryAfterMs) => {
    const server = await serve((_request, response) => respondWithJson(response, status, body, headers));
    const error = await failureOf(collectEvents((await createProvider(server.url)).chat(chatRequest(), callOptions())));
    expect(error).toMatchObject({ kind, status, retryAfterMs, providerId: 'google' });
    expect(error.message).not.toContain(KEY);
  });

  it('fails with internal on a body that is not JSON', async () => {
    const server = await serve((_request, response) => respondWithJson(response, 200, '<html>proxy error</html>'));
    expect((await failureOf(collectEvents((await createProvider(server.url)).chat(chatRequest({ stream: false }), callOptions())))).kind).toBe('internal');
  });

  it('fails without any request, not even an image download, when the endpoint has no key', async () => {
    const server = await serve((_request, response) => respondWithStream(response, fixture('stream-text.sse')));
    const withImage = chatRequest({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: `${server.url}/images/cat.png` } }] }] });
    expect((await failureOf(collectEvents((await createProvider(server.url, {}, null)).chat(withImage, callOptions())))).kind).toBe('authentication');
    expect(server.requests).toHaveLength(0);
  });

  it('downloads an http image, inlines it, and sends the key only to Gemini', async () => {
    const pixel = Buffer.from('89504e470d0a1a0a', 'hex');
    const server = await serve((request, response) => {
      if (request.url === '/images/pixel.png?sig=secret-token') {
        response.writeHead(200, { 'content-type': 'image/png' });
        response.end(pixel);
        return;
      }
      return respondWithStream(response, fixture('stream-raw-crlf.sse'));
    });
    const provider = await createProvider(server.url);
    await collectEvents(
      provider.chat(
        chatRequest({
          messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { kind: 'url', url: `${server.url}/images/pixel.png?sig=secret-token` } }] }],
        }),
        callOptions(),
      ),
    );
    const [download, generate] = server.requests;
    expect(download?.method).toBe('GET');
    expect(download?.headers['x-goog-api-key']).toBeUndefined();
    expect(generate?.json()).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'What is this?' }, { inlineData: { mimeType: 'image/png', data: pixel.toString('base64') } }] }],
    });
  });

  it.each([
    ['too large', (response: ServerResponse) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(Buffer.alloc(2048));
    }],
    ['too large without saying so', (response: ServerResponse) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.write(Buffer.alloc(1000));
      response.end(Buffer.alloc(1000));
    }],
    ['missing', (response: ServerResponse) => respondWithJson(response, 404, { error: 'no such image' })],
    ['not an image', (response: ServerResponse) => respondWithJson(response, 200, { hello: 'world' })],
  ])('refuses an image URL that is %s, as invalid_request, without calling Gemini', async (_problem, answer) => {
    const server = await serve((request, response) => (request.url.startsWith('/images/') ? answer(response) : respondWithStream(response, fixture('stream-raw-crlf.sse'))));
    const provider = await createProvider(server.url, { max_image_bytes: 1024 });
    const error = await failureOf(
      collectEvents(provider.chat(chatRequest({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: `${server.url}/images/x?token=abc` } }] }] }), callOptions())),
    );
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toContain('/images/x');
    expect(error.message).not.toContain('token=abc');
    expect(server.requests.map((request) => request.url)).toEqual(['/images/x?token=abc']);
  });

  it('refuses an image URL on a private or loopback address by default, without fetching it', async () => {
    const server = await serve((_request, response) => respondWithStream(response, fixture('stream-raw-crlf.sse')));
    const provider = await createProvider(server.url, { allow_private_image_urls: false });
    const error = await failureOf(
      collectEvents(provider.chat(chatRequest({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: `${server.url}/images/x.png` } }] }] }), callOptions())),
    );
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toMatch(/private or local address/);
    expect(server.requests).toEqual([]);
  });

  it('stops a stalled stream promptly when the caller aborts, as cancelled', async () => {
    const server = await serve((_request, response) => respondWithStall(response, fixture('stream-text.sse').split('\r\n\r\n')[0] + '\r\n\r\n'));
    const controller = new AbortController();
    const iterator = (await createProvider(server.url)).chat(chatRequest(), callOptions({ signal: controller.signal }))[Symbol.asyncIterator]();
    expect(((await iterator.next()).value as StreamEvent).type).toBe('start');
    expect(((await iterator.next()).value as StreamEvent).type).toBe('text-delta');
    const pending = iterator.next();
    const abortedAt = Date.now();
    controller.abort();
    expect((await failureOf(pending)).kind).toBe('cancelled');
    expect(Date.now() - abortedAt).toBeLessThan(1000);
  });

  it('cancels a stalled image download when the caller aborts', async () => {
    const server = await serve((_request, response) => respondWithStall(response, '', 'image/png'));
    const controller = new AbortController();
    const pending = collectEvents(
      (await createProvider(server.url)).chat(
        chatRequest({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: `${server.url}/images/slow.png` } }] }] }),
        callOptions({ signal: controller.signal }),
      ),
    );
    setTimeout(() => controller.abort(), 100);
    expect((await failureOf(pending)).kind).toBe('cancelled');
  });

  it('ends a stalled stream with timeout after timeout_ms', async () => {
    const server = await serve((_request, response) => respondWithStall(response));
    expect((await failureOf(collectEvents((await createProvider(server.url, { timeout_ms: 200 })).chat(chatRequest(), callOptions())))).kind).toBe('timeout');
  });

  it('embeds a batch through batchEmbedContents', async () => {
    const server = await serve((_request, response) => respondWithJson(response, 200, { embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] }));
    const result = await (await createProvider(server.url)).embed?.({ model: 'gemini-embedding-001', input: ['hello', 'world!!!'], dimensions: 2 }, callOptions());
    expect(server.requests[0]?.url).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(server.requests[0]?.json()).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hello' }] }, outputDimensionality: 2 },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'world!!!' }] }, outputDimensionality: 2 },
      ],
    });
    expect(result).toEqual({ model: 'gemini-embedding-001', embeddings: [[0.1, 0.2], [0.3, 0.4]], usage: { inputTokens: 4 } });
  });

  it('fails an embedding answer with fewer vectors than inputs', async () => {
    const server = await serve((_request, response) => respondWithJson(response, 200, { embeddings: [{ values: [0.1] }] }));
    const provider = await createProvider(server.url);
    expect((await failureOf(provider.embed?.({ model: 'text-embedding-004', input: ['a', 'b'] }, callOptions()) ?? Promise.resolve())).kind).toBe('internal');
  });

  it('lists generateContent and embedContent models page by page, without the models/ prefix', async () => {
    const pages: Record<string, unknown> = {
      '/v1beta/models?pageSize=1000': {
        models: [
          { name: 'models/gemini-2.5-flash', inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, supportedGenerationMethods: ['generateContent', 'countTokens'], thinking: true },
          { name: 'models/imagen-4.0-generate-001', supportedGenerationMethods: ['predict'] },
        ],
        nextPageToken: 'page-2',
      },
      '/v1beta/models?pageSize=1000&pageToken=page-2': {
        models: [{ name: 'models/gemini-embedding-001', inputTokenLimit: 2048, outputTokenLimit: 1, supportedGenerationMethods: ['embedContent'] }],
      },
    };
    const server = await serve((request, response) => respondWithJson(response, pages[request.url] === undefined ? 404 : 200, pages[request.url] ?? {}));
    const models = await (await createProvider(server.url)).listModels?.(callOptions());
    expect(server.requests.map((request) => [request.method, request.headers['x-goog-api-key']])).toEqual([
      ['GET', KEY],
      ['GET', KEY],
    ]);
    expect(models).toEqual([
      { id: 'gemini-2.5-flash', ownedBy: 'google', contextLength: 1_048_576, maxOutputTokens: 65_536, capabilities: { embeddings: false, reasoning: true } },
      { id: 'gemini-embedding-001', ownedBy: 'google', contextLength: 2048, capabilities: { embeddings: true } },
    ]);
  });

  it('counts tokens with the whole request', async () => {
    const server = await serve((_request, response) => respondWithJson(response, 200, { totalTokens: 31 }));
    const count = await (await createProvider(server.url)).countTokens?.(
      chatRequest({ messages: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, { role: 'user', content: [{ type: 'text', text: 'Hi' }] }] }),
      callOptions(),
    );
    expect(count).toBe(31);
    expect(server.requests[0]?.url).toBe('/v1beta/models/gemini-2.0-flash:countTokens');
    expect(server.requests[0]?.json()).toEqual({
      generateContentRequest: {
        model: 'models/gemini-2.0-flash',
        contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
      },
    });
  });
});
