import OpenAI from 'openai';
import { FAILS_AT_ONCE, startFailingOpenAIUpstream, type FakeFailingUpstream } from '../helpers/fake-failing-openai-upstream.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

/**
 * A2 through both services: the gateway sends the key's model patterns with the call, and llm-proxy keeps
 * every candidate within them — the requested model's own routes and each fallback, judged by its own name.
 */
describe('a fallback never reaches a model the key may not use (A2)', () => {
  let upstream: FakeOpenAIUpstream;
  let broken: FakeFailingUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ models: ['fake-model'] });
    broken = await startFailingOpenAIUpstream();
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[llm.models."${FAILS_AT_ONCE}"]
fallbacks = ["fake-model"]
[[auth.keys]]
name = "narrow"
key_env = "NARROW_KEY"
models = ["fails-*"]
[[auth.keys]]
name = "wide"
key_env = "WIDE_KEY"
`),
      NARROW_KEY: 'sk-gw-narrow-31',
      WIDE_KEY: 'sk-gw-wide-32',
      LLM_PROXY_ENDPOINT_BROKEN_URL: broken.url,
      LLM_PROXY_ENDPOINT_BROKEN_MODELS: FAILS_AT_ONCE,
      LLM_PROXY_ENDPOINT_X_URL: upstream.url,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
    await broken?.close();
  });

  const ask = (key: string) =>
    new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: key, maxRetries: 0 }).chat.completions.create({
      model: FAILS_AT_ONCE,
      messages: [{ role: 'user', content: 'hi' }],
    });
  const fallbackCalls = () => upstream.requests.filter((request) => request.path === '/v1/chat/completions').length;

  it('falls back for a key that may use the fallback model', async () => {
    const completion = await ask('sk-gw-wide-32');
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake upstream.');
    expect(fallbackCalls()).toBe(1);
  });

  it('fails instead of falling back for a key that may not', async () => {
    const brokenBefore = broken.chatRequests;
    const refused = await ask('sk-gw-narrow-31').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect(broken.chatRequests).toBeGreaterThan(brokenBefore);
    expect(fallbackCalls()).toBe(1);
  });
});
