import { GatewayError } from '../../errors/gateway-error.js';
import { parseOpenAIChatRequest } from './parse-openai-chat-request.js';

function failure(body: unknown): GatewayError {
  try {
    parseOpenAIChatRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a 400');
}

describe('parseOpenAIChatRequest', () => {
  it('maps a full request to the canonical model', () => {
    const { request, includeUsage } = parseOpenAIChatRequest({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"q":1}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
      ],
      tools: [{ type: 'function', function: { name: 'look', description: 'Look', parameters: { type: 'object', properties: {} } } }],
      tool_choice: { type: 'function', function: { name: 'look' } },
      parallel_tool_calls: false,
      max_completion_tokens: 100,
      temperature: 0.5,
      top_p: 0.9,
      stop: 'END',
      seed: 42,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      reasoning_effort: 'low',
      user: 'u-1',
      stream: true,
      stream_options: { include_usage: true },
      logit_bias: { '50256': -100 },
    });
    expect(includeUsage).toBe(true);
    expect(request).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'low' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'call_1', name: 'look', arguments: '{"q":1}' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'a cat' }] }] },
      ],
      tools: [{ name: 'look', description: 'Look', parameters: { type: 'object', properties: {} } }],
      toolChoice: { type: 'tool', name: 'look' },
      parallelToolCalls: false,
      sampling: { maxTokens: 100, temperature: 0.5, topP: 0.9, stop: ['END'], seed: 42 },
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
      reasoning: { effort: 'low' },
      user: 'u-1',
      stream: true,
      passthrough: { family: 'openai', fields: { logit_bias: { '50256': -100 } } },
    });
  });

  it('rejects bad input naming the field', () => {
    expect(failure({ messages: [] }).param).toBe('model');
    expect(failure({ model: 'm', messages: [] })).toMatchObject({ param: 'messages', code: 'empty_array' });
    expect(failure({ model: 'm', messages: [{ role: 'robot', content: 'x' }] }).param).toBe('messages[0].role');
    expect(failure({ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 3 }).param).toBe('temperature');
    expect(parseOpenAIChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], n: 2, stream: true }).choices).toBe(2);
    expect(failure({ model: 'm', messages: [{ role: 'user', content: 'x' }], n: 0 }).param).toBe('n');
    expect(parseOpenAIChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], n: 3 }).choices).toBe(3);
    expect(failure({ model: 'm', messages: [{ role: 'tool', content: 'x' }] }).param).toBe('messages[0].tool_call_id');
    expect(failure({ model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio' }] }] }).param).toBe('messages[0].content[0].type');
    expect(failure('not an object').param).toBe('body');
  });
});
