import type { RequestHandler } from 'express';
import type { Logger } from '@nachos/common';

/** One line per request, with its id, route, status and duration, written when the response ends. */
export function accessLog(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const startedAt = performance.now();
    response.on('close', () => {
      const failure = response.locals.failure as { kind?: string } | undefined;
      const streamError = response.locals.streamError as { clientError?: { kind?: string } } | undefined;
      logger.info('request', {
        requestId: response.locals.requestId,
        method: request.method,
        path: request.originalUrl.split('?')[0],
        status: response.statusCode,
        error: failure?.kind ?? streamError?.clientError?.kind,
        clientClosedEarly: !response.writableFinished,
        provider: response.getHeader('x-nachos-provider'),
        endpoint: response.getHeader('x-nachos-endpoint'),
        durationMs: Math.round(performance.now() - startedAt),
      });
    });
    next();
  };
}
