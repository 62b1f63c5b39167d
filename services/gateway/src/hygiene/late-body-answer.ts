import type { IncomingMessage } from 'node:http';
import type { ErrorRequestHandler, Request } from 'express';
import { inferProtocol } from '../auth/infer-protocol.js';
import { GatewayError } from '../errors/gateway-error.js';

/**
 * What becomes of a request whose body missed its deadline (body-deadline.ts): a 408 in its caller's
 * protocol, given by the app's error handler so that it is logged and metered like any other refusal, and
 * the connection closes once it is out (the rest of the body is never read). A request whose answer has
 * already begun can be told nothing more: its connection is closed.
 */
export function answerLateBody(errors: ErrorRequestHandler, timeoutMs: number): (request: IncomingMessage) => void {
  const message = `The request body did not arrive within ${timeoutMs} ms of its headers.`;
  return (incoming) => {
    const request = incoming as Request;
    const response = request.res;
    if (!response || response.headersSent) {
      request.socket.destroy();
      return;
    }
    response.setHeader('connection', 'close');
    response.locals.protocol ??= inferProtocol(request, response);
    errors(new GatewayError({ kind: 'timeout', status: 408, message }), request, response, () => response.destroy());
  };
}
