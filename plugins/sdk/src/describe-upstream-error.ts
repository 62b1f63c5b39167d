import { parseDurationSeconds, parseRetryHint } from './parse-retry-after.js';
import { isRecord } from './is-record.js';

/** What could be read from an upstream error body, whatever its provider's shape. */
export interface UpstreamErrorDetails {
  /** A human-readable message, as the provider wrote it (not yet redacted). */
  message?: string;
  /** The provider's error type (`rate_limit_error`, `RESOURCE_EXHAUSTED`, `invalid_request_error`). */
  type?: string;
  /** The provider's error code (`model_not_found`, `context_length_exceeded`, `insufficient_quota`). */
  code?: string;
  /**
   * How long to wait, for upstreams that say it in the body instead of a header: Gemini's
   * `RetryInfo.retryDelay`, a `retry_after` field (seconds), else the message's own words ("retry
   * after 9s").
   */
  retryAfterMs?: number;
}

/**
 * Reads the message, type and code out of an error body in any of the shapes providers use:
 * OpenAI and compatible hosts `{error:{message,type,code}}`, Anthropic
 * `{type:"error",error:{type,message}}`, Gemini `{error:{code,message,status,details}}` (sometimes
 * wrapped in an array), Ollama `{error:"…"}`, and flat `{message,type}` or `{detail}` bodies.
 */
export function describeUpstreamError(body: unknown): UpstreamErrorDetails {
  const root = Array.isArray(body) ? (body as unknown[])[0] : body;
  if (!isRecord(root)) {
    return {};
  }
  const error = root['error'];
  if (typeof error === 'string') {
    return { message: error };
  }
  const source = isRecord(error) ? error : root;
  const details: UpstreamErrorDetails = {};
  const message = firstString(source['message'], source['detail'], root['message'], root['detail']);
  if (message !== undefined) {
    details.message = message;
  }
  const type = firstString(source['type'] === 'error' ? undefined : source['type'], source['status']);
  if (type !== undefined) {
    details.type = type;
  }
  const code = firstString(source['code']);
  if (code !== undefined) {
    details.code = code;
  }
  const retryAfterMs = findRetryDelay(source['details']) ?? readRetryAfterField(source) ?? (message === undefined ? undefined : parseRetryHint(message));
  if (retryAfterMs !== undefined) {
    details.retryAfterMs = retryAfterMs;
  }
  return details;
}

function findRetryDelay(details: unknown): number | undefined {
  if (!Array.isArray(details)) {
    return undefined;
  }
  for (const detail of details as unknown[]) {
    if (isRecord(detail) && String(detail['@type']).endsWith('google.rpc.RetryInfo')) {
      return parseDurationSeconds(detail['retryDelay']);
    }
  }
  return undefined;
}

function readRetryAfterField(source: Record<string, unknown>): number | undefined {
  const seconds = source['retry_after'];
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === 'string' && value.trim() !== '') {
      return value;
    }
  }
  return undefined;
}
