import type { RequestHandler } from 'express';
import type { ClientProtocol } from '../protocols/client-protocol.js';

/** Marks the routes behind it as speaking `protocol`, so the error handler answers in that shape. */
export function markProtocol(protocol: ClientProtocol): RequestHandler {
  return (_request, response, next) => {
    response.locals.protocol = protocol;
    next();
  };
}
