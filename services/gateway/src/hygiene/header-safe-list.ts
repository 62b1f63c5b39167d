/** Longest header value built from client text; a client cannot make the gateway answer with a huge header. */
const MAX_HEADER_VALUE_LENGTH = 512;

/**
 * Client-supplied names as one response-header value: anything but printable ASCII is escaped as `\uXXXX`
 * (no CR or LF can split the header, and nothing makes setting it throw), and the value is cut to a bounded
 * length, ending in `...` when it had to be.
 */
export function headerSafeList(items: readonly string[]): string {
  const value = items
    .map((item) => item.replace(/[^\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`))
    .join(', ');
  return value.length <= MAX_HEADER_VALUE_LENGTH ? value : `${value.slice(0, MAX_HEADER_VALUE_LENGTH - 3)}...`;
}
