import { randomUUID } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startFakeAnthropicUpstream } from '../helpers/fake-anthropic-upstream.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import type { FakeProviderUpstream } from '../helpers/recorded-answers.js';
import { startTestRedis, type TestRedis } from '../helpers/redis-for-tests.js';
import { startGatewayReplica, type GatewayReplica } from '../helpers/start-gateway-replica.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeSeedFile } from '../helpers/write-seed-file.js';

/** Seed 004's comprehensive nexus.toml exactly as its document writes it. */
const NEXUS_TOML = `[llm]
enabled = true
# Enable both protocols
[llm.protocols.openai]
enabled = true
path = "/llm/openai"
[llm.protocols.anthropic]
enabled = true
path = "/llm/anthropic"
# OpenAI with multiple models
[llm.providers.openai]
type = "openai"
api_key = "{{ env.OPENAI_API_KEY }}"
forward_token = true # Allow user-provided keys
[llm.providers.openai.models.gpt-4]
[llm.providers.openai.models."gpt-3.5-turbo"]
[llm.providers.openai.models.smart]
rename = "gpt-4" # Alias: "openai/smart" → "gpt-4"
# Token rate limiting for OpenAI
[llm.providers.openai.rate_limits.per_user]
input_token_limit = 100000
interval = "60s"
# Anthropic configuration
[llm.providers.anthropic]
type = "anthropic"
api_key = "{{ env.ANTHROPIC_API_KEY }}"
[llm.providers.anthropic.models."claude-3-5-sonnet-20241022"]
[llm.providers.anthropic.models.fast]
rename = "claude-3-haiku-20240307-v1:0"
# AWS Bedrock
[llm.providers.bedrock]
type = "bedrock"
region = "us-east-1"
[llm.providers.bedrock.models.claude]
rename = "anthropic.claude-3-sonnet-20240229-v1:0"
`;

const OPENAI_KEY = 'sk-nexus-operator-0b7f';
const ANTHROPIC_KEY = 'sk-ant-nexus-operator-51c2';
const CALLER_KEY = 'sk-nexus-caller-own-77aa';

/** The environment the seed's nexus.toml reads, with its providers' base URLs pointing at local stand-ins. */
function seedEnvironment(openaiUrl: string, anthropicUrl = 'http://127.0.0.1:9'): NodeJS.ProcessEnv {
  return {
    OPENAI_API_KEY: OPENAI_KEY,
    ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    OPENAI_BASE_URL: openaiUrl,
    ANTHROPIC_BASE_URL: anthropicUrl,
    // AWS's documented example access key id: the shape that makes Bedrock sign with SigV4, and no one's key.
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'nexus-example-secret-access-key',
    BEDROCK_BASE_URL: 'http://127.0.0.1:9',
    LLM_PROXY_LOCAL_DISCOVERY: '0',
  };
}

