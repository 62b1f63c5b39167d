import { describeUpstreamError } from './describe-upstream-error.js';
import { isContextLengthMessage, mapHttpStatusToErrorKind } from './map-http-status-to-error-kind.js';
import { mapUpstreamErrorType } from './map-upstream-error-type.js';
import { ProviderError } from './provider-error.js';
import type { UpstreamErrorOptions } from './read-upstream-error.js';
import { redactSecrets } from './redact-secrets.js';

/**
 * Turns an error that arrived inside a 200 stream (OpenAI `data: {"error":…}`, Anthropic
 * `event: error`, an Ollama `{"error":"…"}` line) into a `ProviderError`. With no HTTP status to go
 * by, the kind comes from the provider's error type or code, or a numeric `code` used as a status;
 * an error the provider did not classify counts as `unavailable`, since it broke off mid-answer on
 * the provider's side.
 */
export function createInBandProviderError(payload: unknown, options: UpstreamErrorOptions = {}): ProviderError {
  const details = describeUpstreamError(payload);
  const message = details.message ?? 'upstream reported an error in the stream';
  const numericCode = readNumericCode(payload);
  const declaredKind =
    mapUpstreamErrorType(details.code) ??
    mapUpstreamErrorType(details.type) ??
    (numericCode === undefined ? undefined : mapHttpStatusToErrorKind(numericCode, message));
  const kind =
    (declaredKind === undefined || declaredKind === 'invalid_request') && isContextLengthMessage(message)
      ? 'context_length'
      : (declaredKind ?? 'unavailable');
  const errorOptions = {
    kind,
    message: redactSecrets(message, options.secretValues),
    retryAfterMs: details.retryAfterMs,
    providerId: options.providerId,
  };
  return new ProviderError(errorOptions);
}

/** Gemini and some compatible hosts put the HTTP status in `error.code` as a number. */
function readNumericCode(payload: unknown): number | undefined {
  const root = Array.isArray(payload) ? (payload as unknown[])[0] : payload;
  if (typeof root !== 'object' || root === null) {
    return undefined;
  }
  const error = (root as Record<string, unknown>)['error'];
  const code = typeof error === 'object' && error !== null ? (error as Record<string, unknown>)['code'] : undefined;
  return typeof code === 'number' && code >= 400 && code < 600 ? code : undefined;
}
