import { readFileSync } from 'node:fs';
import type { AggregatedResponse } from '../aggregate-events.js';
import { buildOpenAITextCompletion } from './build-openai-text-completion.js';

const recorded = JSON.parse(
  readFileSync(new URL('../../../../../test/fixtures/protocols/openai-completions/completions.response.json', import.meta.url), 'utf8'),
) as { id: string; created: number; model: string; choices: Array<{ text: string }> };

function aggregated(overrides: Partial<AggregatedResponse>): AggregatedResponse {
  return {
    id: 'upstream',
    model: 'm',
    provider: 'p',
    endpoint: 'e',
    attempts: 1,
    text: '',
    reasoning: '',
    redactedReasoning: [],
    toolCalls: [],
    finishReason: 'stop',
    usage: { inputTokens: 0, outputTokens: 0 },
    ...overrides,
  };
}

describe('buildOpenAITextCompletion', () => {
  it('builds the recorded text_completion object', () => {
    const body = buildOpenAITextCompletion(
      aggregated({ model: recorded.model, text: recorded.choices[0]!.text, finishReason: 'length', usage: { inputTokens: 31, outputTokens: 25 } }),
      { id: recorded.id, created: recorded.created },
    );
    expect(body).toEqual(recorded);
  });

  it('prepends the prompt for echo and leaves reasoning out of the text', () => {
    const body = buildOpenAITextCompletion(aggregated({ text: ' world', reasoning: 'thinking…', finishReason: 'other' }), {
      id: 'cmpl-1',
      created: 1,
      echoedPrompt: 'Hello',
    });
    expect(body.choices).toEqual([{ text: 'Hello world', index: 0, logprobs: null, finish_reason: 'stop' }]);
  });
});
