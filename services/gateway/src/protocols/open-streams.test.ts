import type { Response } from 'express';
import { CallCancellation } from '@nachos/plugin-sdk';
import type { ClientError } from '../errors/client-error.js';
import { endOpenStreams, endStreamsOpenedBefore, OpenStream, openStreamCount, streamEnded, streamOpened } from './open-streams.js';
import type { StreamEncoder } from './stream-encoder.js';

const ERROR: ClientError = { kind: 'unavailable', status: 503, message: 'shutting down' };

/** A stream whose response records what it was ended with. */
function stream(): { open: OpenStream; written: string[]; cancellation: CallCancellation } {
  const written: string[] = [];
  const response = { writableEnded: false, locals: {}, end: (frame: string) => written.push(frame) } as unknown as Response;
  const encoder = { error: (error: ClientError) => `error: ${error.message}` } as unknown as StreamEncoder;
  const cancellation = new CallCancellation();
  return { open: new OpenStream(response, encoder, cancellation), written, cancellation };
}

afterEach(() => endOpenStreams(ERROR));

describe('open streams', () => {
  it('counts streams as they open and end, from the front, the middle and the back, each once', () => {
    const [a, b, c, d] = [stream(), stream(), stream(), stream()];
    for (const { open } of [a, b, c, d]) streamOpened(open);
    expect(openStreamCount()).toBe(4);
    streamEnded(b.open);
    streamEnded(b.open);
    streamEnded(a.open);
    streamEnded(d.open);
    expect(openStreamCount()).toBe(1);
    expect(endOpenStreams(ERROR)).toBe(1);
    expect(c.written).toEqual(['error: shutting down']);
    expect([a, b, d].map(({ written }) => written.length)).toEqual([0, 0, 0]);
    streamEnded(c.open);
    expect(openStreamCount()).toBe(0);
  });

  it('ends only the streams opened before the cutoff, cancelling their calls', async () => {
    const old = stream();
    streamOpened(old.open);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const young = stream();
    streamOpened(young.open);
    expect(endStreamsOpenedBefore(young.open.openedAt, ERROR)).toBe(1);
    expect(old.cancellation.aborted).toBe(true);
    expect(old.written).toEqual(['error: shutting down']);
    expect(young.cancellation.aborted).toBe(false);
    expect(openStreamCount()).toBe(1);
    // Ended by the sweep, the stream's own end later changes nothing.
    streamEnded(old.open);
    expect(openStreamCount()).toBe(1);
  });
});
