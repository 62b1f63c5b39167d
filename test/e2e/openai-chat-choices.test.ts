import OpenAI from 'openai';
import { startFakeAnthropicUpstream } from '../helpers/fake-anthropic-upstream.js';
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
    upstream = await startFakeAnthropicUpstream([]);
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[endpoints.anthropic]
provider = "anthropic"
base_url = "${upstream.url}"
api_key_env = "CHOICES_ANTHROPIC_KEY"
models = ["claude-sonnet-4-5"]
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

  it('refuses more choices than configured, or n > 1 with a stream, without an upstream call', async () => {
    const before = upstream.requests.length;
    const tooMany = await failure(client.chat.completions.create({ model: 'claude-sonnet-4-5', n: 5, messages: [{ role: 'user', content: 'Hi' }] }));
    expect(tooMany).toBeInstanceOf(OpenAI.BadRequestError);
    expect(tooMany.param).toBe('n');
    expect(tooMany.message).toContain('at most 4');
    const streamed = await failure(client.chat.completions.create({ model: 'claude-sonnet-4-5', n: 2, stream: true, messages: [{ role: 'user', content: 'Hi' }] }));
    expect(streamed).toBeInstanceOf(OpenAI.BadRequestError);
    expect(streamed.param).toBe('n');
    expect(upstream.requests.length).toBe(before);
  });
});
