import { readFileSync } from 'node:fs';
import {
  type ChatRequest,
  type PluginLogger,
  type Provider,
  ProviderError,
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
import plugin from './index.js';
import type { OllamaOptions } from './ollama-options.js';

const fixtures = new URL('../../../test/fixtures/protocols/ollama/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');

const silentLogger: PluginLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const defaultOptions: OllamaOptions = { timeout_ms: 10_000, keep_alive: '', num_ctx: 0, fetch_image_urls: true, max_image_bytes: 1024, allow_private_image_urls: true };

let upstream: FakeUpstream | undefined;
async function stopUpstream(): Promise<void> {
  await upstream?.close();
  upstream = undefined;
}
afterEach(stopUpstream);

async function serve(handler: FakeUpstreamHandler, options: Partial<OllamaOptions> = {}, apiKey?: string): Promise<Provider> {
  upstream = await startFakeUpstream(handler);
  return plugin.createProvider({
    endpoint: { id: 'ollama', baseUrl: upstream.url, ...(apiKey === undefined ? {} : { apiKey: new Secret(apiKey) }) },
    options: { ...defaultOptions, ...options },
    logger: silentLogger,
    fetch: globalThis.fetch,
  });
}

function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'llama3.2', messages: [{ role: 'user', content: [{ type: 'text', text: 'why is the sky blue?' }] }], sampling: {}, stream: true, ...overrides };
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

const ndjson = { contentType: 'application/x-ndjson', chunkSize: 7 };

