import type { ErrorKind } from '@nachos/plugin-sdk';

/**
 * A failed Response's `error.code`. Clients act on it: Codex, for one, waits and retries on
 * `rate_limit_exceeded`, and stops with a clear message on `context_length_exceeded`.
 */
export function responsesErrorCode(kind: ErrorKind): string {
  switch (kind) {
    case 'rate_limited':
      return 'rate_limit_exceeded';
    case 'context_length':
      return 'context_length_exceeded';
    case 'invalid_request':
    case 'content_filter':
      return 'invalid_prompt';
    default:
      return 'server_error';
  }
}
