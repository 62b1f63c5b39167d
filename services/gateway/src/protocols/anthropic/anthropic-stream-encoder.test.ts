import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import type { StreamEvent } from '@nachos/plugin-sdk';
import { anthropicSseFrame } from './anthropic-sse-frame.js';
import { AnthropicStreamEncoder } from './anthropic-stream-encoder.js';

interface Frame {
  event: string;
  data: { type: string; [field: string]: unknown };
}

function parseFrames(text: string): Frame[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((raw) => {
      const [eventLine, dataLine, ...rest] = raw.split('\n');
      expect(rest).toEqual([]);
      expect(eventLine).toMatch(/^event: /);
      expect(dataLine).toMatch(/^data: /);
      return { event: eventLine!.slice('event: '.length), data: JSON.parse(dataLine!.slice('data: '.length)) as Frame['data'] };
    });
}

function encode(events: StreamEvent[], inputTokensEstimate = 12): string {
  const encoder = new AnthropicStreamEncoder({ messageId: 'msg_test', model: 'asked-model', inputTokensEstimate });
  return events.map((event) => encoder.encode(event)).join('') + encoder.end();
}

/** The frames without `message_start` (checked separately), as `[event, payload]` pairs. */
function body(text: string): Array<Frame['data']> {
  return parseFrames(text)
    .slice(1)
    .map((frame) => frame.data);
}

/** Serves a body to the official SDK (its SSE parser and message accumulator), which throws on a malformed stream. */
async function sdkFinalMessage(text: string) {
  const client = new Anthropic({
    apiKey: 'unused',
    maxRetries: 0,
    fetch: async () => new Response(text, { headers: { 'content-type': 'text/event-stream' } }),
  });
  return client.messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
}

const start: StreamEvent = { type: 'start', id: 'chatcmpl-1', model: 'served-model' };

