import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/**
 * GATEWAY_REQUEST_TIMEOUT_MS bounds the whole exchange: a stream still running when it is up ends with the
 * protocol's timeout error (which the SDKs raise), and its upstream call is cancelled.
 */
describe('the gateway request timeout', () => {
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ words: Array.from({ length: 100 }, (_, index) => ` w${index}`), chunkDelayMs: 100 });
    services = await startServices({
      LLM_PROXY_ENDPOINT_UP_URL: upstream.url,
      LLM_PROXY_ENDPOINT_UP_MODELS: 'slow',
      GATEWAY_REQUEST_TIMEOUT_MS: '2500',
      GATEWAY_HEADERS_TIMEOUT_MS: '1000',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('ends a stream that outlasts it with a timeout error in each protocol, and cancels the upstream', async () => {
    const messages = [{ role: 'user' as const, content: 'hi' }];
    const openai = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: services.gatewayUrl, apiKey: 'x', maxRetries: 0 });
    const raised = await Promise.all([
      (async () => {
        let text = '';
        for await (const chunk of await openai.chat.completions.create({ model: 'slow', messages, stream: true })) text += chunk.choices[0]?.delta.content ?? '';
        return text;
      })().catch((error: Error) => error.message),
      (async () => {
        await anthropic.messages.stream({ model: 'slow', max_tokens: 512, messages }).finalMessage();
        return 'completed';
      })().catch((error: Error) => error.message),
    ]);
    expect(raised).toEqual([expect.stringContaining('took longer than the gateway allows (2500 ms)'), expect.stringContaining('took longer than the gateway allows (2500 ms)')]);
    const deadline = Date.now() + 5_000;
    while (upstream.abortedStreams < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(upstream.abortedStreams).toBe(2);
  });
});
