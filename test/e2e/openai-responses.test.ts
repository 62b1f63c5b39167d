import OpenAI from 'openai';
import type { FunctionTool, ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { FAILS_AT_ONCE, FAILS_MID_STREAM, startFailingOpenAIUpstream, type FakeFailingUpstream } from '../helpers/fake-failing-openai-upstream.js';
import { parseResponsesSse, responsesStreamProblems } from '../helpers/responses-sse-grammar.js';
import { deltaChunk, replyWithChunks, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

const WEATHER: FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Get the weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
};

/** What the OpenAI SDK throws, or nothing. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('OpenAI Responses API through both services (official openai SDK)', () => {
  let broken: FakeFailingUpstream;
  let scripted: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    broken = await startFailingOpenAIUpstream();
    scripted = await startScriptedOpenAIUpstream(['scripted-model']);
    services = await startServices({
      LLM_PROXY_ENDPOINT_MOCK_URL: 'http://127.0.0.1:9',
      LLM_PROXY_ENDPOINT_MOCK_PROVIDER: 'mock',
      LLM_PROXY_ENDPOINT_BROKEN_URL: broken.url,
      LLM_PROXY_ENDPOINT_BROKEN_MODELS: `${FAILS_AT_ONCE},${FAILS_MID_STREAM}`,
      LLM_PROXY_ENDPOINT_SCRIPTED_URL: scripted.url,
      LLM_PROXY_ENDPOINT_SCRIPTED_MODELS: 'scripted-model',
    });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await broken?.close();
    await scripted?.close();
  });

  it('answers a response object with a message item, output_text and usage', async () => {
    const response = await client.responses.create({ model: 'mock', instructions: 'Be brief.', input: 'Hello there' });
    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'mock-1', instructions: 'Be brief.', error: null, incomplete_details: null });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: response.output_text, annotations: [], logprobs: [] }],
      },
    ]);
    expect(response.output_text).toMatch(/^Mock reply to: Hello there/);
    expect(response.usage).toEqual({
      input_tokens: 4,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 16,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 20,
    });
  });

  it('streams with responses.stream: created, in_progress, the item events, then completed', async () => {
    const stream = client.responses.stream({ model: 'mock', input: 'Stream please', max_output_tokens: 200 });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array<string>(16).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const deltas = events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : []));
    expect(final.output_text).toBe(deltas.join(''));
    expect(final).toMatchObject({ status: 'completed', max_output_tokens: 200, usage: { output_tokens: 16 } });
  });

  it('streams reasoning as summary events with create({stream: true})', async () => {
    const stream = await client.responses.create({ model: 'mock-reasoning', input: 'Think about it', reasoning: { effort: 'low' }, stream: true });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((event) => event.type);
    expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.reasoning_summary_part.added']);
    expect(types).toContain('response.reasoning_summary_text.done');
    expect(types.at(-1)).toBe('response.completed');
    const summary = events.flatMap((event) => (event.type === 'response.reasoning_summary_text.delta' ? [event.delta] : [])).join('');
    expect(summary).toBe('Considering the request: Think about it');
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error('no response.completed');
    expect(completed.response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(completed.response.reasoning).toMatchObject({ effort: 'low' });
    expect(completed.response.usage?.output_tokens_details.reasoning_tokens).toBe(6);
  });

  it('sends a well-formed stream for reasoning followed by a tool call', async () => {
    const raw = await fetch(`${services.gatewayUrl}/v1/responses`, {
      method: 'POST',
      body: JSON.stringify({ model: 'mock-reasoning', input: 'Weather in Paris?', tools: [WEATHER], stream: true }),
    });
    expect(raw.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = parseResponsesSse(await raw.text());
    expect(responsesStreamProblems(events)).toEqual([]);
    expect((events.at(-1)?.data.response as { output: Array<{ type: string }> }).output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
  });

  it('runs a function-call round trip keyed by call_id, the item id apart', async () => {
    const question: ResponseInputItem = { role: 'user', content: 'What is the weather in Paris?' };
    const first = await client.responses.create({ model: 'mock', input: [question], tools: [WEATHER] });
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('no function call');
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"mock"}', status: 'completed' });
    expect(call.call_id).toMatch(/^call_mock_/);
    expect(call.id).toMatch(/^fc_/);
    expect(first.status).toBe('completed');

    const second = await client.responses.create({
      model: 'mock',
      tools: [WEATHER],
      input: [question, ...(first.output as ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: 'Sunny, 21 °C' }],
    });
    expect(second.output.map((item) => item.type)).toEqual(['message']);
    expect(second.output_text).toMatch(/^Mock reply to: What is the weather in Paris\?/);
  });

  it('sends the round trip upstream as chat tool calls and tool results under the same call_id', async () => {
    scripted.reply = replyWithChunks([
      deltaChunk({ role: 'assistant', content: '' }),
      deltaChunk({ tool_calls: [{ index: 0, id: 'call_up_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }] }),
      deltaChunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      deltaChunk({}, 'tool_calls'),
    ]);
    const stream = client.responses.stream({ model: 'scripted-model', instructions: 'Use tools.', input: 'Weather in Paris?', tools: [WEATHER], tool_choice: 'required' });
    const first = await stream.finalResponse();
    // The SDK adds `parsed_arguments` for strict tools; the wire item is the rest.
    expect(first.output).toMatchObject([
      { id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'completed', arguments: '{"city":"Paris"}', call_id: 'call_up_1', name: 'get_weather' },
    ]);

    scripted.reply = replyWithChunks([deltaChunk({ role: 'assistant', content: 'It is sunny.' }), deltaChunk({}, 'stop')]);
    const second = await client.responses.create({
      model: 'scripted-model',
      instructions: 'Use tools.',
      tools: [WEATHER],
      input: [{ role: 'user', content: 'Weather in Paris?' }, ...(first.output as ResponseInputItem[]), { type: 'function_call_output', call_id: 'call_up_1', output: 'Sunny' }],
    });
    expect(second.output_text).toBe('It is sunny.');
    expect(scripted.requests.at(-1)?.body).toMatchObject({
      model: 'scripted-model',
      messages: [
        { role: 'system', content: 'Use tools.' },
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', tool_calls: [{ id: 'call_up_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_up_1', content: 'Sunny' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: WEATHER.parameters, strict: true } }],
    });
  });

  it('reports an answer cut short as incomplete with the reason', async () => {
    const response = await client.responses.create({ model: 'mock', input: 'Go on', max_output_tokens: 3 });
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output_text: 'Mock reply to:' });
    const events: ResponseStreamEvent[] = [];
    for await (const event of await client.responses.create({ model: 'mock', input: 'Go on', max_output_tokens: 3, stream: true })) events.push(event);
    expect(events.at(-1)?.type).toBe('response.incomplete');
  });

  it("answers without built-in tools it cannot run, naming them; refuses OpenAI's conversation objects with a BadRequestError and an unknown previous response with a NotFoundError", async () => {
    const search = await client.responses.create({ model: 'mock', input: 'Search the web', tools: [{ type: 'web_search' }] }).withResponse();
    expect(search.data.status).toBe('completed');
    expect(search.response.headers.get('x-nachos-ignored-fields')).toBe('tools[type=web_search]');

    const previous = await failure(client.responses.create({ model: 'mock', input: 'And then?', previous_response_id: 'resp_123' }));
    expect(previous).toBeInstanceOf(OpenAI.NotFoundError);
    expect((previous as Error).message).toContain("Response with id 'resp_123' not found.");
    const conversation = await failure(client.responses.create({ model: 'mock', input: 'And then?', conversation: 'conv_1' }));
    expect(conversation).toBeInstanceOf(OpenAI.BadRequestError);
    expect((conversation as Error).message).toContain('previous_response_id');

    const stored = await failure(client.responses.retrieve('resp_123'));
    expect(stored).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('answers an unknown model with a NotFoundError, streaming or not', async () => {
    const plain = await failure(client.responses.create({ model: 'no-such-model', input: 'Hi' }));
    expect(plain).toBeInstanceOf(OpenAI.NotFoundError);
    const streamed = await failure(client.responses.stream({ model: 'no-such-model', input: 'Hi' }).finalResponse());
    expect(streamed).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("raises the SDK's error when the upstream fails before the first byte", async () => {
    const plain = await failure(client.responses.create({ model: FAILS_AT_ONCE, input: 'Hi' }));
    expect(plain).toBeInstanceOf(OpenAI.APIError);
    expect((plain as InstanceType<typeof OpenAI.APIError>).status).toBeGreaterThanOrEqual(500);
    const streamed = await failure(client.responses.stream({ model: FAILS_AT_ONCE, input: 'Hi' }).finalResponse());
    expect(streamed).toBeInstanceOf(OpenAI.APIError);
    expect((streamed as InstanceType<typeof OpenAI.APIError>).status).toBeGreaterThanOrEqual(500);
  });

  it("raises the SDK's error mid-stream, after the deltas that arrived, with error then response.failed on the wire", async () => {
    const deltas: string[] = [];
    const midStream = await failure(
      (async () => {
        for await (const event of await client.responses.create({ model: FAILS_MID_STREAM, input: 'Hi', stream: true })) {
          if (event.type === 'response.output_text.delta') deltas.push(event.delta);
        }
      })(),
    );
    expect(deltas.join('')).toBe('Half an');
    expect(midStream).toBeInstanceOf(OpenAI.APIError);
    expect((midStream as Error).message).toMatch(/upstream/i);

    const raw = await fetch(`${services.gatewayUrl}/v1/responses`, { method: 'POST', body: JSON.stringify({ model: FAILS_MID_STREAM, input: 'Hi', stream: true }) });
    const events = parseResponsesSse(await raw.text());
    expect(responsesStreamProblems(events)).toEqual([]);
    expect(events.slice(-2).map((event) => event.event)).toEqual(['error', 'response.failed']);
    expect(events.at(-1)?.data.response).toMatchObject({ status: 'failed', error: { code: 'server_error', message: expect.stringMatching(/upstream/i) } });
  });

  it('cancels the upstream request when the client stops reading mid-stream', async () => {
    const words = Array.from({ length: 100 }, (_, index) => deltaChunk({ content: ` w${index}` }));
    scripted.reply = replyWithChunks([deltaChunk({ role: 'assistant', content: '' }), ...words, deltaChunk({}, 'stop')], { delayMs: 30 });
    const before = scripted.closedEarly;
    const stream = await client.responses.create({ model: 'scripted-model', input: 'Long answer', stream: true });
    let received = 0;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') received += 1;
      if (received === 3) break;
    }
    const deadline = Date.now() + 1_000;
    while (scripted.closedEarly === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(scripted.closedEarly).toBe(before + 1);
  });
});
