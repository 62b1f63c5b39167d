import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startGatewayReplica } from '../helpers/start-gateway-replica.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

const KEY = 'sk-gw-hostile-7c1d';

/**
 * Hostile bodies (B1, B4, B6): oversized identifiers, integers past what the wire carries, text that would
 * split a header, a body whose encoding lies, and countless tiny messages. Each is a 400 in the caller's
 * protocol naming the field, costs no upstream call, and leaves other requests undisturbed.
 */
describe('hostile request bodies', () => {
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let ollama: Ollama;
  const chatCalls = () => upstream.requests.filter((request) => request.path === '/v1/chat/completions').length;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${services.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    });
  const user = [{ role: 'user', content: 'hi' }];
  /** The field and status an SDK error names, whatever the protocol. */
  const refusal = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      const { status, message } = error as { status?: number; status_code?: number; message: string };
      return { status: status ?? (error as { status_code?: number }).status_code, message };
    }
    throw new Error('the request was served');
  };

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ models: ['fake-model'], words: ['one', ' two', ' three', ' four'], chunkDelayMs: 150 });
    services = await startServices({
      NACHOS_API_KEYS: KEY,
      LLM_PROXY_ENDPOINT_X_URL: upstream.url,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model',
    });
    openai = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: KEY, maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: services.gatewayUrl, apiKey: KEY, maxRetries: 0 });
    ollama = new Ollama({ host: services.gatewayUrl, headers: { authorization: `Bearer ${KEY}` } });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('refuses a 100 KB model name with 400 naming `model` in each protocol, while a stream in flight finishes', async () => {
    const before = chatCalls();
    const stream = openai.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const longName = 'm'.repeat(100 * 1024);
    const refusals = await Promise.all([
      refusal(openai.chat.completions.create({ model: longName, messages: [{ role: 'user', content: 'hi' }] })),
      refusal(anthropic.messages.create({ model: longName, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })),
      refusal(ollama.chat({ model: longName, messages: [{ role: 'user', content: 'hi' }] })),
    ]);
    for (const answer of refusals) {
      expect(answer.status).toBe(400);
      expect(answer.message).toContain("'model' is longer than 256 characters");
      expect(answer.message.length).toBeLessThan(1_000);
    }
    let text = '';
    for await (const chunk of await stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('one two three four');
    expect(chatCalls()).toBe(before + 1);
    const after = await openai.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] });
    expect(after.choices[0]?.message.content).toBe('one two three four');
  });

  it('refuses a 200 KB image media_type, a long tool name and a long metadata value, naming each field', async () => {
    const before = chatCalls();
    const image = await post('/v1/messages', {
      model: 'fake-model',
      max_tokens: 16,
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: `image/${'p'.repeat(200 * 1024)}`, data: 'aGk=' } }] }],
    });
    expect(image.status).toBe(400);
    expect(await image.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining("'messages[0].content[0].source.media_type' is longer than 256") },
    });
    const tool = await post('/v1/chat/completions', {
      model: 'fake-model',
      messages: user,
      tools: [{ type: 'function', function: { name: 'f'.repeat(5_000), parameters: { type: 'object' } } }],
    });
    expect(tool.status).toBe(400);
    expect(await tool.json()).toMatchObject({ error: { param: 'tools[0].function.name' } });
    const metadata = await post('/v1/chat/completions', { model: 'fake-model', messages: user, metadata: { note: 'n'.repeat(10_000) } });
    expect(metadata.status).toBe(400);
    expect(await metadata.json()).toMatchObject({ error: { param: 'metadata.note' } });
    expect(chatCalls()).toBe(before);
  });

  it('answers integers of 2^31 and more with 400 naming the field in each protocol', async () => {
    const before = chatCalls();
    const big = 2 ** 31;
    const cases: Array<[string, unknown, string]> = [
      ['/v1/chat/completions', { model: 'fake-model', messages: user, max_tokens: big }, 'max_tokens'],
      ['/v1/embeddings', { model: 'fake-model', input: 'hi', dimensions: big }, 'dimensions'],
      ['/v1/messages', { model: 'fake-model', max_tokens: 16, top_k: big, messages: user }, 'top_k'],
      ['/v1/messages', { model: 'fake-model', max_tokens: 16, thinking: { type: 'enabled', budget_tokens: big }, messages: user }, 'thinking.budget_tokens'],
      ['/api/chat', { model: 'fake-model', messages: user, options: { num_predict: big } }, 'options.num_predict'],
      ['/api/chat', { model: 'fake-model', messages: user, options: { top_k: 2 ** 40 } }, 'options.top_k'],
    ];
    for (const [path, body, field] of cases) {
      const response = await post(path, body);
      const text = await response.text();
      expect({ path, field, status: response.status }).toEqual({ path, field, status: 400 });
      expect(text).toContain(`'${field}' must be at most 2147483647`);
    }
    expect(chatCalls()).toBe(before);
  });

  it('names ignored tool types in a header without letting CR/LF or size through', async () => {
    const response = await post('/v1/responses', {
      model: 'fake-model',
      input: 'hi',
      tools: [{ type: 'web_search\r\nx-injected: yes' }, ...Array.from({ length: 40 }, (_, index) => ({ type: `builtin_${index}_${'t'.repeat(200)}` }))],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-injected')).toBeNull();
    const ignored = response.headers.get('x-nachos-ignored-fields') ?? '';
    expect(ignored).toContain('tools[type=web_search\\u000d\\u000ax-injected: yes]');
    expect(ignored.length).toBeLessThanOrEqual(512);
    await response.text();
  });

  it('answers Content-Encoding: gzip over a plain body with 400, and reads a real gzip body', async () => {
    const body = JSON.stringify({ model: 'fake-model', messages: user });
    const plain = await post('/v1/chat/completions', body, { 'content-encoding': 'gzip' });
    expect(plain.status).toBe(400);
    expect(await plain.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_content_encoding' } });
    const gzipped = await post('/v1/chat/completions', gzipSync(body), { 'content-encoding': 'gzip' });
    expect(gzipped.status).toBe(200);
    expect(await gzipped.json()).toMatchObject({ choices: [{ message: { content: 'one two three four' } }] });
  });

  it('refuses a gzip body that inflates past the body limit with 413', async () => {
    const bomb = gzipSync(JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'x'.repeat(30 * 1024 * 1024) }] }));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const response = await post('/v1/chat/completions', bomb, { 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
  });

  it('refuses 300,000 tiny messages (9 MB) with 400 naming `messages`, without the gateway growing by hundreds of MB', async () => {
    const before = chatCalls();
    const messages = `[${Array.from({ length: 300_000 }, () => '{"role":"user","content":"hi"}').join(',')}]`;
    const body = `{"model":"fake-model","messages":${messages}}`;
    expect(body.length).toBeGreaterThan(9_000_000);
    for (const path of ['/v1/chat/completions', '/v1/messages', '/api/chat']) {
      const response = await post(path, body);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("'messages' may hold at most 10000 entries");
    }
    const parts = await post('/v1/chat/completions', {
      model: 'fake-model',
      messages: [{ role: 'user', content: Array.from({ length: 25_000 }, () => ({ type: 'text', text: 'x' })) }],
    });
    expect(parts.status).toBe(400);
    expect(await parts.json()).toMatchObject({ error: { param: 'messages[0].content' } });
    expect(chatCalls()).toBe(before);
    const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${services.gateway.child.pid}/status`, 'utf8'))?.[1]);
    expect(peakKb / 1024).toBeLessThan(300);
  });

  it('says not ready while parsing a huge body holds the gateway’s event loop past its lag limit', async () => {
    const replica = await startGatewayReplica(services, { NACHOS_API_KEYS: KEY, GATEWAY_EVENT_LOOP_LAG_LIMIT_MS: '150' });
    try {
      const body = `{"model":"fake-model","messages":[${Array.from({ length: 600_000 }, () => '{"role":"user","content":"hi"}').join(',')}]}`;
      const refused = fetch(`${replica.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body });
      expect((await refused).status).toBeGreaterThanOrEqual(400);
      const ready = await fetch(`${replica.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not_ready', checks: { event_loop: expect.stringMatching(/^lagging \d+ ms$/) } });
    } finally {
      await replica.stop();
    }
  });
});
