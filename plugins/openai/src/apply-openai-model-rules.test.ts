import type { OpenAIChatBody } from '@nachos/plugin-sdk';
import { applyOpenAIModelRules } from './apply-openai-model-rules.js';

const sampled = (model: string, extra: Partial<OpenAIChatBody> = {}): OpenAIChatBody => ({
  model,
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi' },
  ],
  stream: true,
  max_tokens: 500,
  temperature: 0.2,
  top_p: 0.9,
  presence_penalty: 0.5,
  frequency_penalty: 0.5,
  stop: ['END'],
  logit_bias: { '1': 2 },
  logprobs: true,
  top_logprobs: 2,
  ...extra,
});

describe('applyOpenAIModelRules', () => {
  it.each(['o3', 'o3-2025-04-16', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano-2025-08-07', 'o1'])(
    'fits reasoning model %s: developer role, max_completion_tokens, no sampling or penalties',
    (model) => {
      const body = applyOpenAIModelRules(sampled(model));
      expect(body.messages[0]).toEqual({ role: 'developer', content: 'Be brief.' });
      expect(body.max_completion_tokens).toBe(500);
      for (const field of ['max_tokens', 'temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs']) {
        expect(body).not.toHaveProperty(field);
      }
    },
  );

  it('keeps temperature 1, which reasoning models accept', () => {
    expect(applyOpenAIModelRules(sampled('gpt-5', { temperature: 1 })).temperature).toBe(1);
  });

  it('drops stop only for o3 and o4-mini', () => {
    expect(applyOpenAIModelRules(sampled('o3')).stop).toBeUndefined();
    expect(applyOpenAIModelRules(sampled('o4-mini-2025-04-16')).stop).toBeUndefined();
    expect(applyOpenAIModelRules(sampled('o3-mini')).stop).toEqual(['END']);
    expect(applyOpenAIModelRules(sampled('gpt-5')).stop).toEqual(['END']);
  });

  it('sends system prompts as user messages to o1-mini and o1-preview', () => {
    expect(applyOpenAIModelRules(sampled('o1-mini')).messages[0]).toEqual({ role: 'user', content: 'Be brief.' });
    expect(applyOpenAIModelRules(sampled('o1-preview-2024-09-12')).messages[0]?.role).toBe('user');
  });

  it('lets gpt-5.1+ keep temperature and top_p with reasoning_effort none, but never penalties', () => {
    const body = applyOpenAIModelRules(sampled('gpt-5.1', { reasoning_effort: 'none' }));
    expect(body).toMatchObject({ temperature: 0.2, top_p: 0.9, logprobs: true, max_completion_tokens: 500 });
    expect(body).not.toHaveProperty('presence_penalty');
    expect(applyOpenAIModelRules(sampled('gpt-5', { reasoning_effort: 'none' }))).not.toHaveProperty('temperature');
    expect(applyOpenAIModelRules(sampled('gpt-5.1', { reasoning_effort: 'low' }))).not.toHaveProperty('temperature');
  });

  it.each(['gpt-4o', 'gpt-4.1-mini', 'gpt-5-chat-latest', 'gpt-3.5-turbo'])('leaves chat model %s as it is, minus reasoning_effort', (model) => {
    const original = sampled(model, { reasoning_effort: 'high' });
    const body = applyOpenAIModelRules(original);
    const { reasoning_effort: _ignored, ...expected } = original;
    expect(body).toEqual(expected);
    expect(original.reasoning_effort).toBe('high');
  });
});
