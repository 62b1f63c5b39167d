import OpenAI from 'openai';
import { startFakeAnthropicUpstream } from '../helpers/fake-anthropic-upstream.js';
import { startFakeRecordedOpenAIUpstream } from '../helpers/fake-recorded-openai-upstream.js';
import type { FakeProviderUpstream } from '../helpers/recorded-answers.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof OpenAI.APIError)) throw new Error(`expected an API error, got ${String(error)}`);
  return error;
}

describe('n > 1 against a provider without n (official openai SDK, Anthropic upstream)', () => {
  let upstream: FakeProviderUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startFakeAnthropicUpstream(['claude-down']);
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[endpoints.anthropic]
provider = "anthropic"
base_url = "${upstream.url}"
api_key_env = "CHOICES_ANTHROPIC_KEY"
models = ["claude-sonnet-4-5", "claude-down"]
`),
      CHOICES_ANTHROPIC_KEY: 'sk-ant-choices-test-61d2',
      GATEWAY_MAX_CHOICES: '4',
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('answers n: 3 with three choices in order, from three upstream calls, their usage summed', async () => {
    const before = upstream.requests.length;
    const completion = await client.chat.completions.create({ model: 'claude-sonnet-4-5', n: 3, messages: [{ role: 'user', content: 'Hello' }] });
    expect(completion.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    for (const choice of completion.choices) {
      expect(choice.message.content).toBe(upstream.recorded.text);
      expect(choice.finish_reason).toBe('stop');
    }
    const calls = upstream.requests.slice(before).map((request) => request.json() as Record<string, unknown>);
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call).not.toHaveProperty('n');
      expect(call.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }]);
    }
    expect(completion.usage).toMatchObject({
      prompt_tokens: 3 * upstream.recorded.usage.inputTokens,
      completion_tokens: 3 * upstream.recorded.usage.outputTokens,
    });
  });

  it('streams n: 3 as one chunk stream, every chunk naming its choice, each choice finished once, usage summed once', async () => {
    const before = upstream.requests.length;
    const stream = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      n: 3,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    for (const index of [0, 1, 2]) {
      const deltas = chunks.flatMap((chunk) => chunk.choices.filter((choice) => choice.index === index));
      expect(deltas[0]!.delta.role).toBe('assistant');
      expect(deltas.map((choice) => choice.delta.content ?? '').join('')).toBe(upstream.recorded.text);
      expect(deltas.map((choice) => choice.finish_reason).filter((reason) => reason !== null)).toEqual(['stop']);
    }
    expect(chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.index)).every((index) => index >= 0 && index < 3)).toBe(true);
    const usage = chunks.filter((chunk) => chunk.usage);
    expect(usage).toHaveLength(1);
    expect(usage[0]!.choices).toEqual([]);
    expect(usage[0]!.usage).toMatchObject({ prompt_tokens: 3 * upstream.recorded.usage.inputTokens, completion_tokens: 3 * upstream.recorded.usage.outputTokens });
    const calls = upstream.requests.slice(before).map((request) => request.json() as Record<string, unknown>);
    expect(calls).toHaveLength(3);
    for (const call of calls) expect(call).toMatchObject({ stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] });
  });

  it("gives the SDK's stream helper every choice, and ends the wire stream with one [DONE]", async () => {
    const final = await client.chat.completions.stream({ model: 'claude-sonnet-4-5', n: 2, messages: [{ role: 'user', content: 'Hello' }] }).finalChatCompletion();
    expect(final.choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason])).toEqual([
      [0, upstream.recorded.text, 'stop'],
      [1, upstream.recorded.text, 'stop'],
    ]);
    const raw = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', n: 2, stream: true, messages: [{ role: 'user', content: 'Hello' }] }),
    });
    const text = await raw.text();
    expect(text.match(/^data: \[DONE\]$/gm)).toHaveLength(1);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('answers a failure of the streamed choices before the first byte as an ordinary error, not a stream', async () => {
    const failed = await failure(client.chat.completions.create({ model: 'claude-down', n: 2, stream: true, messages: [{ role: 'user', content: 'Hi' }] }));
    expect(failed).toBeInstanceOf(OpenAI.InternalServerError);
    expect(failed.message).toContain(upstream.recorded.failureMessage);
  });

  it('refuses more choices than configured, streamed or not, without an upstream call', async () => {
    const before = upstream.requests.length;
    for (const stream of [false, true]) {
      const tooMany = await failure(client.chat.completions.create({ model: 'claude-sonnet-4-5', n: 5, stream, messages: [{ role: 'user', content: 'Hi' }] }));
      expect(tooMany).toBeInstanceOf(OpenAI.BadRequestError);
      expect(tooMany.param).toBe('n');
      expect(tooMany.message).toContain('at most 4');
    }
    expect(upstream.requests.length).toBe(before);
  });
});

describe('n > 1 passed through to providers that answer several choices (official openai SDK, recorded OpenAI upstream)', () => {
  let upstream: FakeProviderUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startFakeRecordedOpenAIUpstream([]);
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[endpoints.openai]
provider = "openai"
base_url = "${upstream.url}/v1"
api_key_env = "CHOICES_OPENAI_KEY"
models = ["gpt-4o"]

[endpoints.declared]
provider = "openai-compatible"
base_url = "${upstream.url}/v1"
api_key_env = "CHOICES_OPENAI_KEY"
models = ["house-model"]
options = { choices = true }

[endpoints.plain]
provider = "openai-compatible"
base_url = "${upstream.url}/v1"
api_key_env = "CHOICES_OPENAI_KEY"
models = ["plain-model"]
`),
      CHOICES_OPENAI_KEY: 'sk-choices-openai-test-90c1',
      GATEWAY_MAX_CHOICES: '4',
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  const sentSince = (before: number) => upstream.requests.slice(before).map((request) => request.json() as Record<string, unknown>);

  it('sends n: 3 to OpenAI in one call and answers its three choices with its usage', async () => {
    const before = upstream.requests.length;
    const { data: completion, response } = await client.chat.completions.create({ model: 'gpt-4o', n: 3, messages: [{ role: 'user', content: 'Hello' }] }).withResponse();
    expect(sentSince(before)).toEqual([expect.objectContaining({ model: 'gpt-4o', n: 3, stream: false })]);
    expect([response.headers.get('x-nachos-provider'), response.headers.get('x-nachos-endpoint'), response.headers.get('x-nachos-attempts')]).toEqual(['openai', 'openai', '1']);
    expect(completion.choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason])).toEqual([0, 1, 2].map((index) => [index, upstream.recorded.text, 'stop']));
    expect(completion.usage).toMatchObject({ prompt_tokens: upstream.recorded.usage.inputTokens, completion_tokens: 3 * upstream.recorded.usage.outputTokens });
  });

  it("streams OpenAI's interleaved choices with their indexes, one finish each, one usage chunk", async () => {
    const before = upstream.requests.length;
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      n: 3,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(sentSince(before)).toEqual([expect.objectContaining({ n: 3, stream: true })]);
    for (const index of [0, 1, 2]) {
      const deltas = chunks.flatMap((chunk) => chunk.choices.filter((choice) => choice.index === index));
      expect(deltas.map((choice) => choice.delta.content ?? '').join('')).toBe(upstream.recorded.text);
      expect(deltas.map((choice) => choice.finish_reason).filter((reason) => reason !== null)).toEqual(['stop']);
    }
    const usage = chunks.filter((chunk) => chunk.usage);
    expect(usage).toHaveLength(1);
    expect(usage[0]!.usage).toMatchObject({ prompt_tokens: upstream.recorded.usage.inputTokens, completion_tokens: 3 * upstream.recorded.usage.outputTokens });
  });

  it('sends n to an OpenAI-compatible host only where its endpoint declares choices, and fans out elsewhere', async () => {
    let before = upstream.requests.length;
    const declared = await client.chat.completions.create({ model: 'house-model', n: 2, messages: [{ role: 'user', content: 'Hello' }] });
    expect(sentSince(before)).toEqual([expect.objectContaining({ model: 'house-model', n: 2 })]);
    expect(declared.choices.map((choice) => choice.message.content)).toEqual([upstream.recorded.text, upstream.recorded.text]);

    before = upstream.requests.length;
    const plain = await client.chat.completions.create({ model: 'plain-model', n: 2, messages: [{ role: 'user', content: 'Hello' }] });
    const calls = sentSince(before);
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(call).not.toHaveProperty('n');
    expect(plain.choices.map((choice) => [choice.index, choice.message.content])).toEqual([
      [0, upstream.recorded.text],
      [1, upstream.recorded.text],
    ]);
  });
});
