import type { ErrorRequestHandler, Request } from 'express';
import { inferProtocol } from '../auth/infer-protocol.js';
import { GatewayError } from '../errors/gateway-error.js';

const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Marks a body refused for its nesting, for {@link refuseDeepJson}. */
class TooDeepError extends Error {
  readonly type = 'entity.too.deep';
}

/**
 * A body-parser `verify` hook that refuses JSON nested deeper than `maxDepth` before it is parsed: one pass
 * over the raw bytes, outside strings, so a hostile body costs linear time and no recursion anywhere.
 */
export function verifyJsonDepth(maxDepth: number): (request: Request, response: unknown, body: Buffer) => void {
  return (_request, _response, body) => {
    let depth = 0;
    let inString = false;
    for (let index = 0; index < body.length; index += 1) {
      const byte = body[index];
      if (inString) {
        if (byte === BACKSLASH) index += 1;
        else if (byte === QUOTE) inString = false;
      } else if (byte === QUOTE) inString = true;
      else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
        depth += 1;
        if (depth > maxDepth) throw new TooDeepError(`nested deeper than ${maxDepth}`);
      } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) depth -= 1;
    }
  };
}

/** Turns the depth refusal (which body-parser reports as a 403) into a 400 in the caller's protocol. */
export function refuseDeepJson(maxDepth: number): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if ((error as { type?: string } | undefined)?.type !== 'entity.too.deep') return next(error);
    response.locals.protocol ??= inferProtocol(request, response);
    next(new GatewayError({ kind: 'invalid_request', message: `The request body is nested deeper than ${maxDepth} levels.`, code: 'json_too_deep' }));
  };
}
