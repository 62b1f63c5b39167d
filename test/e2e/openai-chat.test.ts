import OpenAI from 'openai';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { pidOwningLocalPort } from '../helpers/socket-owner.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

const UPSTREAM_KEY = 'sk-upstream-canary-7f3a9c';

describe('OpenAI chat through both services (official openai SDK)', () => {
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ models: ['fake-model', 'fake-model-2'], chunkDelayMs: 5 });
    services = await startServices({
      LLM_PROXY_ENDPOINT_X_URL: upstream.url,
      LLM_PROXY_ENDPOINT_X_KEY: UPSTREAM_KEY,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model,fake-model-2',
    });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused-gateway-key', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  const chatCalls = () => upstream.requests.filter((request) => request.path === '/v1/chat/completions');

  it('lists the configured models', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.map((model) => model.id)).toEqual(['fake-model', 'fake-model-2']);
    expect(models[0]).toMatchObject({ object: 'model', owned_by: 'openai-compatible' });
  });

  it('answers a non-streaming chat, with the configured key reaching the upstream', async () => {
    const before = chatCalls().length;
    const completion = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake upstream.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 });
    const call = chatCalls()[before];
    expect(call?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(call?.body).toMatchObject({ model: 'fake-model', messages: [{ role: 'user', content: 'Say hello' }] });
    expect(call?.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('streams a chat as OpenAI chunks, with usage only when asked', async () => {
    const stream = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello from the fake upstream.');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);

    const withUsage = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const usageChunks = [];
    for await (const chunk of withUsage) usageChunks.push(chunk);
    const last = usageChunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 });
  });

  it('closes the upstream connection within a second when the client goes away, streaming or not', async () => {
    const slow = await startFakeOpenAIUpstream({ words: Array.from({ length: 200 }, (_, index) => ` w${index}`), chunkDelayMs: 50 });
    const slowServices = await startServices({ LLM_PROXY_ENDPOINT_SLOW_URL: slow.url, LLM_PROXY_ENDPOINT_SLOW_MODELS: 'slow-model' });
    try {
      const slowClient = new OpenAI({ baseURL: `${slowServices.gatewayUrl}/v1`, apiKey: 'x', maxRetries: 0 });
      const stream = await slowClient.chat.completions.create({
        model: 'slow-model',
        messages: [{ role: 'user', content: 'long answer' }],
        stream: true,
      });
      let received = 0;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) received += 1;
        if (received === 3) break;
      }
      const deadline = Date.now() + 1_000;
      while (slow.abortedStreams === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(slow.abortedStreams).toBe(1);

      // A non-streaming client that gives up cancels the upstream request too.
      const controller = new AbortController();
      const pending = slowClient.chat.completions
        .create({ model: 'slow-model', messages: [{ role: 'user', content: 'long answer' }] }, { signal: controller.signal })
        .catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      controller.abort();
      expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
      const secondDeadline = Date.now() + 1_000;
      while (slow.abortedStreams === 1 && Date.now() < secondDeadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(slow.abortedStreams).toBe(2);
    } finally {
      await slowServices.stop();
      await slow.close();
    }
  });

  it('answers an unknown model with a 404 in OpenAI shape, without an upstream call', async () => {
    const before = upstream.requests.length;
    const failure = await client.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    expect((failure as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'model_not_found',
    });
    expect(upstream.requests.length).toBe(before);
  });

  it('answers malformed JSON and invalid fields with a 400, without an upstream call', async () => {
    const before = upstream.requests.length;
    const malformed = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model": "fake-model", "messages": [',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('JSON') } });

    const empty = await client.chat.completions.create({ model: 'fake-model', messages: [] }).catch((error: unknown) => error);
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    expect((empty as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ param: 'messages', code: 'empty_array' });

    const badTemperature = await client.chat.completions
      .create({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }], temperature: 7 })
      .catch((error: unknown) => error);
    expect(badTemperature).toBeInstanceOf(OpenAI.BadRequestError);
    expect(upstream.requests.length).toBe(before);
  });

  it('opens upstream connections only from the llm-proxy process', async () => {
    await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'who calls?' }] });
    const last = chatCalls().at(-1);
    expect(last).toBeDefined();
    const owner = pidOwningLocalPort(last!.remotePort, Number(new URL(upstream.url).port));
    expect(owner).toBe(services.llmProxy.child.pid);
    expect(owner).not.toBe(services.gateway.child.pid);
  });

  it('never prints the upstream key', () => {
    expect(services.logs()).toContain('"message":"chat"');
    expect(services.logs()).not.toContain(UPSTREAM_KEY);
  });
});
