import type { RequestHandler } from 'express';
import { GatewayError } from '../errors/gateway-error.js';
import { inferProtocol } from '../auth/infer-protocol.js';

/**
 * Bodies are read as JSON whatever they claim to be (curl sends `-d` as a form unless told otherwise), but a
 * body that says it is something else entirely (multipart, binary, XML) is refused with 415 before a byte
 * of it is parsed. Requests without a body pass.
 */
export function checkContentType(): RequestHandler {
  return (request, response, next) => {
    const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    const hasBody = request.headers['content-length'] !== undefined ? request.headers['content-length'] !== '0' : request.headers['transfer-encoding'] !== undefined;
    if (!hasBody || type === undefined || type === '' || isJsonLike(type)) return next();
    response.locals.protocol = inferProtocol(request, response);
    next(new GatewayError({ kind: 'invalid_request', status: 415, message: `Request bodies are JSON; '${type}' is not accepted.`, code: 'unsupported_media_type' }));
  };
}

function isJsonLike(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json') || type === 'text/plain' || type === 'application/x-www-form-urlencoded';
}
