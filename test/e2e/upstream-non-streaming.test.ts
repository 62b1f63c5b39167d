import type { ServerResponse } from 'node:http';
import OpenAI from 'openai';
import { FAMILIES, startCrossFamily, type CrossFamily } from '../helpers/start-cross-family.js';
import { startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

/** What makes an upstream call streamed, per family: a body flag, or Gemini's method in the URL. */
function streamedUpstream(family: string, url: string, body: string): boolean {
  if (family === 'google') return url.includes(':streamGenerateContent');
  return (JSON.parse(body) as { stream?: boolean }).stream !== false;
}

/**
 * A client that does not stream costs one non-streamed upstream call, answered in one body, and gets
 * the same answer and usage as a streaming client; a streaming client still streams upstream.
 */
describe('non-streaming clients, non-streaming upstream calls', () => {
  let matrix: CrossFamily;
  let client: OpenAI;

  beforeAll(async () => {
    matrix = await startCrossFamily();
    client = new OpenAI({ baseURL: `${matrix.services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await matrix?.stop();
  });

  it.each(FAMILIES)('asks the $family provider for one body when the client does not stream, and streams when it does', async ({ family, model }) => {
    const fake = matrix.upstream[family];
    const before = fake.requests.length;
    const whole = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Say something' }] });
    let streamedText = '';
    let streamedUsage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Say something' }],
      stream: true,
      stream_options: { include_usage: true },
    })) {
      streamedText += chunk.choices[0]?.delta.content ?? '';
      streamedUsage = chunk.usage ?? streamedUsage;
    }
    const calls = fake.requests.slice(before).filter((request) => request.method === 'POST');
    expect(calls.map((request) => streamedUpstream(family, request.url, request.body))).toEqual([false, true]);
    expect(whole.choices[0]?.message.content).toBe(fake.recorded.text);
    expect(streamedText).toBe(fake.recorded.text);
    expect(whole.usage).toMatchObject({ prompt_tokens: fake.recorded.usage.inputTokens, completion_tokens: fake.recorded.usage.outputTokens });
    expect(streamedUsage).toMatchObject({ prompt_tokens: fake.recorded.usage.inputTokens, completion_tokens: fake.recorded.usage.outputTokens });
  });
});

/**
 * A non-streaming upstream call has no events until its answer is whole, so its timeouts are the first
 * byte (response headers) and the total: a long answer whose headers came promptly is not a stall.
 */
describe('non-streaming upstream timeouts', () => {
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startScriptedOpenAIUpstream(['slow-model']);
    const config = writeConfigFile(`
[llm.timeouts]
first_token_ms = 400
idle_ms = 400
total_ms = 5000

[llm.cooldowns]
server_error_threshold = 1000

[endpoints.slow]
provider = "openai-compatible"
base_url = "${upstream.url}"
models = ["slow-model"]
`);
    services = await startServices({ NACHOS_CONFIG: config, LLM_PROXY_LOCAL_DISCOVERY: '0' });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  const answer = (response: ServerResponse, text: string) =>
    response.end(
      JSON.stringify({
        id: 'chatcmpl-slow',
        object: 'chat.completion',
        created: 1,
        model: 'slow-model',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      }),
    );

  it('waits out a long answer whose headers came at once', async () => {
    upstream.reply = async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.flushHeaders();
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      answer(response, 'worth the wait');
    };
    const completion = await client.chat.completions.create({ model: 'slow-model', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.message.content).toBe('worth the wait');
  });

  it('ends a call whose headers never come after the first-byte budget, as a timeout', async () => {
    upstream.reply = () => undefined;
    const failure = await client.chat.completions
      .create({ model: 'slow-model', messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => undefined,
        (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
      );
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(failure?.status).toBe(504);
    expect(failure?.message).toMatch(/first byte/);
  });
});