describe('seed 004: a Nexus nexus.toml', () => {
  let openaiUpstream: FakeOpenAIUpstream;
  let anthropicUpstream: FakeProviderUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    openaiUpstream = await startFakeOpenAIUpstream({ models: ['gpt-4', 'gpt-3.5-turbo'] });
    anthropicUpstream = await startFakeAnthropicUpstream([]);
    services = await startServices({
      NACHOS_CONFIG: writeSeedFile('nexus.toml', NEXUS_TOML),
      ...seedEnvironment(openaiUpstream.url, anthropicUpstream.url),
    });
  });

  afterAll(async () => {
    await services?.stop();
    await Promise.all([openaiUpstream?.close(), anthropicUpstream?.close()]);
  });

  it('starts, saying which dialect it read, with nothing left unapplied, and who a user is without client identification', () => {
    expect(services.logs()).toContain('Nexus nexus.toml');
    expect(services.logs()).not.toContain('not applied');
    expect(services.logs()).toContain('rate_limits.per_user without [server.client_identification]');
  });

  it('answers the OpenAI SDK at /llm/openai/v1 for openai/gpt-4, never sending its placeholder key upstream', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/llm/openai/v1`, apiKey: 'not-used' });
    const completion = await client.chat.completions.create({ model: 'openai/gpt-4', messages: [{ role: 'user', content: 'Hello!' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake upstream.');
    const sent = openaiUpstream.requests.at(-1);
    expect((sent?.body as { model: string }).model).toBe('gpt-4');
    expect(sent?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
  });

  it('sends a caller\'s own key from X-Provider-API-Key to the forward_token provider', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/llm/openai/v1`, apiKey: 'not-used', defaultHeaders: { 'X-Provider-API-Key': CALLER_KEY } });
    await client.chat.completions.create({ model: 'openai/gpt-3.5-turbo', messages: [{ role: 'user', content: 'Hello!' }] });
    expect(openaiUpstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${CALLER_KEY}`);
  });

  it('serves a rename under its provider: openai/smart is gpt-4', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/llm/openai/v1`, apiKey: 'not-used' });
    await client.chat.completions.create({ model: 'openai/smart', messages: [{ role: 'user', content: 'Hello!' }] });
    expect((openaiUpstream.requests.at(-1)?.body as { model: string }).model).toBe('gpt-4');
  });

  it('answers the Anthropic SDK at /llm/anthropic for anthropic/claude-3-5-sonnet-20241022', async () => {
    const client = new Anthropic({ baseURL: `${services.gatewayUrl}/llm/anthropic`, apiKey: 'not-used' });
    const message = await client.messages.create({
      model: 'anthropic/claude-3-5-sonnet-20241022',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hello!' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: anthropicUpstream.recorded.text });
    const sent = anthropicUpstream.requests.at(-1);
    expect((sent?.json() as { model: string }).model).toBe('claude-3-5-sonnet-20241022');
    expect(sent?.headers['x-api-key']).toBe(ANTHROPIC_KEY);
  });

  it('answers 404 for a model not configured, with no upstream call', async () => {
    const before = openaiUpstream.requests.length + anthropicUpstream.requests.length;
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/llm/openai/v1`, apiKey: 'not-used', maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hello!' }] })).rejects.toMatchObject({ status: 404 });
    await expect(client.chat.completions.create({ model: 'anthropic/claude-opus-4', messages: [{ role: 'user', content: 'Hello!' }] })).rejects.toMatchObject({ status: 404 });
    expect(openaiUpstream.requests.length + anthropicUpstream.requests.length).toBe(before);
  });

  it('lists the configured models as provider/model under the Nexus paths', async () => {
    for (const path of ['/llm/openai/v1/models', '/llm/anthropic/v1/models']) {
      const listing = (await (await fetch(`${services.gatewayUrl}${path}`, { headers: { 'anthropic-version': '2023-06-01' } })).json()) as { data: Array<{ id: string }> };
      const ids = listing.data.map((model) => model.id);
      expect(ids).toEqual(expect.arrayContaining(['openai/gpt-4', 'openai/gpt-3.5-turbo', 'anthropic/claude-3-5-sonnet-20241022']));
    }
  });
});

describe('seed 004: a nexus.toml serving OpenAI at its own path and Anthropic not at all', () => {
  let openaiUpstream: FakeOpenAIUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    openaiUpstream = await startFakeOpenAIUpstream({ models: ['gpt-4'] });
    services = await startServices({
      NACHOS_CONFIG: writeSeedFile(
        'nexus.toml',
        `[llm]
enabled = true
[llm.protocols.openai]
enabled = true
path = "/ai/openai"
[llm.protocols.anthropic]
enabled = false
path = "/llm/anthropic"
[llm.providers.openai]
type = "openai"
api_key = "{{ env.OPENAI_API_KEY }}"
[llm.providers.openai.models.gpt-4]
`,
      ),
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: openaiUpstream.url,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await openaiUpstream?.close();
  });

  it('answers the OpenAI SDK under the configured path, and lists provider/model ids there', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/ai/openai/v1`, apiKey: 'not-used' });
    const completion = await client.chat.completions.create({ model: 'openai/gpt-4', messages: [{ role: 'user', content: 'Hello!' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake upstream.');
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['openai/gpt-4']);
  });

  it('no longer answers under the default path, refusing as OpenAI refuses an unknown URL', async () => {
    const before = openaiUpstream.requests.length;
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/llm/openai/v1`, apiKey: 'not-used', maxRetries: 0 });
    const refusal = client.chat.completions.create({ model: 'openai/gpt-4', messages: [{ role: 'user', content: 'Hello!' }] });
    await expect(refusal).rejects.toMatchObject({ status: 404, error: { type: 'invalid_request_error' } });
    expect(openaiUpstream.requests.length).toBe(before);
  });

  it('answers the Anthropic SDK 404 in its own shape at its path and at the root, with no upstream call', async () => {
    const before = openaiUpstream.requests.length;
    for (const baseURL of [`${services.gatewayUrl}/llm/anthropic`, services.gatewayUrl]) {
      const client = new Anthropic({ baseURL, apiKey: 'not-used', maxRetries: 0 });
      const refusal = client.messages.create({ model: 'openai/gpt-4', max_tokens: 64, messages: [{ role: 'user', content: 'Hello!' }] });
      await expect(refusal).rejects.toMatchObject({ status: 404, error: { type: 'error', error: { type: 'not_found_error' } } });
    }
    expect(openaiUpstream.requests.length).toBe(before);
  });
});

describe('seed 004: a nexus.toml serving Anthropic at its own path and OpenAI not at all', () => {
  let anthropicUpstream: FakeProviderUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    anthropicUpstream = await startFakeAnthropicUpstream([]);
    services = await startServices({
      NACHOS_CONFIG: writeSeedFile(
        'nexus.toml',
        `[llm]
enabled = true
[llm.protocols.openai]
enabled = false
[llm.protocols.anthropic]
enabled = true
path = "/claude"
[llm.providers.anthropic]
type = "anthropic"
api_key = "{{ env.ANTHROPIC_API_KEY }}"
[llm.providers.anthropic.models."claude-3-5-sonnet-20241022"]
`,
      ),
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: anthropicUpstream.url,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await anthropicUpstream?.close();
  });

  it('answers the Anthropic SDK under the configured path, and lists provider/model ids there', async () => {
    const client = new Anthropic({ baseURL: `${services.gatewayUrl}/claude`, apiKey: 'not-used' });
    const message = await client.messages.create({
      model: 'anthropic/claude-3-5-sonnet-20241022',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello!' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: anthropicUpstream.recorded.text });
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['anthropic/claude-3-5-sonnet-20241022']);
  });

  it('answers the OpenAI SDK 404 in its own shape at the root and the default path, with no upstream call', async () => {
    const before = anthropicUpstream.requests.length;
    for (const baseURL of [`${services.gatewayUrl}/v1`, `${services.gatewayUrl}/llm/openai/v1`]) {
      const client = new OpenAI({ baseURL, apiKey: 'not-used', maxRetries: 0 });
      const refusal = client.chat.completions.create({ model: 'anthropic/claude-3-5-sonnet-20241022', messages: [{ role: 'user', content: 'Hello!' }] });
      await expect(refusal).rejects.toMatchObject({ status: 404, error: { type: 'invalid_request_error' } });
    }
    expect(anthropicUpstream.requests.length).toBe(before);
  });
});

/** Nexus names the users of per-user limits by client identification; here by a header, as its documentation shows. */
const CLIENT_IDENTIFICATION = `[server.client_identification]
enabled = true
client_id.http_header = "x-client-id"
`;

describe('seed 004: a provider\'s rate_limits.per_user, held by two gateways through one Redis', () => {
  // About 60,000 input tokens (four characters a token): two of them pass the seed's 100,000 per 60 s.
  const bigPrompt = 'Hello! '.repeat(34_300);
  let redis: TestRedis;
  let openaiUpstream: FakeOpenAIUpstream;
  let anthropicUpstream: FakeProviderUpstream;
  let services: RunningServices;
  let replica: GatewayReplica;

  beforeAll(async () => {
    redis = await startTestRedis();
    // A slow stream holds its admitted estimate until it ends, as a long answer does.
    openaiUpstream = await startFakeOpenAIUpstream({ models: ['gpt-4', 'gpt-3.5-turbo'], words: Array.from({ length: 600 }, (_, index) => ` w${index}`), chunkDelayMs: 50 });
    anthropicUpstream = await startFakeAnthropicUpstream([]);
    const env = {
      NACHOS_CONFIG: writeSeedFile('nexus.toml', `${CLIENT_IDENTIFICATION}${NEXUS_TOML}`),
      ...seedEnvironment(openaiUpstream.url, anthropicUpstream.url),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `nachos-test-${randomUUID()}:`,
    };
    services = await startServices(env);
    replica = await startGatewayReplica(services, env);
  });

  afterAll(async () => {
    await replica?.stop();
    await services?.stop();
    await Promise.all([openaiUpstream?.close(), anthropicUpstream?.close()]);
    await redis?.stop();
  });

  it('refuses a user past the provider\'s input tokens on the other gateway, by any of its names and in each protocol, and no one else', async () => {
    const first = new OpenAI({ baseURL: `${services.gatewayUrl}/llm/openai/v1`, apiKey: 'not-used', maxRetries: 0 });
    const second = new OpenAI({ baseURL: `${replica.url}/llm/openai/v1`, apiKey: 'not-used', maxRetries: 0 });
    // The user as Nexus' clients name it (the x-client-id header), or in the body as OpenAI's SDK does.
    const ask = (client: OpenAI, model: string, user: string, inBody = false) =>
      client.chat.completions.create(
        { model, ...(inBody ? { user } : {}), stream: true, messages: [{ role: 'user', content: bigPrompt }] },
        inBody ? {} : { headers: { 'X-Client-Id': user } },
      );
    const admitted = async (client: OpenAI, model: string, user: string) => {
      const chunks = (await ask(client, model, user))[Symbol.asyncIterator]();
      expect((await chunks.next()).done).toBe(false);
      return chunks;
    };

    const held = await admitted(first, 'openai/gpt-4', 'alice');
    const callsBefore = openaiUpstream.requests.length;
    for (const [model, inBody] of [['openai/smart', false], ['gpt-3.5-turbo', true]] as const) {
      const refusal = await ask(second, model, 'alice', inBody).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(OpenAI.RateLimitError);
      expect(Number((refusal as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after'))).toBeGreaterThan(0);
      expect((refusal as InstanceType<typeof OpenAI.RateLimitError>).error).toMatchObject({ type: 'rate_limit_error' });
    }
    const anthropicClient = new Anthropic({ baseURL: `${replica.url}/llm/anthropic`, apiKey: 'not-used', maxRetries: 0 });
    const anthropicRefusal = await anthropicClient.messages
      .create({ model: 'openai/gpt-4', max_tokens: 64, metadata: { user_id: 'alice' }, messages: [{ role: 'user', content: bigPrompt }] })
      .catch((error: unknown) => error);
    expect(anthropicRefusal).toBeInstanceOf(Anthropic.RateLimitError);
    expect((anthropicRefusal as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(openaiUpstream.requests.length).toBe(callsBefore);

    // Another user of the same provider, and the same user on a provider with no such limit, are served.
    const other = await admitted(second, 'openai/gpt-4', 'bob');
    await other.return?.();
    const message = await anthropicClient.messages.create({
      model: 'anthropic/claude-3-5-sonnet-20241022',
      max_tokens: 64,
      metadata: { user_id: 'alice' },
      messages: [{ role: 'user', content: bigPrompt }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: anthropicUpstream.recorded.text });
    await held.return?.();
  });
});

describe('seed 004: token forwarding from a header the configuration names', () => {
  let openaiUpstream: FakeOpenAIUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    openaiUpstream = await startFakeOpenAIUpstream({ models: ['gpt-4', 'gpt-3.5-turbo'] });
    services = await startServices({
      NACHOS_CONFIG: writeSeedFile('nexus.toml', NEXUS_TOML),
      NACHOS_PROVIDER_KEY_HEADER: 'X-OpenAI-Key',
      ...seedEnvironment(openaiUpstream.url),
    });
  });

  afterAll(async () => {
    await services?.stop();
    await openaiUpstream?.close();
  });

  it('sends the caller\'s key from that header, and neither X-Provider-API-Key nor the placeholder Authorization', async () => {
    const client = new OpenAI({
      baseURL: `${services.gatewayUrl}/llm/openai/v1`,
      apiKey: 'not-used',
      defaultHeaders: { 'X-OpenAI-Key': CALLER_KEY, 'X-Provider-API-Key': 'sk-other-header-3c1d' },
    });
    await client.chat.completions.create({ model: 'openai/gpt-4', messages: [{ role: 'user', content: 'Hello!' }] });
    const sent = openaiUpstream.requests.at(-1);
    expect(sent?.headers.authorization).toBe(`Bearer ${CALLER_KEY}`);
    expect(JSON.stringify(sent?.headers)).not.toContain('sk-other-header-3c1d');
    expect(JSON.stringify(sent?.headers)).not.toContain('not-used');
  });

  it('uses the configured key when the caller brings none in that header', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/llm/openai/v1`, apiKey: 'not-used', defaultHeaders: { 'X-Provider-API-Key': CALLER_KEY } });
    await client.chat.completions.create({ model: 'openai/gpt-4', messages: [{ role: 'user', content: 'Hello!' }] });
    expect(openaiUpstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
  });
});
