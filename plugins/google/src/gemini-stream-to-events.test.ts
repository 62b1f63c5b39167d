import { readFileSync } from 'node:fs';
import { ProviderError, type StreamEvent } from '@nachos/plugin-sdk';
import { assertEventGrammar, collectEvents, joinReasoning, joinText, joinToolCalls, randomOffsets, splitAt, toAsyncChunks } from '@nachos/plugin-sdk/testing';
import { convertGeminiResponse, convertGeminiStream } from './gemini-stream-to-events.js';

const FIXTURES = new URL('../../../test/fixtures/protocols/gemini/', import.meta.url);

function fixture(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES));
}

function json(name: string): unknown {
  return JSON.parse(fixture(name).toString('utf8'));
}

/** Converts a recorded SSE body, cut into network chunks at seeded random offsets. */
async function convert(body: Uint8Array | string, seed = 1): Promise<StreamEvent[]> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const chunks = splitAt(bytes, randomOffsets(bytes.length, 30, seed));
  const events = await collectEvents(convertGeminiStream(toAsyncChunks(chunks), { requestModel: 'requested-model' }));
  assertEventGrammar(events);
  return events;
}

async function conversionError(body: string): Promise<ProviderError> {
  const error: unknown = await convert(body).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!ProviderError.isInstance(error)) {
    throw new Error(`expected a ProviderError, got ${String(error)}`);
  }
  return error;
}

