import type { ErrorKind } from '@nachos/plugin-sdk';

/**
 * The one table from error kind to HTTP status, shared by every client protocol. Upstream credential
 * problems (`authentication`/`permission` from llm-proxy) are the operator's, not the caller's: they
 * arrive here as `unavailable` after llm-proxy has logged them, so a 401 always means the caller's key.
 */
export const HTTP_STATUS: Readonly<Record<ErrorKind, number>> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  rate_limited: 429,
  unavailable: 503,
  timeout: 504,
  context_length: 400,
  content_filter: 400,
  internal: 502,
  cancelled: 499,
};
