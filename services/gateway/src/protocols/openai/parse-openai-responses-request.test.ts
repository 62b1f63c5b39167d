import { readFileSync } from 'node:fs';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseOpenAIResponsesRequest, readPreviousResponseId } from './parse-openai-responses-request.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../../../test/fixtures/protocols/openai-responses/${name}`, import.meta.url), 'utf8'));
}

function rejection(body: unknown): { param: string | undefined; message: string; code: string | undefined } {
  try {
    parseOpenAIResponsesRequest(body);
  } catch (error) {
    if (error instanceof GatewayError && error.kind === 'invalid_request') return { param: error.param, message: error.message, code: error.code };
    throw error;
  }
  throw new Error('expected the body to be refused');
}

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

describe('parseOpenAIResponsesRequest', () => {
  it('maps the recorded function-call request: string input, flat function tools, tool_choice', () => {
    const { request, settings } = parseOpenAIResponsesRequest(fixture('responses-functioncall.request.json'));
    expect(request).toEqual({
      model: 'gpt-5.4',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the weather like in Boston today?' }] }],
      tools: [
        {
          name: 'get_current_weather',
          description: 'Get the current weather in a given location',
          parameters: {
            type: 'object',
            properties: {
              location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
              unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
            },
            required: ['location', 'unit'],
          },
        },
      ],
      toolChoice: { type: 'auto' },
      sampling: {},
      stream: false,
    });
    expect(settings).toMatchObject({ tool_choice: 'auto', parallel_tool_calls: true, store: true, previous_response_id: null, text: { format: { type: 'text' } } });
  });

  it('maps instructions, settings, text.format and reasoning.effort', () => {
    const { request, settings } = parseOpenAIResponsesRequest({
      model: 'm',
      instructions: 'Be brief.',
      input: 'Hi',
      max_output_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      parallel_tool_calls: false,
      tool_choice: { type: 'function', name: 'look' },
      tools: [{ type: 'function', name: 'look', parameters: { type: 'object', properties: {} }, strict: true }],
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true }, verbosity: 'low' },
      reasoning: { effort: 'high', summary: 'auto' },
      store: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'k',
      safety_identifier: 'user-7',
      metadata: { team: 'a' },
      stream: true,
    });
    expect(request).toEqual({
      model: 'm',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      ],
      tools: [{ name: 'look', parameters: { type: 'object', properties: {} }, strict: true }],
      toolChoice: { type: 'tool', name: 'look' },
      parallelToolCalls: false,
      sampling: { maxTokens: 100, temperature: 0.2, topP: 0.9 },
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
      reasoning: { effort: 'high' },
      user: 'user-7',
      metadata: { team: 'a' },
      stream: true,
    });
    expect(settings).toMatchObject({
      instructions: 'Be brief.',
      max_output_tokens: 100,
      reasoning: { effort: 'high', summary: 'auto' },
      store: true,
      user: 'user-7',
      metadata: { team: 'a' },
    });
  });

  it('turns a stateless tool loop into canonical turns: one assistant message per turn, results keyed by call_id', () => {
    const { request } = parseOpenAIResponsesRequest({
      model: 'm',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Use tools.' }] },
        { role: 'user', content: [{ type: 'input_text', text: 'What is this?' }, { type: 'input_image', image_url: PNG, detail: 'low' }] },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Look first.' }], encrypted_content: 'sig-1' },
        { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'look', arguments: '{"q":1}' },
        { type: 'function_call', id: 'fc_2', call_id: 'call_2', name: 'zoom', arguments: '' },
        { type: 'function_call_output', call_id: 'call_1', output: 'a cat' },
        { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: 'big' }, { type: 'input_image', image_url: 'https://example.com/cat.jpg' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'A cat.', annotations: [] }] },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'developer', content: [{ type: 'text', text: 'Use tools.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'low' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Look first.', signature: 'sig-1' },
          { type: 'tool-call', id: 'call_1', name: 'look', arguments: '{"q":1}' },
          { type: 'tool-call', id: 'call_2', name: 'zoom', arguments: '{}' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'look', content: [{ type: 'text', text: 'a cat' }] }] },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'call_2',
            toolName: 'zoom',
            content: [{ type: 'text', text: 'big' }, { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } }],
          },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'A cat.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
    ]);
  });

  it('replays a redacted reasoning block and a call signature as they came', () => {
    const { request } = parseOpenAIResponsesRequest({
      model: 'm',
      input: [
        { role: 'user', content: 'Hi' },
        { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'nachos-redacted:opaque' },
        { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}', encrypted_content: 'thought-sig' },
        { type: 'reasoning', id: 'rs_2', summary: [] },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'redacted-reasoning', data: 'opaque' },
        { type: 'tool-call', id: 'c', name: 'f', arguments: '{}', signature: 'thought-sig' },
      ],
    });
  });

  it('flattens namespace tools into function tools and remembers their namespace', () => {
    const spawn = { type: 'function', name: 'spawn_agent', description: 'Spawn', strict: false, parameters: { type: 'object', properties: {} } };
    const { request, toolNamespaces } = parseOpenAIResponsesRequest({
      model: 'm',
      input: [
        { role: 'user', content: 'Go' },
        { type: 'function_call', call_id: 'c1', name: 'spawn_agent', namespace: 'multi_agent_v1', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'agent-1' },
      ],
      tools: [
        { type: 'function', name: 'exec_command', parameters: { type: 'object', properties: {} } },
        { type: 'namespace', name: 'multi_agent_v1', description: 'Sub-agents.', tools: [spawn] },
      ],
    });
    expect(request.tools?.map((tool) => tool.name)).toEqual(['exec_command', 'spawn_agent']);
    expect(request.tools?.[1]).toEqual({ name: 'spawn_agent', description: 'Spawn', parameters: { type: 'object', properties: {} }, strict: false });
    expect([...toolNamespaces]).toEqual([['spawn_agent', 'multi_agent_v1']]);
    expect(request.messages[2]).toEqual({
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'spawn_agent', content: [{ type: 'text', text: 'agent-1' }] }],
    });
    expect(
      rejection({ model: 'm', input: 'x', tools: [{ type: 'function', name: 'a' }, { type: 'namespace', name: 'n', tools: [{ type: 'function', name: 'a' }] }] }),
    ).toMatchObject({ param: 'tools', message: expect.stringContaining("'a' is declared twice") });
    expect(rejection({ model: 'm', input: 'x', tools: [{ type: 'namespace', name: 'n', tools: [{ type: 'custom', name: 'apply_patch' }] }] })).toMatchObject({
      param: 'tools[0].tools[0].type',
      code: 'unsupported_tool_type',
    });
  });

  it('sets aside built-in tools offered among others, naming them, and refuses a choice that forces one', () => {
    for (const type of ['web_search', 'file_search', 'computer_use_preview', 'code_interpreter', 'mcp', 'custom']) {
      const parsed = parseOpenAIResponsesRequest({ model: 'm', input: 'x', tools: [{ type: 'function', name: 'ok' }, { type }] });
      expect(parsed.request.tools?.map((tool) => tool.name)).toEqual(['ok']);
      expect(parsed.ignoredFields).toEqual([`tools[type=${type}]`]);
    }
    const onlyBuiltIn = parseOpenAIResponsesRequest({ model: 'm', input: 'x', tools: [{ type: 'web_search' }] });
    expect(onlyBuiltIn.request.tools).toBeUndefined();
    expect(rejection({ model: 'm', input: 'x', tools: [{ type: 'web_search' }], tool_choice: 'required' })).toMatchObject({ param: 'tool_choice' });
    expect(rejection({ model: 'm', input: 'x', tool_choice: { type: 'web_search_preview' } })).toMatchObject({ param: 'tool_choice' });
  });

  it("continues a previous response's conversation with the new input, under the new instructions only", () => {
    const previous = {
      id: 'resp_1',
      conversation: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Call me Ada.' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello Ada.' }] },
        { type: 'function_call', call_id: 'call_1', name: 'look', arguments: '{}' },
      ],
    };
    const { request, settings, store } = parseOpenAIResponsesRequest(
      { model: 'm', instructions: 'Be brief.', input: [{ type: 'function_call_output', call_id: 'call_1', output: 'seen' }], store: false },
      previous,
    );
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Call me Ada.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello Ada.' }, { type: 'tool-call', id: 'call_1', name: 'look', arguments: '{}' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'look', content: [{ type: 'text', text: 'seen' }] }] },
    ]);
    expect(settings).toMatchObject({ previous_response_id: 'resp_1', store: false });
    expect(store).toBe(false);
    expect(parseOpenAIResponsesRequest({ model: 'm', input: 'What is my name?' }, previous).request.messages.at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'What is my name?' }],
    });
    expect(readPreviousResponseId({ model: 'm', input: 'x', previous_response_id: 'resp_1' })).toBe('resp_1');
    expect(readPreviousResponseId({ model: 'm', input: 'x', previous_response_id: null })).toBeUndefined();
  });

  it('reads input_file parts of user messages as documents, by data URL, bare base64 or URL', () => {
    const { request } = parseOpenAIResponsesRequest({
      model: 'm',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
            { type: 'input_file', file_data: 'JVBERi0=' },
            { type: 'input_file', file_url: 'https://example.com/b.pdf' },
            { type: 'input_text', text: 'Compare.' },
          ],
        },
      ],
    });
    expect(request.messages[0]!.content).toEqual([
      { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'a.pdf' },
      { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' } },
      { type: 'document', source: { kind: 'url', url: 'https://example.com/b.pdf' } },
      { type: 'text', text: 'Compare.' },
    ]);
  });

  it("refuses what needs OpenAI's platform, saying so", () => {
    expect(rejection({ model: 'm', input: 'x', conversation: 'conv_1' })).toMatchObject({ param: 'conversation' });
    expect(rejection({ model: 'm', input: 'x', background: true })).toMatchObject({ param: 'background' });
    expect(rejection({ model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] })).toMatchObject({
      param: 'input[0].type',
      message: expect.stringContaining('previous_response_id'),
    });
  });

  it('refuses malformed input with the path of the field at fault', () => {
    expect(rejection({ model: 'm' })).toMatchObject({ param: 'input' });
    expect(rejection({ model: 'm', input: [] })).toMatchObject({ param: 'input' });
    expect(rejection({ model: 'm', input: [{ type: 'function_call_output', output: 'x' }] })).toMatchObject({ param: 'input[0].call_id' });
    expect(rejection({ model: 'm', input: [{ role: 'robot', content: 'x' }] })).toMatchObject({ param: 'input[0].role' });
    expect(rejection({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] })).toMatchObject({
      param: 'input[0].content[0].file_data',
      message: expect.stringContaining('file_id'),
    });
    expect(rejection({ model: 'm', input: [{ role: 'assistant', content: [{ type: 'input_file', file_data: 'JVBERi0=' }] }] })).toMatchObject({
      param: 'input[0].content[0].type',
    });
    expect(rejection({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }] })).toMatchObject({
      param: 'input[0].content[0].image_url',
      message: expect.stringContaining('file_id'),
    });
    expect(rejection({ model: 'm', input: [{ role: 'system', content: [{ type: 'input_image', image_url: PNG }] }] })).toMatchObject({
      param: 'input[0].content[0]',
    });
    expect(rejection({ model: 'm', input: 'x', reasoning: { effort: 'extreme' } })).toMatchObject({ param: 'reasoning.effort' });
    expect(rejection({ model: 'm', input: 'x', text: { format: { type: 'json_schema' } } })).toMatchObject({ param: 'text.format' });
    expect(rejection({ model: 'm', input: 'x', max_output_tokens: 0 })).toMatchObject({ param: 'max_output_tokens' });
  });
});
