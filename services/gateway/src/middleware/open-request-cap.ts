import type { RequestHandler } from 'express';
import { inferProtocol } from '../auth/infer-protocol.js';
import { GatewayError } from '../errors/gateway-error.js';

/** What a refused client is told to wait: open requests end all the time, so a retry soon is likely to pass. */
const RETRY_AFTER_MS = 1_000;

/**
 * Caps the requests this gateway serves at once (`gateway.max_open_requests`), so a flood of
 * slow streams cannot take the process's memory: above it a request is refused with 503 and Retry-After in
 * its caller's protocol before its body is read, costing no upstream call. A slot is held until the
 * response closes, whether it finished or the client went away.
 */
export function openRequestCap(maxOpen: number): RequestHandler {
  let open = 0;
  const release = () => {
    open -= 1;
  };
  return (request, response, next) => {
    if (open >= maxOpen) {
      response.locals.protocol = inferProtocol(request, response);
      return next(
        new GatewayError({
          kind: 'unavailable',
          message: 'The gateway is serving as many requests as it is configured to; retry shortly.',
          code: 'server_busy',
          retryAfterMs: RETRY_AFTER_MS,
        }),
      );
    }
    open += 1;
    // A response closes once: `on` spares the wrapper `once` makes and its removal when it fires.
    response.on('close', release);
    next();
  };
}
