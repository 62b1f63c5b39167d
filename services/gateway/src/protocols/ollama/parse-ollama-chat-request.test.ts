import { readFileSync } from 'node:fs';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseOllamaChatRequest } from './parse-ollama-chat-request.js';

const FIXTURES = new URL('../../../../../test/fixtures/protocols/ollama/', import.meta.url);

function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, any>;
}

/** The 400 a body gets, with the field it names. */
function rejection(body: unknown): { status: number | undefined; param: string | undefined; message: string } {
  try {
    parseOllamaChatRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return { status: error.status ?? 400, param: error.param, message: error.message };
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('parseOllamaChatRequest', () => {
  it('streams by default and maps a plain conversation', () => {
    const { request, modelAction } = parseOllamaChatRequest(fixture('chat-stream.request.json'));
    expect(modelAction).toBeUndefined();
    expect(request).toEqual({
      model: 'llama3.2',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'why is the sky blue?' }] }],
      sampling: {},
      stream: true,
    });
  });

  it('maps OpenAI-shaped tools', () => {
    const { request } = parseOllamaChatRequest(fixture('chat-stream-toolcall.request.json'));
    expect(request.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Get the weather in a given city',
        parameters: fixture('chat-stream-toolcall.request.json').tools[0].function.parameters,
      },
    ]);
  });

  it('gives id-less assistant tool calls an id, stringifies their arguments, and pairs the tool result by tool_name', () => {
    const { request } = parseOllamaChatRequest(fixture('chat-toolresult-history.request.json'));
    expect(request.stream).toBe(false);
    const [, assistant, tool] = request.messages;
    expect(assistant).toEqual({ role: 'assistant', content: [{ type: 'tool-call', id: 'call_1_0', name: 'get_weather', arguments: '{"city":"Toronto"}' }] });
    expect(tool).toEqual({
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'call_1_0', toolName: 'get_weather', content: [{ type: 'text', text: '11 degrees celsius' }] }],
    });
  });

  it('pairs results by tool_call_id, by name, and in order, and keeps thinking as reasoning', () => {
    const { request } = parseOllamaChatRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: '',
          thinking: 'two lookups',
          tool_calls: [
            { id: 'call_x', function: { name: 'a', arguments: { q: 1 } } },
            { function: { name: 'b', arguments: '{"q":2}' } },
            { function: { name: 'c' } },
          ],
        },
        { role: 'tool', content: 'B', tool_name: 'b' },
        { role: 'tool', content: 'A', tool_call_id: 'call_x' },
        { role: 'tool', content: 'C' },
      ],
    });
    expect(request.messages[1]!.content).toEqual([
      { type: 'reasoning', text: 'two lookups' },
      { type: 'tool-call', id: 'call_x', name: 'a', arguments: '{"q":1}' },
      { type: 'tool-call', id: 'call_1_1', name: 'b', arguments: '{"q":2}' },
      { type: 'tool-call', id: 'call_1_2', name: 'c', arguments: '{}' },
    ]);
    expect(request.messages.slice(2).map((message) => message.content[0])).toEqual([
      { type: 'tool-result', toolCallId: 'call_1_1', toolName: 'b', content: [{ type: 'text', text: 'B' }] },
      { type: 'tool-result', toolCallId: 'call_x', toolName: 'a', content: [{ type: 'text', text: 'A' }] },
      { type: 'tool-result', toolCallId: 'call_1_2', toolName: 'c', content: [{ type: 'text', text: 'C' }] },
    ]);
  });

  it('refuses a tool result that answers no call', () => {
    expect(rejection({ model: 'm', messages: [{ role: 'user', content: 'x' }, { role: 'tool', content: 'orphan', tool_name: 'a' }] })).toMatchObject({
      status: 400,
      param: 'messages[1]',
    });
  });

  it('turns bare base64 images into canonical images with the type read from their bytes', () => {
    const body = fixture('chat-image.request.json');
    const { request } = parseOllamaChatRequest(body);
    expect(request.messages[0]!.content).toEqual([
      { type: 'text', text: 'what is in this image?' },
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: body.messages[0].images[0] } },
    ]);
  });

  it('maps options, format and think, ignores unknown options, and passes the Ollama-only fields through', () => {
    const { request } = parseOllamaChatRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      format: { type: 'object', properties: { a: { type: 'string' } } },
      think: 'high',
      keep_alive: '5m',
      options: {
        num_predict: 100,
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        stop: ['END'],
        seed: 7,
        presence_penalty: 0.5,
        frequency_penalty: -0.5,
        num_ctx: 8192,
        mirostat: 2,
      },
    });
    expect(request.sampling).toEqual({
      maxTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stop: ['END'],
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
    });
    expect(request.responseFormat).toEqual({ type: 'json_schema', name: 'response', schema: { type: 'object', properties: { a: { type: 'string' } } } });
    expect(request.reasoning).toEqual({ effort: 'high' });
    expect(request.passthrough).toEqual({
      family: 'ollama',
      fields: { think: 'high', keep_alive: '5m', options: expect.objectContaining({ num_ctx: 8192, mirostat: 2 }) },
    });
  });

  it('reads format "json", think true/false and an unlimited num_predict', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
    expect(parseOllamaChatRequest({ ...base, format: 'json', think: true }).request).toMatchObject({ responseFormat: { type: 'json_object' }, reasoning: { effort: 'medium' } });
    const off = parseOllamaChatRequest({ ...base, think: false, options: { num_predict: -1 } }).request;
    expect(off.reasoning).toBeUndefined();
    expect(off.sampling).toEqual({});
  });

  it('answers an empty conversation as a load, or an unload with keep_alive 0', () => {
    expect(parseOllamaChatRequest({ model: 'm', messages: [] }).modelAction).toBe('load');
    expect(parseOllamaChatRequest({ model: 'm' }).modelAction).toBe('load');
    expect(parseOllamaChatRequest({ model: 'm', messages: [], keep_alive: 0 }).modelAction).toBe('unload');
  });

  it.each([
    [{ messages: [] }, 'model'],
    [{ model: 'm', messages: 'hi' }, 'messages'],
    [{ model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    [{ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] }, 'messages[0].content'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x', images: ['not base64!'] }] }, 'messages[0].images[0]'],
    [{ model: 'm', messages: [{ role: 'system', content: 'x', images: ['iVBORw0KGgo='] }] }, 'messages[0].images'],
    [{ model: 'm', messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { arguments: {} } }] }] }, 'messages[0].tool_calls[0].function.name'],
    [{ model: 'm', messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'a', arguments: [1] } }] }] }, 'messages[0].tool_calls[0].function.arguments'],
    [{ model: 'm', messages: [], format: 'yaml' }, 'format'],
    [{ model: 'm', messages: [], think: 'very' }, 'think'],
    [{ model: 'm', messages: [], options: { temperature: 'hot' } }, 'options.temperature'],
    [{ model: 'm', messages: [], options: { num_predict: 1.5 } }, 'options.num_predict'],
    [{ model: 'm', messages: [], options: { top_p: 2 } }, 'options.top_p'],
    [{ model: 'm', messages: [], options: [] }, 'options'],
    [{ model: 'm', messages: [], tools: [{ type: 'function' }] }, 'tools[0]'],
    [{ model: 'm', messages: [], stream: 'yes' }, 'stream'],
  ])('refuses %j with a 400 naming %s', (body, param) => {
    expect(rejection(body)).toMatchObject({ status: 400, param });
  });
});
