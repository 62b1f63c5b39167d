import { readFileSync } from 'node:fs';
import { anthropicStreamProblems, parseAnthropicSse } from '../helpers/anthropic-sse-grammar.js';
import { deltaChunk, replyWithChunks, startScriptedOpenAIUpstream, type ScriptedOpenAIUpstream } from '../helpers/scripted-openai-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

interface RecordedClientRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: { messages: unknown[]; metadata: { user_id: string }; [field: string]: unknown };
}

function fixture(name: string): RecordedClientRequest {
  return JSON.parse(readFileSync(new URL(`../fixtures/clients/claude-code/${name}`, import.meta.url), 'utf8')) as RecordedClientRequest;
}

/** The upstream turn that made Claude Code call its Read tool, with an id Anthropic clients would refuse. */
const READ_TOOL_CALL = [
  deltaChunk({ role: 'assistant', content: 'Let me read it.' }),
  deltaChunk({ tool_calls: [{ index: 0, id: 'functions.Read:0', type: 'function', function: { name: 'Read', arguments: '' } }] }),
  deltaChunk({ tool_calls: [{ index: 0, function: { arguments: '{"file_path":' } }] }),
  deltaChunk({ tool_calls: [{ index: 0, function: { arguments: '"/tmp/cc-work/hello.txt"}' } }] }),
  deltaChunk({}, 'tool_calls'),
  { choices: [], usage: { prompt_tokens: 10, completion_tokens: 12, total_tokens: 22 } },
];

describe('requests recorded from Claude Code, replayed through both services', () => {
  let upstream: ScriptedOpenAIUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    upstream = await startScriptedOpenAIUpstream(['fake-model']);
    services = await startServices({ LLM_PROXY_ENDPOINT_UP_URL: upstream.url, LLM_PROXY_ENDPOINT_UP_MODELS: 'fake-model' });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  async function replay(recorded: RecordedClientRequest) {
    const response = await fetch(`${services.gatewayUrl}${recorded.path}`, {
      method: recorded.method,
      headers: recorded.headers,
      body: JSON.stringify(recorded.body),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseAnthropicSse(await response.text());
    expect(anthropicStreamProblems(events)).toEqual([]);
    const upstreamBody = upstream.requests.filter((request) => request.path === '/v1/chat/completions').at(-1)?.body as Record<string, unknown>;
    return { events, upstreamBody };
  }

  it('answers the first request of a session, keeping the mid-conversation system turn in place', async () => {
    upstream.reply = replyWithChunks([deltaChunk({ role: 'assistant', content: 'Hi!' }), deltaChunk({ content: ' How can I help?' }), deltaChunk({}, 'stop')]);
    const recorded = fixture('say-hi.request.json');
    const { events, upstreamBody } = await replay(recorded);
    const text = events.flatMap((event) => (event.event === 'content_block_delta' ? [(event.data.delta as { text?: string }).text ?? ''] : [])).join('');
    expect(text).toBe('Hi! How can I help?');
    expect(events.at(-2)?.data).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'end_turn' } });

    const messages = upstreamBody.messages as Array<{ role: string; content: unknown }>;
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'system']);
    expect(messages[1]?.content).toEqual([expect.objectContaining({ type: 'text' }), { type: 'text', text: 'say hi' }]);
    expect(upstreamBody).toMatchObject({ model: 'fake-model', max_tokens: 32000, stream: true, user: recorded.body.metadata.user_id });
    expect((upstreamBody.tools as unknown[]).length).toBe(24);
    // Anthropic-only fields (adaptive thinking, effort, context management) do not reach an OpenAI-style upstream.
    expect(upstreamBody).not.toHaveProperty('thinking');
    expect(upstreamBody).not.toHaveProperty('output_config');
    expect(upstreamBody).not.toHaveProperty('context_management');
  });

  it('runs the recorded Read tool loop: a sanitised tool_use id, then the tool_result paired with it upstream', async () => {
    upstream.reply = replyWithChunks(READ_TOOL_CALL);
    const first = await replay(fixture('read-file-turn-1.request.json'));
    const toolStart = first.events.find((event) => event.event === 'content_block_start' && (event.data.content_block as { type: string }).type === 'tool_use');
    expect(toolStart?.data).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'functions_Read_0', name: 'Read', input: {} },
    });
    expect(first.events.at(-2)?.data).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 12 } });

    upstream.reply = replyWithChunks([deltaChunk({ role: 'assistant', content: 'The file says hello.' }), deltaChunk({}, 'stop')]);
    const second = await replay(fixture('read-file-turn-2.request.json'));
    expect(second.events.at(-2)?.data).toMatchObject({ delta: { stop_reason: 'end_turn' } });
    const messages = second.upstreamBody.messages as Array<Record<string, unknown>>;
    expect(messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: 'Let me read it.',
        tool_calls: [{ id: 'functions_Read_0', type: 'function', function: { name: 'Read', arguments: '{"file_path":"/tmp/cc-work/hello.txt"}' } }],
      },
      { role: 'tool', tool_call_id: 'functions_Read_0', content: '1\thello from a file\n2\t' },
    ]);
  });
});
