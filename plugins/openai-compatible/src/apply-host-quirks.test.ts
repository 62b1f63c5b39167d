import { convertToOpenAIChatBody, type ChatRequest, type OpenAIChatBody, ProviderError } from '@nachos/plugin-sdk';
import { applyHostQuirks } from './apply-host-quirks.js';
import type { HostPreset } from './host-preset.js';
import { readHostPresets } from './read-host-presets.js';

const presets = readHostPresets(new URL('./presets.json', import.meta.url));
const preset = (id: string): HostPreset => presets.find((candidate) => candidate.id === id)!;

const toolLoop: ChatRequest = {
  model: 'mistral-small-latest',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    { role: 'user', name: 'alice', content: [{ type: 'text', text: 'Weather in Paris?' }] },
    { role: 'assistant', content: [{ type: 'tool-call', id: 'call_Xk29Lm0Qa8', name: 'weather', arguments: '{"city":"Paris"}' }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_Xk29Lm0Qa8', content: [{ type: 'text', text: '18°C' }] }] },
    { role: 'assistant', content: [{ type: 'tool-call', id: 'gSIMJiOkT', name: 'weather', arguments: '{"city":"Lyon"}' }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'gSIMJiOkT', content: [{ type: 'text', text: '20°C' }] }] },
  ],
  tools: [{ name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
  sampling: { maxTokens: 100, seed: 42 },
  user: 'user-7',
  stream: true,
};

describe('applyHostQuirks', () => {
  it('fits a tool loop to Mistral: no stream_options, random_seed, no user or names, 9-character tool-call ids', () => {
    const body = applyHostQuirks(convertToOpenAIChatBody(toolLoop), preset('mistral'));
    expect(body.stream_options).toBeUndefined();
    expect(body.seed).toBeUndefined();
    expect(body['random_seed']).toBe(42);
    expect(body.max_tokens).toBe(100);
    expect(body.user).toBeUndefined();
    expect(body.messages.some((message) => 'name' in message)).toBe(false);
    const [, , firstCall, firstResult, secondCall, secondResult] = body.messages as Array<Record<string, unknown>>;
    const firstId = (firstCall!['tool_calls'] as Array<{ id: string }>)[0]!.id;
    expect(firstId).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(firstResult!['tool_call_id']).toBe(firstId);
    // An id already in Mistral's shape is kept, so the host's own ids round-trip untouched.
    expect((secondCall!['tool_calls'] as Array<{ id: string }>)[0]!.id).toBe('gSIMJiOkT');
    expect(secondResult!['tool_call_id']).toBe('gSIMJiOkT');
    // The same conversation maps to the same ids in every request.
    expect(applyHostQuirks(convertToOpenAIChatBody(toolLoop), preset('mistral')).messages).toEqual(body.messages);
  });

  it('moves max_completion_tokens to max_tokens for Mistral without overwriting a given max_tokens', () => {
    const base: OpenAIChatBody = { model: 'm', messages: [], stream: false, max_completion_tokens: 50 };
    expect(applyHostQuirks(base, preset('mistral'))).toMatchObject({ max_tokens: 50 });
    expect(applyHostQuirks(base, preset('mistral')).max_completion_tokens).toBeUndefined();
    expect(applyHostQuirks({ ...base, max_tokens: 10 }, preset('mistral')).max_tokens).toBe(10);
  });

  it('sends Perplexity no tools, merges adjacent turns, and refuses a tool history up front', () => {
    const request: ChatRequest = {
      model: 'sonar',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Cite sources.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Who won?' }] },
        { role: 'user', content: [{ type: 'text', text: 'The 2024 final, I mean.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Team A.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'By two points.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Source?' }] },
      ],
      tools: [{ name: 'search', parameters: { type: 'object' } }],
      toolChoice: { type: 'auto' },
      sampling: {},
      stream: true,
    };
    const body = applyHostQuirks(convertToOpenAIChatBody(request), preset('perplexity'));
    expect(body.tools).toBeUndefined();
    expect(body.tool_choice).toBeUndefined();
    expect(body.stream_options).toBeUndefined();
    expect(body.messages).toEqual([
      { role: 'system', content: 'Cite sources.' },
      { role: 'user', content: 'Who won?\n\nThe 2024 final, I mean.' },
      { role: 'assistant', content: 'Team A.\n\nBy two points.' },
      { role: 'user', content: 'Source?' },
    ]);
    const failure = (() => {
      try {
        applyHostQuirks(convertToOpenAIChatBody(toolLoop), preset('perplexity'));
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(ProviderError.isInstance(failure) && failure.kind).toBe('invalid_request');
    expect((failure as Error).message).toBe('Perplexity does not support tool calls, and this conversation contains some');
  });

  it('merges a text turn and an image turn from one user into one content list', () => {
    const body = applyHostQuirks(
      convertToOpenAIChatBody({
        model: 'sonar',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'What is this?' }] },
          { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.test/a.png' } }] },
        ],
        sampling: {},
        stream: false,
      }),
      preset('perplexity'),
    );
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://example.test/a.png' } },
        ],
      },
    ]);
  });

  it('drops the fields Groq rejects and leaves a host without quirks untouched', () => {
    const body: OpenAIChatBody = { model: 'm', messages: [], stream: false, logprobs: true, top_logprobs: 2, logit_bias: { '1': 5 }, temperature: 0.3 };
    expect(applyHostQuirks(body, preset('groq'))).toEqual({ model: 'm', messages: [], stream: false, temperature: 0.3 });
    expect(applyHostQuirks(body, preset('together'))).toEqual(body);
  });
});
