import { readFileSync } from 'node:fs';
import type { AggregatedResponse } from '../aggregate-events.js';
import { buildAnthropicMessage } from './build-anthropic-message.js';

const base: AggregatedResponse = {
  id: 'chatcmpl-1',
  model: 'served-model',
  provider: 'openai-compatible',
  endpoint: 'x',
  attempts: 1,
  text: '',
  reasoning: '',
  redactedReasoning: [],
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 0, outputTokens: 0 },
};
const options = { messageId: 'msg_1', requestModel: 'asked-model', inputTokensEstimate: 9 };

describe('buildAnthropicMessage', () => {
  it('keeps redacted thinking, after the thinking and before the text, as the stream does', () => {
    const message = buildAnthropicMessage(
      { ...base, reasoning: 'Hmm.', reasoningSignature: 'sig', redactedReasoning: ['EmwKAhgBEgy3', 'EmwKAhgBEgy4'], text: 'Done.' },
      options,
    );
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Hmm.', signature: 'sig' },
      { type: 'redacted_thinking', data: 'EmwKAhgBEgy3' },
      { type: 'redacted_thinking', data: 'EmwKAhgBEgy4' },
      { type: 'text', text: 'Done.' },
    ]);
  });

  it('has the keys of a recorded Anthropic message', () => {
    const recorded = JSON.parse(
      readFileSync(new URL('../../../../../test/fixtures/protocols/anthropic-messages/messages-text.response.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const built = buildAnthropicMessage({ ...base, text: 'Hello!', usage: { inputTokens: 12, outputTokens: 29 } }, options);
    expect(built).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'served-model',
      content: [{ type: 'text', text: 'Hello!' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 29 },
    });
    expect(Object.keys(built).sort()).toEqual(Object.keys(recorded).sort());
    expect(Object.keys(built.usage)).toEqual(expect.arrayContaining(['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'output_tokens']));
  });

  it('orders thinking, text and tool_use blocks, parses arguments into input, and stops with tool_use', () => {
    const built = buildAnthropicMessage(
      {
        ...base,
        reasoning: 'Think.',
        reasoningSignature: 'sig',
        text: 'Calling.',
        toolCalls: [
          { id: 'call:1', name: 'ls', arguments: '{"path":"."}' },
          { id: 'call_2', name: 'pwd', arguments: '' },
        ],
        finishReason: 'tool_calls',
        usage: { inputTokens: 50, outputTokens: 5, cacheReadTokens: 20 },
      },
      options,
    );
    expect(built.content).toEqual([
      { type: 'thinking', thinking: 'Think.', signature: 'sig' },
      { type: 'text', text: 'Calling.' },
      { type: 'tool_use', id: 'call_1', name: 'ls', input: { path: '.' } },
      { type: 'tool_use', id: 'call_2', name: 'pwd', input: {} },
    ]);
    expect(built).toMatchObject({ stop_reason: 'tool_use', stop_sequence: null, usage: { input_tokens: 30, cache_read_input_tokens: 20 } });
  });

  it('names the stop sequence, maps length, and estimates usage and model when the upstream gave none', () => {
    expect(buildAnthropicMessage({ ...base, text: 'a', stopSequence: 'END' }, options)).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
    const cut = buildAnthropicMessage({ ...base, model: '', text: 'x'.repeat(8), finishReason: 'length' }, options);
    expect(cut).toMatchObject({ model: 'asked-model', stop_reason: 'max_tokens', usage: { input_tokens: 9, output_tokens: 2 } });
  });
});
