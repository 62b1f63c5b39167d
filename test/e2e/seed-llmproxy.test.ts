import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startProcess, startServices, stopProcess, type RunningServices } from '../helpers/start-services.js';
import { startUsageWebhookReceiver, type UsageWebhookReceiver } from '../helpers/usage-webhook-receiver.js';
import { writeSeedFile } from '../helpers/write-seed-file.js';

const GATEWAY_KEY = 'sk-llmproxy-user-5e1d';

/**
 * Seed 003 (LLMProxy): its config.yaml as the document writes it, with only the backend and webhook URLs
 * pointing at local stand-ins, driven as its users drive it.
 */
function seedConfig(vllm: string, ollama: string, webhook: string): string {
  return `server:
  listen: ":8000"

backends:
  - url: "${vllm}"
    weight: 5
  - url: "${ollama}"
    weight: 3

# Optional: API Key authentication
auth:
  enabled: true
  header_names: ["Authorization", "X-API-Key"]
  skip_paths: ["/health", "/metrics"]

# Optional: Usage reporting (for billing/monitoring)
usage:
  enabled: true
  reporters:
    - name: billing
      type: webhook
      enabled: true
      webhook:
        url: "${webhook}"
        timeout: 3s

# Optional: Rate limiting
rate_limit:
  enabled: true
  per_key:
    requests_per_minute: 60
    max_concurrent: 3

routing:
  load_balance: least_connections  # or: round_robin, latency_based
`;
}

const serverRoot = (upstream: FakeOpenAIUpstream) => `http://127.0.0.1:${upstream.port}`;

describe('seed 003: an LLMProxy config.yaml', () => {
  let vllm: FakeOpenAIUpstream;
  let ollama: FakeOpenAIUpstream;
  let receiver: UsageWebhookReceiver;
  let services: RunningServices;
  let configPath: string;

  beforeAll(async () => {
    vllm = await startFakeOpenAIUpstream({ models: ['qwen-coder'] });
    ollama = await startFakeOpenAIUpstream({ models: ['llama3.2'] });
    receiver = await startUsageWebhookReceiver();
    configPath = writeSeedFile('config.yaml', seedConfig(serverRoot(vllm), serverRoot(ollama), receiver.url));
    services = await startServices({ NACHOS_CONFIG: configPath, NACHOS_API_KEYS: GATEWAY_KEY, HOST: '127.0.0.1', LLM_PROXY_LOCAL_DISCOVERY: '0' });
  });

  afterAll(async () => {
    await services?.stop();
    await Promise.all([vllm?.close(), ollama?.close(), receiver?.close()]);
  });

  it('starts, saying which dialect it read', () => {
    expect(services.logs()).toContain('LLMProxy config.yaml');
  });

  it('streams the quick-start request from the backend serving the model, at the API path LLMProxy appends', async () => {
    const response = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${GATEWAY_KEY}` },
      body: JSON.stringify({ model: 'qwen-coder', messages: [{ role: 'user', content: 'Hello' }], stream: true }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('Hello');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    expect(vllm.requests.some((request) => request.path === '/v1/chat/completions' && (request.body as { model: string }).model === 'qwen-coder')).toBe(true);
  });

  it('forwards any model name to the backends, as LLMProxy does, through the OpenAI SDK', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: GATEWAY_KEY });
    const completion = await client.chat.completions.create({ model: 'deepseek-r1', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake upstream.');
    const reached = [...vllm.requests, ...ollama.requests].filter((request) => (request.body as { model?: string } | undefined)?.model === 'deepseek-r1');
    expect(reached).toHaveLength(1);
  });

  it('takes the key from X-API-Key as well, and refuses a caller without one', async () => {
    const body = JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }] });
    const withHeader = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': GATEWAY_KEY },
      body,
    });
    expect(withHeader.status).toBe(200);
    expect(ollama.requests.some((request) => (request.body as { model?: string } | undefined)?.model === 'llama3.2')).toBe(true);
    const without = await fetch(`${services.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(without.status).toBe(401);
  });

  it('serves the skip_paths without a key', async () => {
    expect((await fetch(`${services.gatewayUrl}/health`)).status).toBe(200);
    const metrics = await fetch(`${services.gatewayUrl}/metrics`);
    expect(metrics.status).toBe(200);
  });

  it('posts one JSON object per request to the usage webhook, in the fields the document shows', async () => {
    const record = await receiver.waitFor((entry) => entry.model === 'qwen-coder');
    expect(receiver.batches.every((batch) => batch.single)).toBe(true);
    expect(record).toMatchObject({ user_id: 'api-key-1', model: 'qwen-coder', prompt_tokens: 7, is_stream: true });
    for (const field of ['request_id', 'completion_tokens', 'total_tokens', 'timestamp']) expect(record).toHaveProperty(field);
  });

  it('applies the per-key limits', async () => {
    const response = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${GATEWAY_KEY}` },
      body: JSON.stringify({ model: 'qwen-coder', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('60');
  });

  it('refuses to start with auth enabled and no key configured, naming what is missing', async () => {
    const gateway = startProcess('services/gateway/dist/main.js', { NACHOS_CONFIG: configPath, PORT: '0', LLM_PROXY_URL: '127.0.0.1:1' });
    const code = await new Promise<number | null>((resolve) => gateway.child.once('exit', resolve));
    await stopProcess(gateway.child);
    expect(code).toBe(1);
    expect(gateway.output()).toMatch(/auth\.enabled = true, but no gateway key is configured: set NACHOS_API_KEYS/);
  });
});
