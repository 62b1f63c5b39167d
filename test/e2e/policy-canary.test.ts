import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { startUsageWebhookReceiver, type UsageWebhookReceiver } from '../helpers/usage-webhook-receiver.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

/**
 * Canary secrets of every kind. None has a shape the log scrubber knows (`sk-…`, `AIza…`), so nothing
 * here passes by pattern: a canary stays out of logs, bodies and metrics only if no code path prints it.
 */
const CANARY = {
  gatewayEnv: 'canary-gw-env-Zq81x7',
  gatewayFile: 'canary-gw-file-Lp27c4',
  provider: 'canary-provider-Mx55d2',
  rejected: 'canary-rejected-Qa36v8',
  admin: 'canary-admin-Rt09k1',
  webhook: 'canary-webhook-Ks44m6',
  byok: 'canary-byok-Vn63h9',
  wrong: 'canary-wrong-Hd12b5',
  query: 'canary-query-Pw70n3',
} as const;

/** An upstream that rejects every key the way OpenAI does, quoting the key it was sent in its error message. */
async function startKeyQuotingUpstream(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url === '/v1/models') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'rejected-model', object: 'model', created: 0, owned_by: 'x' }] }));
        return;
      }
      const key = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${key}. You can find your API key at https://example.invalid/keys?key=${key}`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A4: after a run through every policy path, no canary appears in any log line, error body, metric or usage record. */
