import { connect } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const KEY = 'sk-gw-hygiene-55e1';
const OPEN_KEY = 'sk-gw-hygiene-open-2b';

/** B1–B3 and slow clients: bad input is refused early, in the caller's protocol, with no upstream call. */
describe('request hygiene (B1–B3)', () => {
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${services.gatewayUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers }, body });
  const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ models: ['fake-model', 'secret-model'] });
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`[[auth.keys]]\nname = "h"\nkey_env = "HYGIENE_KEY"\nmodels = ["fake-model"]\n[gateway]\nmax_json_depth = 32\n`),
      HYGIENE_KEY: KEY,
      NACHOS_API_KEYS: OPEN_KEY,
      GATEWAY_BODY_LIMIT: '1mb',
      GATEWAY_HEADERS_TIMEOUT_MS: '1000',
      LLM_PROXY_ENDPOINT_X_URL: upstream.url,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model,secret-model',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('refuses a body over the limit with 413 from its Content-Length, in each protocol’s shape', async () => {
    const big = JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'x'.repeat(10 * 1024 * 1024) }] });
    const started = performance.now();
    const openai = await post('/v1/chat/completions', big);
    expect(openai.status).toBe(413);
    expect(await openai.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const anthropic = await post('/v1/messages', big);
    expect(anthropic.status).toBe(413);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('stops reading a chunked body at the limit', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 10 * 1024 * 1024) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('refuses deep nesting with 400 before parsing it, and takes a huge flat array in bounded time', async () => {
    const deep = `{"model":"fake-model","messages":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const response = await post('/v1/chat/completions', deep);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'json_too_deep' } });

    const started = performance.now();
    const wide = await post('/v1/chat/completions', JSON.stringify({ model: 'fake-model', messages: new Array(200_000).fill(0) }));
    expect(wide.status).toBe(400);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('answers malformed JSON, text/plain junk and multipart with 400/415 in OpenAI’s shape, without a stack trace', async () => {
    const malformed = await post('/v1/chat/completions', '{"model": ');
    expect(malformed.status).toBe(400);
    noStackTrace(await malformed.text());
    const plain = await post('/v1/chat/completions', 'hello there', { 'content-type': 'text/plain' });
    expect(plain.status).toBe(400);
    noStackTrace(await plain.text());
    const boundary = 'b'.repeat(10 * 1024);
    const multipart = await post('/v1/chat/completions', `--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nfake-model\r\n--${boundary}--\r\n`, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    expect(multipart.status).toBe(415);
    const body = await multipart.text();
    expect(JSON.parse(body)).toMatchObject({ error: { type: 'invalid_request_error', code: 'unsupported_media_type' } });
    noStackTrace(body);
  });

  it('answers an unknown model with 404 model_not_found naming no model, and hides models the key may not use (B3)', async () => {
    const open = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: OPEN_KEY, maxRetries: 0 });
    const unknown = await open.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    const body = JSON.stringify((unknown as InstanceType<typeof OpenAI.NotFoundError>).error);
    expect(body).toContain('model_not_found');
    for (const model of ['fake-model', 'secret-model']) expect(body).not.toContain(model);

    const limited = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: KEY, maxRetries: 0 });
    const denied = await limited.chat.completions.create({ model: 'secret-model', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const anthropic = new Anthropic({ baseURL: services.gatewayUrl, apiKey: KEY, maxRetries: 0 });
    const hidden = await anthropic.models.retrieve('secret-model').catch((error: unknown) => error);
    expect(hidden).toBeInstanceOf(Anthropic.NotFoundError);
    expect((await anthropic.models.list()).data.map((model) => model.id)).toEqual(['fake-model']);
  });

  it('costs no upstream call for any of it', () => {
    expect(upstream.requests.filter((request) => request.path === '/v1/chat/completions')).toEqual([]);
  });

  it('closes a connection whose headers trickle in slower than the headers timeout', async () => {
    const started = performance.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(services.gatewayUrl).port), '127.0.0.1');
      let received = '';
      socket.on('connect', () => socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n'));
      const drip = setInterval(() => socket.writable && socket.write('x-slow: 1\r\n'), 300);
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => {
        clearInterval(drip);
        resolve(received);
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(performance.now() - started).toBeLessThan(4_000);
  });
});
