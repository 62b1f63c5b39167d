import { readFileSync } from 'node:fs';
import { convertOpenAIChatResponse, convertOpenAIChatSse, convertOpenAIChatStream } from './openai-chat-stream-to-events.js';
import { parseSseStream } from './parse-sse-stream.js';
import { ProviderError } from './provider-error.js';
import { readOpenAIChatChunks } from './read-openai-chat-chunks.js';
import type { StreamEvent } from './stream-event.js';
import { assertEventGrammar } from './testing/assert-event-grammar.js';
import { randomOffsets, splitAt, toAsyncChunks, toByteStream } from './testing/byte-chunks.js';
import { collectEvents, joinReasoning, joinText, joinToolCalls } from './testing/collect-events.js';

const fixtures = new URL('../../../test/fixtures/protocols/', import.meta.url);

function replay(path: string, offsets: number[] = []): Promise<StreamEvent[]> {
  const bytes = new Uint8Array(readFileSync(new URL(path, fixtures)));
  const chunks = readOpenAIChatChunks(parseSseStream(toByteStream(splitAt(bytes, offsets))));
  return collectEvents(convertOpenAIChatStream(chunks, { requestModel: 'requested-model' }));
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(new URL(path, fixtures), 'utf8')) as unknown;
}

function fromChunks(chunks: unknown[]): Promise<StreamEvent[]> {
  async function* source(): AsyncGenerator<unknown> {
    yield* chunks;
  }
  return collectEvents(convertOpenAIChatStream(source(), { requestModel: 'requested-model' }));
}

const tail = (events: StreamEvent[]): StreamEvent[] => events.filter((event) => event.type === 'finish' || event.type === 'usage');

describe('convertOpenAIChatStream on recorded OpenAI streams', () => {
  it('converts a text stream without usage', async () => {
    const events = await replay('openai-chat/chat-stream-text.sse');
    assertEventGrammar(events);
    expect(events[0]).toEqual({ type: 'start', id: 'chatcmpl-C4HqHBe4xca0k0EzsCnf1t6V3YFXp', model: 'gpt-5-nano-2025-08-07' });
    expect(joinText(events)).toMatch(/^Hi there! How can I help today\? I can answer questions/);
    expect(tail(events)).toEqual([{ type: 'finish', reason: 'stop' }]);
  });

  it('reads usage that comes after the finish, with reasoning and cache details', async () => {
    const events = await replay('openai-chat/chat-stream-include-usage.sse');
    assertEventGrammar(events);
    expect(joinText(events)).toBe('');
    expect(tail(events)).toEqual([
      { type: 'finish', reason: 'length' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 100, cacheReadTokens: 0, reasoningTokens: 100 } },
    ]);
  });

  it('assembles a tool call streamed in fragments, the same at any chunk boundaries', async () => {
    const expected = await replay('openai-chat/chat-stream-toolcall.sse');
    assertEventGrammar(expected);
    expect(joinToolCalls(expected)).toEqual([
      { index: 0, id: 'call_O17Uplv4lJvD6DVdIvFFeRMw', name: 'test-tool', arguments: '{"value":"Sparkle Day"}' },
    ]);
    expect(expected.slice(-3)).toEqual([
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 53, outputTokens: 17 } },
    ]);
    for (let seed = 1; seed <= 20; seed += 1) {
      expect(await replay('openai-chat/chat-stream-toolcall.sse', randomOffsets(3070, seed, seed))).toEqual(expected);
    }
  });

  it('passes a refusal on as text', async () => {
    const events = await replay('openai-chat/chat-stream-refusal.sse');
    assertEventGrammar(events);
    expect(joinText(events)).toBe("I'm very sorry, but I can't assist with that request.");
    expect(tail(events)).toEqual([{ type: 'finish', reason: 'stop' }, { type: 'usage', usage: { inputTokens: 17, outputTokens: 13 } }]);
  });

  it("skips Azure's content-filter-only first chunk when taking the id and model", async () => {
    const events = await replay('azure-openai/chat-stream-content-filter.sse');
    assertEventGrammar(events);
    expect(events[0]).toEqual({ type: 'start', id: 'chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt', model: 'gpt-5-nano-2025-08-07' });
    expect(joinText(events)).toMatch(/^Capital of Denmark\./);
  });
});

