import { type CallOptions, type ChatRequest, isProviderPlugin, type PluginLogger, type Provider, ProviderError, type StreamEvent } from '@nachos/plugin-sdk';
import { assertEventGrammar, collectEvents, joinReasoning, joinText, joinToolCalls } from '@nachos/plugin-sdk/testing';
import mockPlugin from './index.js';
import type { MockOptions } from './mock-options.js';

const silentLogger: PluginLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function createProvider(options: Partial<MockOptions> = {}): Provider {
  const provider = mockPlugin.createProvider({
    endpoint: { id: 'mock' , baseUrl: '' },
    options: { first_token_ms: 0, chunk_delay_ms: 0, output_tokens: 16, ...options },
    logger: silentLogger,
    fetch: () => Promise.reject(new Error('the mock must not use the network')),
  });
  if (provider instanceof Promise) {
    throw new Error('the mock creates its provider synchronously');
  }
  return provider;
}

const call = (signal = new AbortController().signal): CallOptions => ({ signal });

function ask(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'mock-1', messages: [{ role: 'user', content: [{ type: 'text', text }] }], sampling: {}, stream: true, ...extra };
}

const usageOf = (events: StreamEvent[]): unknown => events.find((event) => event.type === 'usage');
const finishOf = (events: StreamEvent[]): unknown => events.find((event) => event.type === 'finish');

describe('mock plugin declaration', () => {
  it('is a branded, keyless plugin with its catalogue and options', () => {
    expect(isProviderPlugin(mockPlugin)).toBe(true);
    expect(mockPlugin).toMatchObject({ id: 'mock', requiresApiKey: false, contractVersion: 1 });
    expect(mockPlugin.catalogue.map((model) => model.id)).toEqual(['mock-1', 'mock-reasoning', 'mock-embed']);
    expect(mockPlugin.catalogue[0]?.aliases).toEqual(['mock']);
    expect(mockPlugin.catalogue[2]?.capabilities).toEqual({ embeddings: true });
    expect(mockPlugin.configSchema).toMatchObject({
      first_token_ms: { default: 0 },
      chunk_delay_ms: { default: 0 },
      output_tokens: { default: 16 },
    });
  });
});

describe('mock chat', () => {
  it('answers with a deterministic text of exactly output_tokens words, one per delta', async () => {
    const provider = createProvider({ output_tokens: 12 });
    const events = await collectEvents(provider.chat(ask('What is the capital of France?'), call()));
    assertEventGrammar(events);
    expect(events[0]).toMatchObject({ type: 'start', model: 'mock-1' });
    expect(joinText(events)).toBe('Mock reply to: What is the capital of France? lorem ipsum dolor');
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(12);
    expect(finishOf(events)).toEqual({ type: 'finish', reason: 'stop' });
    expect(usageOf(events)).toEqual({ type: 'usage', usage: { inputTokens: 6, outputTokens: 12 } });

    const again = await collectEvents(provider.chat(ask('What is the capital of France?'), call()));
    expect(again.slice(1)).toEqual(events.slice(1));
  });

  it('quotes at most eight words of a long message and counts input words across all messages', async () => {
    const request: ChatRequest = {
      model: 'mock',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
        { role: 'user', content: [{ type: 'text', text: 'one two three four five six seven eight nine ten' }] },
      ],
      sampling: {},
      stream: false,
    };
    const events = await collectEvents(createProvider({ output_tokens: 11 }).chat(request, call()));
    expect(joinText(events)).toBe('Mock reply to: one two three four five six seven eight…');
    expect(usageOf(events)).toEqual({ type: 'usage', usage: { inputTokens: 13, outputTokens: 11 } });
  });

  it('stops at max_tokens with finish reason length', async () => {
    const events = await collectEvents(createProvider().chat(ask('hello', { sampling: { maxTokens: 4 } }), call()));
    expect(joinText(events)).toBe('Mock reply to: hello');
    expect(finishOf(events)).toEqual({ type: 'finish', reason: 'length' });
    expect(usageOf(events)).toEqual({ type: 'usage', usage: { inputTokens: 1, outputTokens: 4 } });
  });

  it('reasons first on mock-reasoning, counting reasoning in the output', async () => {
    const events = await collectEvents(createProvider({ output_tokens: 5 }).chat(ask('why is the sky blue', { model: 'mock-reasoning' }), call()));
    assertEventGrammar(events);
    expect(events[1]?.type).toBe('reasoning-delta');
    expect(joinReasoning(events)).toBe('Considering the request: why is the sky blue');
    expect(usageOf(events)).toEqual({ type: 'usage', usage: { inputTokens: 5, outputTokens: 13, reasoningTokens: 8 } });
  });

  it('refuses chat on the embeddings model', async () => {
    await expect(collectEvents(createProvider().chat(ask('hi', { model: 'mock-embed' }), call()))).rejects.toMatchObject({
      kind: 'invalid_request',
    });
  });
});

