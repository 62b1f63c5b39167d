import { randomUUID } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startTestRedis, type TestRedis } from '../helpers/redis-for-tests.js';
import { startGatewayReplica, type GatewayReplica } from '../helpers/start-gateway-replica.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const RPM_KEY = 'sk-gw-rpm-41d2';
const STREAMS_KEY = 'sk-gw-streams-a07e';
const TOKENS_KEY = 'sk-gw-tokens-6f19';

/**
 * Two gateway processes share one real Redis: a key's limits hold across both, decided atomically per
 * request however the requests are spread and however they race (L4 over loopback; the window-edge
 * burst is covered against the same Lua in services/gateway/test/limit-store.test.ts).
 */
describe('rate limits shared by two gateways through one Redis', () => {
  let redis: TestRedis;
  let quick: FakeOpenAIUpstream;
  let slow: FakeOpenAIUpstream;
  let services: RunningServices;
  let replica: GatewayReplica;
  let gateways: string[];

  beforeAll(async () => {
    redis = await startTestRedis();
    quick = await startFakeOpenAIUpstream({ models: ['fake-model'] });
    slow = await startFakeOpenAIUpstream({ models: ['slow-model'], words: Array.from({ length: 400 }, (_, index) => ` w${index}`), chunkDelayMs: 25 });
    const env = {
      NACHOS_CONFIG: writeConfigFile(`
[rate_limit]
replicas = 2
[[auth.keys]]
name = "rpm"
key_env = "RPM_KEY"
rate_limit = { requests_per_minute = 10 }
[[auth.keys]]
name = "streams"
key_env = "STREAMS_KEY"
rate_limit = { max_concurrent = 2 }
[[auth.keys]]
name = "tokens"
key_env = "TOKENS_KEY"
rate_limit = { tokens_per_minute = 300 }
`),
      RPM_KEY,
      STREAMS_KEY,
      TOKENS_KEY,
      REDIS_URL: redis.url,
      // A fresh namespace per run, so a shared REDIS_URL never carries counts over.
      REDIS_KEY_PREFIX: `nachos-test-${randomUUID()}:`,
      LLM_PROXY_ENDPOINT_QUICK_URL: quick.url,
      LLM_PROXY_ENDPOINT_QUICK_MODELS: 'fake-model',
      LLM_PROXY_ENDPOINT_SLOW_URL: slow.url,
      LLM_PROXY_ENDPOINT_SLOW_MODELS: 'slow-model',
    };
    services = await startServices(env);
    replica = await startGatewayReplica(services, env);
    gateways = [services.gatewayUrl, replica.url];
  });

  afterAll(async () => {
    await replica?.stop();
    await services?.stop();
    await quick?.close();
    await slow?.close();
    await redis?.stop();
  });

  it('says limits are shared in Redis, on both gateways', () => {
    expect(services.gateway.output()).toContain('rate limits shared in Redis');
    expect(replica.process.output()).toContain('rate limits shared in Redis');
  });

  it('admits exactly requests_per_minute for one key across both gateways, even when the requests race', async () => {
    const chat = (index: number) =>
      fetch(`${gateways[index % 2]}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${RPM_KEY}` },
        body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: `hi ${index}` }] }),
      });
    const responses = await Promise.all(Array.from({ length: 30 }, (_, index) => chat(index)));
    const admitted = responses.filter((response) => response.status === 200);
    const refused = responses.filter((response) => response.status === 429);
    expect(admitted).toHaveLength(10);
    expect(refused).toHaveLength(20);
    expect(new Set(admitted.map((response) => response.url.split('/v1')[0])).size).toBe(2);

    const remaining = admitted.map((response) => Number(response.headers.get('x-ratelimit-remaining-requests'))).sort((a, b) => a - b);
    expect(remaining).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(admitted[0]?.headers.get('x-ratelimit-limit-requests')).toBe('10');
    const refusal = refused[0] as Response;
    expect(Number(refusal.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refusal.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(await refusal.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' } });

    // The budget is spent for every protocol and on both gateways.
    const anthropic = new Anthropic({ baseURL: gateways[1], apiKey: RPM_KEY, maxRetries: 0 });
    const limited = await anthropic.messages.create({ model: 'fake-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({ error: { type: 'rate_limit_error' } });
    const ollama = new Ollama({ host: gateways[0], headers: { Authorization: `Bearer ${RPM_KEY}` } });
    const ollamaLimited = await ollama.chat({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(ollamaLimited).toMatchObject({ name: 'ResponseError', status_code: 429 });

    const metrics = await (await fetch(`${gateways[0]}/metrics`)).text();
    expect(metrics).toMatch(/nachos_gateway_rate_limit_rejections_total\{limit="requests"\} \d+/);
  });

  it('caps open streams per key across both gateways with max_concurrent, and frees a slot when a stream ends', async () => {
    const clients = gateways.map((url) => new OpenAI({ baseURL: `${url}/v1`, apiKey: STREAMS_KEY, maxRetries: 0 }));
    const open = (client: OpenAI) =>
      client.chat.completions.create({ model: 'slow-model', messages: [{ role: 'user', content: 'long' }], stream: true });
    const first = await open(clients[0] as OpenAI);
    const second = await open(clients[1] as OpenAI);
    const firstChunks = first[Symbol.asyncIterator]();
    const secondChunks = second[Symbol.asyncIterator]();
    expect((await firstChunks.next()).done).toBe(false);
    expect((await secondChunks.next()).done).toBe(false);

    for (const client of clients) {
      const refused = await open(client).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
      expect((refused as InstanceType<typeof OpenAI.RateLimitError>).message).toMatch(/concurrent requests/);
    }
    const openStreams = await (await fetch(`${gateways[0]}/metrics`)).text();
    expect(openStreams).toMatch(/nachos_gateway_open_streams\{protocol="openai"\} 1/);

    first.controller.abort();
    let admitted: Awaited<ReturnType<typeof open>> | undefined;
    const deadline = Date.now() + 3_000;
    while (!admitted && Date.now() < deadline) {
      admitted = await open(clients[1] as OpenAI).catch(() => undefined);
      if (!admitted) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(admitted).toBeDefined();
    admitted?.controller.abort();
    second.controller.abort();
  });

  it('reserves estimated tokens at admission and reconciles them with real usage afterwards', async () => {
    const ask = (url: string) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS_KEY}` },
        body: JSON.stringify({ model: 'fake-model', max_tokens: 250, messages: [{ role: 'user', content: 'hi' }] }),
      });
    // Each request reserves ~260 of the 300 tokens a minute: two at once cannot both fit.
    const [one, two] = await Promise.all([ask(gateways[0] as string), ask(gateways[1] as string)]);
    expect([one?.status, two?.status].sort()).toEqual([200, 429]);
    const refused = (one?.status === 429 ? one : two) as Response;
    expect(await refused.json()).toMatchObject({ error: { message: expect.stringMatching(/tokens-per-minute/) } });

    // The admitted one really used 12 tokens; once that is settled, the next request fits again.
    let next: Response | undefined;
    const deadline = Date.now() + 3_000;
    while (next?.status !== 200 && Date.now() < deadline) {
      next = await ask(gateways[1] as string);
      if (next.status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(next?.status).toBe(200);
    expect(Number(next?.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(300 - 250);
  });
});
