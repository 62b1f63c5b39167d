import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const UPSTREAM_KEY = 'sk-upstream-auth-3b91';
const ENV_KEY = 'sk-gw-env-5d20';
const TEAM_KEY = 'sk-gw-team-8e44';
const LIMITED_KEY = 'sk-gw-limited-1c07';

/** What a failed SDK call threw. */
async function failure<T = Error>(promise: Promise<unknown>): Promise<T> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as T,
  );
  if (outcome === undefined) throw new Error('the call succeeded');
  return outcome;
}

describe('gateway keys and model access, in every client protocol (A1–A3)', () => {
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;
  const chatCalls = () => upstream.requests.filter((request) => request.path === '/v1/chat/completions').length;

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ models: ['fake-model', 'other-model'] });
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[auth]
failed_attempts_per_minute = 5
[[auth.keys]]
name = "team-a"
key_env = "TEAM_A_KEY"
[[auth.keys]]
name = "limited"
key_env = "LIMITED_KEY"
models = ["fake-*"]
`),
      NACHOS_API_KEYS: ENV_KEY,
      TEAM_A_KEY: TEAM_KEY,
      LIMITED_KEY,
      // The test stands in for a proxy in front of the gateway, naming each client in X-Forwarded-For.
      GATEWAY_TRUST_PROXY: '127.0.0.1',
      LLM_PROXY_ENDPOINT_X_URL: upstream.url,
      LLM_PROXY_ENDPOINT_X_KEY: UPSTREAM_KEY,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model,other-model',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('says at start-up that keys are required, naming them and never their values', () => {
    const line = services.logs().split('\n').find((entry) => entry.includes('gateway keys required'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ service: 'gateway', keys: ['api-key-1', 'team-a', 'limited'] });
    for (const key of [ENV_KEY, TEAM_KEY, LIMITED_KEY]) expect(services.logs()).not.toContain(key);
  });

  it('answers a wrong or missing key with 401 in OpenAI’s shape, without an upstream call', async () => {
    const before = chatCalls();
    const wrong = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'sk-gw-wrong', maxRetries: 0 });
    const error = await failure<InstanceType<typeof OpenAI.AuthenticationError>>(
      wrong.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
    const missing = await fetch(`${services.gatewayUrl}/v1/models`);
    expect(missing.status).toBe(401);
    const body = (await missing.json()) as { error: { message: string } };
    expect(body.error.message).toBe(error.error && (error.error as { message: string }).message);
    expect(chatCalls()).toBe(before);
  });

  it('answers a wrong key with 401 in Anthropic’s shape', async () => {
    const anthropic = new Anthropic({ baseURL: services.gatewayUrl, apiKey: 'sk-ant-wrong', maxRetries: 0 });
    const error = await failure<InstanceType<typeof Anthropic.AuthenticationError>>(
      anthropic.messages.create({ model: 'fake-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(error.requestID).toEqual(expect.any(String));
  });

  it('answers a wrong key with 401 in Ollama’s shape', async () => {
    const ollama = new Ollama({ host: services.gatewayUrl, headers: { Authorization: 'Bearer sk-wrong' } });
    const error = await failure<{ name: string; status_code: number; message: string }>(
      ollama.chat({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(error.name).toBe('ResponseError');
    expect(error.status_code).toBe(401);
    expect(error.message).toMatch(/valid gateway API key/);
  });

  it('serves each client with a valid key in its own header', async () => {
    const openai = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: ENV_KEY, maxRetries: 0 });
    const completion = await openai.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake upstream.');

    const anthropic = new Anthropic({ baseURL: services.gatewayUrl, apiKey: TEAM_KEY, maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'fake-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hello from the fake upstream.' });

    const ollama = new Ollama({ host: services.gatewayUrl, headers: { Authorization: `Bearer ${LIMITED_KEY}` } });
    const reply = await ollama.chat({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.message.content).toBe('Hello from the fake upstream.');

    const gemini = await fetch(`${services.gatewayUrl}/v1/models`, { headers: { 'x-goog-api-key': TEAM_KEY } });
    expect(gemini.status).toBe(200);
  });

  it('refuses a model the key may not use with 403 in each protocol, and never lists it', async () => {
    const before = chatCalls();
    const openai = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: LIMITED_KEY, maxRetries: 0 });
    const denied = await failure<InstanceType<typeof OpenAI.PermissionDeniedError>>(
      openai.chat.completions.create({ model: 'other-model', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(denied.error).toMatchObject({ type: 'permission_error', code: 'model_not_allowed', param: 'model' });

    const anthropic = new Anthropic({ baseURL: services.gatewayUrl, apiKey: LIMITED_KEY, maxRetries: 0 });
    const anthropicDenied = await failure<InstanceType<typeof Anthropic.PermissionDeniedError>>(
      anthropic.messages.create({ model: 'other-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(anthropicDenied).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(anthropicDenied.error).toMatchObject({ error: { type: 'permission_error' } });

    const ollama = new Ollama({ host: services.gatewayUrl, headers: { Authorization: `Bearer ${LIMITED_KEY}` } });
    const ollamaDenied = await failure<{ status_code: number }>(ollama.generate({ model: 'other-model', prompt: 'hi' }));
    expect(ollamaDenied.status_code).toBe(403);
    expect(chatCalls()).toBe(before);

    const listed = [];
    for await (const model of openai.models.list()) listed.push(model.id);
    expect(listed).toEqual(['fake-model']);
    expect((await ollama.list()).models.map((model) => model.name)).toEqual(['fake-model']);
    const unlisted = await failure<InstanceType<typeof OpenAI.NotFoundError>>(openai.models.retrieve('other-model'));
    expect(unlisted).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('never forwards the client’s credentials upstream: only the configured provider key goes (A3)', async () => {
    const response = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${TEAM_KEY}`,
        'x-api-key': 'sk-client-xapi-77',
        'x-goog-api-key': 'sk-client-goog-77',
        'api-key': 'sk-client-azure-77',
        cookie: 'session=client-cookie-77',
        'x-provider-api-key': 'sk-client-byok-77',
      },
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    const call = upstream.requests.at(-1);
    expect(call?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    // Every client credential above carries "client-", which no header nachos sends does; a random request id
    // may well hold "-77".
    const sent = Object.values(call?.headers ?? {}).join('\n');
    for (const value of [TEAM_KEY, 'client-']) expect(sent).not.toContain(value);
    expect(call?.headers.cookie).toBeUndefined();
  });

  it('serves health, readiness, metrics and Ollama’s root without a key (skip_paths)', async () => {
    for (const path of ['/health', '/ready', '/metrics', '/', '/api/version']) {
      expect([path, (await fetch(`${services.gatewayUrl}${path}`)).status]).toEqual([path, 200]);
    }
  });

  it('refuses an address that keeps failing with 429 before checking any key, other addresses unaffected (A1)', async () => {
    const from = (address: string, key?: string) =>
      fetch(`${services.gatewayUrl}/v1/models`, { headers: { 'x-forwarded-for': address, ...(key ? { authorization: `Bearer ${key}` } : {}) } });
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await from('203.0.113.7', `sk-guess-${attempt}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const blocked = await from('203.0.113.7', TEAM_KEY);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await from('203.0.113.8', 'sk-guess')).status).toBe(401);
    expect((await from('203.0.113.8', TEAM_KEY)).status).toBe(200);
    const metrics = await (await fetch(`${services.gatewayUrl}/metrics`)).text();
    expect(metrics).toMatch(/nachos_gateway_auth_failures_total\{reason="throttled"\} [1-9]/);
    expect(metrics).toMatch(/nachos_gateway_auth_failures_total\{reason="model_not_allowed"\} 3/);
  });
});

describe('a gateway without keys', () => {
  it('serves openly and says so at start-up', async () => {
    const services = await startServices({});
    try {
      expect(services.logs()).toContain('serving every caller without authentication');
      const openai = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'anything', maxRetries: 0 });
      const completion = await openai.chat.completions.create({ model: 'mock', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0]?.message.role).toBe('assistant');
    } finally {
      await services.stop();
    }
  });
});
