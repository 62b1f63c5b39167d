import { readFileSync } from 'node:fs';
import { ProviderError, type StreamEvent } from '@nachos/plugin-sdk';
import { assertEventGrammar, collectEvents, joinToolCalls, randomOffsets, splitAt, toAsyncChunks } from '@nachos/plugin-sdk/testing';
import { convertAnthropicMessage, convertAnthropicStream } from './anthropic-stream-to-events.js';

const FIXTURES = new URL('../../../test/fixtures/protocols/anthropic-messages/', import.meta.url);

function fixture(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES));
}

/** Converts a recorded body, cut into network chunks at seeded random offsets. */
async function convert(body: Uint8Array | string, seed = 1): Promise<StreamEvent[]> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const chunks = splitAt(bytes, randomOffsets(bytes.length, 40, seed));
  return collectEvents(convertAnthropicStream(toAsyncChunks(chunks), { requestModel: 'requested-model' }));
}

async function conversionError(body: string): Promise<ProviderError> {
  const error: unknown = await convert(body).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!ProviderError.isInstance(error)) {
    throw new Error(`expected a ProviderError, got ${String(error)}`);
  }
  return error;
}

describe('convertAnthropicStream on recorded streams', () => {
  it('turns a text stream into start, text, finish and usage, skipping pings', async () => {
    for (const seed of [1, 2, 3]) {
      expect(await convert(fixture('messages-stream-text.sse'), seed)).toEqual([
        { type: 'start', id: 'msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK', model: 'claude-opus-4-8' },
        { type: 'text-delta', text: 'Hello' },
        { type: 'text-delta', text: ' there' },
        { type: 'text-delta', text: '!' },
        { type: 'finish', reason: 'stop' },
        { type: 'usage', usage: { inputTokens: 11, outputTokens: 6 } },
      ]);
    }
  });

  it('streams a tool call after text, numbering it from 0 although its block index is 1', async () => {
    const events = await convert(fixture('messages-stream-tooluse.sse'));
    assertEventGrammar(events);
    expect(events.filter((event) => event.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', index: 0, id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"locati' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'on": "P' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'ar' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'is"}' },
      { type: 'tool-call-end', index: 0 },
    ]);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 377, outputTokens: 65, cacheReadTokens: 0, cacheWriteTokens: 0 } },
    ]);
  });

  it('assembles the fine-grained arguments of the documented tool-use stream', async () => {
    const events = await convert(fixture('messages-stream-tooluse-docs.sse'));
    assertEventGrammar(events);
    const [call] = joinToolCalls(events);
    expect(call?.name).toBe('get_weather');
    expect(JSON.parse(call?.arguments ?? '')).toEqual({ location: 'San Francisco, CA', unit: 'fahrenheit' });
  });

  it('gives a tool that streamed only an empty input the arguments {}', async () => {
    const events = await convert(fixture('messages-stream-tool-no-args.sse'));
    assertEventGrammar(events);
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList', arguments: '{}' }]);
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('streams thinking as reasoning, then its signature as its own delta, then the answer', async () => {
    const events = await convert(fixture('messages-stream-thinking.sse'));
    assertEventGrammar(events);
    const reasoning = events.filter((event) => event.type === 'reasoning-delta');
    expect(reasoning.map((event) => event.text).join('')).toBe('The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185');
    expect(reasoning.at(-1)).toEqual({ type: 'reasoning-delta', text: '', signature: expect.stringMatching(/^EvQBCkYICxgCKkAx.*BgB$/) });
    expect(events.filter((event) => event.type === 'text-delta').map((event) => event.text).join('')).toBe('925 ÷ 5 = 185');
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 69, outputTokens: 53, cacheReadTokens: 0, cacheWriteTokens: 0 } });
  });

  it('takes input tokens from message_delta when a compatible host only knows them at the end', async () => {
    const events = await convert(fixture('messages-stream-delta-input-tokens.sse'));
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 61, outputTokens: 2 } });
    expect(events[0]).toEqual({ type: 'start', id: 'msg_3196a1cc08de4d76b85b8f5777c0d42b', model: 'claude-opus-4-5-20251101' });
  });

  it('throws an in-stream overloaded error as a retryable unavailable error', async () => {
    const error = await conversionError(fixture('messages-stream-error-event.sse').toString('utf8'));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toBe('Overloaded');
    expect(error.isRetryable).toBe(true);
  });
});

