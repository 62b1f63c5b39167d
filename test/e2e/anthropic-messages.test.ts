import Anthropic from '@anthropic-ai/sdk';
import { anthropicStreamProblems, parseAnthropicSse, type AnthropicSseEvent } from '../helpers/anthropic-sse-grammar.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

const WEATHER_TOOL: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

describe('Anthropic Messages through both services (official @anthropic-ai/sdk, mock provider)', () => {
  let services: RunningServices;
  let client: Anthropic;

  beforeAll(async () => {
    services = await startServices();
    client = new Anthropic({ baseURL: services.gatewayUrl, apiKey: 'unused-gateway-key', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
  });

  /** Posts a body as Claude Code does and returns the raw events, for checks the SDK does not make. */
  async function rawStream(body: Record<string, unknown>, path = '/v1/messages?beta=true'): Promise<AnthropicSseEvent[]> {
    const response = await fetch(`${services.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'interleaved-thinking-2025-05-14', 'x-api-key': 'x' },
      body: JSON.stringify({ ...body, stream: true }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    return parseAnthropicSse(await response.text());
  }

  it('streams text with messages.stream(), well-formed, with the real usage in message_delta', async () => {
    const stream = client.messages.stream({ model: 'mock', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello' }] });
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const message = await stream.finalMessage();
    expect(message.id).toMatch(/^msg_/);
    expect(message.content).toHaveLength(1);
    expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/^Mock reply to: Say hello/) });
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe((message.content[0] as Anthropic.TextBlock).text);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 2, output_tokens: 16 });

    const events = await rawStream({ model: 'mock', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello' }] });
    expect(anthropicStreamProblems(events)).toEqual([]);
    expect(events.slice(0, 3).map((event) => event.event)).toEqual(['message_start', 'ping', 'content_block_start']);
    expect(events.at(-2)?.data).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 2, output_tokens: 16 } });
  });

  it('streams with create({stream: true}) and answers without a stream, each with its own message id', async () => {
    const stream = await client.messages.create({ model: 'mock', max_tokens: 256, messages: [{ role: 'user', content: 'Count to three' }], stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(text).toMatch(/^Mock reply to: Count to three/);

    const [first, second] = await Promise.all([
      client.messages.create({ model: 'mock', max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] }),
      client.messages.create({ model: 'mock', max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] }),
    ]);
    expect(first).toMatchObject({ type: 'message', role: 'assistant', model: 'mock-1', stop_reason: 'end_turn', stop_sequence: null });
    expect(first.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/^Mock reply to: Hello/) });
    expect(first.usage).toMatchObject({ input_tokens: 1, output_tokens: 16, cache_read_input_tokens: 0 });
    expect(first.id).not.toBe(second.id);
  });

  it('stops at max_tokens with stop_reason max_tokens', async () => {
    const message = await client.messages.create({ model: 'mock', max_tokens: 3, messages: [{ role: 'user', content: 'Long story' }] });
    expect(message).toMatchObject({ stop_reason: 'max_tokens', usage: { output_tokens: 3 } });
  });

  it('runs a tool round trip: tool_use with parsed input, then a tool_result answered in text', async () => {
    const question: Anthropic.MessageParam = { role: 'user', content: 'What is the weather in Paris?' };
    const turn = await client.messages
      .stream({ model: 'mock', max_tokens: 256, tools: [WEATHER_TOOL], messages: [question] })
      .finalMessage();
    expect(turn.stop_reason).toBe('tool_use');
    const call = turn.content.find((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
    expect(call).toBeDefined();
    expect(call!.id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(call!.name).toBe('get_weather');
    expect(call!.input).toEqual({ location: expect.any(String) });

    const events = await rawStream({ model: 'mock', max_tokens: 256, tools: [WEATHER_TOOL], messages: [question] });
    expect(anthropicStreamProblems(events)).toEqual([]);
    expect(events.find((event) => event.event === 'content_block_start')?.data).toMatchObject({
      index: 0,
      content_block: { type: 'tool_use', name: 'get_weather', input: {} },
    });
    expect(events.filter((event) => event.event === 'content_block_delta').every((event) => (event.data.delta as { type: string }).type === 'input_json_delta')).toBe(true);

    const answer = await client.messages.create({
      model: 'mock',
      max_tokens: 256,
      tools: [WEATHER_TOOL],
      messages: [
        question,
        { role: 'assistant', content: turn.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call!.id, content: [{ type: 'text', text: 'Sunny, 21 °C' }] }] },
      ],
    });
    expect(answer.stop_reason).toBe('end_turn');
    expect(answer.content).toEqual([{ type: 'text', text: expect.stringMatching(/^Mock reply to:/) }]);
  });

  it('streams thinking blocks before the text for a reasoning model', async () => {
    const message = await client.messages
      .stream({ model: 'mock-reasoning', max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Why?' }] })
      .finalMessage();
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: expect.stringMatching(/^Considering the request: Why\?/) });
  });

  it('answers an unknown model with NotFoundError in Anthropic shape, streaming or not', async () => {
    const failure = await client.messages.create({ model: 'no-such-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.NotFoundError);
    expect((failure as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect((failure as InstanceType<typeof Anthropic.NotFoundError>).requestID).toEqual(expect.any(String));
    const streamed = await client.messages
      .stream({ model: 'no-such-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage()
      .catch((error: unknown) => error);
    expect(streamed).toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('refuses a request without max_tokens with BadRequestError', async () => {
    const failure = await client.messages
      .create({ model: 'mock', messages: [{ role: 'user', content: 'hi' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
    expect((failure as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ error: { type: 'invalid_request_error', message: "'max_tokens' is required." } });
  });

  it('counts tokens and lists models in Anthropic shape, leaving /v1/models to OpenAI clients', async () => {
    const counted = await client.messages.countTokens({ model: 'mock', messages: [{ role: 'user', content: 'x'.repeat(400) }] });
    expect(counted.input_tokens).toBe(100);
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.map((model) => model.id)).toEqual(expect.arrayContaining(['mock-1', 'mock-reasoning']));
    expect(models[0]).toMatchObject({ type: 'model', display_name: expect.any(String), created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const openai = (await (await fetch(`${services.gatewayUrl}/v1/models`)).json()) as { object: string };
    expect(openai.object).toBe('list');
  });

  it('serves the same surface under /llm/anthropic', async () => {
    const prefixed = new Anthropic({ baseURL: `${services.gatewayUrl}/llm/anthropic`, apiKey: 'x', maxRetries: 0 });
    const message = await prefixed.messages.stream({ model: 'mock', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
    expect(message.content[0]).toMatchObject({ type: 'text' });
  });
});
