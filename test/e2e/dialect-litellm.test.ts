import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startFakeAnthropicUpstream } from '../helpers/fake-anthropic-upstream.js';
import { startFakeGeminiUpstream } from '../helpers/fake-gemini-upstream.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import type { FakeProviderUpstream } from '../helpers/recorded-answers.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeSeedFile } from '../helpers/write-seed-file.js';

const MASTER_KEY = 'sk-litellm-master-4d2a';

/** A LiteLLM proxy config.yaml with three providers, as LiteLLM's users write it; only api_base points at local stand-ins. */
function liteLlmConfig(openai: string, anthropic: string, gemini: string): string {
  return `model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
      api_base: ${openai}
      rpm: 600
  - model_name: claude-sonnet
    litellm_params:
      model: anthropic/claude-sonnet-4-5-20250929
      api_key: os.environ/ANTHROPIC_API_KEY
      api_base: ${anthropic}
  - model_name: gemini-flash
    litellm_params:
      model: gemini/gemini-2.5-flash
      api_key: os.environ/GEMINI_API_KEY
      api_base: ${gemini}

litellm_settings:
  drop_params: true

router_settings:
  routing_strategy: simple-shuffle
  num_retries: 2
  timeout: 60
  fallbacks: [{"gpt-4o": ["claude-sonnet"]}]

general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`;
}

describe('a LiteLLM config.yaml with three providers', () => {
  let openai: FakeOpenAIUpstream;
  let anthropic: FakeProviderUpstream;
  let gemini: FakeProviderUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    openai = await startFakeOpenAIUpstream({ models: ['gpt-4o'] });
    anthropic = await startFakeAnthropicUpstream([]);
    gemini = await startFakeGeminiUpstream([]);
    services = await startServices({
      NACHOS_CONFIG: writeSeedFile('config.yaml', liteLlmConfig(openai.url, anthropic.url, gemini.url)),
      OPENAI_API_KEY: 'sk-litellm-openai',
      ANTHROPIC_API_KEY: 'sk-ant-litellm',
      GEMINI_API_KEY: 'AIza-litellm',
      LITELLM_MASTER_KEY: MASTER_KEY,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await Promise.all([openai?.close(), anthropic?.close(), gemini?.close()]);
  });

  it('starts, naming the dialect and, in one warning, what it does not apply', () => {
    expect(services.logs()).toContain('LiteLLM config.yaml');
    expect(services.logs()).toContain('LiteLLM settings nachos has no equivalent for: litellm_settings');
  });

  it('serves all three model_names through the OpenAI SDK with the master key', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: MASTER_KEY });
    const answers = new Map<string, string | null | undefined>();
    for (const model of ['gpt-4o', 'claude-sonnet', 'gemini-flash']) {
      const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello' }] });
      answers.set(model, completion.choices[0]?.message.content);
    }
    expect(answers.get('gpt-4o')).toBe('Hello from the fake upstream.');
    expect(answers.get('claude-sonnet')).toBe(anthropic.recorded.text);
    expect(answers.get('gemini-flash')).toBe(gemini.recorded.text);
    expect((openai.requests.find((request) => request.method === 'POST')?.body as { model: string }).model).toBe('gpt-4o');
    expect((anthropic.requests.at(-1)?.json() as { model: string }).model).toBe('claude-sonnet-4-5-20250929');
    // Not streamed by the client, so not upstream either: Gemini's one-body method.
    expect(gemini.requests.at(-1)?.url).toContain('/models/gemini-2.5-flash:generateContent');
  });

  it('serves them to the Anthropic SDK as well', async () => {
    const client = new Anthropic({ baseURL: services.gatewayUrl, apiKey: MASTER_KEY });
    const message = await client.messages.create({ model: 'gemini-flash', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: gemini.recorded.text });
  });

  it('refuses a caller without the master key', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }] })).rejects.toMatchObject({ status: 401 });
  });
});

describe('a LiteLLM config.yaml with its master_key written in the file', () => {
  const literalKey = 'sk-1234';
  let openai: FakeOpenAIUpstream;
  let services: RunningServices;
  let configFile: string;

  beforeAll(async () => {
    openai = await startFakeOpenAIUpstream({ models: ['gpt-4o'] });
    configFile = writeSeedFile(
      'config.yaml',
      `model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
      api_base: ${openai.url}

general_settings:
  master_key: ${literalKey}
`,
    );
    services = await startServices({
      NACHOS_CONFIG: configFile,
      OPENAI_API_KEY: 'sk-litellm-openai',
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await openai?.close();
  });

  it('starts, warning that the key sits in the file without printing it', () => {
    expect(services.logs()).toContain('general_settings.master_key holds the key itself in the file');
    expect(services.logs()).not.toContain(literalKey);
  });

  it('serves a caller presenting the master key and refuses one without it', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: literalKey });
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake upstream.');
    const stranger = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'sk-4321', maxRetries: 0 });
    await expect(stranger.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }] })).rejects.toMatchObject({ status: 401 });
  });

  it('opens the admin API with the master key, as LiteLLM\'s does, and to no other key', async () => {
    const registry = (key: string) => fetch(`${services.gatewayUrl}/admin/v1/registry`, { headers: { authorization: `Bearer ${key}` } });
    const admitted = await registry(literalKey);
    expect(admitted.status).toBe(200);
    expect(await admitted.json()).toMatchObject({ endpoints: expect.any(Array) });
    expect((await registry('sk-4321')).status).toBe(401);
  });

  it('prints the canonical configuration with the key redacted (npm run config:check)', () => {
    const printed = execFileSync(process.execPath, ['scripts/config-check.mjs'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: { PATH: process.env.PATH, NACHOS_CONFIG: configFile },
      encoding: 'utf8',
    });
    expect(printed).toContain('name = "master_key"');
    expect(printed).toContain('key = "<redacted>"');
    expect(printed).not.toContain(literalKey);
  });
});
