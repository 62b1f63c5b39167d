import type { Response } from 'express';
import type { CallCancellation } from '@nachos/plugin-sdk';
import type { ClientError } from '../errors/client-error.js';
import type { StreamEncoder } from './stream-encoder.js';

/**
 * A stream whose headers have gone out and whose end has not: how to end it in its own protocol. The open
 * streams are a list threaded through the streams themselves, not a Map or a Set. V8 gives a long-lived
 * Map's rehashed tables to the old generation, and a table it has replaced keeps the entries it held until
 * a full collection: every stream open at a rehash (one every 64 streams with 64 open) then survived each
 * scavenge, and all its objects with it. A stream that leaves the list lets go of its neighbours.
 */
export class OpenStream {
  readonly openedAt = Date.now();
  previous: OpenStream | undefined = undefined;
  next: OpenStream | undefined = undefined;

  constructor(
    readonly response: Response,
    readonly encoder: StreamEncoder,
    /** Cancels the call to llm-proxy, and with it the upstream request. */
    readonly cancellation: CallCancellation,
  ) {}
}

let first: OpenStream | undefined;
let last: OpenStream | undefined;
let count = 0;

/** Every stream in the list but the first has one before it. */
function isListed(stream: OpenStream): boolean {
  return stream.previous !== undefined || stream === first;
}

export function streamOpened(stream: OpenStream): void {
  stream.previous = last;
  if (last) last.next = stream;
  else first = stream;
  last = stream;
  count += 1;
}

export function streamEnded(stream: OpenStream): void {
  if (!isListed(stream)) return;
  const { previous, next } = stream;
  if (previous) previous.next = next;
  else first = next;
  if (next) next.previous = previous;
  else last = previous;
  stream.previous = stream.next = undefined;
  count -= 1;
}

/** How many streams are open now. */
export function openStreamCount(): number {
  return count;
}

/**
 * Ends every open stream with its protocol's in-band error and cancels its upstream call: when the
 * shutdown grace period is over, a client sees why its stream stopped instead of a bare closed socket.
 * Returns how many.
 */
export function endOpenStreams(error: ClientError): number {
  return endStreamsOpenedBefore(Number.POSITIVE_INFINITY, error);
}

/**
 * Ends, like {@link endOpenStreams}, the streams opened before `cutoff` (ms since the epoch): one sweep
 * bounds how long any stream may run, with no timer per stream. Returns how many.
 */
export function endStreamsOpenedBefore(cutoff: number, error: ClientError): number {
  // Taken first: ending a stream runs code that may end others.
  const due: OpenStream[] = [];
  for (let stream = first; stream; stream = stream.next) if (stream.openedAt < cutoff) due.push(stream);
  let ended = 0;
  for (const stream of due) {
    if (!isListed(stream)) continue;
    streamEnded(stream);
    ended += 1;
    const { response, encoder, cancellation } = stream;
    // The abort makes the exchange stop writing, so the stream still ends exactly once.
    cancellation.abort();
    if (response.writableEnded) continue;
    // Metered and logged as the failure it is, like any stream that ends in an error.
    response.locals.streamError = { error, clientError: error };
    response.end(encoder.error(error));
  }
  return ended;
}
