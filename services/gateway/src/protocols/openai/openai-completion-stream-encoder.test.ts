import { readFileSync } from 'node:fs';
import type { StreamEvent } from '@nachos/plugin-sdk';
import { OpenAICompletionStreamEncoder } from './openai-completion-stream-encoder.js';

const recorded = readFileSync(new URL('../../../../../test/fixtures/protocols/openai-completions/completions-stream-usage.sse', import.meta.url), 'utf8');

function payloads(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => frame.replace(/^data: /, ''))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

/** The recorded text pieces, as canonical text deltas. */
function recordedDeltas(): StreamEvent[] {
  return (payloads(recorded) as Array<{ choices?: Array<{ text: string }> }>)
    .flatMap((chunk) => chunk.choices ?? [])
    .map((choice) => ({ type: 'text-delta', text: choice.text }));
}

describe('OpenAICompletionStreamEncoder', () => {
  const created = 1_759_118_173;

  it('reproduces the recorded stream byte for byte: finish on the last text chunk, then usage, then [DONE]', () => {
    const encoder = new OpenAICompletionStreamEncoder({ id: 'cmpl-CKzHhit4D82m3cp2zRTC2fpTNlJCX', model: 'babbage-002', created, includeUsage: true });
    const events: StreamEvent[] = [
      { type: 'start', id: 'upstream-1', model: 'babbage:2023-07-21-v2' },
      ...recordedDeltas(),
      { type: 'finish', reason: 'length' },
      { type: 'usage', usage: { inputTokens: 31, outputTokens: 25 } },
    ];
    const out = events.map((event) => encoder.encode(event)).join('') + encoder.end();
    expect(out).toBe(recorded.replace(/\n+$/, '\n\n'));
  });

  it('sends no usage chunk and no usage key unless asked', () => {
    const encoder = new OpenAICompletionStreamEncoder({ id: 'cmpl-1', model: 'm', created, includeUsage: false });
    const out = [
      encoder.encode({ type: 'start', id: 'x', model: 'm' }),
      encoder.encode({ type: 'text-delta', text: 'Hi' }),
      encoder.encode({ type: 'finish', reason: 'stop' }),
      encoder.encode({ type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } }),
      encoder.end(),
    ].join('');
    expect(payloads(out)).toEqual([
      { id: 'cmpl-1', object: 'text_completion', created, choices: [{ text: 'Hi', index: 0, logprobs: null, finish_reason: 'stop' }], model: 'm' },
      '[DONE]',
    ]);
  });

  it('sends the echoed prompt first and an empty finishing chunk when no text came', () => {
    const encoder = new OpenAICompletionStreamEncoder({ id: 'cmpl-1', model: 'm', created, includeUsage: false, echoedPrompt: 'Say: ' });
    const out = encoder.encode({ type: 'finish', reason: 'tool_calls' }) + encoder.end();
    expect(payloads(out)).toEqual([
      expect.objectContaining({ choices: [{ text: 'Say: ', index: 0, logprobs: null, finish_reason: 'stop' }] }),
      '[DONE]',
    ]);
    const empty = new OpenAICompletionStreamEncoder({ id: 'cmpl-2', model: 'm', created, includeUsage: false });
    expect(payloads(empty.end())[0]).toMatchObject({ choices: [{ text: '', finish_reason: 'stop' }] });
  });

  it('on a failure sends the text that had arrived, then the error object, and no [DONE]', () => {
    const encoder = new OpenAICompletionStreamEncoder({ id: 'cmpl-1', model: 'm', created, includeUsage: false });
    const out = encoder.encode({ type: 'text-delta', text: 'Half' }) + encoder.error({ kind: 'unavailable', status: 503, message: 'upstream went away' });
    expect(payloads(out)).toEqual([
      expect.objectContaining({ choices: [{ text: 'Half', index: 0, logprobs: null, finish_reason: null }] }),
      { error: { message: 'upstream went away', type: 'server_error', param: null, code: null } },
    ]);
  });
});
