import type { ErrorKind } from './error-kind.js';

/**
 * Maps a provider's own error type, status or code to a kind. Used for errors that arrive inside a
 * stream, after the HTTP 200 (OpenAI `data: {"error":…}`, Anthropic `event: error`), where there is
 * no status to go by, and to refine an HTTP 400 that is really a context-length or content-filter
 * failure.
 *
 * @see https://docs.anthropic.com/en/api/errors
 * @see https://cloud.google.com/apis/design/errors#handling_errors
 */
export function mapUpstreamErrorType(typeOrCode: string | undefined): ErrorKind | undefined {
  if (typeOrCode === undefined) {
    return undefined;
  }
  return ERROR_TYPES.get(typeOrCode.toLowerCase());
}

const ERROR_TYPES: ReadonlyMap<string, ErrorKind> = new Map([
  ['invalid_request_error', 'invalid_request'],
  ['invalid_argument', 'invalid_request'],
  ['failed_precondition', 'invalid_request'],
  ['validationexception', 'invalid_request'],
  ['unsupported_parameter', 'invalid_request'],
  ['request_too_large', 'invalid_request'],
  ['authentication_error', 'authentication'],
  ['invalid_api_key', 'authentication'],
  ['unauthenticated', 'authentication'],
  ['permission_error', 'permission'],
  ['permission_denied', 'permission'],
  ['accessdeniedexception', 'permission'],
  ['billing_error', 'permission'],
  ['not_found_error', 'not_found'],
  ['model_not_found', 'not_found'],
  ['not_found', 'not_found'],
  ['resourcenotfoundexception', 'not_found'],
  ['rate_limit_error', 'rate_limited'],
  ['rate_limit_exceeded', 'rate_limited'],
  ['insufficient_quota', 'rate_limited'],
  ['resource_exhausted', 'rate_limited'],
  ['throttlingexception', 'rate_limited'],
  ['overloaded_error', 'unavailable'],
  ['api_error', 'unavailable'],
  ['server_error', 'unavailable'],
  ['internal', 'unavailable'],
  ['unavailable', 'unavailable'],
  ['serviceunavailableexception', 'unavailable'],
  ['internalserverexception', 'unavailable'],
  ['modelstreamerrorexception', 'unavailable'],
  ['timeout_error', 'timeout'],
  ['deadline_exceeded', 'timeout'],
  ['modeltimeoutexception', 'timeout'],
  ['context_length_exceeded', 'context_length'],
  ['content_filter', 'content_filter'],
  ['content_policy_violation', 'content_filter'],
]);
