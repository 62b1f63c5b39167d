import type { Request, RequestHandler } from 'express';
import bytes from 'bytes';
import getRawBody from 'raw-body';

/** body-parser's `verify` hook: sees the raw bytes before they are parsed and refuses by throwing. */
export type VerifyBody = (request: Request, response: unknown, body: Buffer, encoding: string) => void;

const BYTE_ORDER_MARK = 0xfeff;

/**
 * The gateway's JSON body step. A body as SDKs send it (a Content-Length, no Content-Encoding, no
 * Content-Type or a bare `application/json`) is read with raw-body and parsed here, with body-parser's
 * result and errors for it: UTF-8 without its byte-order mark, an empty body as `{}`, a `verify` refusal
 * as a 403 of its type, bad JSON as a 400 `entity.parse.failed`. Every other request (compressed, chunked,
 * a charset or other parameters, over the limit, already finished) goes to `fallback`, the app's
 * `express.json` with the same options, so it is answered exactly as before. This skips body-parser's
 * per-request checks, header parsing and charset decoder, which the common case never needs.
 */
export function jsonBody(fallback: RequestHandler, limit: string, verify?: VerifyBody): RequestHandler {
  // In bytes once, here: raw-body handed the string would parse it again on every request.
  const limitBytes = bytes.parse(limit);
  return (request, response, next) => {
    // Already answered while it waited to get here (a 408 once its body missed its deadline): that answer
    // ended the request, so its body is not read and no step after this one runs for it.
    if (response.writableEnded) return;
    const { headers } = request;
    const length = headers['content-length'];
    const type = headers['content-type'];
    if (
      length === undefined ||
      headers['transfer-encoding'] !== undefined ||
      headers['content-encoding'] !== undefined ||
      (type !== undefined && type !== 'application/json') ||
      isFinished(request)
    ) {
      fallback(request, response, next);
      return;
    }
    if (!('body' in request)) (request as { body?: unknown }).body = undefined;
    getRawBody(request, { length, limit: limitBytes }, (error, body) => {
      if (error) {
        // Declared larger than the limit: raw-body refused before reading, so body-parser can refuse it
        // as it does, reading off the body first. Otherwise the client went away mid-body (raw-body's
        // 400 `request.aborted`), where body-parser passes raw-body's error on as it is.
        if ((error as { type?: string }).type === 'entity.too.large') fallback(request, response, next);
        else next(asHttpError(error, 400, {}));
        return;
      }
      if (verify) {
        try {
          verify(request, response, body, 'utf-8');
        } catch (refusal) {
          next(asHttpError(refusal, 403, { body, type: (refusal as { type?: string }).type ?? 'entity.verify.failed' }));
          return;
        }
      }
      const text = decodeUtf8(body);
      try {
        request.body = text.length === 0 ? {} : JSON.parse(text);
      } catch (syntaxError) {
        next(asHttpError(syntaxError, 400, { body: text, type: 'entity.parse.failed' }));
        return;
      }
      next();
    });
  };
}

/** on-finished's test, as body-parser asks it first: a request whose body is gone has nothing to read. */
function isFinished(request: Request & { upgrade?: boolean }): boolean {
  const { socket } = request;
  return Boolean(request.upgrade || !socket || !socket.readable || (request.complete && !request.readable));
}

/** As iconv-lite decodes UTF-8 for body-parser: the byte-order mark is dropped. */
function decodeUtf8(body: Buffer): string {
  const text = body.toString('utf8');
  return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
}

/** What http-errors' createError(status, error, properties) makes of an error: its own status if it has one. */
function asHttpError(error: unknown, status: number, properties: Record<string, unknown>): unknown {
  const withStatus = error as Error & { status?: number; statusCode?: number; expose?: boolean };
  const own = withStatus.status || withStatus.statusCode || status;
  withStatus.expose = own < 500;
  withStatus.status = withStatus.statusCode = own;
  return Object.assign(withStatus, properties);
}