describe('ollama chat', () => {
  it('streams the recorded text answer from POST /api/chat, with usage from the done line', async () => {
    const provider = await serve((_request, response) => respondWithStream(response, fixture('chat-stream.ndjson'), ndjson));
    const events = await chat(provider);
    expect(events).toEqual([
      { type: 'start', id: expect.stringMatching(/^chatcmpl-/) as unknown as string, model: 'llama3.2' },
      { type: 'text-delta', text: 'The' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 26, outputTokens: 282 } },
    ]);
    const [sent] = upstream!.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/api/chat');
    expect(sent?.headers['accept']).toBe('application/x-ndjson');
    expect(sent?.headers['authorization']).toBeUndefined();
    expect(sent?.json()).toEqual({ ...(JSON.parse(fixture('chat-stream.request.json')) as object), stream: true });
  });

  it('turns the recorded whole tool call into start, one delta and end, with a made-up id and finish tool_calls', async () => {
    const provider = await serve((_request, response) => respondWithStream(response, fixture('chat-stream-toolcall.ndjson'), ndjson));
    const events = await chat(provider);
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: expect.stringMatching(/^call_[a-z0-9]+$/) as unknown as string, name: 'get_weather', arguments: '{"city":"Tokyo"}' }]);
    expect(events.filter((event) => event.type.startsWith('tool-call')).map((event) => event.type)).toEqual(['tool-call-start', 'tool-call-delta', 'tool-call-end']);
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'tool_calls' });
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 169, outputTokens: 15 } });
  });

  it('keeps server tool-call ids, numbers several calls from 0 and streams thinking as reasoning', async () => {
    const lines = [
      { model: 'qwen3', message: { role: 'assistant', content: '', thinking: 'Two cities' }, done: false },
      { model: 'qwen3', message: { role: 'assistant', content: '', thinking: ', two calls.' }, done: false },
      {
        model: 'qwen3',
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [
            { id: 'call_ab12cd34', function: { index: 0, name: 'get_weather', arguments: { city: 'Oslo' } } },
            { id: 'call_ef56gh78', function: { index: 1, name: 'get_weather', arguments: { city: 'Rome' } } },
          ],
        },
        done: false,
      },
      { model: 'qwen3', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 10, eval_count: 20 },
    ];
    const provider = await serve((_request, response) => respondWithStream(response, lines.map((line) => JSON.stringify(line)).join('\n'), ndjson));
    const events = await chat(provider, chatRequest({ model: 'qwen3' }));
    expect(joinReasoning(events)).toBe('Two cities, two calls.');
    expect(joinToolCalls(events)).toEqual([
      { index: 0, id: 'call_ab12cd34', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { index: 1, id: 'call_ef56gh78', name: 'get_weather', arguments: '{"city":"Rome"}' },
    ]);
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('maps done_reason length to length', async () => {
    const lines = [
      { model: 'llama3.2', message: { role: 'assistant', content: 'Once upon' }, done: false },
      { model: 'llama3.2', message: { role: 'assistant', content: '' }, done: true, done_reason: 'length', prompt_eval_count: 5, eval_count: 2 },
    ];
    const provider = await serve((_request, response) => respondWithStream(response, `${lines.map((line) => JSON.stringify(line)).join('\r\n')}\r\n`, ndjson));
    const events = await chat(provider);
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'length' });
  });

  it('reads a non-streamed answer from one JSON body', async () => {
    const provider = await serve((_request, response) => respondWithJson(response, 200, fixture('chat-toolresult-history.response.json')));
    const events = await chat(provider, chatRequest({ stream: false }));
    expect(joinText(events)).toBe('The current temperature in Toronto is 11°C.');
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 94, outputTokens: 11 } },
    ]);
    expect(upstream!.requests[0]?.json()).toMatchObject({ stream: false });
    expect(upstream!.requests[0]?.headers['accept']).toBe('application/json');
  });

  it('reads the recorded image answer, whose legacy body has no done_reason', async () => {
    const provider = await serve((_request, response) => respondWithJson(response, 200, fixture('chat-image.response.json')));
    const events = await chat(provider, chatRequest({ model: 'llava', stream: false }));
    expect(joinText(events)).toMatch(/^ The image features a cute, little pig/);
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('throws an in-stream error line as a ProviderError after the content before it', async () => {
    const errorLine = fixture('generate-stream-error.ndjson').trim().split('\n').at(-1)!;
    const body = `${fixture('chat-stream.ndjson').split('\n')[0]!}\n${errorLine}\n`;
    const provider = await serve((_request, response) => respondWithStream(response, body, ndjson));
    const seen: StreamEvent[] = [];
    const failure = await failureOf(
      (async () => {
        for await (const event of provider.chat(chatRequest(), { signal: new AbortController().signal })) {
          seen.push(event);
        }
      })(),
    );
    expect(seen.map((event) => event.type)).toEqual(['start', 'text-delta']);
    expect(failure.kind).toBe('unavailable');
    expect(failure.message).toBe('an error was encountered while running the model');
    expect(failure.providerId).toBe('ollama');
  });

  it('fails a stream that ends without its done line instead of passing off a cut answer as complete', async () => {
    const provider = await serve((_request, response) => respondWithStream(response, fixture('chat-stream.ndjson').split('\n')[0]!, ndjson));
    const failure = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: new AbortController().signal })));
    expect(failure.kind).toBe('unavailable');
    expect(failure.message).toMatch(/before its final "done" line/);
  });

  it('fails with kind internal on a line that is not JSON', async () => {
    const provider = await serve((_request, response) => respondWithStream(response, '{"model":"llama3.2","message":{"content":"a"},"done":false}\n<html>oops\n', ndjson));
    const failure = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: new AbortController().signal })));
    expect(failure.kind).toBe('internal');
  });

  it('sends the endpoint key as a bearer token, and a caller key instead when given', async () => {
    const provider = await serve((_request, response) => respondWithStream(response, fixture('chat-stream.ndjson'), ndjson), {}, 'endpoint-key');
    await chat(provider);
    await collectEvents(provider.chat(chatRequest(), { signal: new AbortController().signal, apiKey: new Secret('caller-key'), requestId: 'req-1' }));
    expect(upstream!.requests.map((request) => request.headers['authorization'])).toEqual(['Bearer endpoint-key', 'Bearer caller-key']);
    expect(upstream!.requests[1]?.headers['x-request-id']).toBe('req-1');
  });

  it('accepts a base URL given with /v1 or /api and a trailing slash', async () => {
    upstream = await startFakeUpstream((_request, response) => respondWithStream(response, fixture('chat-stream.ndjson'), ndjson));
    for (const suffix of ['/v1', '/api/', '/']) {
      const provider = await plugin.createProvider({ endpoint: { id: 'ollama', baseUrl: `${upstream.url}${suffix}` }, options: defaultOptions, logger: silentLogger, fetch: globalThis.fetch });
      await chat(provider);
    }
    expect(upstream.requests.map((request) => request.url)).toEqual(['/api/chat', '/api/chat', '/api/chat']);
  });

  it('asks once more without think when the model does not support thinking', async () => {
    const provider = await serve((request, response) => {
      const body = request.json() as { think?: unknown };
      if (body.think !== undefined) {
        respondWithJson(response, 400, { error: '"llama3.2" does not support thinking' });
        return undefined;
      }
      return respondWithStream(response, fixture('chat-stream.ndjson'), ndjson);
    });
    const events = await chat(provider, chatRequest({ reasoning: { effort: 'high' } }));
    expect(joinText(events)).toBe('The');
    expect(upstream!.requests.map((request) => (request.json() as { think?: unknown }).think)).toEqual([true, undefined]);
  });

  it('downloads an image URL through the fake upstream and inlines it as bare base64', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const provider = await serve((request, response) => {
      if (request.url === '/pig.png') {
        response.writeHead(200, { 'content-type': 'image/png' });
        response.end(png);
        return undefined;
      }
      return respondWithStream(response, fixture('chat-stream.ndjson'), ndjson);
    });
    const request = chatRequest({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image', source: { kind: 'url', url: `${upstream!.url}/pig.png` } }] }],
    });
    await chat(provider, request);
    const chatCall = upstream!.requests.find((sent) => sent.url === '/api/chat');
    expect((chatCall?.json() as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: 'what is this?', images: [png.toString('base64')] }]);
  });

  it('refuses an image larger than max_image_bytes, a failed download and a disabled download, without calling chat', async () => {
    const provider = await serve((request, response) => {
      if (request.url.startsWith('/big.png')) {
        response.writeHead(200, { 'content-type': 'image/png' });
        response.end(Buffer.alloc(2048));
      } else if (request.url === '/page') {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html></html>');
      } else {
        response.writeHead(404);
        response.end();
      }
    });
    const withImage = (url: string) =>
      chatRequest({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url } }] }] });
    const tooLarge = await failureOf(collectEvents(provider.chat(withImage(`${upstream!.url}/big.png?signature=secret`), { signal: new AbortController().signal })));
    expect(tooLarge.kind).toBe('invalid_request');
    expect(tooLarge.message).toMatch(/larger than 1024 bytes/);
    expect(tooLarge.message).not.toMatch(/secret/);
    const missing = await failureOf(collectEvents(provider.chat(withImage(`${upstream!.url}/gone.png`), { signal: new AbortController().signal })));
    expect(missing.kind).toBe('invalid_request');
    expect(missing.message).toMatch(/HTTP 404/);
    const notImage = await failureOf(collectEvents(provider.chat(withImage(`${upstream!.url}/page`), { signal: new AbortController().signal })));
    expect(notImage.message).toMatch(/not an image \(text\/html\)/);
    const notHttp = await failureOf(collectEvents(provider.chat(withImage('file:///etc/passwd'), { signal: new AbortController().signal })));
    expect(notHttp.kind).toBe('invalid_request');
    expect(upstream!.requests.some((request) => request.url === '/api/chat')).toBe(false);

    await stopUpstream();
    const guarded = await serve(() => undefined, { allow_private_image_urls: false });
    const internal = await failureOf(collectEvents(guarded.chat(withImage(`${upstream!.url}/big.png`), { signal: new AbortController().signal })));
    expect(internal.kind).toBe('invalid_request');
    expect(internal.message).toMatch(/private or local address/);
    expect(upstream!.requests).toHaveLength(0);

    await stopUpstream();
    const noDownloads = await serve(() => undefined, { fetch_image_urls: false });
    const refused = await failureOf(collectEvents(noDownloads.chat(withImage('https://example.test/a.png'), { signal: new AbortController().signal })));
    expect(refused.kind).toBe('invalid_request');
    expect(upstream!.requests).toHaveLength(0);
  });
});

