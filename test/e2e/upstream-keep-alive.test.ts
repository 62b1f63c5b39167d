import OpenAI from 'openai';
import { deltaChunk, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/**
 * llm-proxy reuses its upstream connections: a stream that ends with `[DONE]` a moment before the
 * body ends must not cost a new connection (and, against real providers, a new TLS handshake).
 */
describe('upstream keep-alive', () => {
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    upstream = await startScriptedOpenAIUpstream(['model-a']);
    upstream.reply = async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const delta of [{ role: 'assistant', content: '' }, { content: 'ok' }]) {
        response.write(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'model-a', ...deltaChunk(delta) })}\n\n`);
      }
      response.write(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'model-a', ...deltaChunk({}, 'stop') })}\n\n`);
      response.write('data: [DONE]\n\n');
      await new Promise((resolve) => setTimeout(resolve, 20));
      response.end();
    };
    services = await startServices({ LLM_PROXY_ENDPOINT_UP_URL: upstream.url, LLM_PROXY_ENDPOINT_UP_MODELS: 'model-a' });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('serves consecutive requests over one upstream connection', async () => {
    const client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 });
    for (let index = 0; index < 5; index += 1) {
      const answer = await client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'hi' }] });
      expect(answer.choices[0]?.message.content).toBe('ok');
    }
    const chatPorts = new Set(upstream.requests.filter((request) => request.method === 'POST').map((request) => request.remotePort));
    expect(chatPorts.size).toBe(1);
  });
});
