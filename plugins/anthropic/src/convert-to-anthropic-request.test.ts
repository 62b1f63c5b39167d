import type { ChatRequest, Message } from '@nachos/plugin-sdk';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'claude-sonnet-4-5-20250929',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    sampling: {},
    stream: true,
    ...overrides,
  };
}

const text = (value: string) => ({ type: 'text' as const, text: value });

describe('convertToAnthropicRequest: the conversation', () => {
  it('hoists system and developer messages into system, in order', () => {
    const body = convertToAnthropicRequest(
      request({
        messages: [
          { role: 'system', content: [text('Be brief.')] },
          { role: 'user', content: [text('Hi')] },
          { role: 'developer', content: [text('Use French.'), text('')] },
        ],
      }),
      0,
    );
    expect(body.system).toEqual([text('Be brief.'), text('Use French.')]);
    expect(body.messages).toEqual([{ role: 'user', content: [text('Hi')] }]);
  });

  it('merges adjacent turns and puts every tool result first in the one user turn that follows the calls', () => {
    const messages: Message[] = [
      { role: 'user', content: [text('Weather in Paris and Rome?')] },
      {
        role: 'assistant',
        content: [
          text('Checking.'),
          { type: 'tool-call', id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
          { type: 'tool-call', id: 'call_2', name: 'weather', arguments: '{"city":"Rome"}' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: [text('18°C')] }] },
      { role: 'user', content: [text('And be quick.')] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_2', content: [text('24°C')], isError: false }] },
    ];
    const body = convertToAnthropicRequest(request({ messages }), 0);
    expect(body.messages).toEqual([
      { role: 'user', content: [text('Weather in Paris and Rome?')] },
      {
        role: 'assistant',
        content: [
          text('Checking.'),
          { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: [text('18°C')] },
          { type: 'tool_result', tool_use_id: 'call_2', content: [text('24°C')] },
          text('And be quick.'),
        ],
      },
    ]);
  });

  it('sanitizes foreign tool ids the same way on the call and on its result', () => {
    const body = convertToAnthropicRequest(
      request({
        messages: [
          { role: 'user', content: [text('List files')] },
          { role: 'assistant', content: [{ type: 'tool-call', id: 'functions.Bash:0', name: 'Bash', arguments: '' }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'functions.Bash:0', content: [], isError: true }] },
        ],
      }),
      0,
    );
    expect(body.messages[1]?.content).toEqual([{ type: 'tool_use', id: 'functions_Bash_0', name: 'Bash', input: {} }]);
    expect(body.messages[2]?.content).toEqual([{ type: 'tool_result', tool_use_id: 'functions_Bash_0', is_error: true }]);
  });

  it('replays signed thinking and redacted thinking verbatim, and drops unsigned reasoning', () => {
    const body = convertToAnthropicRequest(
      request({
        messages: [
          { role: 'user', content: [text('Q')] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'Thinking it over.', signature: 'EvQBsig' },
              { type: 'redacted-reasoning', data: 'EmwKAhgB' },
              { type: 'reasoning', text: 'from another provider' },
              { type: 'tool-call', id: 'toolu_1', name: 'calc', arguments: '{"x":1}' },
            ],
          },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_1', content: [text('2')] }] },
        ],
      }),
      0,
    );
    expect(body.messages[1]?.content).toEqual([
      { type: 'thinking', thinking: 'Thinking it over.', signature: 'EvQBsig' },
      { type: 'redacted_thinking', data: 'EmwKAhgB' },
      { type: 'tool_use', id: 'toolu_1', name: 'calc', input: { x: 1 } },
    ]);
  });

  it('converts base64 images, data URLs and http URLs, including in tool results', () => {
    const body = convertToAnthropicRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/jpg', data: 'AAAA' } },
              { type: 'image', source: { kind: 'url', url: 'data:image/png;base64,iVBOR' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.webp' } },
            ],
          },
        ],
      }),
      0,
    );
    expect(body.messages[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'AAAA' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.webp' } },
    ]);
  });

  it('refuses image types Anthropic cannot read, and tool arguments that are not an object, before any upstream call', () => {
    const bmp = request({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/bmp', data: 'Qk0' } }] }] });
    expect(() => convertToAnthropicRequest(bmp, 0)).toThrow(expect.objectContaining({ kind: 'invalid_request' }) as Error);
    const badArguments = request({
      messages: [
        { role: 'user', content: [text('Q')] },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'toolu_1', name: 'calc', arguments: '{"x":' }] },
      ],
    });
    expect(() => convertToAnthropicRequest(badArguments, 0)).toThrow(expect.objectContaining({ kind: 'invalid_request' }) as Error);
  });

  it('trims trailing whitespace from a final assistant prefill and drops empty text', () => {
    const body = convertToAnthropicRequest(
      request({
        messages: [
          { role: 'user', content: [text('Write a haiku'), text('')] },
          { role: 'assistant', content: [text('Here it is:\n ')] },
        ],
      }),
      0,
    );
    expect(body.messages).toEqual([
      { role: 'user', content: [text('Write a haiku')] },
      { role: 'assistant', content: [text('Here it is:')] },
    ]);
  });
});

