import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { startFakeAnthropicUpstream } from '../helpers/fake-anthropic-upstream.js';
import { startFakeGeminiUpstream } from '../helpers/fake-gemini-upstream.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import type { FakeProviderUpstream } from '../helpers/recorded-answers.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/** Every model name in seed 001's tables and "Model Naming" section, with the provider it belongs to. */
const SEED_NAMES: ReadonlyArray<[string, string]> = [
  ...['claude-opus', 'claude-4.5-opus', 'claude-sonnet', 'claude-4.5-sonnet', 'claude-haiku', 'claude-4.5-haiku', 'claude-4-opus', 'claude-4-sonnet', 'claude-3.5-sonnet', 'claude-3.5-haiku'].map(
    (name): [string, string] => [name, 'anthropic'],
  ),
  ...['claude-opus-4-5-20251101', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'anthropic-claude-sonnet'].map((name): [string, string] => [name, 'anthropic']),
  ...['gpt-5', 'gpt-5-mini', 'gpt-4o', 'openai-gpt-4o', 'gpt-4o-mini', 'gpt-4-turbo', 'gpt-4', 'gpt-3.5-turbo', 'chatgpt', 'o3', 'o3-mini', 'o1', 'o1-mini', 'o1-pro'].map(
    (name): [string, string] => [name, 'openai'],
  ),
  ...['gemini', 'gemini-flash', 'gemini-pro', 'gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-2.0-flash', 'gemini-1.5-pro', 'gemini-1.5-flash', 'gemini-gemini-2.5-flash', 'gemini-3-flash', 'gemini-3-pro'].map(
    (name): [string, string] => [name, 'google'],
  ),
  ...['perplexity', 'pplx', 'sonar', 'sonar-pro', 'sonar-reasoning'].map((name): [string, string] => [name, 'perplexity']),
];

/**
 * Seed 001 (a multi-provider proxy serving the Ollama and OpenAI APIs): its users set four key variables
 * (one as a Docker secret file) and call every name in its model tables, through Ollama and OpenAI clients.
 */
describe('seed 001: every name in the model tables', () => {
  let anthropic: FakeProviderUpstream;
  let google: FakeProviderUpstream;
  let openai: FakeOpenAIUpstream;
  let perplexity: FakeOpenAIUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    anthropic = await startFakeAnthropicUpstream([]);
    google = await startFakeGeminiUpstream([]);
    openai = await startFakeOpenAIUpstream({ models: ['gpt-4o'] });
    perplexity = await startFakeOpenAIUpstream({ models: ['sonar'] });
    const secrets = mkdtempSync(join(tmpdir(), 'nachos-secrets-'));
    writeFileSync(join(secrets, 'anthropic_api_key'), 'sk-ant-seed001-file-key\n');
    services = await startServices({
      ANTHROPIC_API_KEY_FILE: join(secrets, 'anthropic_api_key'),
      OPENAI_API_KEY: 'sk-seed001-openai',
      GOOGLE_API_KEY: 'AIza-seed001-google',
      PERPLEXITY_API_KEY: 'pplx-seed001',
      ANTHROPIC_BASE_URL: anthropic.url,
      GOOGLE_BASE_URL: google.url,
      OPENAI_BASE_URL: openai.url,
      PERPLEXITY_BASE_URL: perplexity.url,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await Promise.all([anthropic?.close(), google?.close(), openai?.close(), perplexity?.close()]);
  });

  it.each(SEED_NAMES)('%s is served by %s', async (name, provider) => {
    const response = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: name, messages: [{ role: 'user', content: 'Hello!' }] }),
    });
    expect({ name, status: response.status }).toEqual({ name, status: 200 });
    expect(response.headers.get('x-nachos-provider')).toBe(provider);
    await response.arrayBuffer();
  });

  it('describes and "pulls" every one of those names through the Ollama API as chat resolves them', async () => {
    const ollama = new Ollama({ host: services.gatewayUrl });
    for (const [name, provider] of [...SEED_NAMES, ['claude-sonnet:latest', 'anthropic'], ['claude-opus-5', 'anthropic']] as Array<[string, string]>) {
      const shown = await ollama.show({ model: name });
      const info = shown.model_info as unknown as Record<string, unknown>;
      expect({ name, architecture: info['general.architecture'] }).toEqual({ name, architecture: provider });
      expect({ name, context: typeof info[`${provider}.context_length`] }).toEqual({ name, context: 'number' });
      expect(shown.capabilities).toContain('completion');
      expect((await ollama.pull({ model: name, stream: false })).status).toBe('success');
    }
    const vision = await ollama.show({ model: 'claude-sonnet' });
    expect(vision.capabilities).toEqual(expect.arrayContaining(['tools', 'vision']));
    await expect(ollama.show({ model: 'llama-3.3-70b' })).rejects.toMatchObject({ status_code: 404 });
  });

  it('answers the Ollama usage examples', async () => {
    const ollama = new Ollama({ host: services.gatewayUrl });
    for (const model of ['claude-sonnet', 'gpt-4o', 'gemini']) {
      const answer = await ollama.chat({ model, messages: [{ role: 'user', content: 'Hello!' }] });
      expect(answer.done).toBe(true);
      expect(answer.message.content.length).toBeGreaterThan(0);
    }
  });

  it('answers the OpenAI SDK example with a placeholder key', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'not-needed' });
    const completion = await client.chat.completions.create({ model: 'claude-sonnet', messages: [{ role: 'user', content: 'Hello!' }] });
    expect(completion.choices[0]?.message.content).toBe(anthropic.recorded.text);
    expect(anthropic.requests.at(-1)?.headers['x-api-key']).toBe('sk-ant-seed001-file-key');
  });

  it('keeps a name that fits no provider a 404, with no upstream call', async () => {
    const before = anthropic.requests.length + google.requests.length + openai.requests.length + perplexity.requests.length;
    const response = await fetch(`${services.gatewayUrl}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'llama-3.3-70b', messages: [{ role: 'user', content: 'Hello!' }] }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('llama-3.3-70b') });
    expect(anthropic.requests.length + google.requests.length + openai.requests.length + perplexity.requests.length).toBe(before);
  });
});
