import type { ChatRequest } from './chat-request.js';
import { convertToOpenAIChatBody } from './convert-to-openai-chat-body.js';

const base: ChatRequest = { model: 'gpt-4o', messages: [], sampling: {}, stream: false };

describe('convertToOpenAIChatBody', () => {
  it('converts roles, names and plain text as strings', () => {
    const body = convertToOpenAIChatBody({
      ...base,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'developer', content: [{ type: 'text', text: 'Use French.' }] },
        { role: 'user', name: 'ana', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Bon' }, { type: 'text', text: 'jour' }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Use French.' },
      { role: 'user', name: 'ana', content: 'Hi' },
      { role: 'assistant', content: 'Bonjour' },
    ]);
    expect(body).toMatchObject({ model: 'gpt-4o', stream: false });
    expect(body.stream_options).toBeUndefined();
  });

  it('sends images by URL or as data URIs, with their detail', () => {
    const body = convertToOpenAIChatBody({
      ...base,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' }, detail: 'low' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
      ],
    });
    expect(body.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ],
    });
  });

  it('converts tool calls with string arguments and tool results as tool messages', () => {
    const body = convertToOpenAIChatBody({
      ...base,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'two lookups', signature: 'sig' },
            { type: 'tool-call', id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
            { type: 'tool-call', id: 'call_2', name: 'weather', arguments: '{"city":"Rome"}' },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'sunny' }] },
            { type: 'tool-result', toolCallId: 'call_2', content: [{ type: 'text', text: 'rain' }], isError: false },
            { type: 'text', text: 'Thanks' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_3', content: [{ type: 'text', text: 'ok' }] }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'call_2', content: 'rain' },
      { role: 'user', content: 'Thanks' },
      { role: 'tool', tool_call_id: 'call_3', content: 'ok' },
    ]);
  });

  it('moves images out of tool results into a following user message', () => {
    const body = convertToOpenAIChatBody({
      ...base,
      messages: [
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c',
              content: [
                { type: 'text', text: 'screenshot taken' },
                { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: 'AAAA' } },
              ],
            },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'tool', tool_call_id: 'c', content: 'screenshot taken' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA' } }] },
    ]);
  });

  it('converts tools, tool choice, parallel calls, response format, sampling, reasoning and user', () => {
    const body = convertToOpenAIChatBody({
      ...base,
      stream: true,
      tools: [{ name: 'weather', description: 'Look up weather', parameters: { type: 'object' }, strict: true }],
      toolChoice: { type: 'tool', name: 'weather' },
      parallelToolCalls: false,
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
      sampling: { maxTokens: 100, temperature: 0.2, topP: 0.9, topK: 40, stop: ['END'], seed: 7, presencePenalty: 0.1, frequencyPenalty: 0.3 },
      reasoning: { effort: 'low', budgetTokens: 2048 },
      user: 'user-1',
      metadata: { team: 'a' },
    });
    expect(body).toEqual({
      model: 'gpt-4o',
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: { name: 'weather', description: 'Look up weather', parameters: { type: 'object' }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      max_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      reasoning_effort: 'low',
      user: 'user-1',
    });
  });

  it('maps plain tool choices and leaves parallel_tool_calls out when there are no tools', () => {
    expect(convertToOpenAIChatBody({ ...base, toolChoice: { type: 'required' }, parallelToolCalls: true })).toEqual({
      model: 'gpt-4o',
      messages: [],
      stream: false,
      tool_choice: 'required',
    });
    expect(convertToOpenAIChatBody({ ...base, responseFormat: { type: 'json_object' } }).response_format).toEqual({ type: 'json_object' });
  });

  it('merges passthrough fields of OpenAI clients underneath the canonical ones', () => {
    const body = convertToOpenAIChatBody({
      ...base,
      sampling: { temperature: 0.5 },
      passthrough: { family: 'openai', fields: { logit_bias: { '50256': -100 }, service_tier: 'flex', model: 'client-name', temperature: 2 } },
    });
    expect(body).toMatchObject({ model: 'gpt-4o', temperature: 0.5, logit_bias: { '50256': -100 }, service_tier: 'flex' });
  });

  it('ignores passthrough fields from other protocol families', () => {
    const body = convertToOpenAIChatBody({ ...base, passthrough: { family: 'anthropic', fields: { top_k: 5 } } });
    expect(body).not.toHaveProperty('top_k');
  });
});
