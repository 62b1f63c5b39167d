import type { RequestHandler } from 'express';
import { logLine, type Logger } from '@nachos/common';
import { markClientLeft } from '../errors/client-left.js';

/** Probes that orchestrators send every few seconds: logged at debug, so they do not drown real traffic. */
const PROBE_PATHS = new Set(['/health', '/ready', '/metrics']);

/**
 * One line per request, with its id, route, status and duration, written when the response ends. Its close
 * listener is the request's first, so it is also where a client that left before its answer is marked
 * (see markClientLeft) for every listener after it: the usage meter, /metrics, the route's own cleanup.
 */
export function accessLog(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const startedAt = performance.now();
    response.on('close', () => {
      markClientLeft(response);
      const failure = response.locals.failure as { kind?: string } | undefined;
      const streamError = response.locals.streamError as { clientError?: { kind?: string } } | undefined;
      const url = request.originalUrl;
      const query = url.indexOf('?');
      const path = query === -1 ? url : url.slice(0, query);
      // logLine asks the logger whether the level is on (winston's check costs more than these fields).
      const level = PROBE_PATHS.has(path) && response.statusCode < 400 ? 'debug' : 'info';
      logLine(logger, level, 'request', {
        requestId: response.locals.requestId,
        method: request.method,
        path,
        status: response.statusCode,
        error: failure?.kind ?? streamError?.clientError?.kind,
        clientClosedEarly: !response.writableFinished,
        // Set by the chat exchange, always as strings.
        provider: response.getHeader('x-nachos-provider') as string | undefined,
        endpoint: response.getHeader('x-nachos-endpoint') as string | undefined,
        durationMs: Math.round(performance.now() - startedAt),
      });
    });
    next();
  };
}
