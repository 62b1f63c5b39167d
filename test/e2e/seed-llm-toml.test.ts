import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import { startFakeAnthropicUpstream } from '../helpers/fake-anthropic-upstream.js';
import { startFakeOllamaUpstream } from '../helpers/fake-ollama-upstream.js';
import type { FakeProviderUpstream } from '../helpers/recorded-answers.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeSeedFile } from '../helpers/write-seed-file.js';

/**
 * Seed 000 (the nachos llm-proxy's own document): its `[llm]` block with fallbacks and its two auth
 * profiles exactly as written (profile_order after the last profile table), then its Ollama block.
 */
const LLM_TOML = `[llm]
provider = "anthropic"
model = "claude-sonnet-4-20250514"
max_tokens = 4096
temperature = 0.7
fallback_order = ["anthropic:claude-haiku", "openai:gpt-4o-mini"]

[[llm.profiles]]
name = "primary"
provider = "anthropic"
api_key_env = "ANTHROPIC_API_KEY"

[[llm.profiles]]
name = "backup"
provider = "anthropic"
api_key_env = "ANTHROPIC_API_KEY_2"

profile_order = ["primary", "backup"]
`;

const PRIMARY = 'sk-ant-seed000-primary';
const BACKUP = 'sk-ant-seed000-backup';

describe('seed 000: the [llm] block and its profiles', () => {
  let upstream: FakeProviderUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    // The configured model fails upstream (overloaded), so each profile and then fallback_order are tried.
    upstream = await startFakeAnthropicUpstream(['claude-sonnet-4-20250514']);
    services = await startServices({
      NACHOS_CONFIG: writeSeedFile('nachos.toml', LLM_TOML),
      ANTHROPIC_API_KEY: PRIMARY,
      ANTHROPIC_API_KEY_2: BACKUP,
      ANTHROPIC_BASE_URL: upstream.url,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('warns at start that a fallback names a provider that is not configured', () => {
    expect(services.logs()).toContain('fallback openai:gpt-4o-mini names provider openai, which is not configured');
  });

  it('serves a request that names no model with [llm] model, trying the profiles in order, then fallback_order', async () => {
    const response = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Hello' }] }),
    });
    expect(response.status).toBe(200);
    const tried = upstream.requests.filter((request) => request.method === 'POST').map((request) => [(request.json() as { model: string }).model, request.headers['x-api-key']]);
    expect(tried).toEqual([
      ['claude-sonnet-4-20250514', PRIMARY],
      ['claude-sonnet-4-20250514', BACKUP],
      ['claude-haiku-4-5-20251001', PRIMARY],
    ]);
    const sent = upstream.requests.find((request) => request.method === 'POST')?.json() as { max_tokens: number; temperature: number };
    expect(sent).toMatchObject({ max_tokens: 4096, temperature: 0.7 });
  });

  it('serves the configured model by name to the Anthropic SDK, which no catalogue needs to list', async () => {
    const client = new Anthropic({ baseURL: services.gatewayUrl, apiKey: 'unused', maxRetries: 0 });
    const message = await client.messages.create({ model: 'claude-sonnet-4-20250514', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: upstream.recorded.text });
    expect(message.model).toBeDefined();
  });
});

describe('seed 000: Ollama for local models', () => {
  let upstream: FakeProviderUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    upstream = await startFakeOllamaUpstream([]);
    const toml = `[llm]\nprovider = "ollama"\nmodel = "llama3.2"\nbase_url = "${upstream.url}"\n`;
    services = await startServices({ NACHOS_CONFIG: writeSeedFile('nachos.toml', toml), LLM_PROXY_LOCAL_DISCOVERY: '0' });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('answers with the configured local model, with a model named or not', async () => {
    const ollama = new Ollama({ host: services.gatewayUrl });
    const named = await ollama.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }] });
    expect(named.message.content).toBe(upstream.recorded.text);
    const unnamed = await fetch(`${services.gatewayUrl}/api/chat`, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }], stream: false }) });
    expect(unnamed.status).toBe(200);
    const posted = upstream.requests.filter((request) => request.method === 'POST');
    expect(posted.map((request) => (request.json() as { model: string }).model)).toEqual(['llama3.2', 'llama3.2']);
  });
});
