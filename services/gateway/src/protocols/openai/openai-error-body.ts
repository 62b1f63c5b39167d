import type { ErrorKind } from '@nachos/plugin-sdk';
import type { ClientError } from '../../errors/client-error.js';

/** OpenAI's `error.type` for each kind, as its API and SDK use them. */
const OPENAI_ERROR_TYPE: Readonly<Record<ErrorKind, string>> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'invalid_request_error',
  rate_limited: 'rate_limit_error',
  unavailable: 'server_error',
  timeout: 'timeout_error',
  context_length: 'invalid_request_error',
  content_filter: 'invalid_request_error',
  internal: 'server_error',
  cancelled: 'server_error',
};

/**
 * `{"error":{"message","type","param","code"}}`, the shape the OpenAI SDKs parse into `APIError`.
 * @see https://platform.openai.com/docs/guides/error-codes
 */
export function openAIErrorBody(error: ClientError): { error: { message: string; type: string; param: string | null; code: string | null } } {
  return {
    error: {
      message: error.message,
      type: OPENAI_ERROR_TYPE[error.kind],
      param: error.param ?? null,
      code: error.code ?? (error.kind === 'context_length' ? 'context_length_exceeded' : null),
    },
  };
}
