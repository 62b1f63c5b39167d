import { convertSseBody, type SseEventConverter } from './convert-sse-body.js';
import type { ServerSentEvent } from './parse-sse-stream.js';
import type { StreamEvent } from './stream-event.js';

const encoder = new TextEncoder();
const text = (value: string): StreamEvent => ({ type: 'text-delta', text: value });
const finish: StreamEvent = { type: 'finish', reason: 'stop' };

/** A body of the given chunks that records whether it was closed, and can fail or hang after them. */
function body(chunks: string[], after: 'end' | 'fail' | 'hang' = 'end') {
  const log = { closed: 0, pulls: 0 };
  let release: (() => void) | undefined;
  const iterator: AsyncIterableIterator<Uint8Array> = {
    async next() {
      log.pulls += 1;
      const chunk = chunks.shift();
      if (chunk !== undefined) return { done: false, value: encoder.encode(chunk) };
      if (after === 'fail') throw new Error('connection reset');
      if (after === 'hang') await new Promise<void>((resolve) => (release = resolve));
      return { done: true, value: undefined };
    },
    async return() {
      log.closed += 1;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return { iterator, log, release: () => release?.() };
}

/** `[DONE]` is the end marker, `boom` fails, anything else is a text delta; the end reports whether the marker came. */
function converter(): SseEventConverter & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    accept(event: ServerSentEvent) {
      seen.push(event.data);
      if (event.data === '[DONE]') return undefined;
      if (event.data === 'boom') throw new Error('bad event');
      return [text(event.data)];
    },
    end(marked: boolean) {
      return [{ type: 'finish', reason: marked ? 'stop' : 'length' }];
    },
  };
}

async function drain(events: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error?: Error }> {
  const seen: StreamEvent[] = [];
  try {
    for await (const event of events) seen.push(event);
    return { events: seen };
  } catch (error) {
    return { events: seen, error: error as Error };
  }
}

describe('convertSseBody', () => {
  it('converts events split anywhere across chunks, and ends a body that ended by itself without closing it', async () => {
    const source = body(['data: a\n\nda', 'ta: b\r\n\r\ndata: c', '\n\n', 'data: d']);
    const result = await drain(convertSseBody(source.iterator, converter()));
    expect(result).toEqual({ events: [text('a'), text('b'), text('c'), text('d'), { type: 'finish', reason: 'length' }] });
    expect(source.log.closed).toBe(0);
  });

  it('stops at the end marker: the body is closed and nothing after the marker is read', async () => {
    const source = body(['data: a\n\ndata: [DONE]\n\ndata: late\n\n', 'data: later\n\n']);
    const rules = converter();
    const result = await drain(convertSseBody(source.iterator, rules));
    expect(result.events).toEqual([text('a'), finish]);
    expect(rules.seen).toEqual(['a', '[DONE]']);
    expect(source.log).toEqual({ closed: 1, pulls: 1 });
  });

  it('delivers the events before a failing one, then fails and closes the body', async () => {
    const source = body(['data: a\n\ndata: boom\n\ndata: c\n\n']);
    const result = await drain(convertSseBody(source.iterator, converter()));
    expect(result.events).toEqual([text('a')]);
    expect(result.error?.message).toBe('bad event');
    expect(source.log.closed).toBe(1);
  });

  it("passes on the body's own failure after the events it gave, without closing it", async () => {
    const source = body(['data: a\n\n'], 'fail');
    const result = await drain(convertSseBody(source.iterator, converter()));
    expect(result.events).toEqual([text('a')]);
    expect(result.error?.message).toBe('connection reset');
    expect(source.log.closed).toBe(0);
  });

  it('waits for a pull under way before it stops, as a generator would', async () => {
    const source = body(['data: a\n\n'], 'hang');
    const events = convertSseBody(source.iterator, converter());
    expect(await events.next()).toEqual({ done: false, value: text('a') });
    const pending = events.next();
    const stopped = events.return!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.log.closed).toBe(0);
    source.release();
    expect(await pending).toEqual({ done: false, value: { type: 'finish', reason: 'length' } });
    expect(await stopped).toEqual({ done: true, value: undefined });
    expect(source.log.closed).toBe(0);
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('closes a body still open when the caller breaks off', async () => {
    const source = body(['data: a\n\ndata: b\n\n', 'data: c\n\n']);
    for await (const event of convertSseBody(source.iterator, converter())) {
      expect(event).toEqual(text('a'));
      break;
    }
    expect(source.log.closed).toBe(1);
  });
});