describe('no secret in logs, error bodies, metrics or usage records (A4), with BYOK and header rules end to end', () => {
  let upstream: FakeOpenAIUpstream;
  let rejecting: Awaited<ReturnType<typeof startKeyQuotingUpstream>>;
  let receiver: UsageWebhookReceiver;
  let services: RunningServices;
  /** Everything a client was sent, for the final check. */
  const bodies: string[] = [];

  const record = async (response: Response) => {
    const text = await response.text();
    bodies.push(text, JSON.stringify([...response.headers]));
    return { status: response.status, text, headers: response.headers };
  };

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ models: ['fake-model'] });
    rejecting = await startKeyQuotingUpstream();
    receiver = await startUsageWebhookReceiver();
    const keyFile = join(mkdtempSync(join(tmpdir(), 'nachos-canary-')), 'gateway-key');
    writeFileSync(keyFile, `${CANARY.gatewayFile}\n`);
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[[auth.keys]]
name = "from-file"
key_file = "${keyFile}"
rate_limit = { requests_per_minute = 6 }
models = ["fake-*", "rejected-*"]
[[usage.reporters]]
name = "billing"
type = "webhook"
url = "${receiver.url}"
token_env = "BILLING_TOKEN"
flush_interval = "50ms"
[providers.openai-compatible]
forward_token = true
[[header_rules]]
forward = ["x-trace-id", "x-goog-api-key", "/^x-/"]
insert = { "x-origin" = "nachos" }
`),
      NACHOS_API_KEYS: CANARY.gatewayEnv,
      NACHOS_ADMIN_KEY: CANARY.admin,
      BILLING_TOKEN: CANARY.webhook,
      LLM_PROXY_ENDPOINT_X_URL: upstream.url,
      LLM_PROXY_ENDPOINT_X_KEY: CANARY.provider,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model',
      LLM_PROXY_ENDPOINT_REJECTS_URL: rejecting.url,
      LLM_PROXY_ENDPOINT_REJECTS_KEY: CANARY.rejected,
      LLM_PROXY_ENDPOINT_REJECTS_MODELS: 'rejected-model',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
    await rejecting?.close();
    await receiver?.close();
  });

  it('serves the three SDKs with keys from the environment and from a file', async () => {
    const openai = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: CANARY.gatewayEnv, maxRetries: 0 });
    let text = '';
    for await (const chunk of await openai.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('Hello from the fake upstream.');
    const anthropic = new Anthropic({ baseURL: services.gatewayUrl, apiKey: CANARY.gatewayFile, maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'fake-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.type).toBe('message');
    const ollama = new Ollama({ host: services.gatewayUrl, headers: { Authorization: `Bearer ${CANARY.gatewayEnv}` } });
    expect((await ollama.chat({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] })).done).toBe(true);
    expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${CANARY.provider}`);
  });

  it('sends a caller’s own key (BYOK) to a forward_token provider instead of the configured one', async () => {
    const response = await record(
      await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${CANARY.gatewayEnv}`, 'x-provider-api-key': CANARY.byok },
        body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'mine' }] }),
      }),
    );
    expect(response.status).toBe(200);
    expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${CANARY.byok}`);
  });

  it('applies header rules upstream, never passing on the gateway key or the BYOK header', async () => {
    await record(
      await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': CANARY.gatewayEnv,
          'x-trace-id': 'trace-123',
          'x-team': 'alpha',
          'x-goog-api-key': 'client-goog-value',
          'x-provider-api-key': CANARY.byok,
        },
        body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'rules' }] }),
      }),
    );
    const headers = upstream.requests.at(-1)?.headers ?? {};
    expect(headers).toMatchObject({ 'x-trace-id': 'trace-123', 'x-team': 'alpha', 'x-origin': 'nachos', 'x-goog-api-key': 'client-goog-value' });
    expect(headers['x-api-key']).toBeUndefined();
    expect(headers['x-provider-api-key']).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain(CANARY.gatewayEnv);
  });

  it('goes through every refusal: wrong key, query-string key, model not allowed, rate limit, upstream key rejected', async () => {
    const wrong = await record(await fetch(`${services.gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${CANARY.wrong}` } }));
    expect(wrong.status).toBe(401);
    const query = await record(await fetch(`${services.gatewayUrl}/v1/models?key=${CANARY.query}`, { headers: { 'x-api-key': CANARY.gatewayFile } }));
    expect(query.status).toBe(200);
    const denied = await record(
      await fetch(`${services.gatewayUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': CANARY.gatewayFile, 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'mock', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
      }),
    );
    expect(denied.status).toBe(403);
    const rejected = await record(
      await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${CANARY.gatewayEnv}` },
        body: JSON.stringify({ model: 'rejected-model', messages: [{ role: 'user', content: 'hi' }] }),
      }),
    );
    expect(rejected.status).toBeGreaterThanOrEqual(500);
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push((await record(await fetch(`${services.gatewayUrl}/api/tags`, { headers: { authorization: `Bearer ${CANARY.gatewayFile}` } }))).status);
    }
    expect(statuses).toContain(429);
  });

  it('uses the admin API and the metrics of both services', async () => {
    expect((await record(await fetch(`${services.gatewayUrl}/admin/v1/usage`, { headers: { authorization: `Bearer ${CANARY.admin}` } }))).status).toBe(200);
    expect((await record(await fetch(`${services.gatewayUrl}/admin/v1/usage`, { headers: { authorization: `Bearer ${CANARY.wrong}` } }))).status).toBe(401);
    bodies.push(await (await fetch(`${services.gatewayUrl}/metrics`)).text());
    bodies.push(await (await fetch(`${services.llmProxyHttpUrl}/metrics`)).text());
    bodies.push(await (await fetch(`${services.gatewayUrl}/ready`)).text());
    await receiver.waitFor((entry) => entry.requested_model === 'rejected-model');
    expect(receiver.batches.every((batch) => batch.headers.authorization === `Bearer ${CANARY.webhook}`)).toBe(true);
  });

  it('finds no canary in any log line, error body, metric or usage record', () => {
    const places = { logs: services.logs(), responses: bodies.join('\n'), usage: receiver.rawBodies.join('\n') };
    for (const [where, text] of Object.entries(places)) {
      for (const [name, canary] of Object.entries(CANARY)) {
        expect({ where, name, found: text.includes(canary) }).toEqual({ where, name, found: false });
      }
    }
    expect(places.logs.split('\n').length).toBeGreaterThan(20);
  });
});
