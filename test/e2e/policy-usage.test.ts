import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { startUsageWebhookReceiver, type UsageWebhookReceiver } from '../helpers/usage-webhook-receiver.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const TEAM_KEY = 'sk-gw-usage-team-90ab';
const ADMIN_KEY = 'sk-admin-usage-4411';
const WEBHOOK_TOKEN = 'whk-usage-token-7c2e';

/** The field names existing billing receivers parse; every record must keep them. */
const BILLING_FIELDS = ['request_id', 'user_id', 'model', 'prompt_tokens', 'completion_tokens', 'total_tokens', 'is_stream', 'timestamp'];

/** The value of a Prometheus sample, or undefined when absent. */
function sample(metrics: string, name: string, labels: string): number | undefined {
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${name}{`) && entry.includes(labels));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/**
 * Usage metering end to end: one record per request (served, failed, cancelled, refused) through a
 * batched, retried webhook and the log, totals on the admin API, and the same counts in /metrics.
 */
describe('usage metering and metrics', () => {
  let receiver: UsageWebhookReceiver;
  let quick: FakeOpenAIUpstream;
  let slow: FakeOpenAIUpstream;
  let services: RunningServices;
  let openai: OpenAI;

  beforeAll(async () => {
    receiver = await startUsageWebhookReceiver();
    quick = await startFakeOpenAIUpstream({ models: ['fake-model'] });
    slow = await startFakeOpenAIUpstream({ models: ['slow-model'], words: Array.from({ length: 300 }, (_, index) => ` word${index}`), chunkDelayMs: 20 });
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[[auth.keys]]
name = "team-a"
key_env = "TEAM_KEY"
[[usage.reporters]]
name = "billing"
type = "webhook"
url = "${receiver.url}"
token_env = "BILLING_WEBHOOK_TOKEN"
batch_size = 5
flush_interval = "100ms"
[[usage.reporters]]
name = "audit"
type = "log"
`),
      TEAM_KEY,
      NACHOS_ADMIN_KEY: ADMIN_KEY,
      BILLING_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
      LLM_PROXY_ENDPOINT_X_URL: quick.url,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model',
      LLM_PROXY_ENDPOINT_SLOW_URL: slow.url,
      LLM_PROXY_ENDPOINT_SLOW_MODELS: 'slow-model',
      LLM_PROXY_ENDPOINT_MOCK_URL: 'http://127.0.0.1:9',
      LLM_PROXY_ENDPOINT_MOCK_PROVIDER: 'mock',
    });
    openai = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: TEAM_KEY, maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await quick?.close();
    await slow?.close();
    await receiver?.close();
  });

  it('delivers a streamed request’s tokens to the webhook and to /metrics', async () => {
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'fake-model', messages: [{ role: 'user', content: 'Stream please' }], stream: true, user: 'user-42' })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from the fake upstream.');
    const requestId = response.headers.get('x-request-id') as string;

    const record = await receiver.waitFor((entry) => entry.request_id === requestId);
    for (const field of BILLING_FIELDS) expect(record).toHaveProperty(field);
    expect(record).toMatchObject({
      user_id: 'user-42',
      model: 'fake-model',
      prompt_tokens: 7,
      completion_tokens: 5,
      total_tokens: 12,
      is_stream: true,
      key_name: 'team-a',
      protocol: 'openai',
      path: '/v1/chat/completions',
      requested_model: 'fake-model',
      resolved_model: 'fake-model',
      provider: 'openai-compatible',
      endpoint: 'x',
      attempts: 1,
      input_tokens: 7,
      output_tokens: 5,
      usage_estimated: false,
      outcome: 'success',
      status: 200,
      error_kind: null,
    });
    expect(record.time_to_first_token_ms).toEqual(expect.any(Number));
    expect(record.latency_ms).toBeGreaterThanOrEqual(record.time_to_first_token_ms as number);
    expect(Date.parse(record.timestamp as string)).not.toBeNaN();
    // The request id travelled gateway → llm-proxy → upstream.
    expect(quick.requests.at(-1)?.headers['x-request-id']).toBe(requestId);
    expect(receiver.batches[0]?.headers.authorization).toBe(`Bearer ${WEBHOOK_TOKEN}`);

    const metrics = await (await fetch(`${services.gatewayUrl}/metrics`)).text();
    expect(sample(metrics, 'nachos_gateway_tokens_total', 'protocol="openai",model="fake-model",type="input"')).toBeGreaterThanOrEqual(7);
    expect(sample(metrics, 'nachos_gateway_tokens_total', 'protocol="openai",model="fake-model",type="output"')).toBeGreaterThanOrEqual(5);
    expect(sample(metrics, 'nachos_gateway_requests_total', 'protocol="openai",model="fake-model",status="200",outcome="success"')).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'nachos_gateway_time_to_first_token_seconds_count', 'protocol="openai",model="fake-model"')).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'nachos_gateway_usage_reports_total', 'reporter="billing",result="sent"')).toBeGreaterThanOrEqual(1);
  });

  it('meters every protocol, streaming or not, with the end user each names', async () => {
    const anthropic = new Anthropic({ baseURL: services.gatewayUrl, apiKey: TEAM_KEY, maxRetries: 0 });
    const { response } = await anthropic.messages
      .create({ model: 'fake-model', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }], metadata: { user_id: 'anthropic-user' } })
      .withResponse();
    const anthropicRecord = await receiver.waitFor((entry) => entry.request_id === response.headers.get('request-id'));
    expect(anthropicRecord).toMatchObject({ protocol: 'anthropic', path: '/v1/messages', is_stream: false, user_id: 'anthropic-user', total_tokens: 12 });

    const ollama = new Ollama({ host: services.gatewayUrl, headers: { Authorization: `Bearer ${TEAM_KEY}`, 'x-user-id': 'ollama-user' } });
    let streamed = '';
    for await (const part of await ollama.chat({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], stream: true })) streamed += part.message.content;
    expect(streamed).toBe('Hello from the fake upstream.');
    const ollamaRecord = await receiver.waitFor((entry) => entry.protocol === 'ollama' && entry.path === '/api/chat');
    expect(ollamaRecord).toMatchObject({ is_stream: true, user_id: 'ollama-user', prompt_tokens: 7, completion_tokens: 5 });

    const embedded = await ollama.embed({ model: 'mock-embed', input: ['hello world'] });
    expect(embedded.embeddings).toHaveLength(1);
    const embedRecord = await receiver.waitFor((entry) => entry.path === '/api/embed');
    expect(embedRecord).toMatchObject({ outcome: 'success', is_stream: false, provider: 'mock', prompt_tokens: embedded.prompt_eval_count, completion_tokens: 0 });
  });

  it('meters failures too, with the status and error kind the client saw', async () => {
    const failure = await openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    const record = await receiver.waitFor((entry) => entry.requested_model === 'no-such-model');
    expect(record).toMatchObject({ outcome: 'error', status: 404, error_kind: 'not_found', total_tokens: 0, resolved_model: null, model: 'no-such-model' });
  });

  it('meters a cancelled stream with its partial usage, estimated by the gateway', async () => {
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'slow-model', messages: [{ role: 'user', content: 'a long answer please' }], stream: true })
      .withResponse();
    let received = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received += 1;
      if (received === 5) break;
    }
    const record = await receiver.waitFor((entry) => entry.request_id === response.headers.get('x-request-id'));
    expect(record).toMatchObject({ outcome: 'cancelled', error_kind: 'cancelled', is_stream: true, usage_estimated: true, resolved_model: 'slow-model' });
    expect(record.input_tokens).toBeGreaterThan(0);
    expect(record.output_tokens).toBeGreaterThanOrEqual(5);
    expect(record.output_tokens).toBeLessThan(300);
  });

  it('retries deliveries the receiver failed, losing nothing', async () => {
    receiver.failNext(2, 503);
    const { response } = await openai.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'again' }] }).withResponse();
    const record = await receiver.waitFor((entry) => entry.request_id === response.headers.get('x-request-id'), 15_000);
    expect(record).toMatchObject({ outcome: 'success', is_stream: false });
  });

  it('writes the same records to the log reporter', () => {
    const lines = services.gateway
      .output()
      .split('\n')
      .filter((line) => line.includes('"message":"usage"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines[0]).toMatchObject({ reporter: 'audit', key_name: 'team-a' });
  });

  it('answers totals on the admin API, behind the admin key only', async () => {
    expect((await fetch(`${services.gatewayUrl}/admin/v1/usage`)).status).toBe(401);
    expect((await fetch(`${services.gatewayUrl}/admin/v1/usage`, { headers: { authorization: `Bearer ${TEAM_KEY}` } })).status).toBe(401);
    const response = await fetch(`${services.gatewayUrl}/admin/v1/usage`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(response.status).toBe(200);
    const usage = (await response.json()) as { totals: Record<string, number>; by_key: Record<string, Record<string, number>>; by_model: Record<string, Record<string, number>> };
    expect(usage.totals.requests).toBeGreaterThanOrEqual(7);
    expect(usage.totals.cancelled).toBeGreaterThanOrEqual(1);
    expect(usage.totals.failed).toBeGreaterThanOrEqual(1);
    expect(usage.by_key['team-a']?.requests).toBe(usage.totals.requests);
    expect(usage.by_model['fake-model']?.input_tokens).toBeGreaterThanOrEqual(7 * 4);
  });
});