describe('convertOpenAIChatStream on recorded compatible hosts', () => {
  it('numbers tool calls from 0 when the host starts at index 1', async () => {
    const events = await replay('openai-compatible/anthropic-backed-toolcall-index1.sse');
    assertEventGrammar(events);
    expect(joinText(events)).toBe('Reading it.');
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'toolu_sanitized', name: 'read_file', arguments: '{"path": "a.txt"}' }]);
    expect(tail(events)).toEqual([{ type: 'finish', reason: 'tool_calls' }]);
  });

  it('reads DeepSeek reasoning_content and usage on the finish chunk', async () => {
    const events = await replay('openai-compatible/deepseek-reasoner-stream-toolcall.sse');
    assertEventGrammar(events);
    expect(joinReasoning(events)).toMatch(/^The user is asking for the weather in/);
    expect(joinToolCalls(events)).toHaveLength(1);
    expect(JSON.parse(joinToolCalls(events)[0]?.arguments ?? '')).toEqual({ location: 'San Francisco' });
    expect(tail(events)).toEqual([
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 339, outputTokens: 83, cacheReadTokens: 320, reasoningTokens: 39 } },
    ]);
  });

  it('reads a Groq tool call that comes whole in one fragment', async () => {
    const events = await replay('openai-compatible/groq-stream-toolcall.sse');
    assertEventGrammar(events);
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'tk85n1k4m', name: 'weather', arguments: '{}' }]);
    expect(tail(events)).toEqual([{ type: 'finish', reason: 'tool_calls' }, { type: 'usage', usage: { inputTokens: 210, outputTokens: 15 } }]);
  });

  it('reads a Mistral tool call without index, with the finish on the same chunk', async () => {
    const events = await replay('openai-compatible/mistral-stream-toolcall.sse');
    assertEventGrammar(events);
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'gSIMJiOkT', name: 'weather', arguments: '{"location": "San Francisco"}' }]);
    expect(tail(events)).toEqual([{ type: 'finish', reason: 'tool_calls' }, { type: 'usage', usage: { inputTokens: 124, outputTokens: 22 } }]);
  });

  it("adds xAI's reasoning tokens, which it leaves out of completion_tokens, to the output", async () => {
    const events = await replay('openai-compatible/xai-stream-toolcall.sse');
    assertEventGrammar(events);
    expect(joinReasoning(events)).toMatch(/^First, the user is asking about the weather/);
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'call_79382389', name: 'weather', arguments: '{"location":"San Francisco"}' }]);
    expect(tail(events).at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 307, outputTokens: 253, cacheReadTokens: 306, reasoningTokens: 227 },
    });
  });
});

const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => ({
  id: 'c1',
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finishReason }],
});

describe('convertOpenAIChatStream edge cases', () => {
  it('sends exactly one finish when the upstream never gives a finish reason', async () => {
    const events = await fromChunks([chunk({ content: 'hi' })]);
    expect(events).toEqual([
      { type: 'start', id: 'c1', model: 'm' },
      { type: 'text-delta', text: 'hi' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('reports tool_calls when a tool was called but the upstream said stop, closing the call first', async () => {
    const events = await fromChunks([
      chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{"x":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }, 'stop'),
    ]);
    assertEventGrammar(events);
    expect(events.slice(-2)).toEqual([{ type: 'tool-call-end', index: 0 }, { type: 'finish', reason: 'tool_calls' }]);
  });

  it('keeps interleaved parallel calls apart and gives an argument-less call {}', async () => {
    const events = await fromChunks([
      chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'first', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'b', function: { name: 'second', arguments: '{"q"' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: ':2}' } }] }, 'tool_calls'),
    ]);
    assertEventGrammar(events);
    expect(joinToolCalls(events)).toEqual([
      { index: 0, id: 'a', name: 'first', arguments: '{}' },
      { index: 1, id: 'b', name: 'second', arguments: '{"q":2}' },
    ]);
  });

  it('treats a new id under a reused index as a new call', async () => {
    const events = await fromChunks([
      chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ index: 0, id: 'b', function: { name: 'g', arguments: '{"y":1}' } }] }, 'tool_calls'),
    ]);
    assertEventGrammar(events);
    expect(joinToolCalls(events).map((call) => call.id)).toEqual(['a', 'b']);
  });

  it('continues a Mistral-style call without index or id', async () => {
    const events = await fromChunks([
      chunk({ tool_calls: [{ id: 'abc', function: { name: 'f', arguments: '{"a"' } }] }),
      chunk({ tool_calls: [{ function: { arguments: ':1}' } }] }, 'tool_calls'),
    ]);
    expect(joinToolCalls(events)).toEqual([{ index: 0, id: 'abc', name: 'f', arguments: '{"a":1}' }]);
  });

  it('reads Groq/Ollama `reasoning` deltas as reasoning', async () => {
    const events = await fromChunks([chunk({ reasoning: 'thinking' }), chunk({ content: 'answer' }, 'stop')]);
    expect(events.slice(1, 3)).toEqual([
      { type: 'reasoning-delta', text: 'thinking' },
      { type: 'text-delta', text: 'answer' },
    ]);
  });

  it('reads the text parts of array content', async () => {
    const events = await fromChunks([chunk({ content: [{ type: 'text', text: 'Hel' }, { type: 'image_url' }, { type: 'text', text: 'lo' }] }, 'stop')]);
    expect(joinText(events)).toBe('Hello');
  });

  it('throws an in-stream error as a ProviderError', async () => {
    const failure = await fromChunks([
      chunk({ content: 'partial' }),
      { error: { message: 'The server had an error', type: 'server_error', code: null } },
    ]).catch((error: unknown) => error);
    expect(ProviderError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ kind: 'unavailable', message: 'The server had an error' });
  });

  it('throws unavailable for a stream that ends before anything came', async () => {
    const failure = await fromChunks([]).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'unavailable' });
  });

  it('throws for an `event: error` SSE event and ignores what follows [DONE]', async () => {
    const encoder = new TextEncoder();
    const body = (text: string): Promise<StreamEvent[]> =>
      collectEvents(
        convertOpenAIChatStream(readOpenAIChatChunks(parseSseStream(toByteStream([encoder.encode(text)])), { providerId: 'p' }), {
          requestModel: 'm',
        }),
      );
    await expect(body('event: error\ndata: {"error":{"message":"nope","type":"rate_limit_error"}}\n\n')).rejects.toMatchObject({
      kind: 'rate_limited',
      providerId: 'p',
    });
    const events = await body(`data: ${JSON.stringify(chunk({ content: 'a' }, 'stop'))}\n\ndata: [DONE]\n\ndata: not json\n\n`);
    expect(joinText(events)).toBe('a');
    await expect(body('data: {not json\n\n')).rejects.toMatchObject({ kind: 'internal' });
  });
});

