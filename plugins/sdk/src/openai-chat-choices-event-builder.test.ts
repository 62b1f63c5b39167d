import { OpenAIChatChoicesEventBuilder } from './openai-chat-choices-event-builder.js';
import type { StreamEvent } from './stream-event.js';
import { assertEventGrammar } from './testing/assert-event-grammar.js';

const chunk = (index: number, delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'chatcmpl-1',
  model: 'gpt-4o',
  choices: [{ index, delta, finish_reason: finish }],
});

describe('OpenAIChatChoicesEventBuilder', () => {
  it('reads interleaved choices into one start, choice events at each change, a finish per choice and the usage', () => {
    const builder = new OpenAIChatChoicesEventBuilder({ requestModel: 'gpt-4o', providerId: 'openai' });
    const events: StreamEvent[] = [
      ...builder.accept(chunk(0, { role: 'assistant', content: '' })),
      ...builder.accept(chunk(1, { role: 'assistant', content: '' })),
      ...builder.accept(chunk(0, { content: 'A' })),
      ...builder.accept(chunk(1, { tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{}' } }] })),
      ...builder.accept(chunk(0, {}, 'stop')),
      ...builder.accept({ id: 'chatcmpl-1', model: 'gpt-4o', choices: [], usage: { prompt_tokens: 5, completion_tokens: 4 } }),
      ...builder.end(),
    ];
    expect(events).toEqual([
      { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o' },
      { type: 'text-delta', text: 'A' },
      { type: 'choice', index: 1 },
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'choice', index: 0 },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 4 } },
      { type: 'choice', index: 1 },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(() => assertEventGrammar(events)).not.toThrow();
  });

  it('reads a whole answer with several choices', () => {
    const builder = new OpenAIChatChoicesEventBuilder({ requestModel: 'gpt-4o', providerId: 'openai' });
    const events = builder.accept({
      id: 'chatcmpl-2',
      model: 'gpt-4o',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'one' }, finish_reason: 'stop' },
        { index: 1, message: { role: 'assistant', content: 'two' }, finish_reason: 'length' },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 2 },
    });
    expect([...events, ...builder.end()]).toEqual([
      { type: 'start', id: 'chatcmpl-2', model: 'gpt-4o' },
      { type: 'text-delta', text: 'one' },
      { type: 'finish', reason: 'stop' },
      { type: 'choice', index: 1 },
      { type: 'text-delta', text: 'two' },
      { type: 'finish', reason: 'length' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } },
    ]);
  });

  it('throws an in-band error as a ProviderError', () => {
    const builder = new OpenAIChatChoicesEventBuilder({ requestModel: 'gpt-4o', providerId: 'openai' });
    expect(() => builder.accept({ error: { message: 'boom', type: 'server_error' } })).toThrow('boom');
  });
});
