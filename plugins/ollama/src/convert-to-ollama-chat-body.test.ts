import { readFileSync } from 'node:fs';
import type { ChatRequest, ImageSource } from '@nachos/plugin-sdk';
import { ProviderError } from '@nachos/plugin-sdk';
import { convertToOllamaChatBody, type OllamaBodySettings } from './convert-to-ollama-chat-body.js';

const fixtures = new URL('../../../test/fixtures/protocols/ollama/', import.meta.url);
const readFixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as Record<string, unknown>;

const settings: OllamaBodySettings = {
  numCtx: 0,
  keepAlive: '',
  providerId: 'ollama',
  readImage: (source: ImageSource) => Promise.resolve(source.kind === 'base64' ? source.data : `downloaded:${source.url}`),
};

const weatherTool = {
  name: 'get_weather',
  description: 'Get the weather in a given city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'The city to get the weather for' } },
    required: ['city'],
  },
};

function userText(text: string): ChatRequest['messages'][number] {
  return { role: 'user', content: [{ type: 'text', text }] };
}

describe('convertToOllamaChatBody', () => {
  it('writes the recorded tool-result history request, name of the tool found from the call', async () => {
    const request: ChatRequest = {
      model: 'llama3.2',
      messages: [
        userText('what is the weather in Toronto?'),
        { role: 'assistant', content: [{ type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Toronto"}' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: '11 degrees celsius' }] }] },
      ],
      tools: [weatherTool],
      sampling: {},
      stream: false,
    };
    const recorded = readFixture('chat-toolresult-history.request.json');
    const body = await convertToOllamaChatBody(request, settings);
    // The recording predates tool-call ids; current servers accept `id` and `tool_call_id` beside it.
    expect(body).toEqual({
      ...recorded,
      messages: [
        (recorded['messages'] as unknown[])[0],
        { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', function: { name: 'get_weather', arguments: { city: 'Toronto' } } }] },
        { role: 'tool', content: '11 degrees celsius', tool_name: 'get_weather', tool_call_id: 'call_1' },
      ],
    });
  });

  it('writes the recorded streaming tools request', async () => {
    const body = await convertToOllamaChatBody(
      { model: 'llama3.2', messages: [userText('what is the weather in tokyo?')], tools: [weatherTool], sampling: {}, stream: true },
      settings,
    );
    expect(body).toEqual(readFixture('chat-stream-toolcall.request.json'));
  });

  it('sends images as bare base64 beside the text, as in the recorded image request', async () => {
    const recorded = readFixture('chat-image.request.json');
    const [message] = recorded['messages'] as Array<{ content: string; images: string[] }>;
    const body = await convertToOllamaChatBody(
      {
        model: 'llava',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: message!.content },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: message!.images[0]! } },
            ],
          },
        ],
        sampling: {},
        stream: false,
      },
      settings,
    );
    expect(body.messages).toEqual(recorded['messages']);
  });

  it('maps sampling into options, the response format into format and the operator settings', async () => {
    const body = await convertToOllamaChatBody(
      {
        model: 'llama3.2',
        messages: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, userText('hi')],
        sampling: { maxTokens: 100, temperature: 0.2, topP: 0.9, topK: 40, stop: ['END'], seed: 7, presencePenalty: 0.5, frequencyPenalty: 0.1 },
        responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object', properties: { a: { type: 'string' } } } },
        stream: true,
      },
      { ...settings, numCtx: 8192, keepAlive: '10m' },
    );
    expect(body).toEqual({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
      stream: true,
      options: { num_predict: 100, temperature: 0.2, top_p: 0.9, top_k: 40, stop: ['END'], seed: 7, presence_penalty: 0.5, frequency_penalty: 0.1, num_ctx: 8192 },
      format: { type: 'object', properties: { a: { type: 'string' } } },
      keep_alive: '10m',
    });
    const jsonMode = await convertToOllamaChatBody({ model: 'm', messages: [userText('x')], sampling: {}, responseFormat: { type: 'json_object' }, stream: false }, settings);
    expect(jsonMode.format).toBe('json');
    expect(jsonMode.options).toBeUndefined();
  });

  it('maps reasoning effort to think: a level for gpt-oss, true for other models, false for none', async () => {
    const think = async (model: string, reasoning: ChatRequest['reasoning']) =>
      (await convertToOllamaChatBody({ model, messages: [userText('x')], sampling: {}, reasoning, stream: true }, settings)).think;
    await expect(think('gpt-oss:20b', { effort: 'minimal' })).resolves.toBe('low');
    await expect(think('gpt-oss:20b', { effort: 'medium' })).resolves.toBe('medium');
    await expect(think('gpt-oss:120b', { effort: 'xhigh' })).resolves.toBe('high');
    await expect(think('qwen3', { effort: 'high' })).resolves.toBe(true);
    await expect(think('qwen3', { budgetTokens: 2048 })).resolves.toBe(true);
    await expect(think('qwen3', { effort: 'none' })).resolves.toBe(false);
    await expect(think('qwen3', undefined)).resolves.toBeUndefined();
  });

  it('honours tool choice: none sends no tools, a named tool sends only that one', async () => {
    const otherTool = { name: 'get_time', parameters: { type: 'object' } };
    const base: ChatRequest = { model: 'm', messages: [userText('x')], tools: [weatherTool, otherTool], sampling: {}, stream: true };
    expect((await convertToOllamaChatBody({ ...base, toolChoice: { type: 'none' } }, settings)).tools).toBeUndefined();
    const named = await convertToOllamaChatBody({ ...base, toolChoice: { type: 'tool', name: 'get_time' } }, settings);
    expect(named.tools).toEqual([{ type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } }]);
  });

  it('puts tool results of an Anthropic-style user turn first, replays thinking and keeps the user text after', async () => {
    const body = await convertToOllamaChatBody(
      {
        model: 'qwen3',
        messages: [
          userText('weather in Oslo and Rome?'),
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'Two cities, two calls.' },
              { type: 'text', text: 'Checking.' },
              { type: 'tool-call', id: 'a', name: 'get_weather', arguments: '{"city":"Oslo"}' },
              { type: 'tool-call', id: 'b', name: 'get_weather', arguments: '' },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool-result', toolCallId: 'a', content: [{ type: 'text', text: '3°C' }] },
              { type: 'tool-result', toolCallId: 'b', toolName: 'get_weather', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.test/map.png' } }] },
              { type: 'text', text: 'Summarise.' },
            ],
          },
        ],
        sampling: {},
        stream: true,
      },
      settings,
    );
    expect(body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Checking.',
        thinking: 'Two cities, two calls.',
        tool_calls: [
          { id: 'a', function: { name: 'get_weather', arguments: { city: 'Oslo' } } },
          { id: 'b', function: { name: 'get_weather', arguments: {} } },
        ],
      },
      { role: 'tool', content: '3°C', tool_name: 'get_weather', tool_call_id: 'a' },
      { role: 'tool', content: '', images: ['downloaded:https://example.test/map.png'], tool_name: 'get_weather', tool_call_id: 'b' },
      { role: 'user', content: 'Summarise.' },
    ]);
  });

  it('merges an Ollama client\'s own fields underneath canonical values, and above the operator\'s num_ctx', async () => {
    const body = await convertToOllamaChatBody(
      {
        model: 'llama3.2',
        messages: [userText('x')],
        sampling: { temperature: 0.1 },
        stream: true,
        passthrough: { family: 'ollama', fields: { keep_alive: '1h', options: { temperature: 0.9, mirostat: 2, num_ctx: 4096 }, model: 'ignored' } },
      },
      { ...settings, numCtx: 8192 },
    );
    expect(body.model).toBe('llama3.2');
    expect(body.keep_alive).toBe('1h');
    expect(body.options).toEqual({ temperature: 0.1, mirostat: 2, num_ctx: 4096 });
  });

  it('refuses tool-call arguments that are not a JSON object before any upstream call', async () => {
    const request: ChatRequest = {
      model: 'm',
      messages: [{ role: 'assistant', content: [{ type: 'tool-call', id: 'x', name: 'f', arguments: '{"broken' }] }],
      sampling: {},
      stream: true,
    };
    const failure = await convertToOllamaChatBody(request, settings).catch((error: unknown) => error);
    expect(ProviderError.isInstance(failure) && failure.kind).toBe('invalid_request');
    const notObject = { ...request, messages: [{ role: 'assistant' as const, content: [{ type: 'tool-call' as const, id: 'x', name: 'f', arguments: '[1]' }] }] };
    await expect(convertToOllamaChatBody(notObject, settings)).rejects.toThrow('not a JSON object');
  });
});
