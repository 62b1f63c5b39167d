import { ProviderError, type StreamEvent } from '@nachos/plugin-sdk';
import { assertEventGrammar, collectEvents, joinReasoning, joinText, randomOffsets, splitAt, toAsyncChunks, toByteStream } from '@nachos/plugin-sdk/testing';
import {
  concat,
  encodeErrorFrame,
  encodeEvent,
  encodeEventLines,
  encodeEventsFixture,
  encodeException,
  readFixture,
} from '../test/converse-stream-frames.js';
import { convertBedrockResponse, convertBedrockStream } from './bedrock-stream-to-events.js';

const conversion = { requestModel: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', requestId: 'req-1' };

/** The canonical events of the real ConverseStream capture: text block, then a toolUse block. */
const CAPTURE_EVENTS: StreamEvent[] = [
  { type: 'start', id: 'req-1', model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' },
  ...[
    'To',
    ' calculate the cosine',
    ' of 7,',
    ' we can use the',
    ' "',
    'cosine" function',
    ' that',
    ' is',
    ' available to',
    ' us.',
    ' Let',
    "'s use",
    ' this',
    ' function to',
    ' get',
    ' the result',
    '.',
  ].map((text): StreamEvent => ({ type: 'text-delta', text })),
  { type: 'tool-call-start', index: 0, id: 'tooluse_QklrEHKjRu6Oc4BQUfy7ZQ', name: 'cosine' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"x": 7}' },
  { type: 'tool-call-end', index: 0 },
  { type: 'finish', reason: 'tool_calls' },
  { type: 'usage', usage: { inputTokens: 386, outputTokens: 75 } },
];

async function convert(bytes: Uint8Array, chunks: Uint8Array[] = [bytes]): Promise<StreamEvent[]> {
  return collectEvents(convertBedrockStream(toByteStream(chunks), conversion));
}

async function failure(bytes: Uint8Array): Promise<ProviderError> {
  const error = await convert(bytes).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!ProviderError.isInstance(error)) {
    throw new Error(`expected a ProviderError, got ${String(error)}`);
  }
  return error;
}

describe('convertBedrockStream on the real ConverseStream capture', () => {
  const capture = new Uint8Array(readFixture('converse-stream-text-tooluse.eventstream'));

  it('yields the exact canonical events, in the stream grammar', async () => {
    const events = await convert(capture);
    expect(events).toEqual(CAPTURE_EVENTS);
    assertEventGrammar(events);
  });

  it('yields the same events however the network cuts the frames', async () => {
    for (let seed = 1; seed <= 25; seed += 1) {
      const chunks = splitAt(capture, randomOffsets(capture.length, 1 + (seed * 7) % 60, seed));
      await expect(convert(capture, chunks)).resolves.toEqual(CAPTURE_EVENTS);
    }
  });

  it('yields the same events from one-byte chunks of a Node-style async iterable', async () => {
    const chunks = Array.from(capture, (byte) => Uint8Array.of(byte));
    await expect(collectEvents(convertBedrockStream(toAsyncChunks(chunks), conversion))).resolves.toEqual(CAPTURE_EVENTS);
  });

  it('fails with internal when a CRC does not match, naming the frame as corrupt', async () => {
    const corrupted = capture.slice();
    corrupted[200] = (corrupted[200] ?? 0) ^ 0x01;
    const error = await failure(corrupted);
    expect(error.kind).toBe('internal');
    expect(error.message).toMatch(/corrupt eventstream frame/);
  });

  it('fails with internal on an impossible frame length instead of buffering it', async () => {
    const error = await failure(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0));
    expect(error.kind).toBe('internal');
  });

  it('fails with unavailable when the body ends inside a frame', async () => {
    expect((await failure(capture.subarray(0, capture.length - 10))).kind).toBe('unavailable');
  });

  it('fails with unavailable when the body ends before messageStop', async () => {
    const beforeStop = concat([encodeEvent('messageStart', { role: 'assistant' }), encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi' } })]);
    const error = await failure(beforeStop);
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/before messageStop/);
  });

  it('fails with unavailable on an empty body', async () => {
    expect((await failure(new Uint8Array(0))).kind).toBe('unavailable');
  });
});

describe('convertBedrockStream on decoded event sequences', () => {
  it('turns reasoning deltas and the signature into reasoning events, then the text', async () => {
    const events = await convert(encodeEventsFixture('converse-stream-reasoning.events.jsonl'));
    assertEventGrammar(events);
    expect(joinReasoning(events)).toBe(
      'Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nr appears at positions 3, 8, and 9.\n\nSo there are 3 r\'s.',
    );
    expect(events.filter((event) => event.type === 'reasoning-delta' && event.signature !== undefined)).toEqual([
      { type: 'reasoning-delta', text: '', signature: expect.stringMatching(/^Ep0CCkgICxAB/) as unknown },
    ]);
    expect(joinText(events)).toBe('There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y');
    expect(events.slice(-2)).toEqual([
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 51, outputTokens: 94 } },
    ]);
  });

  it('reads a text-only stream', async () => {
    const events = await convert(encodeEventsFixture('converse-stream-text.events.jsonl'));
    assertEventGrammar(events);
    expect(joinText(events)).toBe('Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r\'s in "strawberry."');
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 22, outputTokens: 55 } });
  });

  it('turns redacted reasoning into a redacted-reasoning event', async () => {
    const events = await convert(
      encodeEventLines([
        { messageStart: { role: 'assistant' } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { redactedContent: 'b3BhcXVl' } } } },
        { contentBlockStop: { contentBlockIndex: 0 } },
        { messageStop: { stopReason: 'end_turn' } },
      ]),
    );
    expect(events).toContainEqual({ type: 'redacted-reasoning', data: 'b3BhcXVl' });
  });

  it('counts cache reads and writes into the input tokens', async () => {
    const events = await convert(
      encodeEventLines([
        { messageStart: { role: 'assistant' } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'ok' } } },
        { messageStop: { stopReason: 'end_turn' } },
        { metadata: { usage: { inputTokens: 10, outputTokens: 3, cacheReadInputTokens: 900, cacheWriteInputTokens: 90 } } },
      ]),
    );
    expect(events.at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 1000, outputTokens: 3, cacheReadTokens: 900, cacheWriteTokens: 90 },
    });
  });

  it.each([
    ['max_tokens', 'length'],
    ['stop_sequence', 'stop'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
    ['something_new', 'other'],
  ] as const)('maps stopReason %s to %s', async (stopReason, reason) => {
    const events = await convert(encodeEventLines([{ messageStart: { role: 'assistant' } }, { messageStop: { stopReason } }]));
    expect(events.at(-1)).toEqual({ type: 'finish', reason });
  });

  it('names the stop sequence Claude reports', async () => {
    const events = await convert(
      encodeEventLines([
        { messageStart: { role: 'assistant' } },
        { messageStop: { stopReason: 'stop_sequence', additionalModelResponseFields: { delta: { stop_sequence: 'END' } } } },
      ]),
    );
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop', stopSequence: 'END' });
  });

  it('gives a tool call with no input "{}", numbers calls from 0 whatever the block index, and closes each', async () => {
    const events = await convert(
      encodeEventLines([
        { messageStart: { role: 'assistant' } },
        { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_a', name: 'now' } } } },
        { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '' } } } },
        { contentBlockStop: { contentBlockIndex: 1 } },
        { contentBlockStart: { contentBlockIndex: 2, start: { toolUse: { toolUseId: 'tooluse_b', name: 'add' } } } },
        { contentBlockDelta: { contentBlockIndex: 2, delta: { toolUse: { input: '{"a":' } } } },
        { contentBlockDelta: { contentBlockIndex: 2, delta: { toolUse: { input: '1}' } } } },
        { contentBlockStop: { contentBlockIndex: 2 } },
        { messageStop: { stopReason: 'tool_use' } },
      ]),
    );
    assertEventGrammar(events);
    expect(events.slice(1)).toEqual([
      { type: 'tool-call-start', index: 0, id: 'tooluse_a', name: 'now' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'tooluse_b', name: 'add' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"a":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '1}' },
      { type: 'tool-call-end', index: 1 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });
});

