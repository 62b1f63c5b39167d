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

/** How long a stream may run, and the sweep that ends those over it: running only while a stream is open. */
let limit: { ms: number; error: ClientError; sweep?: ReturnType<typeof setInterval> } | undefined;

export function streamOpened(stream: OpenStream): void {
  open.set(stream, Date.now());
  if (limit !== undefined && limit.sweep === undefined) limit.sweep = setInterval(sweepStreamsOverLimit, SWEEP_MS).unref();
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

/** One sweep a second bounds each stream to within a second of the limit, with no timer per stream. */
const SWEEP_MS = 1_000;

/**
 * Bounds how long any stream may run: one still open `ms` after it opened ends with `error`. The sweep runs
 * only while streams are open, so an idle gateway is not woken each second to find none.
 */
export function limitStreamDuration(ms: number, error: ClientError): void {
  limit = { ms, error };
}

function sweepStreamsOverLimit(): void {
  if (limit === undefined) return;
  endStreamsOpenedBefore(Date.now() - limit.ms, limit.error);
  if (open.size > 0) return;
  clearInterval(limit.sweep);
  limit.sweep = undefined;
}

/** Ends, like {@link endOpenStreams}, the streams opened before `cutoff` (ms since the epoch). Returns how many. */
function endStreamsOpenedBefore(cutoff: number, error: ClientError): number {
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
