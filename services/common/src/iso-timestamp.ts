/** The instant {@link isoTimestamp} last wrote, and what it wrote. */
let stampedMs = Number.NaN;
let stamp = '';
/** The start of the second last written, and its ISO text up to the milliseconds (`2026-12-07T11:05:34.`). */
let secondMs = Number.NaN;
let secondPrefix = '';

/**
 * `new Date().toISOString()`, as winston's timestamp format writes it, without a `Date` and its formatting
 * per line: lines of the same millisecond share one string, and lines of the same second one prefix.
 */
export function isoTimestamp(now: number = Date.now()): string {
  if (now === stampedMs) return stamp;
  const ms = ((now % 1000) + 1000) % 1000;
  const second = now - ms;
  if (second !== secondMs) {
    secondMs = second;
    // Whatever the year's width, the text ends with `.000Z`.
    secondPrefix = new Date(second).toISOString().slice(0, -4);
  }
  stampedMs = now;
  stamp = `${secondPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  return stamp;
}
