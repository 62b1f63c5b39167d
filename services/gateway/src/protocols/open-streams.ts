import type { Response } from 'express';
import type { CallCancellation } from '@nachos/plugin-sdk';
import type { ClientError } from '../errors/client-error.js';
import type { StreamEncoder } from './stream-encoder.js';

/** A stream whose headers have gone out and whose end has not: how to end it in its own protocol. */
export interface OpenStream {
  response: Response;
  encoder: StreamEncoder;
  /** Cancels the call to llm-proxy, and with it the upstream request. */
  cancellation: CallCancellation;
}

/** Every open stream, with when it opened. */
const open = new Map<OpenStream, number>();

export function streamOpened(stream: OpenStream): void {
  open.set(stream, Date.now());
}

export function streamEnded(stream: OpenStream): void {
  open.delete(stream);
}

/** How many streams are open now. */
export function openStreamCount(): number {
  return open.size;
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
  let ended = 0;
  for (const [stream, openedAt] of open) {
    if (openedAt >= cutoff) continue;
    open.delete(stream);
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
