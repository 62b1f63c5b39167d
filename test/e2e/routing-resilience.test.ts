import OpenAI from 'openai';
import { startTestRedis, type TestRedis } from '../helpers/redis-for-tests.js';
import { deltaChunk, replyWithChunks, sendJson, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const KEY_FIRST = 'sk-first-canary-11111111';
const KEY_SECOND = 'sk-second-canary-22222222';
const ADMIN_KEY = 'admin-canary-33333333';

const okText = (text: string) => replyWithChunks([deltaChunk({ role: 'assistant', content: '' }), deltaChunk({ content: text }), deltaChunk({}, 'stop')]);

/**
 * Failover, key profiles and cooldowns through real processes: two llm-proxy replicas sharing one real
 * Redis, fake upstreams that inject faults, and the official openai SDK as the client.
 */
describe('routing and resilience', () => {
  let redis: TestRedis;
  let primary: ScriptedOpenAIUpstream;
  let backup: ScriptedOpenAIUpstream;
  const running: RunningServices[] = [];
  let testNumber = 0;

  beforeAll(async () => {
    redis = await startTestRedis();
    primary = await startScriptedOpenAIUpstream(['model-a']);
    backup = await startScriptedOpenAIUpstream(['model-b']);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((services) => services.stop()));
    primary.requests.length = 0;
    backup.requests.length = 0;
  });

  afterAll(async () => {
    await primary?.close();
    await backup?.close();
    await redis?.stop();
  });

  /** Starts one gateway + llm-proxy pair on the shared Redis; each test gets its own key prefix. */
  async function replica(extraToml = ''): Promise<{ services: RunningServices; client: OpenAI }> {
    const config = writeConfigFile(`
[llm]
fallback_order = ["backup:model-b"]

[llm.timeouts]
first_token_ms = 700

[llm.cooldowns]
auth_ms = 2500

[[llm.profiles]]
name = "first"
provider = "primary"
api_key_env = "KEY_FIRST"

[[llm.profiles]]
name = "second"
provider = "primary"
api_key_env = "KEY_SECOND"

[endpoints.primary]
provider = "openai-compatible"
base_url = "${primary.url}"
models = ["model-a"]

[endpoints.backup]
provider = "openai-compatible"
base_url = "${backup.url}"
models = ["model-b"]
${extraToml}`);
    const services = await startServices({
      NACHOS_CONFIG: config,
      KEY_FIRST,
      KEY_SECOND,
      NACHOS_ADMIN_KEY: ADMIN_KEY,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `test${testNumber}:`,
    });
    running.push(services);
    return { services, client: new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 }) };
  }

  beforeEach(() => {
    testNumber += 1;
  });

  const keysSeen = (upstream: ScriptedOpenAIUpstream) => upstream.requests.filter((request) => request.method === 'POST').map((request) => request.headers.authorization);
  const ask = (client: OpenAI, stream = false) =>
    client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }], stream: stream as false }).withResponse();

  it('keeps answering when the first key is rejected, and neither replica sends it traffic until its cooldown ends', async () => {
    primary.reply = (request, response) =>
      request.headers.authorization === `Bearer ${KEY_FIRST}`
        ? sendJson(response, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } })
        : okText('served by the second key')(request, response);
    const one = await replica();
    const two = await replica();

    const first = await ask(one.client);
    expect(first.data.choices[0]?.message.content).toBe('served by the second key');
    expect(first.response.headers.get('x-nachos-attempts')).toBe('2');
    expect(keysSeen(primary)).toEqual([`Bearer ${KEY_FIRST}`, `Bearer ${KEY_SECOND}`]);

    for (const { client } of [two, one, two]) {
      const answer = await ask(client);
      expect(answer.data.choices[0]?.message.content).toBe('served by the second key');
      expect(answer.response.headers.get('x-nachos-attempts')).toBe('1');
    }
    expect(keysSeen(primary).filter((key) => key === `Bearer ${KEY_FIRST}`)).toHaveLength(1);

    const cooldowns = (await (await fetch(`${two.services.llmProxyHttpUrl}/admin/v1/cooldowns`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as {
      cooldowns: Array<{ key: string; reason: string }>;
      state: string;
    };
    expect(cooldowns.state).toBe('redis');
    expect(cooldowns.cooldowns).toEqual([expect.objectContaining({ key: 'primary/first', reason: 'key rejected (401)' })]);
    const metrics = await (await fetch(`${one.services.llmProxyHttpUrl}/metrics`)).text();
    expect(metrics).toMatch(/nachos_llm_proxy_cooldowns\{endpoint="primary",reason="key_rejected"\} 1/);
    expect((await fetch(`${two.services.llmProxyHttpUrl}/admin/v1/cooldowns`)).status).toBe(401);
    // The same list through either gateway's admin API, as operators reach it.
    const viaGateway = (await (await fetch(`${one.services.gatewayUrl}/admin/v1/cooldowns`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as {
      cooldowns: Array<{ key: string; reason: string; remaining_ms: number }>;
      state: string;
    };
    expect(viaGateway.state).toBe('redis');
    expect(viaGateway.cooldowns).toEqual([expect.objectContaining({ key: 'primary/first', reason: 'key rejected (401)' })]);
    expect(viaGateway.cooldowns[0]?.remaining_ms).toBeGreaterThan(0);
    expect((await fetch(`${two.services.gatewayUrl}/admin/v1/cooldowns`)).status).toBe(401);

    await new Promise((resolve) => setTimeout(resolve, 2_600));
    await ask(two.client);
    expect(keysSeen(primary).filter((key) => key === `Bearer ${KEY_FIRST}`)).toHaveLength(2);

    const logs = one.services.logs() + two.services.logs();
    expect(logs).toContain('upstream rejected a key: it is out of rotation');
    for (const secret of [KEY_FIRST, KEY_SECOND, ADMIN_KEY]) expect(logs).not.toContain(secret);
  });

  it('fails over along fallback_order on 429, honouring Retry-After for the cooled keys', async () => {
    primary.reply = (_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' });
      response.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests' } }));
    };
    backup.reply = okText('served by the backup');
    const { client, services } = await replica();

    const first = await ask(client);
    expect(first.data.choices[0]?.message.content).toBe('served by the backup');
    expect(first.response.headers.get('x-nachos-endpoint')).toBe('backup');
    expect(first.response.headers.get('x-nachos-attempts')).toBe('3');
    expect(keysSeen(primary)).toEqual([`Bearer ${KEY_FIRST}`, `Bearer ${KEY_SECOND}`]);

    const second = await ask(client, true);
    const chunks = [];
    for await (const chunk of second.data as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('served by the backup');
    expect(second.response.headers.get('x-nachos-attempts')).toBe('1');
    expect(keysSeen(primary)).toHaveLength(2);

    const cooldowns = (await (await fetch(`${services.llmProxyHttpUrl}/admin/v1/cooldowns`, { headers: { 'x-api-key': ADMIN_KEY } })).json()) as {
      cooldowns: Array<{ key: string; remaining_ms: number }>;
    };
    expect(cooldowns.cooldowns.map((cooldown) => cooldown.key).sort()).toEqual(['primary/first/model-a', 'primary/second/model-a']);
    expect(cooldowns.cooldowns.every((cooldown) => cooldown.remaining_ms > 25_000 && cooldown.remaining_ms <= 30_000)).toBe(true);
  });

  it('answers 429 with the shortest Retry-After when every key is cooling and there is no fallback', async () => {
    primary.reply = (_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '20' });
      response.end(JSON.stringify({ error: { message: 'slow down' } }));
    };
    const { client } = await replica('\n[llm.models.model-a]\nfallbacks = []\n');
    const failure = await ask(client).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    const again = (await ask(client).catch((error: unknown) => error)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(again).toBeInstanceOf(OpenAI.RateLimitError);
    expect(Number(again.headers?.get('retry-after'))).toBeGreaterThan(15);
    expect(Number(again.headers?.get('retry-after'))).toBeLessThanOrEqual(20);
    expect(keysSeen(primary)).toHaveLength(2);
  });

  it('fails over when the upstream stalls before the first token', async () => {
    primary.reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'model-a', ...deltaChunk({ role: 'assistant', content: '' }) })}\n\n`);
    };
    backup.reply = okText('served after a stall');
    const { client } = await replica();
    const started = Date.now();
    const answer = await ask(client);
    expect(answer.data.choices[0]?.message.content).toBe('served after a stall');
    expect(answer.response.headers.get('x-nachos-endpoint')).toBe('backup');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(primary.closedEarly).toBeGreaterThanOrEqual(2);
  });

  it('does not retry a stream that broke after its first bytes: the SDK raises', async () => {
    primary.reply = async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const delta of [{ role: 'assistant', content: '' }, { content: 'partial ' }]) {
        response.write(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'model-a', ...deltaChunk(delta) })}\n\n`);
      }
      // Let the first bytes reach the client before the connection breaks.
      await new Promise((resolve) => setTimeout(resolve, 300));
      response.destroy();
    };
    backup.reply = okText('must not be used');
    const { client } = await replica();
    const { data } = await ask(client, true);
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of data as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(received.join('')).toBe('partial ');
    expect(backup.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
    expect(keysSeen(primary)).toHaveLength(1);
  });

  it('never fails over a request error (400)', async () => {
    primary.reply = (_request, response) =>
      sendJson(response, 400, { error: { message: "This model's maximum context length is 8192 tokens", type: 'invalid_request_error', code: 'context_length_exceeded' } });
    backup.reply = okText('must not be used');
    const { client } = await replica();
    const failure = await ask(client).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect(keysSeen(primary)).toHaveLength(1);
    expect(backup.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
  });
});
