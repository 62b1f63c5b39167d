import type { AggregatedResponse } from '../aggregate-events.js';
import { buildOllamaResponse, ollamaModelActionResponse } from './build-ollama-response.js';

const metrics = { total_duration: 9, load_duration: 1, prompt_eval_count: 4, prompt_eval_duration: 2, eval_count: 6, eval_duration: 6 };

const aggregated = (overrides: Partial<AggregatedResponse>): AggregatedResponse => ({
  id: 'r',
  model: 'upstream',
  provider: 'p',
  endpoint: 'e',
  attempts: 1,
  text: '',
  reasoning: '',
  redactedReasoning: [],
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 4, outputTokens: 6 },
  ...overrides,
});

describe('buildOllamaResponse (stream: false)', () => {
  it('answers a chat as one done object with the text, thinking and tool calls', () => {
    const body = buildOllamaResponse(
      'chat',
      'llama3.2',
      aggregated({ text: 'Let me look.', reasoning: 'weather needs a lookup', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Toronto"}' }], finishReason: 'tool_calls' }),
      metrics,
    );
    expect(body).toEqual({
      model: 'llama3.2',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      message: {
        role: 'assistant',
        content: 'Let me look.',
        thinking: 'weather needs a lookup',
        tool_calls: [{ id: 'call_1', function: { index: 0, name: 'get_weather', arguments: { city: 'Toronto' } } }],
      },
      done: true,
      done_reason: 'stop',
      ...metrics,
    });
  });

  it('answers a generate with response and an empty context', () => {
    expect(buildOllamaResponse('generate', 'm', aggregated({ text: 'def f(): pass', finishReason: 'length' }), metrics)).toEqual({
      model: 'm',
      created_at: expect.any(String),
      response: 'def f(): pass',
      done: true,
      done_reason: 'length',
      context: [],
      ...metrics,
    });
  });

  it('answers a load or unload request with the action as the reason', () => {
    expect(ollamaModelActionResponse('generate', 'm', 'unload')).toEqual({ model: 'm', created_at: expect.any(String), response: '', done: true, done_reason: 'unload' });
    expect(ollamaModelActionResponse('chat', 'm', 'load')).toMatchObject({ message: { role: 'assistant', content: '' }, done_reason: 'load' });
  });
});
