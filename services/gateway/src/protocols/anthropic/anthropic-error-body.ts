import type { ClientError } from '../../errors/client-error.js';

/** Anthropic's `error.type` names, as its API sends them and its SDK types them. */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'overloaded_error';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
  /** The gateway's request id, as Anthropic's own error bodies carry theirs. */
  request_id?: string;
}

/**
 * Anthropic keys its error types on the HTTP status, so the type follows the status the kind table
 * chose (a 413 body-too-large is still `invalid_request` as a kind, but `request_too_large` here).
 * @see https://docs.anthropic.com/en/api/errors
 */
export function mapAnthropicErrorType(status: number): AnthropicErrorType {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/**
 * `{"type":"error","error":{"type","message"}}`, the envelope the Anthropic SDKs parse into their
 * `APIError` classes, both as a response body and as the payload of an in-stream `event: error`. The
 * request id travels in the `request-id` header, where the SDK reads it.
 */
export function anthropicErrorBody(error: ClientError, requestId?: string): AnthropicErrorBody {
  return {
    type: 'error',
    error: { type: mapAnthropicErrorType(error.status), message: error.message },
    ...(requestId ? { request_id: requestId } : {}),
  };
}