describe('convertToAnthropicRequest: max_tokens and thinking', () => {
  it('takes max_tokens from the request, else the option, else the catalogue, else 4096', () => {
    expect(convertToAnthropicRequest(request({ sampling: { maxTokens: 300 } }), 1000).max_tokens).toBe(300);
    expect(convertToAnthropicRequest(request(), 1000).max_tokens).toBe(1000);
    expect(convertToAnthropicRequest(request(), 0).max_tokens).toBe(64_000);
    expect(convertToAnthropicRequest(request({ model: 'claude-sonnet-4-5' }), 0).max_tokens).toBe(64_000);
    expect(convertToAnthropicRequest(request({ model: 'some-compatible-model' }), 0).max_tokens).toBe(4096);
  });

  it('sends a requested budget, at least 1024, and leaves room for the answer when max_tokens is ours', () => {
    const body = convertToAnthropicRequest(request({ reasoning: { budgetTokens: 500 } }), 2000);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(body.max_tokens).toBe(1024 + 4096);
  });

  it('derives a budget from an effort and keeps it below the requested max_tokens', () => {
    expect(convertToAnthropicRequest(request({ reasoning: { effort: 'high' } }), 0).thinking).toEqual({ type: 'enabled', budget_tokens: 16_384 });
    const capped = convertToAnthropicRequest(request({ reasoning: { effort: 'high' }, sampling: { maxTokens: 5000 } }), 0);
    expect(capped).toMatchObject({ max_tokens: 5000, thinking: { type: 'enabled', budget_tokens: 4999 } });
  });

  it('leaves thinking off when it cannot fit, for effort none, a zero budget and a forced tool', () => {
    expect(convertToAnthropicRequest(request({ reasoning: { effort: 'low' }, sampling: { maxTokens: 1000 } }), 0).thinking).toBeUndefined();
    expect(convertToAnthropicRequest(request({ reasoning: { effort: 'none' } }), 0).thinking).toBeUndefined();
    expect(convertToAnthropicRequest(request({ reasoning: { budgetTokens: 0 } }), 0).thinking).toBeUndefined();
    const forced = request({
      reasoning: { effort: 'high' },
      tools: [{ name: 'calc', parameters: { type: 'object' } }],
      toolChoice: { type: 'required' },
    });
    expect(convertToAnthropicRequest(forced, 0).thinking).toBeUndefined();
  });

  it('drops temperature and top_k with thinking on, keeping top_p only from 0.95', () => {
    const sampling = { temperature: 0.2, topK: 40, topP: 0.97 };
    expect(convertToAnthropicRequest(request({ sampling, reasoning: { effort: 'low' } }), 0)).toMatchObject({ top_p: 0.97 });
    const body = convertToAnthropicRequest(request({ sampling: { ...sampling, topP: 0.5 }, reasoning: { effort: 'low' } }), 0);
    expect([body.temperature, body.top_k, body.top_p]).toEqual([undefined, undefined, undefined]);
  });
});

describe('convertToAnthropicRequest: tools and sampling', () => {
  const tools = [{ name: 'calc', description: 'Adds', parameters: { properties: { x: { type: 'number' } } } }];

  it.each([
    [undefined, undefined, undefined],
    [{ type: 'auto' } as const, undefined, { type: 'auto' }],
    [{ type: 'required' } as const, false, { type: 'any', disable_parallel_tool_use: true }],
    [{ type: 'tool', name: 'calc' } as const, undefined, { type: 'tool', name: 'calc' }],
    [{ type: 'none' } as const, false, { type: 'none' }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
  ])('maps tool choice %j with parallelToolCalls %j', (toolChoice, parallelToolCalls, expected) => {
    const body = convertToAnthropicRequest(
      request({ tools, ...(toolChoice ? { toolChoice } : {}), ...(parallelToolCalls === undefined ? {} : { parallelToolCalls }) }),
      0,
    );
    expect(body.tool_choice).toEqual(expected);
    expect(body.tools).toEqual([{ name: 'calc', description: 'Adds', input_schema: { type: 'object', properties: { x: { type: 'number' } } } }]);
  });

  it('clamps temperature to 0–1, drops whitespace stop sequences and maps the user and a JSON schema', () => {
    const body = convertToAnthropicRequest(
      request({
        sampling: { temperature: 1.6, topK: 5, stop: ['\n', 'END'] },
        user: 'user-42',
        responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' } },
      }),
      0,
    );
    expect(body).toMatchObject({
      temperature: 1,
      top_k: 5,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
    });
  });

  it('merges Anthropic-family passthrough fields underneath and ignores other families', () => {
    const cached = convertToAnthropicRequest(
      request({ passthrough: { family: 'anthropic', fields: { cache_control: { type: 'ephemeral' }, model: 'ignored', service_tier: 'auto' } } }),
      0,
    );
    expect(cached).toMatchObject({ cache_control: { type: 'ephemeral' }, service_tier: 'auto', model: 'claude-sonnet-4-5-20250929' });
    const foreign = convertToAnthropicRequest(request({ passthrough: { family: 'openai', fields: { logprobs: true } } }), 0);
    expect(foreign).not.toHaveProperty('logprobs');
  });
});
