import type { Response } from 'express';
import { toClientError } from './client-error.js';
import { GatewayError } from './gateway-error.js';

/**
 * A client that went away before its answer was complete (mid-body, while the upstream was still thinking,
 * before a stream's first token or mid-stream): the request ended on its side, so it is logged and metered
 * as `cancelled` (the kind table's 499), never as a failure of the gateway's nor as an answer given.
 */
export const CLIENT_LEFT = new GatewayError({ kind: 'cancelled', message: 'The client closed the connection before its answer was complete.' });

const CLIENT_LEFT_ANSWER = toClientError(CLIENT_LEFT);

/**
 * Called as the response closes, before anything reads its outcome (the access line, the usage meter and
 * /metrics all read it then): a response its client closed before it was all written is marked 499
 * `cancelled`, whatever status its head already carried, unless a failure was recorded for it first (a
 * refusal, a timeout, an in-band stream error), which stays what it was.
 */
export function markClientLeft(response: Response): void {
  if (response.writableFinished) return;
  const { locals } = response;
  if (locals.failure !== undefined || locals.streamError !== undefined) return;
  response.statusCode = CLIENT_LEFT_ANSWER.status;
  locals.failure = CLIENT_LEFT_ANSWER;
}
