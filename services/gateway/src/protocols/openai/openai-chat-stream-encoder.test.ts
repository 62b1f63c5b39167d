import { OpenAIChatStreamEncoder } from './openai-chat-stream-encoder.js';

function frames(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => frame.replace(/^data: /, ''))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

describe('OpenAIChatStreamEncoder', () => {
  const created = 1_700_000_000;

  it('streams a tool call by index and finishes as tool_calls even when the upstream said stop', () => {
    const encoder = new OpenAIChatStreamEncoder({ upstreamId: 'abc', model: 'm', created, includeUsage: false });
    const out = [
      encoder.encode({ type: 'start', id: 'abc', model: 'gpt-x' }),
      encoder.encode({ type: 'tool-call-start', index: 0, id: 'call_1', name: 'look' }),
      encoder.encode({ type: 'tool-call-delta', index: 0, argumentsDelta: '{"q":' }),
      encoder.encode({ type: 'tool-call-delta', index: 0, argumentsDelta: '1}' }),
      encoder.encode({ type: 'tool-call-end', index: 0 }),
      encoder.encode({ type: 'finish', reason: 'stop' }),
      encoder.encode({ type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } }),
      encoder.end(),
    ].join('');
    const parsed = frames(out) as Array<{ choices: Array<{ delta: unknown; finish_reason: string | null }>; model: string; id: string }>;
    expect(parsed.at(-1)).toBe('[DONE]');
    expect(parsed[0]).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-x', created, choices: [{ delta: { role: 'assistant', content: '' } }] });
    expect(parsed[1]?.choices[0]?.delta).toEqual({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'look', arguments: '' } }] });
    expect(parsed[2]?.choices[0]?.delta).toEqual({ tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] });
    expect(parsed[4]?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
    expect(parsed).toHaveLength(6);
    expect(new Set(parsed.slice(0, -1).map((chunk) => chunk.id)).size).toBe(1);
  });

  it('sends the usage chunk last, only when asked, even if usage came after finish', () => {
    const encoder = new OpenAIChatStreamEncoder({ upstreamId: 'chatcmpl-1', model: 'm', created, includeUsage: true });
    const out = [
      encoder.encode({ type: 'start', id: 'chatcmpl-1', model: 'm' }),
      encoder.encode({ type: 'text-delta', text: 'Hi' }),
      encoder.encode({ type: 'finish', reason: 'length' }),
      encoder.encode({ type: 'usage', usage: { inputTokens: 10, outputTokens: 2, cacheReadTokens: 4 } }),
      encoder.end(),
    ].join('');
    const parsed = frames(out) as Array<Record<string, unknown>>;
    expect(parsed[0]).toMatchObject({ id: 'chatcmpl-1', usage: null });
    expect(parsed[2]).toMatchObject({ choices: [{ finish_reason: 'length' }] });
    expect(parsed[3]).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created,
      model: 'm',
      choices: [],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 2,
        total_tokens: 12,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(parsed[4]).toBe('[DONE]');
  });

  it('ends a failed stream with an in-band error object and no [DONE]', () => {
    const encoder = new OpenAIChatStreamEncoder({ upstreamId: '', model: 'm', created, includeUsage: false });
    const out = encoder.error({ kind: 'unavailable', status: 503, message: 'upstream went away' });
    expect(frames(out)).toEqual([{ error: { message: 'upstream went away', type: 'server_error', param: null, code: null } }]);
  });

  it.each([false, true])('writes each chunk as JSON.stringify writes it, byte for byte (include_usage %s)', (includeUsage) => {
    const encoder = new OpenAIChatStreamEncoder({ upstreamId: 'chatcmpl-up"1', model: 'asked', created, includeUsage, choice: 2 });
    const chunk = (model: string, delta: unknown, finish: string | null) =>
      `data: ${JSON.stringify({
        id: 'chatcmpl-up"1',
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 2, delta, logprobs: null, finish_reason: finish }],
        ...(includeUsage ? { usage: null } : {}),
      })}\n\n`;
    expect(encoder.encode({ type: 'start', id: 'chatcmpl-up"1', model: 'served \\ "model" é' })).toBe(chunk('served \\ "model" é', { role: 'assistant', content: '' }, null));
    expect(encoder.encode({ type: 'text-delta', text: 'line\n"quoted" 🐱 \u2028' })).toBe(chunk('served \\ "model" é', { content: 'line\n"quoted" 🐱 \u2028' }, null));
    expect(encoder.encode({ type: 'reasoning-delta', text: 'hm' })).toBe(chunk('served \\ "model" é', { reasoning_content: 'hm' }, null));
    expect(encoder.encode({ type: 'finish', reason: 'length' })).toBe(chunk('served \\ "model" é', {}, 'length'));
  });
});
