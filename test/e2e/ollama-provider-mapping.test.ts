import { Ollama } from 'ollama';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/** A 1×1 PNG, as an application would read it from disk. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('Ollama requests reaching an OpenAI-compatible provider (official ollama SDK)', () => {
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;
  let ollama: Ollama;

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ words: Array.from({ length: 100 }, (_, index) => ` w${index}`), chunkDelayMs: 20 });
    services = await startServices({ LLM_PROXY_ENDPOINT_X_URL: upstream.url, LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model' });
    ollama = new Ollama({ host: services.gatewayUrl });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  const chatCalls = () => upstream.requests.filter((request) => request.path === '/v1/chat/completions');

  it('maps options, format, images and a tool history onto the provider request, and keeps Ollama-only fields away from it', async () => {
    const before = chatCalls().length;
    const response = await ollama.chat({
      model: 'fake-model',
      format: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
      keep_alive: '10m',
      options: { temperature: 0.3, top_p: 0.8, num_predict: 64, stop: ['END'], seed: 42, presence_penalty: 0.1, frequency_penalty: 0.2, num_ctx: 4096 },
      messages: [
        { role: 'system', content: 'Answer in JSON.' },
        { role: 'user', content: 'What is here, and how warm is it?', images: [PNG] },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Toronto' } } }] },
        { role: 'tool', content: '11 degrees celsius', tool_name: 'get_weather' },
      ],
    });
    expect(response.message.content).toMatch(/^ w0 w1/);
    expect(chatCalls()).toHaveLength(before + 1);
    const body = chatCalls().at(-1)!.body as Record<string, any>;
    expect(body).toMatchObject({
      model: 'fake-model',
      temperature: 0.3,
      top_p: 0.8,
      max_tokens: 64,
      stop: ['END'],
      seed: 42,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      response_format: { type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object', required: ['answer'] } } },
    });
    expect(body).not.toHaveProperty('keep_alive');
    expect(body).not.toHaveProperty('options');
    expect(body).not.toHaveProperty('num_ctx');
    const [system, user, assistant, tool] = body.messages;
    expect(system).toMatchObject({ role: 'system' });
    expect(JSON.stringify(user.content)).toContain(`data:image/png;base64,${PNG.toString('base64')}`);
    expect(assistant.tool_calls).toEqual([{ id: expect.any(String), type: 'function', function: { name: 'get_weather', arguments: '{"city":"Toronto"}' } }]);
    expect(tool).toMatchObject({ role: 'tool', tool_call_id: assistant.tool_calls[0].id, content: '11 degrees celsius' });
  });

  it('cancels the provider request within a second when the client stops reading', async () => {
    const stream = await ollama.chat({ model: 'fake-model', messages: [{ role: 'user', content: 'a long answer' }], stream: true });
    let received = 0;
    for await (const part of stream) {
      if (part.message.content) received += 1;
      if (received === 3) {
        stream.abort();
        break;
      }
    }
    const deadline = Date.now() + 1_000;
    while (upstream.abortedStreams === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(upstream.abortedStreams).toBe(1);
  });
});