describe('ollama errors', () => {
  const cases: Array<[number, Record<string, string>, unknown, string]> = [
    [400, {}, { error: 'invalid tool call arguments' }, 'invalid_request'],
    [401, {}, { error: 'unauthorized' }, 'authentication'],
    [403, {}, { error: 'forbidden' }, 'permission'],
    [404, {}, { error: 'model "llama9" not found, try pulling it first' }, 'not_found'],
    [408, {}, { error: 'timed out' }, 'timeout'],
    [429, { 'retry-after': '7' }, { error: 'too many requests' }, 'rate_limited'],
    [500, {}, JSON.parse(fixture('error.response.json')), 'unavailable'],
    [502, {}, 'Bad Gateway', 'unavailable'],
    [503, {}, '<html>busy</html>', 'unavailable'],
  ];

  it.each(cases)('maps HTTP %i to its kind, keeping Ollama\'s message', async (status, headers, body, kind) => {
    const provider = await serve((_request, response) => respondWithJson(response, status, body, headers));
    const failure = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: new AbortController().signal })));
    expect(failure.kind).toBe(kind);
    expect(failure.status).toBe(status);
    expect(failure.providerId).toBe('ollama');
    if (typeof body === 'object' && body !== null) {
      expect(failure.message).toBe((body as { error: string }).error);
    }
    if (status === 429) {
      expect(failure.retryAfterMs).toBe(7000);
    }
  });

  it('fails with kind internal on a non-streamed body that is not JSON', async () => {
    const provider = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"model": "llama3.2", "mess');
    });
    const failure = await failureOf(collectEvents(provider.chat(chatRequest({ stream: false }), { signal: new AbortController().signal })));
    expect(failure.kind).toBe('internal');
  });

  it('fails with kind unavailable when nothing listens', async () => {
    const provider = await serve(() => undefined);
    await stopUpstream();
    const failure = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: new AbortController().signal })));
    expect(failure.kind).toBe('unavailable');
  });

  it('stops a stalled stream promptly when the caller aborts, with kind cancelled', async () => {
    const provider = await serve((_request, response) => respondWithStall(response, `${fixture('chat-stream.ndjson').split('\n')[0]!}\n`, 'application/x-ndjson'));
    const controller = new AbortController();
    const seen: StreamEvent[] = [];
    const started = Date.now();
    const failure = await failureOf(
      (async () => {
        for await (const event of provider.chat(chatRequest(), { signal: controller.signal })) {
          seen.push(event);
          if (event.type === 'text-delta') {
            controller.abort();
          }
        }
      })(),
    );
    expect(failure.kind).toBe('cancelled');
    expect(seen.map((event) => event.type)).toEqual(['start', 'text-delta']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('ends a stalled stream with kind timeout after timeout_ms', async () => {
    const provider = await serve((_request, response) => respondWithStall(response, '', 'application/x-ndjson'), { timeout_ms: 200 });
    const failure = await failureOf(collectEvents(provider.chat(chatRequest(), { signal: new AbortController().signal })));
    expect(failure.kind).toBe('timeout');
  });
});
