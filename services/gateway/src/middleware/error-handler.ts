import type { ErrorRequestHandler } from 'express';
import type { Logger } from '@nachos/common';
import { toClientError } from '../errors/client-error.js';
import { CLIENT_LEFT } from '../errors/client-left.js';
import { GatewayError } from '../errors/gateway-error.js';
import { ERROR_BODY, type ClientProtocol } from '../protocols/client-protocol.js';

/**
 * Body-parser failures carry `type` or a 4xx `status`; they are the caller's fault and say so. Bodies sent
 * with `Content-Encoding: gzip` or `deflate` are inflated, counted against the body limit as they inflate;
 * one that does not decode is a 400. A body cut short (the client closed the connection, or ended it before
 * the declared length) means the client left: {@link CLIENT_LEFT}.
 */
function fromBodyParser(error: { type?: string; status?: number; code?: string }): GatewayError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new GatewayError({ kind: 'invalid_request', message: 'The request body is not valid JSON.' });
    case 'entity.too.large':
      return new GatewayError({ kind: 'invalid_request', status: 413, message: 'The request body is too large.' });
    case 'request.aborted':
    case 'request.size.invalid':
      return CLIENT_LEFT;
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new GatewayError({ kind: 'invalid_request', status: 415, message: 'The request body encoding is not supported.' });
    default:
      if (typeof error.code === 'string' && error.code.startsWith('Z_') && error.status === 400) {
        return new GatewayError({ kind: 'invalid_request', message: 'The request body does not decode as its Content-Encoding says.', code: 'invalid_content_encoding' });
      }
      return undefined;
  }
}

/**
 * The one place errors become HTTP responses: status from the kind table, body in the caller's
 * protocol, `Retry-After` on 429. Unexpected errors are logged with their stack and answered generically.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const normalised = fromBodyParser(error as { type?: string; status?: number; code?: string }) ?? error;
    const clientError = toClientError(normalised, response.locals.caller as { providerKey?: unknown } | undefined);
    const requestId = response.locals.requestId as string | undefined;
    if (clientError.kind === 'internal') {
      logger.error('request failed', { requestId, error: (error as Error)?.stack ?? String(error) });
    }
    response.locals.failure = clientError;
    if (response.headersSent) {
      response.end();
      return;
    }
    // Nobody is left to read an answer: the status is kept for the access line and the meter only.
    if (request.socket.destroyed) {
      response.statusCode = clientError.status;
      return;
    }
    if (clientError.retryAfterMs !== undefined) {
      response.setHeader('retry-after', String(Math.max(1, Math.ceil(clientError.retryAfterMs / 1000))));
    }
    const protocol = (response.locals.protocol as ClientProtocol | undefined) ?? 'openai';
    response.status(clientError.status).json(ERROR_BODY[protocol](clientError, requestId));
  };
}
