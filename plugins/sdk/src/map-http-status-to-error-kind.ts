import type { ErrorKind } from './error-kind.js';

/**
 * The one table from an upstream HTTP status to an error kind. Every plugin uses it, so that "429 from
 * Groq" and "429 from Anthropic" route, retry and reach the client the same way.
 *
 * A 400 whose message says the prompt did not fit becomes `context_length`, because clients (Claude
 * Code, agents) react to that differently from a plain bad request: they compact and try again.
 */
export function mapHttpStatusToErrorKind(status: number, message = ''): ErrorKind {
  switch (status) {
    case 400:
      return isContextLengthMessage(message) ? 'context_length' : 'invalid_request';
    case 401:
      return 'authentication';
    case 402: // Anthropic `billing_error`: this key may not spend; another key might.
    case 403:
      return 'permission';
    case 404:
      return 'not_found';
    case 408:
      return 'timeout';
    case 409: // Conflict: upstreams use it for transient lock contention; retrying is the cure.
      return 'unavailable';
    case 413:
    case 422:
      return isContextLengthMessage(message) ? 'context_length' : 'invalid_request';
    case 429:
      return 'rate_limited';
    case 504: // Gateway timeout, and Anthropic's `timeout_error`.
      return 'timeout';
    default:
      if (status >= 500) {
        return 'unavailable'; // 500, 502, 503 and Anthropic's 529 "overloaded"
      }
      return status >= 400 ? 'invalid_request' : 'internal';
  }
}

/**
 * Whether an upstream message says the prompt exceeded the model's context window. Matches the
 * wording of OpenAI ("maximum context length"), Anthropic ("prompt is too long", "exceed context
 * limit"), Gemini ("exceeds the maximum number of tokens"), Groq ("reduce the length of the
 * messages") and Mistral ("too large for model with … maximum context length").
 */
export function isContextLengthMessage(message: string): boolean {
  return CONTEXT_LENGTH_PATTERN.test(message);
}

const CONTEXT_LENGTH_PATTERN =
  /context[ _-]?(length|window|limit)|maximum context|prompt is too long|exceeds the maximum number of tokens|reduce the length of the messages|too large for model/i;