describe('convertOpenAIChatSse', () => {
  const settle = (events: AsyncIterable<StreamEvent>) => collectEvents(events).then((seen) => ({ seen }), (error: unknown) => ({ error }));

  it('gives what the generator chain gives, events and failures alike, at any chunk boundaries', async () => {
    const encoder = new TextEncoder();
    const recorded = ['openai-chat/chat-stream-toolcall.sse', 'openai-chat/chat-stream-include-usage.sse', 'azure-openai/chat-stream-content-filter.sse'].map(
      (path) => new Uint8Array(readFileSync(new URL(path, fixtures))),
    );
    const crafted = [
      `data: ${JSON.stringify(chunk({ content: 'a' }))}\n\ndata: [DONE]\n\ndata: not json\n\n`,
      `data: ${JSON.stringify(chunk({ content: 'a' }))}\n\n`,
      `data: ${JSON.stringify(chunk({ content: 'a' }, 'stop'))}\n\n`,
      `data: ${JSON.stringify(chunk({ content: 'a' }))}\n\nevent: error\ndata: {"error":{"message":"nope","type":"rate_limit_error"}}\n\n`,
      'data: {not json\n\n',
      '',
    ].map((text) => encoder.encode(text));
    for (const bytes of [...recorded, ...crafted]) {
      for (let seed = 1; seed <= 5; seed += 1) {
        const chunks = splitAt(bytes, randomOffsets(bytes.length, seed, seed));
        const expected = await settle(convertOpenAIChatStream(readOpenAIChatChunks(parseSseStream(toByteStream(chunks)), { providerId: 'p' }), { requestModel: 'm', providerId: 'p' }));
        expect(await settle(convertOpenAIChatSse(toAsyncChunks(chunks), { requestModel: 'm', providerId: 'p' }))).toEqual(expected);
      }
    }
  });
});

describe('convertOpenAIChatResponse', () => {
  it('converts a recorded text completion', () => {
    const events = convertOpenAIChatResponse(readJson('openai-chat/chat-text.response.json'), { requestModel: 'x' });
    assertEventGrammar(events);
    expect(events[0]).toEqual({ type: 'start', id: 'chatcmpl-C4Gm9xikLXbgE8He0BHWeoM03aa72', model: 'gpt-5-nano-2025-08-07' });
    expect(joinText(events)).toMatch(/^Hi there! How can I help you today\?/);
    expect(tail(events)).toEqual([
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 8, outputTokens: 377, cacheReadTokens: 0, reasoningTokens: 320 } },
    ]);
  });

  it('converts a recorded tool-call completion', () => {
    const events = convertOpenAIChatResponse(readJson('openai-chat/chat-toolcall.response.json'), { requestModel: 'x' });
    assertEventGrammar(events);
    expect(joinToolCalls(events)).toEqual([
      {
        index: 0,
        id: 'call_8fxy20OEu9ulvvaa5b5CzVA4',
        name: 'get_current_weather',
        arguments: '{"location":"Boston, MA","unit":"fahrenheit"}',
      },
    ]);
    expect(tail(events)[0]).toEqual({ type: 'finish', reason: 'tool_calls' });
  });
});
