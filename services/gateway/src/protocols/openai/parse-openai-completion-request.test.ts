import { readFileSync } from 'node:fs';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseOpenAICompletionRequest } from './parse-openai-completion-request.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../../../test/fixtures/protocols/openai-completions/${name}`, import.meta.url), 'utf8'));
}

/** The 400 a body gets, as the client would see its message and field. */
function rejection(body: unknown): { kind: string; param: string | undefined; message: string } {
  try {
    parseOpenAICompletionRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return { kind: error.kind, param: error.param, message: error.message };
    throw error;
  }
  throw new Error('expected the body to be refused');
}

describe('parseOpenAICompletionRequest', () => {
  it('maps the recorded streaming request: the prompt becomes one user message', () => {
    const parsed = parseOpenAICompletionRequest(fixture('completions-stream-usage.request.json'));
    expect(parsed).toEqual({
      request: {
        model: 'babbage-002',
        messages: [
          {
            role: 'user',
            content: [{ type: 'text', text: 'def fib(n):\n    if n <= 1:\n        return n\n    else:\n        return fib(n-1) + fib(n-2)' }],
          },
        ],
        sampling: { maxTokens: 25, temperature: 0.4, topP: 0.9 },
        stream: true,
      },
      includeUsage: true,
      ignoredFields: [],
    });
  });

  it('defaults max_tokens to 16 as OpenAI does, and maps stop, seed, penalties and user', () => {
    const { request, includeUsage } = parseOpenAICompletionRequest({
      model: 'm',
      prompt: ['Once upon a time'],
      stop: '\n',
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      user: 'u-1',
      logit_bias: { '50256': -100 },
    });
    expect(request.sampling).toEqual({ maxTokens: 16, stop: ['\n'], seed: 7, presencePenalty: 0.5, frequencyPenalty: -0.5 });
    expect(request.user).toBe('u-1');
    expect(request.stream).toBe(false);
    expect(request.passthrough).toEqual({ family: 'openai', fields: { logit_bias: { '50256': -100 } } });
    expect(includeUsage).toBe(false);
  });

  it('accepts what is trivially met: n and best_of of 1, echo (the prompt is kept to prepend), logprobs null', () => {
    const parsed = parseOpenAICompletionRequest({ model: 'm', prompt: 'Hi', n: 1, best_of: 1, echo: true, logprobs: null });
    expect(parsed.echoedPrompt).toBe('Hi');
    expect(parseOpenAICompletionRequest({ model: 'm', prompt: 'Hi', echo: false }).echoedPrompt).toBeUndefined();
  });

  it('accepts suffix and names it as ignored, since chat models cannot fill in the middle', () => {
    const parsed = parseOpenAICompletionRequest({ model: 'm', prompt: 'def add(a, b):', suffix: '\n    return c' });
    expect(parsed.ignoredFields).toEqual(['suffix']);
    expect(JSON.stringify(parsed.request)).not.toContain('return c');
  });

  it('refuses what a chat model cannot do with a 400 naming the field', () => {
    expect(rejection({ model: 'm', prompt: 'Hi', n: 2 })).toMatchObject({ kind: 'invalid_request', param: 'n' });
    expect(rejection({ model: 'm', prompt: 'Hi', best_of: 3 })).toMatchObject({ param: 'best_of' });
    expect(rejection({ model: 'm', prompt: 'Hi', logprobs: 5 })).toMatchObject({ param: 'logprobs', message: expect.stringContaining('log probabilities') });
    expect(rejection({ model: 'm', prompt: 'Hi', logprobs: 0 })).toMatchObject({ param: 'logprobs' });
  });

  it('refuses token-id prompts, several prompts and empty prompts clearly', () => {
    expect(rejection({ model: 'm', prompt: [1212, 318] })).toMatchObject({ param: 'prompt', message: expect.stringContaining('token ids') });
    expect(rejection({ model: 'm', prompt: [[1212, 318]] })).toMatchObject({ param: 'prompt', message: expect.stringContaining('token ids') });
    expect(rejection({ model: 'm', prompt: ['a', 'b'] })).toMatchObject({ param: 'prompt', message: expect.stringContaining('one request per prompt') });
    expect(rejection({ model: 'm', prompt: '' })).toMatchObject({ param: 'prompt' });
    expect(rejection({ model: 'm' })).toMatchObject({ param: 'prompt', message: "'prompt' is required." });
    expect(rejection({ prompt: 'Hi' })).toMatchObject({ param: 'model' });
    expect(rejection({ model: 'm', prompt: 'Hi', max_tokens: 0 })).toMatchObject({ param: 'max_tokens' });
    expect(rejection({ model: 'm', prompt: 'Hi', stop: ['a', 'b', 'c', 'd', 'e'] })).toMatchObject({ param: 'stop' });
  });
});
