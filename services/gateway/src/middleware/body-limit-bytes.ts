const UNIT_BYTES: Readonly<Record<string, number>> = { b: 1, kb: 1 << 10, mb: 1 << 20, gb: 1 << 30, tb: 1024 ** 4, pb: 1024 ** 5 };
const SIZE = /^((-|\+)?(\d+(?:\.\d+)?)) *(kb|mb|gb|tb|pb)$/i;

/**
 * `[gateway] body_limit` in bytes, read as the `bytes` package reads it for raw-body and body-parser
 * (`20mb`, `512 KB`, `1048576`; null, no limit, for what it cannot read). Worked out once at start:
 * raw-body handed the string parses it again on every request.
 */
export function bodyLimitBytes(limit: string): number | null {
  const sized = SIZE.exec(limit);
  const value = sized ? parseFloat(sized[1] as string) : parseInt(limit, 10);
  if (Number.isNaN(value)) return null;
  return Math.floor((UNIT_BYTES[sized ? (sized[4] as string).toLowerCase() : 'b'] as number) * value);
}
