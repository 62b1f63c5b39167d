import type { Response } from 'express';
import type { ClientError } from '../errors/client-error.js';
import type { StreamEncoder } from './stream-encoder.js';

/** A stream whose headers have gone out and whose end has not: how to end it in its own protocol. */
export interface OpenStream {
  response: Response;
  encoder: StreamEncoder;
  /** Cancels the call to llm-proxy, and with it the upstream request. */
  controller: AbortController;
}

const open = new Set<OpenStream>();

export function streamOpened(stream: OpenStream): void {
  open.add(stream);
}

export function streamEnded(stream: OpenStream): void {
  open.delete(stream);
}

/**
 * Ends every open stream with its protocol's in-band error and cancels its upstream call: when the
 * shutdown grace period is over, a client sees why its stream stopped instead of a bare closed socket.
 * The abort makes the exchange stop writing, so each stream still ends exactly once. Returns how many.
 */
export function endOpenStreams(error: ClientError): number {
  const ending = [...open];
  open.clear();
  for (const { response, encoder, controller } of ending) {
    controller.abort();
    if (response.writableEnded) continue;
    // Metered and logged as the failure it is, like any stream that ends in an error.
    response.locals.streamError = { error, clientError: error };
    response.end(encoder.error(error));
  }
  return ending.length;
}