function chunk(candidate: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({ ...(candidate === undefined ? {} : { candidates: [candidate] }), responseId: 'r1', modelVersion: 'gemini-2.5-flash', ...extra })}\r\n\r\n`;
}

describe('convertGeminiStream on recorded streams', () => {
  it('streams text and takes usage from the last chunk only', async () => {
    for (const seed of [1, 2, 3]) {
      const events = await convert(fixture('stream-text.sse'), seed);
      expect(events[0]).toEqual({ type: 'start', id: 'pdSfaOurIPqAm9IPucqbqA4', model: 'gemini-2.0-flash' });
      expect(joinText(events)).toMatch(/^The sky is blue due to a phenomenon called \*\*Rayleigh scattering\*\*\./);
      expect(joinText(events)).toMatch(/hazy appearance\.$/);
      expect(events.slice(-2)).toEqual([
        { type: 'finish', reason: 'stop' },
        { type: 'usage', usage: { inputTokens: 6, outputTokens: 377 } },
      ]);
    }
  });

  it('reads the raw CRLF capture and counts thoughts into the output', async () => {
    const events = await convert(fixture('stream-raw-crlf.sse'));
    expect(joinText(events)).toBe('1, 2, 3');
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 8, outputTokens: 30, reasoningTokens: 23 } });
  });

  it('turns a whole function call into a tool call with a synthesized id, and STOP into tool_calls', async () => {
    const events = await convert(fixture('stream-functioncall.sse'));
    const calls = joinToolCalls(events);
    expect(calls).toEqual([{ index: 0, id: expect.stringMatching(/^call_[a-f0-9]{24}$/), name: 'customDivide', arguments: '{"denominator":2,"numerator":100}' }]);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 21, outputTokens: 6 } },
    ]);
  });

  it('gives every call its own id', async () => {
    const first = joinToolCalls(await convert(fixture('stream-functioncall.sse')));
    const second = joinToolCalls(await convert(fixture('functionresponse-followup.sse')));
    expect(first[0]?.id).not.toBe(second[0]?.id);
    expect(second[0]?.arguments).toBe('{"denominator":2,"numerator":50}');
  });

  it('keeps the thought signature of a function call on its start event', async () => {
    const events = await convert(fixture('stream-functioncall-snakecase.sse'));
    const start = events.find((event) => event.type === 'tool-call-start');
    expect(start).toMatchObject({ name: 'getWeather', signature: expect.stringMatching(/^CikBcsjafFK168Ib.*ybo=$/) });
    expect(joinToolCalls(events)[0]?.arguments).toBe('{"location":"Tokyo"}');
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('passes a signature that came on an empty text part as a reasoning delta', async () => {
    const events = await convert(fixture('stream-thinking-signature.sse'));
    expect(joinText(events)).toBe('There are **3** "r"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.');
    expect(events.filter((event) => event.type === 'reasoning-delta')).toEqual([
      { type: 'reasoning-delta', text: '', signature: expect.stringMatching(/^Eo0HCooHAb4/) },
    ]);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 285, reasoningTokens: 256 } },
    ]);
  });
});

describe('convertGeminiStream on edge cases', () => {
  it('turns thought parts into reasoning deltas', async () => {
    const events = await convert(
      chunk({ content: { role: 'model', parts: [{ text: 'Weighing it up.', thought: true, thoughtSignature: 'sig' }] } }) +
        chunk({ content: { role: 'model', parts: [{ text: 'Yes.' }] }, finishReason: 'STOP' }),
    );
    expect(joinReasoning(events)).toBe('Weighing it up.');
    expect(events).toContainEqual({ type: 'reasoning-delta', text: 'Weighing it up.', signature: 'sig' });
    expect(joinText(events)).toBe('Yes.');
  });

  it.each([
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', 'other'],
  ])('maps finishReason %s to %s', async (finishReason, reason) => {
    const events = await convert(chunk({ content: { role: 'model', parts: [{ text: 'partial' }] }, finishReason }));
    expect(events.find((event) => event.type === 'finish')).toEqual({ type: 'finish', reason });
  });

  it('finishes a prompt blocked before any candidate as content_filter, with no text', async () => {
    const events = await convert(
      chunk(undefined, { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 12, totalTokenCount: 12 } }),
    );
    expect(events.map((event) => event.type)).toEqual(['start', 'finish', 'usage']);
    expect(events[1]).toEqual({ type: 'finish', reason: 'content_filter' });
  });

  it('throws an error chunk as a ProviderError of its status', async () => {
    const error = await conversionError(`data: ${JSON.stringify({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })}\r\n\r\n`);
    expect(error).toMatchObject({ kind: 'unavailable', message: 'The model is overloaded.' });
  });

  it('fails a stream that ends before a finish reason, and one that sends nothing', async () => {
    expect((await conversionError(chunk({ content: { role: 'model', parts: [{ text: 'The sky' }] } }))).kind).toBe('unavailable');
    expect((await conversionError('')).kind).toBe('unavailable');
    expect((await conversionError('data: {oops}\r\n\r\n')).kind).toBe('internal');
  });
});

describe('convertGeminiResponse', () => {
  it('converts a generateContent response', () => {
    const events = convertGeminiResponse(json('generate-text.response.json'), { requestModel: 'gemini-2.0-flash' });
    assertEventGrammar(events);
    expect(events[0]).toEqual({ type: 'start', id: 'udSfaNTNEPP0n9kPrJGHuQ4', model: 'gemini-2.0-flash' });
    expect(joinText(events)).toMatch(/^The sky is blue because of a phenomenon called \*\*Rayleigh scattering\*\*/);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 6, outputTokens: 353 } },
    ]);
  });

  it('converts a function call with its signature and a thinking model usage', () => {
    const events = convertGeminiResponse(json('functioncall-thoughtsignature.response.json'), { requestModel: 'gemini-3-pro-preview' });
    assertEventGrammar(events);
    expect(events.find((event) => event.type === 'tool-call-start')).toMatchObject({ name: 'weather', signature: expect.stringMatching(/^EskgCsYg/) });
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 29, outputTokens: 908, reasoningTokens: 893 } },
    ]);
  });

  it('converts the JSON-array form of a stream', () => {
    const events = convertGeminiResponse(json('stream-jsonarray.response.json'), { requestModel: 'gemini-2.5-flash' });
    expect(joinText(events)).toBe('1\n2\n3\n4\n5\n6\n7\n8\n9\n10');
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 14, outputTokens: 68, reasoningTokens: 48 } });
  });
});