describe('mock tool calls', () => {
  const tools = [
    {
      name: 'get_weather',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string' },
          unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
          days: { type: 'integer', minimum: 1 },
          detail: { type: 'object', properties: { hourly: { type: 'boolean' } }, required: ['hourly'] },
          note: { type: 'string' },
        },
        required: ['city', 'unit', 'days', 'detail'],
      },
    },
    { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: ['string', 'null'] } }, required: ['zone'] } },
  ];

  it('calls the first tool with arguments built from the required properties', async () => {
    const events = await collectEvents(createProvider().chat(ask('weather in Paris?', { tools }), call()));
    assertEventGrammar(events);
    const [toolCall] = joinToolCalls(events);
    expect(toolCall?.name).toBe('get_weather');
    expect(toolCall?.id).toMatch(/^call_mock_/);
    expect(JSON.parse(toolCall?.arguments ?? '')).toEqual({ city: 'mock', unit: 'celsius', days: 1, detail: { hourly: true } });
    expect(events.filter((event) => event.type === 'tool-call-delta')).toHaveLength(2);
    expect(finishOf(events)).toEqual({ type: 'finish', reason: 'tool_calls' });
    expect(usageOf(events)).toEqual({ type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } });
  });

  it('calls the tool that tool_choice names', async () => {
    const events = await collectEvents(createProvider().chat(ask('time?', { tools, toolChoice: { type: 'tool', name: 'get_time' } }), call()));
    expect(joinToolCalls(events)).toMatchObject([{ name: 'get_time', arguments: '{"zone":"mock"}' }]);
  });

  it('answers in text when tool_choice is none', async () => {
    const events = await collectEvents(createProvider({ output_tokens: 4 }).chat(ask('hi', { tools, toolChoice: { type: 'none' } }), call()));
    expect(joinToolCalls(events)).toEqual([]);
    expect(joinText(events)).toBe('Mock reply to: hi');
  });

  it('answers in text after a tool result', async () => {
    const request = ask('weather in Paris?', { tools });
    request.messages.push(
      { role: 'assistant', content: [{ type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{}' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'sunny and warm' }] }] },
    );
    const events = await collectEvents(createProvider({ output_tokens: 6 }).chat(request, call()));
    assertEventGrammar(events);
    expect(joinToolCalls(events)).toEqual([]);
    expect(joinText(events)).toBe('Mock reply to: weather in Paris?');
    expect(usageOf(events)).toEqual({ type: 'usage', usage: { inputTokens: 6, outputTokens: 6 } });
  });
});

describe('mock latency and cancellation', () => {
  it('waits first_token_ms before the first event and chunk_delay_ms between deltas', async () => {
    const provider = createProvider({ first_token_ms: 120, chunk_delay_ms: 30, output_tokens: 5 });
    const started = Date.now();
    const arrivals: number[] = [];
    for await (const event of provider.chat(ask('hi'), call())) {
      if (event.type === 'start' || event.type === 'text-delta') {
        arrivals.push(Date.now() - started);
      }
    }
    expect(arrivals[0]).toBeGreaterThanOrEqual(110);
    expect((arrivals.at(-1) ?? 0) - (arrivals[1] ?? 0)).toBeGreaterThanOrEqual(4 * 30 - 10);
  });

  it('stops with cancelled between chunks when the caller aborts', async () => {
    const controller = new AbortController();
    const provider = createProvider({ chunk_delay_ms: 200, output_tokens: 50 });
    const seen: string[] = [];
    const started = Date.now();
    const failure = await (async () => {
      for await (const event of provider.chat(ask('hi'), call(controller.signal))) {
        seen.push(event.type);
        if (seen.length === 2) {
          setTimeout(() => controller.abort(), 10);
        }
      }
    })().catch((error: unknown) => error);
    expect(ProviderError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ kind: 'cancelled' });
    expect(seen).toEqual(['start', 'text-delta']);
    expect(Date.now() - started).toBeLessThan(150);
  });

  it('fails at once when the signal is already aborted', async () => {
    await expect(collectEvents(createProvider().chat(ask('hi'), call(AbortSignal.abort())))).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('mock embeddings and models', () => {
  it('returns deterministic unit vectors of 8 dimensions, or as many as asked', async () => {
    const provider = createProvider();
    const first = await provider.embed?.({ model: 'mock-embed', input: ['hello world', 'goodbye'] }, call());
    const second = await provider.embed?.({ model: 'mock-embed', input: ['hello world'] }, call());
    expect(first?.embeddings).toHaveLength(2);
    expect(first?.embeddings[0]).toHaveLength(8);
    expect(second?.embeddings[0]).toEqual(first?.embeddings[0]);
    expect(first?.embeddings[1]).not.toEqual(first?.embeddings[0]);
    for (const vector of first?.embeddings ?? []) {
      expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
    }
    expect(first?.usage).toEqual({ inputTokens: 3 });
    const wide = await provider.embed?.({ model: 'mock-embed', input: ['x'], dimensions: 64 }, call());
    expect(wide?.embeddings[0]).toHaveLength(64);
  });

  it('lists its catalogue', async () => {
    expect((await createProvider().listModels?.(call()))?.map((model) => model.id)).toEqual(['mock-1', 'mock-reasoning', 'mock-embed']);
  });
});
