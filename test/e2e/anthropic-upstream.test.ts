import Anthropic from '@anthropic-ai/sdk';
import { anthropicStreamProblems, parseAnthropicSse } from '../helpers/anthropic-sse-grammar.js';
import { deltaChunk, replyWithChunks, sendJson, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

const TOOLS: Anthropic.Tool[] = [
  { name: 'read_file', input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
];

/** Two parallel calls as OpenAI streams them (the second id is not valid for Anthropic), usage after the finish. */
const PARALLEL_TOOL_CALLS = [
  deltaChunk({ role: 'assistant', content: 'Reading both.' }),
  deltaChunk({ tool_calls: [{ index: 0, id: 'call_a1', type: 'function', function: { name: 'read_file', arguments: '' } }] }),
  deltaChunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":' } }] }),
  deltaChunk({ tool_calls: [{ index: 0, function: { arguments: '"a.txt"}' } }] }),
  deltaChunk({ tool_calls: [{ index: 1, id: 'functions.read_file:1', type: 'function', function: { name: 'read_file', arguments: '{"path":"b.txt"}' } }] }),
  deltaChunk({}, 'tool_calls'),
  { choices: [], usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, prompt_tokens_details: { cached_tokens: 100 } } },
];

describe('Anthropic Messages against an OpenAI-compatible upstream (official @anthropic-ai/sdk)', () => {
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;
  let client: Anthropic;

  beforeAll(async () => {
    upstream = await startScriptedOpenAIUpstream(['scripted-model', 'broken-model', 'dropping-model']);
    // The failure cases get endpoints of their own: llm-proxy cools a key down after failures in a row,
    // which must not leak into the other cases.
    services = await startServices({
      LLM_PROXY_ENDPOINT_UP_URL: upstream.url,
      LLM_PROXY_ENDPOINT_UP_KEY: 'sk-upstream-anthropic-e2e',
      LLM_PROXY_ENDPOINT_UP_MODELS: 'scripted-model',
      LLM_PROXY_ENDPOINT_BROKEN_URL: upstream.url,
      LLM_PROXY_ENDPOINT_BROKEN_MODELS: 'broken-model',
      LLM_PROXY_ENDPOINT_DROPPING_URL: upstream.url,
      LLM_PROXY_ENDPOINT_DROPPING_MODELS: 'dropping-model',
    });
    client = new Anthropic({ baseURL: services.gatewayUrl, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  const chatCalls = () => upstream.requests.filter((request) => request.path === '/v1/chat/completions');

  it('turns parallel OpenAI tool calls into sequential tool_use blocks and replays the round trip upstream', async () => {
    upstream.reply = replyWithChunks(PARALLEL_TOOL_CALLS);
    const question: Anthropic.MessageParam = { role: 'user', content: 'Read a.txt and b.txt' };
    const turn = await client.messages.stream({ model: 'scripted-model', max_tokens: 512, tools: TOOLS, messages: [question] }).finalMessage();
    expect(turn.content).toEqual([
      { type: 'text', text: 'Reading both.' },
      { type: 'tool_use', id: 'call_a1', name: 'read_file', input: { path: 'a.txt' } },
      { type: 'tool_use', id: 'functions_read_file_1', name: 'read_file', input: { path: 'b.txt' } },
    ]);
    expect(turn.stop_reason).toBe('tool_use');
    expect(turn.usage).toMatchObject({ input_tokens: 20, cache_read_input_tokens: 100, output_tokens: 30 });

    const raw = await fetch(`${services.gatewayUrl}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'scripted-model', max_tokens: 512, tools: TOOLS, messages: [question], stream: true }),
    });
    expect(anthropicStreamProblems(parseAnthropicSse(await raw.text()))).toEqual([]);

    upstream.reply = replyWithChunks([deltaChunk({ role: 'assistant', content: 'Both read.' }), deltaChunk({}, 'stop')]);
    const answer = await client.messages.create({
      model: 'scripted-model',
      max_tokens: 512,
      tools: TOOLS,
      messages: [
        question,
        { role: 'assistant', content: turn.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_a1', content: 'alpha' },
            { type: 'tool_result', tool_use_id: 'functions_read_file_1', content: [{ type: 'text', text: 'beta' }] },
          ],
        },
      ],
    });
    expect(answer.content).toEqual([{ type: 'text', text: 'Both read.' }]);
    expect(chatCalls().at(-1)?.body).toMatchObject({
      model: 'scripted-model',
      max_tokens: 512,
      messages: [
        { role: 'user', content: 'Read a.txt and b.txt' },
        {
          role: 'assistant',
          content: 'Reading both.',
          tool_calls: [
            { id: 'call_a1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.txt"}' } },
            { id: 'functions_read_file_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"b.txt"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a1', content: 'alpha' },
        { role: 'tool', tool_call_id: 'functions_read_file_1', content: 'beta' },
      ],
      tools: [{ type: 'function', function: { name: 'read_file', parameters: TOOLS[0]!.input_schema } }],
    });
  });

  it('maps system blocks, sampling and tool_choice onto the upstream request', async () => {
    upstream.reply = replyWithChunks([deltaChunk({ content: 'ok' }), deltaChunk({}, 'stop')]);
    await client.messages.create({
      model: 'scripted-model',
      max_tokens: 100,
      temperature: 0.2,
      stop_sequences: ['END'],
      system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
      tools: TOOLS,
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      metadata: { user_id: 'user-42' },
      messages: [{ role: 'user', content: 'Go' }],
    });
    expect(chatCalls().at(-1)?.body).toMatchObject({
      messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Go' }],
      max_tokens: 100,
      temperature: 0.2,
      stop: ['END'],
      tool_choice: 'required',
      parallel_tool_calls: false,
      user: 'user-42',
    });
  });

  it("raises the SDK's error class when the upstream fails before the first byte", async () => {
    upstream.reply = (_request, response) => sendJson(response, 500, { error: { message: 'upstream exploded', type: 'server_error' } });
    const failure = await client.messages.create({ model: 'broken-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.InternalServerError);
    const body = (failure as InstanceType<typeof Anthropic.InternalServerError>).error as { type: string; error: { type: string; message: string } };
    // A provider 5xx is `unavailable`, the gateway's 503: Anthropic's overloaded_error, which clients retry.
    expect((failure as InstanceType<typeof Anthropic.InternalServerError>).status).toBe(503);
    expect(body).toEqual({ type: 'error', error: { type: 'overloaded_error', message: expect.any(String) }, request_id: expect.any(String) });
    const streamed = await client.messages
      .stream({ model: 'broken-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage()
      .catch((error: unknown) => error);
    expect(streamed).toBeInstanceOf(Anthropic.InternalServerError);
  });

  it('ends the stream with an error event when the upstream drops mid-stream', async () => {
    upstream.reply = replyWithChunks([deltaChunk({ role: 'assistant', content: 'Half' }), deltaChunk({ content: ' an' }), deltaChunk({ content: ' answer' })], {
      dropAfter: 2,
      delayMs: 20,
    });
    const response = await fetch(`${services.gatewayUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'dropping-model', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    expect(response.status).toBe(200);
    const events = parseAnthropicSse(await response.text());
    expect(anthropicStreamProblems(events)).toEqual([]);
    expect(events.at(-1)?.data).toEqual({ type: 'error', error: { type: 'overloaded_error', message: expect.any(String) } });
    expect(events.filter((event) => event.event === 'message_stop')).toEqual([]);

    const failure = await client.messages
      .stream({ model: 'dropping-model', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
  });

  it('cancels the upstream request when the client goes away mid-stream', async () => {
    const words = Array.from({ length: 100 }, (_, index) => deltaChunk({ content: ` w${index}` }));
    upstream.reply = replyWithChunks(words, { delayMs: 50 });
    const before = upstream.closedEarly;
    const stream = await client.messages.create({ model: 'scripted-model', max_tokens: 500, messages: [{ role: 'user', content: 'long' }], stream: true });
    let deltas = 0;
    for await (const event of stream) {
      if (event.type === 'content_block_delta') deltas += 1;
      if (deltas === 3) break;
    }
    const deadline = Date.now() + 1_000;
    while (upstream.closedEarly === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(upstream.closedEarly).toBe(before + 1);
  });

  it('never prints the upstream key', () => {
    expect(services.logs()).not.toContain('sk-upstream-anthropic-e2e');
  });
});