describe('convertBedrockStream on exception frames', () => {
  const started = [
    encodeEvent('messageStart', { role: 'assistant' }),
    encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Partial' } }),
  ];

  it.each([
    ['throttlingException', 'Too many requests, please wait before trying again.', 'rate_limited'],
    ['modelStreamErrorException', 'The model stream failed.', 'unavailable'],
    ['internalServerException', 'Internal error.', 'unavailable'],
    ['serviceUnavailableException', 'Service is unavailable.', 'unavailable'],
    ['validationException', 'The provided request is not valid.', 'invalid_request'],
    ['validationException', 'Input is too long for requested model.', 'context_length'],
    ['modelTimeoutException', 'Model timed out.', 'timeout'],
  ] as const)('throws %s ("%s") as %s, after the events before it', async (exceptionType, message, kind) => {
    const yielded: StreamEvent[] = [];
    const error = await (async () => {
      for await (const event of convertBedrockStream(toByteStream([concat([...started, encodeException(exceptionType, message)])]), conversion)) {
        yielded.push(event);
      }
    })().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).kind).toBe(kind);
    expect((error as ProviderError).message).toBe(`${exceptionType}: ${message}`);
    expect(yielded.map((event) => event.type)).toEqual(['start', 'text-delta']);
  });

  it('throws an unmodelled error frame by its :error-code', async () => {
    const error = await failure(concat([...started, encodeErrorFrame('ThrottlingException', 'Rate exceeded')]));
    expect(error.kind).toBe('rate_limited');
    expect(error.message).toBe('ThrottlingException: Rate exceeded');
  });

  it('counts an exception it does not know as unavailable', async () => {
    expect((await failure(concat([...started, encodeException('brandNewException', 'odd')]))).kind).toBe('unavailable');
  });
});

