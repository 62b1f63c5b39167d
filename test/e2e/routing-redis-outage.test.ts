import OpenAI from 'openai';
import { startRestartableRedis, type RestartableRedis } from '../helpers/restartable-redis.js';
import { deltaChunk, replyWithChunks, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/** A Redis outage never hangs a request: state falls back to memory, readiness says so, and it recovers on its own. */
describe('llm-proxy through a Redis outage', () => {
  let redis: RestartableRedis;
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    redis = await startRestartableRedis();
    upstream = await startScriptedOpenAIUpstream(['model-a']);
    upstream.reply = replyWithChunks([deltaChunk({ role: 'assistant', content: '' }), deltaChunk({ content: 'still here' }), deltaChunk({}, 'stop')]);
    services = await startServices({
      REDIS_URL: redis.url,
      LLM_PROXY_ENDPOINT_UP_URL: upstream.url,
      LLM_PROXY_ENDPOINT_UP_MODELS: 'model-a',
    });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
    await redis?.stop();
  });

  const ready = async () => (await (await fetch(`${services.llmProxyHttpUrl}/ready`)).json()) as { status: string; state: string };
  const ask = async () => (await client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }] })).choices[0]?.message.content;

  it('keeps serving while Redis is down, reports degraded, and recovers without a restart', async () => {
    expect(await ask()).toBe('still here');
    expect(await ready()).toEqual({ status: 'ready', state: 'redis' });

    await redis.kill();
    const started = Date.now();
    expect(await ask()).toBe('still here');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await ready()).toEqual({ status: 'degraded', state: 'degraded' });
    const metrics = await (await fetch(`${services.llmProxyHttpUrl}/metrics`)).text();
    expect(metrics).toMatch(/nachos_llm_proxy_state_degraded 1/);

    await redis.restart();
    const deadline = Date.now() + 10_000;
    let state = '';
    while (Date.now() < deadline) {
      await ask();
      state = (await ready()).state;
      if (state === 'redis') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(state).toBe('redis');
  });
});
