import { Ollama, type ChatResponse, type Message, type Tool } from 'ollama';
import { FAILS_AT_ONCE, FAILS_MID_STREAM, startFailingOpenAIUpstream, type FakeFailingUpstream } from '../helpers/fake-failing-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/** A 1×1 PNG, as an application would read it from disk. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const WEATHER_TOOL: Tool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the weather in a given city',
    parameters: { type: 'object', properties: { city: { type: 'string', description: 'The city' } }, required: ['city'] },
  },
};

/** What ollama-js throws for a non-2xx answer: `ResponseError` with the `{error}` text and the status. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status_code?: number }> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown as { name: string; message: string; status_code?: number },
  );
  if (!error) throw new Error('the call succeeded');
  return error;
}

describe('Ollama surface through both services (official ollama SDK)', () => {
  let broken: FakeFailingUpstream;
  let services: RunningServices;
  let ollama: Ollama;

  beforeAll(async () => {
    broken = await startFailingOpenAIUpstream();
    services = await startServices({
      LLM_PROXY_ENDPOINT_MOCK_URL: 'http://127.0.0.1:9',
      LLM_PROXY_ENDPOINT_MOCK_PROVIDER: 'mock',
      LLM_PROXY_ENDPOINT_BROKEN_URL: broken.url,
      LLM_PROXY_ENDPOINT_BROKEN_MODELS: `${FAILS_AT_ONCE},${FAILS_MID_STREAM}`,
    });
    ollama = new Ollama({ host: services.gatewayUrl });
  });

  afterAll(async () => {
    await services?.stop();
    await broken?.close();
  });

  it('says it is running and claims a version clients accept', async () => {
    const root = await fetch(`${services.gatewayUrl}/`);
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await root.text()).toBe('Ollama is running');
    expect((await fetch(`${services.gatewayUrl}/`, { method: 'HEAD' })).status).toBe(200);

    const { version } = await ollama.version();
    const parts = version.replace(/^v|-.*/g, '').split('.').map(Number);
    expect(parts.every(Number.isInteger)).toBe(true);
    expect(parts[0]! > 0 || parts[1]! > 6 || (parts[1] === 6 && parts[2]! >= 4)).toBe(true);
  });

  it('lists the served models with name and model, and shows what clients configure from', async () => {
    const { models } = await ollama.list();
    expect(models.map((model) => model.name).sort()).toEqual([FAILS_AT_ONCE, FAILS_MID_STREAM, 'mock-1', 'mock-embed', 'mock-reasoning']);
    for (const model of models) {
      expect(model.model).toBe(model.name);
      expect(model.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(new Date(model.modified_at).getTime()).toBeGreaterThan(0);
      expect(model.details).toMatchObject({ family: expect.any(String), families: expect.any(Array), format: '', parameter_size: '', quantization_level: '' });
    }

    const shown = await ollama.show({ model: 'mock-1' });
    const info = shown.model_info as unknown as Record<string, unknown>;
    expect(info['general.architecture']).toBe('mock');
    expect(info['general.basename']).toBe('mock-1');
    expect(info['mock.context_length']).toBe(128_000);
    expect(shown.capabilities).toEqual(['completion', 'tools', 'vision']);
    expect((await ollama.show({ model: 'mock-reasoning:latest' })).capabilities).toContain('thinking');
    expect((await ollama.show({ model: 'mock-embed' })).capabilities).toEqual(['embedding']);

    const unknown = await failure(ollama.show({ model: 'no-such-model' }));
    expect(unknown).toMatchObject({ name: 'ResponseError', status_code: 404, message: 'model "no-such-model" not found, try pulling it first' });
  });

  it('reports every served model as running', async () => {
    const { models } = await ollama.ps();
    expect(models.map((model) => model.name)).toContain('mock-1');
    expect(new Date(models[0]!.expires_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('"pulls" a served model at once and refuses one it does not serve', async () => {
    expect(await ollama.pull({ model: 'mock-1' })).toEqual({ status: 'success' });
    const progress = [];
    for await (const part of await ollama.pull({ model: 'mock-1:latest', stream: true })) progress.push(part);
    expect(progress).toEqual([{ status: 'success' }]);
    expect(await failure(ollama.pull({ model: 'llama-none' }))).toMatchObject({ status_code: 404, message: 'model "llama-none" not found, try pulling it first' });
  });

  it('answers a chat in one object, with measured durations and token counts', async () => {
    const response = await ollama.chat({ model: 'mock', messages: [{ role: 'user', content: 'Why is the sky blue?' }] });
    expect(response.model).toBe('mock');
    expect(response.message.role).toBe('assistant');
    expect(response.message.content).toMatch(/^Mock reply to: Why is the sky blue\?/);
    expect(response).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 5, eval_count: 16 });
    for (const key of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration'] as const) expect(response[key]).toBeGreaterThan(0);
    expect(response.total_duration).toBeGreaterThanOrEqual(response.load_duration + response.prompt_eval_duration + response.eval_duration);
  });

  it('streams a chat part by part, ending with one done part that carries the metrics', async () => {
    const parts: ChatResponse[] = [];
    for await (const part of await ollama.chat({ model: 'mock-1:latest', messages: [{ role: 'user', content: 'Why is the sky blue?' }], stream: true })) parts.push(part);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.slice(0, -1).every((part) => !part.done)).toBe(true);
    const last = parts.at(-1)!;
    expect(last).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 5, eval_count: 16, model: 'mock-1:latest' });
    expect(last.eval_duration).toBeGreaterThan(0);
    const text = parts.map((part) => part.message.content).join('');
    expect(text).toMatch(/^Mock reply to: Why is the sky blue\?/);
    expect(text.split(' ')).toHaveLength(16);
  });

  it('generates from a prompt, streaming and not', async () => {
    const whole = await ollama.generate({ model: 'mock', prompt: 'Tell me a story', system: 'Be brief.' });
    expect(whole).toMatchObject({ done: true, done_reason: 'stop', context: [], prompt_eval_count: 6 });
    expect(whole.response).toMatch(/^Mock reply to: Tell me a story/);

    const parts = [];
    for await (const part of await ollama.generate({ model: 'mock', prompt: 'Tell me a story', stream: true, options: { num_predict: 5 } })) parts.push(part);
    expect(parts.map((part) => part.response).join('')).toBe('Mock reply to: Tell me');
    expect(parts.at(-1)).toMatchObject({ done: true, done_reason: 'length', eval_count: 5 });
  });

  it('runs a tool round trip: the call arrives whole with object arguments, the result goes back by tool_name', async () => {
    const question: Message = { role: 'user', content: 'What is the weather in Tokyo?' };
    const first = await ollama.chat({ model: 'mock', messages: [question], tools: [WEATHER_TOOL] });
    expect(first.done_reason).toBe('stop');
    const [call] = first.message.tool_calls ?? [];
    expect(call?.function.name).toBe('get_weather');
    expect(call?.function.arguments).toEqual({ city: expect.any(String) });

    const streamed: ChatResponse[] = [];
    for await (const part of await ollama.chat({ model: 'mock', messages: [question], tools: [WEATHER_TOOL], stream: true })) streamed.push(part);
    const withCalls = streamed.filter((part) => part.message.tool_calls?.length);
    expect(withCalls).toHaveLength(1);
    expect(withCalls[0]!.message.tool_calls![0]!.function).toMatchObject({ name: 'get_weather', arguments: { city: expect.any(String) } });

    const answer = await ollama.chat({
      model: 'mock',
      tools: [WEATHER_TOOL],
      messages: [question, first.message, { role: 'tool', content: '11 degrees celsius', tool_name: 'get_weather' }],
    });
    expect(answer.message.tool_calls).toBeUndefined();
    expect(answer.message.content).toMatch(/^Mock reply to: What is the weather in Tokyo\?/);
    expect(answer.done_reason).toBe('stop');
  });

  it('returns thinking as message.thinking', async () => {
    const response = await ollama.chat({ model: 'mock-reasoning', messages: [{ role: 'user', content: 'Think first' }], think: true });
    expect(response.message.thinking).toBe('Considering the request: Think first');
    expect(response.message.content).toMatch(/^Mock reply to: Think first/);
  });

  it('accepts images as the SDK sends them (bare base64)', async () => {
    const response = await ollama.chat({ model: 'mock', messages: [{ role: 'user', content: 'What is in this picture?', images: [PNG] }] });
    expect(response.message.content).toMatch(/^Mock reply to: What is in this picture\?/);
    const refused = await failure(ollama.chat({ model: 'mock', messages: [{ role: 'user', content: 'and this?', images: [Buffer.from('%PDF-1.7')] }] }));
    expect(refused).toMatchObject({ status_code: 400, message: expect.stringContaining('PNG, JPEG, GIF or WebP') });
  });

  it('embeds with /api/embed and the legacy /api/embeddings', async () => {
    const embedded = await ollama.embed({ model: 'mock-embed', input: ['Why is the sky blue?', 'Why is the grass green?'] });
    expect(embedded.model).toBe('mock-embed');
    expect(embedded.embeddings).toHaveLength(2);
    for (const vector of embedded.embeddings) expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(embedded.embeddings[0]).not.toEqual(embedded.embeddings[1]);
    expect(embedded.prompt_eval_count).toBe(10);

    const legacy = await ollama.embeddings({ model: 'mock-embed', prompt: 'Why is the sky blue?' });
    expect(legacy.embedding).toHaveLength(embedded.embeddings[0]!.length);
    legacy.embedding.forEach((value, index) => expect(value).toBeCloseTo(embedded.embeddings[0]![index]!, 6));
  });

  it('raises the SDK error with Ollama\'s 404 message for an unknown model, streaming or not, without an upstream call', async () => {
    const before = broken.chatRequests;
    const message = 'model "no-such-model" not found, try pulling it first';
    expect(await failure(ollama.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }))).toMatchObject({ status_code: 404, message });
    expect(await failure(ollama.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }], stream: true }))).toMatchObject({ status_code: 404, message });
    expect(await failure(ollama.generate({ model: 'no-such-model', prompt: 'hi' }))).toMatchObject({ status_code: 404, message });
    expect(await failure(ollama.embed({ model: 'no-such-model', input: 'hi' }))).toMatchObject({ status_code: 404, message });
    expect(broken.chatRequests).toBe(before);
  });

  it('refuses bad input with a 400 in Ollama\'s shape', async () => {
    const malformed = await fetch(`${services.gatewayUrl}/api/chat`, { method: 'POST', body: '{"model": "mock", "messages": [' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'The request body is not valid JSON.' });
    const badOption = await failure(ollama.chat({ model: 'mock', messages: [{ role: 'user', content: 'x' }], options: { top_p: 3 } }));
    expect(badOption).toMatchObject({ status_code: 400, message: expect.stringContaining('options.top_p') });
  });

  it('raises the SDK error when the upstream fails before the first byte', async () => {
    const before = await failure(ollama.chat({ model: FAILS_AT_ONCE, messages: [{ role: 'user', content: 'hi' }], stream: true }));
    expect(before.name).toBe('ResponseError');
    expect(before.status_code).toBeGreaterThanOrEqual(500);
    expect(before.message).toMatch(/upstream/);
    expect(before.message).not.toMatch(/\[object Object\]|at .*\.js/);
  });

  it('raises the SDK error when the upstream fails mid-stream, after the parts that arrived', async () => {
    const parts: ChatResponse[] = [];
    const during = await failure(
      (async () => {
        for await (const part of await ollama.chat({ model: FAILS_MID_STREAM, messages: [{ role: 'user', content: 'hi' }], stream: true })) parts.push(part);
      })(),
    );
    expect(parts.map((part) => part.message.content).join('')).toBe('Half an');
    expect(during.name).toBe('Error');
    expect(during.message).toMatch(/upstream/);

    const raw = await fetch(`${services.gatewayUrl}/api/generate`, { method: 'POST', body: JSON.stringify({ model: FAILS_MID_STREAM, prompt: 'hi' }) });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await raw.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({ error: expect.any(String) });
    expect(lines.some((line) => line.done === true)).toBe(false);

    const whole = await failure(ollama.chat({ model: FAILS_MID_STREAM, messages: [{ role: 'user', content: 'hi' }] }));
    expect(whole).toMatchObject({ name: 'ResponseError', status_code: expect.any(Number) });
    expect(whole.status_code).toBeGreaterThanOrEqual(500);
  });
});