describe('AnthropicStreamEncoder', () => {
  it('streams text in the recorded grammar, every event line naming its payload type', async () => {
    const out = encode([
      start,
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: ' there' },
      { type: 'text-delta', text: '!' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 11, outputTokens: 6 } },
    ]);
    const frames = parseFrames(out);
    expect(frames.every((frame) => frame.event === frame.data.type)).toBe(true);
    expect(frames[0]!.data).toEqual({
      type: 'message_start',
      message: {
        id: 'msg_test',
        type: 'message',
        role: 'assistant',
        model: 'served-model',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
      },
    });
    expect(body(out)).toEqual([
      { type: 'ping' },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' there' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '!' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { input_tokens: 11, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 6 },
      },
      { type: 'message_stop' },
    ]);
    // The same event-type sequence Anthropic itself sent for this answer (its ping came one frame later).
    const recorded = parseFrames(readFileSync(new URL('../../../../../test/fixtures/protocols/anthropic-messages/messages-stream-text.sse', import.meta.url), 'utf8'));
    const withoutPings = (list: Frame[]) => list.filter((frame) => frame.event !== 'ping').map((frame) => frame.event);
    expect(withoutPings(frames)).toEqual(withoutPings(recorded));
    const message = await sdkFinalMessage(out);
    expect(message.content).toEqual([{ type: 'text', text: 'Hello there!' }]);
    expect(message.usage).toMatchObject({ input_tokens: 11, output_tokens: 6 });
  });

  it('closes the text block before a tool block, numbers blocks from 0, and stops with tool_use', async () => {
    const out = encode([
      start,
      { type: 'text-delta', text: "I'll check." },
      { type: 'tool-call-start', index: 0, id: 'call_abc', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"locati' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'on": "Paris"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(body(out)).toEqual([
      { type: 'ping' },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: "I'll check." } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'call_abc', name: 'get_weather', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"locati' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'on": "Paris"}' } },
      { type: 'content_block_stop', index: 1 },
      expect.objectContaining({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null } }),
      { type: 'message_stop' },
    ]);
    const message = await sdkFinalMessage(out);
    expect(message.content[1]).toEqual({ type: 'tool_use', id: 'call_abc', name: 'get_weather', input: { location: 'Paris' } });
    expect(message.stop_reason).toBe('tool_use');
  });

  it('gives a tool call without arguments the input {} and makes foreign ids valid for Anthropic', async () => {
    const out = encode([
      start,
      { type: 'tool-call-start', index: 0, id: 'functions.Bash:0', name: 'Bash' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(body(out).slice(1, 4)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'functions_Bash_0', name: 'Bash', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{}' } },
      { type: 'content_block_stop', index: 0 },
    ]);
    expect((await sdkFinalMessage(out)).content).toEqual([{ type: 'tool_use', id: 'functions_Bash_0', name: 'Bash', input: {} }]);
  });

  it('keeps parallel tool calls in separate, sequential blocks when the upstream ends them only at the finish', async () => {
    const out = encode([
      start,
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'read' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"path":"a"}' },
      { type: 'tool-call-start', index: 1, id: 'call_2', name: 'read' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"path":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '"b"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'tool-call-end', index: 1 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    const blockEvents = body(out).filter((frame) => frame.type.startsWith('content_block'));
    expect(blockEvents.map((frame) => `${frame.type}:${String(frame.index)}`)).toEqual([
      'content_block_start:0',
      'content_block_delta:0',
      'content_block_stop:0',
      'content_block_start:1',
      'content_block_delta:1',
      'content_block_stop:1',
    ]);
    expect(blockEvents[4]).toEqual({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"path":"b"}' } });
    const message = await sdkFinalMessage(out);
    expect(message.content.map((block) => (block.type === 'tool_use' ? block.input : undefined))).toEqual([{ path: 'a' }, { path: 'b' }]);
  });

  it('holds text that arrives while a tool block is open until the tool block has stopped', async () => {
    const out = encode([
      start,
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'read' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"path":' },
      { type: 'text-delta', text: 'Also, ' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"a"}' },
      { type: 'text-delta', text: 'done.' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(body(out).slice(1, -2)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'call_1', name: 'read', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"path":' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '"a"}' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Also, done.' } },
      { type: 'content_block_stop', index: 1 },
    ]);
    expect((await sdkFinalMessage(out)).content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'read', input: { path: 'a' } },
      { type: 'text', text: 'Also, done.' },
    ]);
  });

  it('streams thinking with its signature before the block stops, then the text block', async () => {
    const out = encode([
      start,
      { type: 'reasoning-delta', text: 'The previous result was 925.' },
      { type: 'reasoning-delta', text: ' 925 ÷ 5 = 185' },
      { type: 'reasoning-delta', text: '', signature: 'EvQBCkYICxgC' },
      { type: 'text-delta', text: '185' },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(body(out).slice(1, 9)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'The previous result was 925.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: ' 925 ÷ 5 = 185' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EvQBCkYICxgC' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: '185' } },
      { type: 'content_block_stop', index: 1 },
    ]);
    expect((await sdkFinalMessage(out)).content).toEqual([
      { type: 'thinking', thinking: 'The previous result was 925. 925 ÷ 5 = 185', signature: 'EvQBCkYICxgC' },
      { type: 'text', text: '185' },
    ]);
  });

  it('sends redacted thinking as a whole block', async () => {
    const out = encode([start, { type: 'redacted-reasoning', data: 'opaque' }, { type: 'text-delta', text: 'ok' }, { type: 'finish', reason: 'stop' }]);
    expect(body(out).slice(1, 3)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'redacted_thinking', data: 'opaque' } },
      { type: 'content_block_stop', index: 0 },
    ]);
    expect((await sdkFinalMessage(out)).content[0]).toEqual({ type: 'redacted_thinking', data: 'opaque' });
  });

  it('holds message_delta for usage that arrives after the finish, with input excluding the cache', async () => {
    const out = encode([
      start,
      { type: 'text-delta', text: 'Hi' },
      { type: 'finish', reason: 'length' },
      { type: 'usage', usage: { inputTokens: 100, outputTokens: 2, cacheReadTokens: 60, cacheWriteTokens: 10 } },
    ]);
    const frames = body(out);
    expect(frames.filter((frame) => frame.type === 'message_delta')).toEqual([
      {
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens', stop_sequence: null },
        usage: { input_tokens: 30, cache_creation_input_tokens: 10, cache_read_input_tokens: 60, output_tokens: 2 },
      },
    ]);
    // The block closes at the finish, before the usage arrives; message_delta comes after it.
    expect(frames.map((frame) => frame.type).slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect((await sdkFinalMessage(out)).usage).toMatchObject({ input_tokens: 30, cache_read_input_tokens: 60, output_tokens: 2 });
  });

  it('names the matched stop sequence and maps content_filter to refusal', () => {
    const stopped = body(encode([start, { type: 'text-delta', text: 'a' }, { type: 'finish', reason: 'stop', stopSequence: '###' }]));
    expect(stopped.find((frame) => frame.type === 'message_delta')?.delta).toEqual({ stop_reason: 'stop_sequence', stop_sequence: '###' });
    const refused = body(encode([start, { type: 'finish', reason: 'content_filter' }]));
    expect(refused.find((frame) => frame.type === 'message_delta')?.delta).toEqual({ stop_reason: 'refusal', stop_sequence: null });
  });

  it('estimates usage when the upstream reports none', () => {
    const frames = body(encode([start, { type: 'text-delta', text: 'x'.repeat(40) }, { type: 'finish', reason: 'stop' }], 33));
    expect(frames.find((frame) => frame.type === 'message_delta')?.usage).toEqual({
      input_tokens: 33,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 10,
    });
  });

  it('ends a failed stream with an error event that the SDK raises', async () => {
    const encoder = new AnthropicStreamEncoder({ messageId: 'msg_test', model: 'm', inputTokensEstimate: 1 });
    const out =
      encoder.encode(start) +
      encoder.encode({ type: 'text-delta', text: 'partial' }) +
      encoder.error({ kind: 'unavailable', status: 503, message: 'Upstream overloaded.' });
    const frames = parseFrames(out);
    expect(frames.at(-1)).toEqual({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Upstream overloaded.' } } });
    await expect(sdkFinalMessage(out)).rejects.toMatchObject({ error: { type: 'error', error: { type: 'overloaded_error' } } });
  });

  it('still opens with message_start when the stream carried no start event', async () => {
    const encoder = new AnthropicStreamEncoder({ messageId: 'msg_test', model: 'asked-model', inputTokensEstimate: 1 });
    const frames = parseFrames(encoder.end());
    expect(frames.map((frame) => frame.event)).toEqual(['message_start', 'ping', 'message_delta', 'message_stop']);
    expect(frames[0]?.data).toMatchObject({ message: { model: 'asked-model' } });
  });

  it('writes every delta as anthropicSseFrame writes its payload, byte for byte', () => {
    const encoder = new AnthropicStreamEncoder({ messageId: 'msg_test', model: 'asked-model', inputTokensEstimate: 1 });
    const deltaFrame = (index: number, delta: Record<string, string>) => anthropicSseFrame({ type: 'content_block_delta', index, delta });
    const text = 'line\n"quoted" \\ 🐱 \u2028 é';
    encoder.encode({ type: 'reasoning-delta', text: 'hm' });
    expect(encoder.encode({ type: 'reasoning-delta', text })).toBe(deltaFrame(0, { type: 'thinking_delta', thinking: text }));
    encoder.encode({ type: 'text-delta', text: 'a' });
    expect(encoder.encode({ type: 'text-delta', text })).toBe(deltaFrame(1, { type: 'text_delta', text }));
    expect(encoder.encode({ type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'f' })).toContain(anthropicSseFrame({ type: 'content_block_stop', index: 1 }));
    expect(encoder.encode({ type: 'tool-call-delta', index: 0, argumentsDelta: '{"q":"\\"' })).toBe(deltaFrame(2, { type: 'input_json_delta', partial_json: '{"q":"\\"' }));
    expect(encoder.encode({ type: 'tool-call-start', index: 1, id: 'toolu_2', name: 'g' })).toBe('');
    const closing = encoder.encode({ type: 'finish', reason: 'tool_calls' });
    expect(closing).toContain(deltaFrame(3, { type: 'input_json_delta', partial_json: '{}' }));
  });

  it('sends a thinking block’s whole signature as anthropicSseFrame writes it, byte for byte', () => {
    const encoder = new AnthropicStreamEncoder({ messageId: 'msg_test', model: 'asked-model', inputTokensEstimate: 1 });
    encoder.encode({ type: 'reasoning-delta', text: 'hm', signature: 'sig/"1"' });
    expect(encoder.encode({ type: 'text-delta', text: 'a' })).toContain(
      anthropicSseFrame({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig/"1"' } }),
    );
  });
});