describe('convertAnthropicStream on edge cases', () => {
  const start = 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"claude-x","usage":{"input_tokens":5,"cache_read_input_tokens":100,"cache_creation_input_tokens":20,"output_tokens":1}}}\n\n';

  it('adds cache reads and writes to the input total, and reports thinking tokens', async () => {
    const events = await convert(
      `${start}event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":40,"output_tokens_details":{"thinking_tokens":30}}}\n\n`,
    );
    expect(events.at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 125, outputTokens: 40, cacheReadTokens: 100, cacheWriteTokens: 20, reasoningTokens: 30 },
    });
  });

  it.each([
    ['max_tokens', null, { reason: 'length' }],
    ['model_context_window_exceeded', null, { reason: 'length' }],
    ['refusal', null, { reason: 'content_filter' }],
    ['pause_turn', null, { reason: 'stop' }],
    ['stop_sequence', 'END', { reason: 'stop', stopSequence: 'END' }],
  ])('maps stop_reason %s', async (stopReason, stopSequence, expected) => {
    const delta = JSON.stringify({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: stopSequence }, usage: { output_tokens: 3 } });
    const events = await convert(`${start}data: ${delta}\n\n`);
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', ...expected });
  });

  it('passes redacted thinking on as it came', async () => {
    const events = await convert(
      `${start}data: {"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy"}}\n\ndata: {"type":"content_block_stop","index":0}\n\ndata: {"type":"message_stop"}\n\n`,
    );
    expect(events).toContainEqual({ type: 'redacted-reasoning', data: 'EmwKAhgBEgy' });
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('closes a tool call left open when the message ends', async () => {
    const events = await convert(
      `${start}data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"ls","input":{}}}\n\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":3}}\n\n`,
    );
    assertEventGrammar(events);
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'toolu_1', name: 'ls', arguments: '{}' }]);
  });

  it('fails a stream cut off before its stop reason instead of passing a shortened answer as complete', async () => {
    const error = await conversionError(`${start}data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n`);
    expect(error.kind).toBe('unavailable');
  });

  it('fails an empty stream and a stream event that is not JSON', async () => {
    expect((await conversionError('')).kind).toBe('unavailable');
    expect((await conversionError('event: message_start\ndata: {"type":\n\n')).kind).toBe('internal');
  });

  it('maps an in-stream rate limit error to rate_limited', async () => {
    const error = await conversionError(`${start}event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}\n\n`);
    expect(error.kind).toBe('rate_limited');
  });
});

describe('convertAnthropicMessage', () => {
  it('turns the recorded non-streaming message into the events its stream would give', () => {
    const message: unknown = JSON.parse(fixture('messages-text.response.json').toString('utf8'));
    expect(convertAnthropicMessage(message, { requestModel: 'claude-sonnet-4-5' })).toEqual([
      { type: 'start', id: 'msg_01VdEjxAP5ahtHKrrRdNBteQ', model: 'claude-sonnet-4-5-20250929' },
      {
        type: 'text-delta',
        text: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
      },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 29, cacheReadTokens: 0, cacheWriteTokens: 0 } },
    ]);
  });

  it('replays thinking with its signature and a whole tool input', () => {
    const events = convertAnthropicMessage(
      {
        type: 'message',
        id: 'msg_2',
        model: 'claude-x',
        content: [
          { type: 'thinking', thinking: 'Let me look.', signature: 'sig-1' },
          { type: 'tool_use', id: 'toolu_9', name: 'read', input: { path: 'a.txt' } },
        ],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 20 },
      },
      { requestModel: 'claude-x' },
    );
    assertEventGrammar(events);
    expect(events).toEqual([
      { type: 'start', id: 'msg_2', model: 'claude-x' },
      { type: 'reasoning-delta', text: 'Let me look.' },
      { type: 'reasoning-delta', text: '', signature: 'sig-1' },
      { type: 'tool-call-start', index: 0, id: 'toolu_9', name: 'read' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"path":"a.txt"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 20 } },
    ]);
  });

  it('throws an error body as a ProviderError of its type', () => {
    const body: unknown = JSON.parse(fixture('error-529-overloaded.response.json').toString('utf8'));
    expect(() => convertAnthropicMessage(body, { requestModel: 'x' })).toThrow(expect.objectContaining({ kind: 'unavailable' }) as Error);
  });
});
