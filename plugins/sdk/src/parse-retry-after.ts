/** Anything headers can be read from: a fetch `Headers`, or a wrapper around Node's header object. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * How long an upstream asked us to wait, in milliseconds, or `undefined` when it did not say.
 *
 * Reads `retry-after-ms` first (OpenAI and Azure send it, more precise), then `retry-after` as
 * seconds (fractions allowed) or as an HTTP-date. A date in the past means "now" (0).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(headers: HeaderReader, now: number = Date.now()): number | undefined {
  const milliseconds = parseNonNegativeNumber(headers.get('retry-after-ms'));
  if (milliseconds !== undefined) {
    return Math.ceil(milliseconds);
  }
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value === '') {
    return undefined;
  }
  const seconds = parseNonNegativeNumber(value);
  if (seconds !== undefined) {
    return Math.ceil(seconds * 1000);
  }
  // An HTTP-date always names its month; without that check `Date.parse('-5')` would read a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Parses a protobuf `Duration` in its JSON form (`"34.4s"`), as Gemini's `RetryInfo.retryDelay`
 * carries it in 429 bodies, into milliseconds.
 */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string' || !value.endsWith('s')) {
    return undefined;
  }
  const seconds = parseNonNegativeNumber(value.slice(0, -1));
  return seconds === undefined ? undefined : Math.ceil(seconds * 1000);
}

function parseNonNegativeNumber(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) {
    return undefined;
  }
  return Number(value);
}

/**
 * How long an error message tells the caller to wait, for providers that say it only in words:
 * "retry after 9s", "Please try again in 20s", "try again in 6ms", "retry in 1m30.5s", "try again
 * in 2 seconds". `undefined` when the message names no such delay.
 */
export function parseRetryHint(message: string): number | undefined {
  const match = RETRY_HINT.exec(message);
  if (match === null) {
    return undefined;
  }
  const [, hours, minutes, amount, unit] = match;
  let milliseconds = (Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60) * 1000;
  if (amount !== undefined) {
    milliseconds += Number(amount) * unitMilliseconds(unit ?? 's');
  }
  return milliseconds > 0 || amount !== undefined ? Math.ceil(milliseconds) : undefined;
}

const RETRY_HINT =
  /\b(?:retry|try again)\s+(?:after|in)\s+(?:(\d+)\s*h(?:ours?)?\s*)?(?:(\d+)\s*m(?:in(?:utes?)?)?(?![a-z])\s*)?(?:(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)\b)?/i;

function unitMilliseconds(unit: string): number {
  const lower = unit.toLowerCase();
  if (lower === 'ms' || lower.startsWith('milli')) return 1;
  if (lower === 'm' || lower.startsWith('min')) return 60_000;
  return 1000;
}
