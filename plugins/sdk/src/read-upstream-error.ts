import { describeUpstreamError } from './describe-upstream-error.js';
import type { ErrorKind } from './error-kind.js';
import { mapHttpStatusToErrorKind } from './map-http-status-to-error-kind.js';
import { mapUpstreamErrorType } from './map-upstream-error-type.js';
import { type HeaderReader, parseRetryAfter } from './parse-retry-after.js';
import { ProviderError } from './provider-error.js';
import { redactSecrets } from './redact-secrets.js';

/** What an error answer is read from: a fetch `Response`, or the SDK's own upstream exchange. */
export interface UpstreamErrorResponse {
  readonly status: number;
  readonly headers: HeaderReader;
  readonly body: AsyncIterable<Uint8Array> | null;
}

export interface UpstreamErrorOptions {
  providerId?: string;
  /** Key values to scrub from the message, should the upstream quote them back. */
  secretValues?: readonly string[];
}

/**
 * Turns a non-2xx upstream response into a `ProviderError`: kind from the status table (refined by
 * the body's error type where a 400 is really a context-length or content-filter failure), the
 * provider's own message with credentials redacted, and `retryAfterMs` from the headers or from a
 * Gemini `RetryInfo`. Reads at most 64 KiB of body, so a misbehaving upstream cannot make us buffer
 * an endless page.
 */
export async function readUpstreamError(response: UpstreamErrorResponse, options: UpstreamErrorOptions = {}): Promise<ProviderError> {
  const text = await readLimitedText(response, MAX_ERROR_BODY_BYTES);
  const details = describeUpstreamError(parseJson(text));
  const message = details.message ?? fallbackMessage(response.status, text);
  const errorOptions = {
    kind: refineKind(mapHttpStatusToErrorKind(response.status, message), details.type, details.code),
    message: redactSecrets(message, options.secretValues),
    status: response.status,
    retryAfterMs: parseRetryAfter(response.headers) ?? details.retryAfterMs,
    providerId: options.providerId,
  };
  return new ProviderError(errorOptions);
}

/** A 400-class kind is refined by the body; a status-derived kind like 429 or 503 is never overridden. */
function refineKind(statusKind: ErrorKind, type: string | undefined, code: string | undefined): ErrorKind {
  if (statusKind !== 'invalid_request') {
    return statusKind;
  }
  const bodyKind = mapUpstreamErrorType(code) ?? mapUpstreamErrorType(type);
  return bodyKind === 'context_length' || bodyKind === 'content_filter' ? bodyKind : statusKind;
}

function fallbackMessage(status: number, text: string): string {
  const trimmed = text.trim();
  // An HTML error page says nothing a client can use; a short plain-text body often does.
  if (trimmed === '' || trimmed.startsWith('<')) {
    return `upstream answered HTTP ${status}`;
  }
  return `upstream answered HTTP ${status}: ${trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function readLimitedText(response: UpstreamErrorResponse, limit: number): Promise<string> {
  if (response.body === null) {
    return '';
  }
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  try {
    // Leaving the loop early closes the body (its iterator's `return`).
    for await (const value of response.body) {
      received += value.byteLength;
      text += decoder.decode(value.subarray(0, Math.max(0, value.byteLength - Math.max(0, received - limit))), { stream: true });
      if (received >= limit) break;
    }
    return text + decoder.decode();
  } catch {
    // A body that breaks off still leaves the status to go by.
    return text;
  }
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;
