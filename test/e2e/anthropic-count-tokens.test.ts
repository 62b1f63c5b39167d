import Anthropic from '@anthropic-ai/sdk';
import { respondWithJson, startFakeUpstream, type FakeUpstream } from '@nachos/plugin-sdk/testing';
import { ANTHROPIC_TOKEN_COUNT } from '../helpers/fake-anthropic-upstream.js';
import { GEMINI_TOKEN_COUNT } from '../helpers/fake-gemini-upstream.js';
import { startCrossFamily, type CrossFamily } from '../helpers/start-cross-family.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const ASK = {
  system: 'You are terse.',
  messages: [{ role: 'user' as const, content: 'How many tokens is this?' }],
  tools: [{ name: 'get_weather', description: 'Weather in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }],
};

describe('POST /v1/messages/count_tokens answered by the provider where it can count (official @anthropic-ai/sdk)', () => {
  let cross: CrossFamily;
  let client: Anthropic;

  beforeAll(async () => {
    cross = await startCrossFamily();
    client = new Anthropic({ baseURL: cross.services.gatewayUrl, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await cross?.stop();
  });

  const count = (model: string) => client.messages.countTokens({ model, ...ASK }).withResponse();

  it("takes Anthropic's own count from its count_tokens endpoint, sent only the fields it accepts", async () => {
    const { data, response } = await count('claude-sonnet-4-5');
    expect(data).toEqual({ input_tokens: ANTHROPIC_TOKEN_COUNT });
    expect(response.headers.get('x-nachos-token-count-source')).toBe('provider');
    const sent = cross.upstream.anthropic.requests.at(-1)!;
    expect(sent.url).toBe('/v1/messages/count_tokens');
    expect(sent.headers['x-api-key']).toBe(cross.keys.anthropic);
    expect(sent.json()).toEqual({
      // The catalogue's pinned id, as a chat naming the alias is sent.
      model: expect.stringMatching(/^claude-sonnet-4-5-/),
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'How many tokens is this?' }] }],
      tools: [ASK.tools[0]],
    });
  });

  it("takes Gemini's own count from models/{model}:countTokens", async () => {
    const { data, response } = await count('gemini-2.5-flash');
    expect(data).toEqual({ input_tokens: GEMINI_TOKEN_COUNT });
    expect(response.headers.get('x-nachos-token-count-source')).toBe('provider');
    const sent = cross.upstream.google.requests.at(-1)!;
    expect(sent.url).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
    expect(sent.headers['x-goog-api-key']).toBe(cross.keys.google);
    expect(sent.json()).toMatchObject({
      generateContentRequest: {
        model: 'models/gemini-2.5-flash',
        contents: [{ role: 'user', parts: [{ text: 'How many tokens is this?' }] }],
        systemInstruction: { parts: [{ text: 'You are terse.' }] },
        tools: [{ functionDeclarations: [expect.objectContaining({ name: 'get_weather' })] }],
      },
    });
  });

  it('estimates, and says so, where the provider has no counting endpoint, without an upstream call', async () => {
    const before = cross.upstream.openai.requests.length;
    const { data, response } = await count('gpt-4o');
    expect(response.headers.get('x-nachos-token-count-source')).toBe('estimate');
    expect(data.input_tokens).toBeGreaterThan(0);
    expect(data.input_tokens).not.toBe(ANTHROPIC_TOKEN_COUNT);
    expect(cross.upstream.openai.requests.length).toBe(before);
  });

  it('estimates, and says so, when the provider fails to count', async () => {
    const before = cross.upstream.google.requests.length;
    const { data, response } = await count('gemini-down');
    expect(response.headers.get('x-nachos-token-count-source')).toBe('estimate');
    expect(data.input_tokens).toBeGreaterThan(0);
    expect(cross.upstream.google.requests.slice(before).map((request) => request.url)).toEqual(['/v1beta/models/gemini-down:countTokens']);
  });

  it("refuses an unknown model and a malformed body in Anthropic's shape, without an upstream call", async () => {
    const before = cross.upstream.anthropic.requests.length + cross.upstream.google.requests.length;
    await expect(client.messages.countTokens({ model: 'no-such-model', ...ASK })).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    const malformed = await client.messages
      .countTokens({ model: 'claude-sonnet-4-5', messages: 'not a list' } as unknown as Anthropic.MessageCountTokensParams)
      .catch((error: unknown) => error);
    expect(malformed).toBeInstanceOf(Anthropic.BadRequestError);
    expect((malformed as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(cross.upstream.anthropic.requests.length + cross.upstream.google.requests.length).toBe(before);
  });
});

describe('POST /v1/messages/count_tokens for Claude on Bedrock (official @anthropic-ai/sdk)', () => {
  const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
  let upstream: FakeUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    // Bedrock's CountTokens answer, `{inputTokens}`, for the Converse input it was given.
    upstream = await startFakeUpstream((request, response) =>
      request.url.endsWith('/count-tokens') ? respondWithJson(response, 200, { inputTokens: 42 }) : respondWithJson(response, 404, { message: 'not found' }),
    );
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[endpoints.bedrock]
provider = "bedrock"
base_url = "${upstream.url}"
api_key_env = "COUNT_BEDROCK_KEY"
models = ["${MODEL}"]
options = { region = "eu-west-1", auth = "api-key" }
`),
      COUNT_BEDROCK_KEY: 'ABSKQmVkcm9ja0NvdW50VG9rZW5zLXRlc3Q',
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it("takes the count from Bedrock's CountTokens with the Converse input", async () => {
    const client = new Anthropic({ baseURL: services.gatewayUrl, apiKey: 'unused', maxRetries: 0 });
    const { data, response } = await client.messages.countTokens({ model: MODEL, system: 'You are terse.', messages: ASK.messages }).withResponse();
    expect(data).toEqual({ input_tokens: 42 });
    expect(response.headers.get('x-nachos-token-count-source')).toBe('provider');
    const sent = upstream.requests.at(-1)!;
    expect(sent.url).toBe(`/model/${encodeURIComponent(MODEL)}/count-tokens`);
    expect(sent.json()).toEqual({
      input: { converse: { messages: [{ role: 'user', content: [{ text: 'How many tokens is this?' }] }], system: [{ text: 'You are terse.' }] } },
    });
  });
});
