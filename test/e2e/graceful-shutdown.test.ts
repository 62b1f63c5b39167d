import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/** I4: SIGTERM lets an open stream finish within the grace period, then both services exit with 0. */
describe('graceful shutdown', () => {
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ words: Array.from({ length: 15 }, (_, index) => ` w${index}`), chunkDelayMs: 60 });
    services = await startServices({
      LLM_PROXY_ENDPOINT_UP_URL: upstream.url,
      LLM_PROXY_ENDPOINT_UP_MODELS: 'slow',
      SHUTDOWN_GRACE_MS: '10000',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('finishes the open stream, then exits cleanly', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'slow', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const exits = [services.gateway.child, services.llmProxy.child].map(
      (child) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))),
    );
    let text = '';
    let signalled = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (!signalled && text !== '') {
        signalled = true;
        services.gateway.child.kill('SIGTERM');
        services.llmProxy.child.kill('SIGTERM');
      }
    }
    expect(text).toBe(Array.from({ length: 15 }, (_, index) => ` w${index}`).join(''));
    expect(await Promise.all(exits)).toEqual([0, 0]);
    expect(upstream.abortedStreams).toBe(0);
  });
});
