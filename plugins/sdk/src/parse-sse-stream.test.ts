import { readFileSync, readdirSync } from 'node:fs';
import { parseSseStream, type ServerSentEvent } from './parse-sse-stream.js';
import { randomOffsets, splitAt, toAsyncChunks, toByteStream } from './testing/byte-chunks.js';

const fixtures = new URL('../../../test/fixtures/protocols/', import.meta.url);
const encoder = new TextEncoder();

async function parseChunks(chunks: Uint8Array[], asStream = true): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of parseSseStream(asStream ? toByteStream(chunks) : toAsyncChunks(chunks))) {
    events.push(event);
  }
  return events;
}

function parseText(...pieces: string[]): Promise<ServerSentEvent[]> {
  return parseChunks(pieces.map((piece) => encoder.encode(piece)));
}

function fixtureFiles(folder: string, extension: string): string[] {
  return readdirSync(new URL(folder, fixtures))
    .filter((name) => name.endsWith(extension))
    .map((name) => `${folder}${name}`);
}

const sseFixtures = [
  ...fixtureFiles('openai-chat/', '.sse'),
  ...fixtureFiles('openai-compatible/', '.sse'),
  ...fixtureFiles('anthropic-messages/', '.sse'),
  'gemini/stream-raw-crlf.sse',
];

/** What a correct parse of each recorded fixture must look like, checked independently of splitting. */
function expectWellFormed(path: string, text: string, events: ServerSentEvent[]): void {
  if (path.startsWith('anthropic-messages/')) {
    expect(events).toHaveLength(text.match(/^event: /gm)?.length ?? -1);
    for (const event of events) {
      expect(event.event).toBe((JSON.parse(event.data) as { type: string }).type);
    }
    return;
  }
  expect(events).toHaveLength(text.match(/^data: /gm)?.length ?? -1);
  for (const event of events) {
    expect(event.event).toBeUndefined();
    if (event.data !== '[DONE]') {
      expect(() => JSON.parse(event.data) as unknown).not.toThrow();
    }
  }
}

describe('parseSseStream on recorded fixtures', () => {
  it.each(sseFixtures)('%s parses the same whatever the chunk boundaries', async (path) => {
    const bytes = new Uint8Array(readFileSync(new URL(path, fixtures)));
    const whole = await parseChunks([bytes]);
    expectWellFormed(path, new TextDecoder().decode(bytes), whole);

    expect(await parseChunks([...bytes].map((byte) => Uint8Array.of(byte)), false)).toEqual(whole);
    if (bytes.length <= 4000) {
      for (let offset = 1; offset < bytes.length; offset += 1) {
        expect(await parseChunks(splitAt(bytes, [offset]), offset % 2 === 0)).toEqual(whole);
      }
    }
    for (let seed = 1; seed <= 60; seed += 1) {
      const offsets = randomOffsets(bytes.length, 1 + (seed % 25), seed);
      expect(await parseChunks(splitAt(bytes, offsets), seed % 2 === 0)).toEqual(whole);
    }
  });

  it('reads the CRLF-framed Gemini capture as one event', async () => {
    const bytes = readFileSync(new URL('gemini/stream-raw-crlf.sse', fixtures));
    const [event, ...rest] = await parseChunks([bytes]);
    expect(rest).toEqual([]);
    const payload = JSON.parse(event?.data ?? '') as { candidates: Array<{ content: { parts: Array<{ text: string }> } }> };
    expect(payload.candidates[0]?.content.parts[0]?.text).toBe('1, 2, 3');
  });

  it('delivers the last event of a stream that ends without a blank line', async () => {
    const bytes = readFileSync(new URL('anthropic-messages/messages-stream-tooluse-docs.sse', fixtures));
    expect(bytes.subarray(-2).toString()).not.toBe('\n\n');
    const events = await parseChunks([bytes]);
    expect(events.at(-1)).toEqual({ event: 'message_stop', data: '{"type":"message_stop"}' });
  });

  it('keeps multi-byte characters intact when a chunk ends inside one', async () => {
    const bytes = encoder.encode('data: {"text":"héllo → 世界 🌮"}\n\n');
    const taco = bytes.indexOf(0xf0);
    for (const offset of [taco + 1, taco + 2, taco + 3, bytes.indexOf(0xe4) + 1]) {
      expect(await parseChunks(splitAt(bytes, [offset]))).toEqual([{ data: '{"text":"héllo → 世界 🌮"}' }]);
    }
  });
});

describe('parseSseStream framing rules', () => {
  it('accepts \\n\\n, \\r\\n\\r\\n and \\r\\r as separators', async () => {
    expect(await parseText('data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\n\n')).toEqual([
      { data: 'a' },
      { data: 'b' },
      { data: 'c' },
      { data: 'd' },
    ]);
  });

  it('treats a CRLF split across chunks as one line end', async () => {
    expect(await parseText('data: a\r', '\n\r', '\ndata: b\r', '\r')).toEqual([{ data: 'a' }, { data: 'b' }]);
  });

  it('joins several data lines with newlines', async () => {
    expect(await parseText('data: first\ndata: second\ndata:third\n\n')).toEqual([{ data: 'first\nsecond\nthird' }]);
  });

  it('skips comments and unknown fields, and keeps event names and ids', async () => {
    expect(
      await parseText(': keep-alive\n\nevent: ping\nretry: 1000\nfoo: bar\nid: 7\ndata: {"type":"ping"}\n\n'),
    ).toEqual([{ event: 'ping', id: '7', data: '{"type":"ping"}' }]);
  });

  it('removes only one space after the colon and reads a field without a colon', async () => {
    expect(await parseText('data:  two spaces\n\ndata\n\n')).toEqual([{ data: ' two spaces' }, { data: '' }]);
  });

  it('does not dispatch an event without data, nor carry its fields into the next event', async () => {
    expect(await parseText('event: lonely\n\ndata: x\n\n')).toEqual([{ data: 'x' }]);
  });

  it('strips a byte order mark, even one split across chunks', async () => {
    const bytes = encoder.encode('\ufeffdata: x\n\n');
    expect(await parseChunks(splitAt(bytes, [1, 2]))).toEqual([{ data: 'x' }]);
  });

  it('delivers a final event whose last line has no line end at all', async () => {
    expect(await parseText('data: a\n\ndata: b')).toEqual([{ data: 'a' }, { data: 'b' }]);
    expect(await parseText('data: a\r')).toEqual([{ data: 'a' }]);
  });

  it('yields nothing for an empty body', async () => {
    expect(await parseText()).toEqual([]);
    expect(await parseText('\n\n: only a comment\n')).toEqual([]);
  });

  it('cancels the underlying stream when the consumer stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode('data: tick\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of parseSseStream(stream)) {
      expect(event.data).toBe('tick');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
