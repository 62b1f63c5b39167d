/**
 * The small set of failure kinds every layer speaks. llm-proxy maps them to gRPC status in one table,
 * the gateway maps them to each client protocol's HTTP status and body in one table per protocol.
 */
export const ERROR_KINDS = [
  'invalid_request',
  'authentication',
  'permission',
  'not_found',
  'rate_limited',
  'unavailable',
  'timeout',
  'context_length',
  'content_filter',
  'internal',
  'cancelled',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Kinds worth another attempt on another endpoint or key: the request itself was fine. */
const RETRYABLE: ReadonlySet<ErrorKind> = new Set(['rate_limited', 'unavailable', 'timeout']);

export function isRetryableKind(kind: ErrorKind): boolean {
  return RETRYABLE.has(kind);
}

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}
