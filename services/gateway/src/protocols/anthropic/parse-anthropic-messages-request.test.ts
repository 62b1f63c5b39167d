import { readFileSync } from 'node:fs';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseAnthropicCountTokensRequest, parseAnthropicMessagesRequest } from './parse-anthropic-messages-request.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../../../test/fixtures/protocols/anthropic-messages/${name}`, import.meta.url), 'utf8'));
}

/** The 400 a body gets, as the client would see its message and field. */
function rejection(body: unknown): { kind: string; param: string | undefined; message: string } {
  try {
    parseAnthropicMessagesRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return { kind: error.kind, param: error.param, message: error.message };
    throw error;
  }
  throw new Error('expected the body to be refused');
}

const minimal = { model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };

describe('parseAnthropicMessagesRequest', () => {
  it('maps the recorded docs tool-use request: tools with input_schema, tool_choice any → required, stream', () => {
    expect(parseAnthropicMessagesRequest(fixture('messages-stream-tooluse-docs.request.json'))).toEqual({
      model: 'claude-opus-4-1-20250805',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the weather like in San Francisco?' }] }],
      tools: [
        {
          name: 'get_weather',
          description: 'Get the current weather in a given location',
          parameters: {
            type: 'object',
            properties: { location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' } },
            required: ['location'],
          },
        },
      ],
      toolChoice: { type: 'required' },
      sampling: { maxTokens: 1024 },
      stream: true,
    });
  });

  it('turns the system prompt (string or blocks) into one leading system message', () => {
    expect(parseAnthropicMessagesRequest({ ...minimal, system: 'Be brief.' }).messages[0]).toEqual({
      role: 'system',
      content: [{ type: 'text', text: 'Be brief.' }],
    });
    const blocks = parseAnthropicMessagesRequest({
      ...minimal,
      system: [
        { type: 'text', text: 'You are Claude Code.' },
        { type: 'text', text: 'Project rules.', cache_control: { type: 'ephemeral' } },
      ],
    });
    expect(blocks.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'You are Claude Code.' }, { type: 'text', text: 'Project rules.', cacheControl: { type: 'ephemeral' } }] },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    ]);
  });

  it('keeps a mid-conversation system turn (as Claude Code sends them) where it was said', () => {
    const request = parseAnthropicMessagesRequest({
      ...minimal,
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'system', content: 'Available agent types: claude.' },
        { role: 'system', content: [{ type: 'text', text: 'Be careful.', cache_control: { type: 'ephemeral' } }] },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'system', content: [{ type: 'text', text: 'Available agent types: claude.' }] },
      { role: 'system', content: [{ type: 'text', text: 'Be careful.', cacheControl: { type: 'ephemeral' } }] },
    ]);
  });

  it('maps a tool loop: thinking with signature, redacted thinking, tool_use, tool_result with blocks and is_error, images', () => {
    const request = parseAnthropicMessagesRequest({
      ...minimal,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture, and list the files?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'I should list.', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'opaque' },
            { type: 'text', text: 'Listing.' },
            { type: 'tool_use', id: 'toolu_01', name: 'ls', input: { path: '.' } },
            { type: 'tool_use', id: 'toolu_02', name: 'pwd', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01', content: [{ type: 'text', text: 'a.txt' }, { type: 'text', text: 'b.txt' }] },
            { type: 'tool_result', tool_use_id: 'toolu_02', content: 'permission denied', is_error: true },
            { type: 'text', text: 'Go on.' },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture, and list the files?' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'I should list.', signature: 'sig-1' },
          { type: 'redacted-reasoning', data: 'opaque' },
          { type: 'text', text: 'Listing.' },
          { type: 'tool-call', id: 'toolu_01', name: 'ls', arguments: '{"path":"."}' },
          { type: 'tool-call', id: 'toolu_02', name: 'pwd', arguments: '{}' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool-result', toolCallId: 'toolu_01', content: [{ type: 'text', text: 'a.txt' }, { type: 'text', text: 'b.txt' }] },
          { type: 'tool-result', toolCallId: 'toolu_02', content: [{ type: 'text', text: 'permission denied' }], isError: true },
          { type: 'text', text: 'Go on.' },
        ],
      },
    ]);
  });

  it('maps sampling, thinking budget, user id, tool choice and parallel use; unknown fields pass through as anthropic', () => {
    const request = parseAnthropicMessagesRequest({
      ...minimal,
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['###'],
      thinking: { type: 'enabled', budget_tokens: 2048 },
      metadata: { user_id: 'user-7' },
      tools: [{ name: 'ls', input_schema: { type: 'object', properties: {} } }],
      tool_choice: { type: 'tool', name: 'ls', disable_parallel_tool_use: true },
      service_tier: 'auto',
      context_management: { edits: [] },
    });
    expect(request).toMatchObject({
      sampling: { maxTokens: 100, temperature: 0.5, topP: 0.9, topK: 40, stop: ['###'] },
      reasoning: { budgetTokens: 2048 },
      user: 'user-7',
      toolChoice: { type: 'tool', name: 'ls' },
      parallelToolCalls: false,
      passthrough: { family: 'anthropic', fields: { service_tier: 'auto', context_management: { edits: [] } } },
    });
    expect(parseAnthropicMessagesRequest({ ...minimal, tool_choice: { type: 'auto' } }).toolChoice).toEqual({ type: 'auto' });
    expect(parseAnthropicMessagesRequest({ ...minimal, tool_choice: { type: 'none' } }).toolChoice).toEqual({ type: 'none' });
  });

  it('leaves thinking forms it cannot map (adaptive) to pass through, and drops disabled thinking', () => {
    const adaptive = parseAnthropicMessagesRequest({ ...minimal, thinking: { type: 'adaptive' } });
    expect(adaptive.reasoning).toBeUndefined();
    expect(adaptive.passthrough).toEqual({ family: 'anthropic', fields: { thinking: { type: 'adaptive' } } });
    const disabled = parseAnthropicMessagesRequest({ ...minimal, thinking: { type: 'disabled' } });
    expect(disabled.reasoning).toBeUndefined();
    expect(disabled.passthrough).toBeUndefined();
  });

  it('reads document blocks (base64, URL, text) with their title, context and citations', () => {
    const request = parseAnthropicMessagesRequest({
      ...minimal,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'Report', context: 'Q3', citations: { enabled: true } },
            { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Plain words.' }, cache_control: { type: 'ephemeral' } },
          ],
        },
      ],
    });
    expect(request.messages.at(-1)!.content).toEqual([
      { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, title: 'Report', context: 'Q3', citations: true },
      { type: 'document', source: { kind: 'url', url: 'https://example.com/a.pdf' } },
      { type: 'document', source: { kind: 'text', text: 'Plain words.' }, cacheControl: { type: 'ephemeral' } },
    ]);
  });

  it.each([
    ['a missing max_tokens', { model: 'm', messages: minimal.messages }, 'max_tokens'],
    ['a missing model', { max_tokens: 1, messages: minimal.messages }, 'model'],
    ['no messages', { ...minimal, messages: [] }, 'messages'],
    ['an unknown role', { ...minimal, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].role'],
    ['an image in a system turn', { ...minimal, messages: [{ role: 'system', content: [{ type: 'image', source: { type: 'url', url: 'https://x' } }] }] }, 'messages[0].content[0]'],
    ['a tool_use in a user turn', { ...minimal, messages: [{ role: 'user', content: [{ type: 'tool_use', id: 'a', name: 'b', input: {} }] }] }, 'messages[0].content[0].type'],
    ['a document block without a known source', { ...minimal, messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] }, 'messages[0].content[0].source.type'],
    ['a document by file id', { ...minimal, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'file', file_id: 'f' } }] }] }, 'messages[0].content[0].source.type'],
    ['a tool_result without tool_use_id', { ...minimal, messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] }, 'messages[0].content[0].tool_use_id'],
    ['a file image source', { ...minimal, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] }, 'messages[0].content[0].source.type'],
    ['temperature above 1', { ...minimal, temperature: 1.5 }, 'temperature'],
    ['a thinking budget below 1024', { ...minimal, thinking: { type: 'enabled', budget_tokens: 100 } }, 'thinking.budget_tokens'],
    ['a server tool', { ...minimal, tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools[0].type'],
    ['a tool without input_schema', { ...minimal, tools: [{ name: 'x' }] }, 'tools[0].input_schema'],
    ['tool_choice any spelled required', { ...minimal, tool_choice: { type: 'required' } }, 'tool_choice.type'],
    ['a non-string user id', { ...minimal, metadata: { user_id: 7 } }, 'metadata.user_id'],
  ])('refuses %s with a 400 naming the field', (_case, body, param) => {
    expect(rejection(body)).toMatchObject({ kind: 'invalid_request', param });
  });
});

describe('parseAnthropicCountTokensRequest', () => {
  it('reads the same body without max_tokens', () => {
    const request = parseAnthropicCountTokensRequest({ model: 'm', system: 'S', messages: [{ role: 'user', content: 'Hi' }] });
    expect(request.messages).toHaveLength(2);
    expect(request.sampling).toEqual({});
  });
});
