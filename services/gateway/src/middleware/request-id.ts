import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's `x-request-id` when it is sane, else makes one; echoed back and carried to llm-proxy. */
export function requestId(): RequestHandler {
  return (request, response, next) => {
    const given = request.headers['x-request-id'];
    const id = typeof given === 'string' && VALID.test(given) ? given : randomUUID();
    response.locals.requestId = id;
    response.setHeader('x-request-id', id);
    next();
  };
}