describe('convertBedrockResponse', () => {
  it('turns the recorded Converse response into the events its stream would give', () => {
    const events = convertBedrockResponse(JSON.parse(readFixture('converse-text.response.json').toString('utf8')), conversion);
    assertEventGrammar(events);
    expect(events).toEqual([
      { type: 'start', id: 'req-1', model: conversion.requestModel },
      { type: 'text-delta', text: 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** "r"s in "strawberry."' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { inputTokens: 22, outputTokens: 57 } },
    ]);
  });

  it('turns reasoning, tool use and the stop reason of a Converse response into events', () => {
    const events = convertBedrockResponse(
      {
        output: {
          message: {
            role: 'assistant',
            content: [
              { reasoningContent: { reasoningText: { text: 'Need the weather.', signature: 'sig-1' } } },
              { text: 'Checking.' },
              { toolUse: { toolUseId: 'tooluse_w', name: 'weather', input: { city: 'Lyon' } } },
            ],
          },
        },
        stopReason: 'tool_use',
        usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 },
      },
      conversion,
    );
    assertEventGrammar(events);
    expect(events.slice(1)).toEqual([
      { type: 'reasoning-delta', text: 'Need the weather.' },
      { type: 'reasoning-delta', text: '', signature: 'sig-1' },
      { type: 'text-delta', text: 'Checking.' },
      { type: 'tool-call-start', index: 0, id: 'tooluse_w', name: 'weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Lyon"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 7 } },
    ]);
  });

  it('fails with internal on a 200 that carries no message', () => {
    expect(() => convertBedrockResponse({ stopReason: 'end_turn' }, conversion)).toThrow(
      expect.objectContaining({ kind: 'internal' }) as unknown as Error,
    );
  });
});
