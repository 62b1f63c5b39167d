import OpenAI from 'openai';
import { FAILS_AT_ONCE, FAILS_MID_STREAM, startFailingOpenAIUpstream, type FakeFailingUpstream } from '../helpers/fake-failing-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

/** What the OpenAI SDK throws, or nothing. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('OpenAI legacy completions and embeddings through both services (official openai SDK)', () => {
  let broken: FakeFailingUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    broken = await startFailingOpenAIUpstream();
    services = await startServices({
      LLM_PROXY_ENDPOINT_MOCK_URL: 'http://127.0.0.1:9',
      LLM_PROXY_ENDPOINT_MOCK_PROVIDER: 'mock',
      LLM_PROXY_ENDPOINT_BROKEN_URL: broken.url,
      LLM_PROXY_ENDPOINT_BROKEN_MODELS: `${FAILS_AT_ONCE},${FAILS_MID_STREAM}`,
    });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await broken?.close();
  });

  it('completes a prompt as a text_completion, 16 tokens unless told otherwise', async () => {
    const completion = await client.completions.create({ model: 'mock', prompt: 'Say this is a test' });
    expect(completion).toMatchObject({ object: 'text_completion', model: 'mock-1' });
    expect(completion.id).toMatch(/^cmpl-/);
    expect(completion.choices).toEqual([
      { text: expect.stringMatching(/^Mock reply to: Say this is a test/), index: 0, logprobs: null, finish_reason: 'stop' },
    ]);
    expect(completion.choices[0]!.text.split(' ')).toHaveLength(16);
    expect(completion.usage).toEqual({ prompt_tokens: 5, completion_tokens: 16, total_tokens: 21 });

    const short = await client.completions.create({ model: 'mock', prompt: ['Say this is a test'], max_tokens: 3 });
    expect(short.choices[0]).toMatchObject({ text: 'Mock reply to:', finish_reason: 'length' });
  });

  it('streams text_completion chunks, the finish reason on the last text chunk, usage only when asked', async () => {
    const stream = await client.completions.create({ model: 'mock', prompt: 'Stream this', max_tokens: 4, stream: true });
    const chunks: OpenAI.Completion[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.object === 'text_completion' && chunk.id === chunks[0]!.id)).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.text).join('')).toBe('Mock reply to: Stream');
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason)).toEqual([null, null, null, 'length']);
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);

    const withUsage = await client.completions.create({
      model: 'mock',
      prompt: 'Stream this',
      max_tokens: 4,
      stream: true,
      stream_options: { include_usage: true },
    });
    const usageChunks: OpenAI.Completion[] = [];
    for await (const chunk of withUsage) usageChunks.push(chunk);
    expect(usageChunks.at(-2)?.choices[0]).toMatchObject({ text: ' Stream', finish_reason: 'length' });
    expect(usageChunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 4, total_tokens: 6 } });

    const raw = await fetch(`${services.gatewayUrl}/v1/completions`, { method: 'POST', body: JSON.stringify({ model: 'mock', prompt: 'x', max_tokens: 1, stream: true }) });
    expect(raw.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect((await raw.text()).endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('echoes the prompt when asked and names suffix as ignored', async () => {
    const { data, response } = await client.completions
      .create({ model: 'mock', prompt: 'Hello', echo: true, suffix: ' world', max_tokens: 2 })
      .withResponse();
    expect(data.choices[0]?.text).toBe('HelloMock reply');
    expect(response.headers.get('x-nachos-ignored-fields')).toBe('suffix');
  });

  it('refuses what a chat model cannot do with a BadRequestError naming the field', async () => {
    const cases: Array<[Partial<OpenAI.CompletionCreateParamsNonStreaming>, string]> = [
      [{ n: 2 }, 'n'],
      [{ best_of: 2 }, 'best_of'],
      [{ logprobs: 2 }, 'logprobs'],
      [{ prompt: [1212, 318] }, 'prompt'],
      [{ prompt: ['one', 'two'] }, 'prompt'],
    ];
    for (const [body, param] of cases) {
      const error = await failure(client.completions.create({ model: 'mock', prompt: 'Hi', ...body }));
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ type: 'invalid_request_error', param });
    }
  });

  it('answers an unknown model with a NotFoundError', async () => {
    const error = await failure(client.completions.create({ model: 'no-such-model', prompt: 'Hi' }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({ code: 'model_not_found' });
  });

  it("raises the SDK's error when the upstream fails before the first byte or mid-stream", async () => {
    const before = broken.chatRequests;
    const atOnce = await failure(client.completions.create({ model: FAILS_AT_ONCE, prompt: 'Hi', stream: true }));
    expect(atOnce).toBeInstanceOf(OpenAI.APIError);
    expect((atOnce as InstanceType<typeof OpenAI.APIError>).status).toBeGreaterThanOrEqual(500);
    expect(broken.chatRequests).toBeGreaterThan(before);

    const texts: string[] = [];
    const midStream = await failure(
      (async () => {
        for await (const chunk of await client.completions.create({ model: FAILS_MID_STREAM, prompt: 'Hi', stream: true })) {
          texts.push(chunk.choices[0]?.text ?? '');
        }
      })(),
    );
    expect(texts.join('')).toBe('Half an');
    expect(midStream).toBeInstanceOf(OpenAI.APIError);
    expect((midStream as Error).message).toMatch(/upstream/i);
  });

  it('embeds with the SDK default (base64, decoded by the SDK) exactly as with encoding_format float', async () => {
    const input = ['The food was delicious', 'and the waiter was kind'];
    const sent: unknown[] = [];
    const watched = new OpenAI({
      baseURL: `${services.gatewayUrl}/v1`,
      apiKey: 'unused',
      maxRetries: 0,
      fetch: (url, init) => {
        sent.push(JSON.parse(String(init?.body)));
        return fetch(url, init);
      },
    });
    const byDefault = await watched.embeddings.create({ model: 'mock-embed', input });
    expect(sent).toEqual([expect.objectContaining({ encoding_format: 'base64' })]);
    const asFloats = await client.embeddings.create({ model: 'mock-embed', input, encoding_format: 'float' });
    expect(byDefault.data.map((entry) => entry.embedding)).toEqual(asFloats.data.map((entry) => entry.embedding));
    expect(asFloats).toMatchObject({ object: 'list', model: 'mock-embed', usage: { prompt_tokens: 9, total_tokens: 9 } });
    expect(asFloats.data.map((entry) => [entry.object, entry.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
    ]);
    expect(asFloats.data[0]!.embedding).toHaveLength(8);
    expect(asFloats.data[0]!.embedding).not.toEqual(asFloats.data[1]!.embedding);

    const raw = await fetch(`${services.gatewayUrl}/v1/embeddings`, { method: 'POST', body: JSON.stringify({ model: 'mock-embed', input: 'x', encoding_format: 'base64' }) });
    const body = (await raw.json()) as { data: Array<{ embedding: unknown }> };
    expect(typeof body.data[0]?.embedding).toBe('string');

    const sized = await client.embeddings.create({ model: 'mock-embed', input: 'x', dimensions: 4 });
    expect(sized.data[0]?.embedding).toHaveLength(4);
  });

  it('refuses token-id embedding input for a provider with its own tokenizer, and an unknown embedding model, in OpenAI shape', async () => {
    const tokens = await failure(client.embeddings.create({ model: 'mock-embed', input: [102257] }));
    expect(tokens).toBeInstanceOf(OpenAI.BadRequestError);
    expect((tokens as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({
      type: 'invalid_request_error',
      message: expect.stringContaining('takes no token ids'),
    });
    const unknown = await failure(client.embeddings.create({ model: 'no-such-embedder', input: 'x' }));
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('serves the same routes under /llm/openai/v1', async () => {
    const prefixed = new OpenAI({ baseURL: `${services.gatewayUrl}/llm/openai/v1`, apiKey: 'unused', maxRetries: 0 });
    const completion = await prefixed.completions.create({ model: 'mock', prompt: 'Hi', max_tokens: 2 });
    expect(completion.choices[0]?.text).toBe('Mock reply');
    const embedding = await prefixed.embeddings.create({ model: 'mock-embed', input: 'Hi' });
    expect(embedding.data).toHaveLength(1);
    const response = await prefixed.responses.create({ model: 'mock', input: 'Hi', max_output_tokens: 2 });
    expect(response.output_text).toBe('Mock reply');
    const error = await failure(prefixed.completions.create({ model: 'mock', prompt: 'Hi', n: 3 }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  });
});
