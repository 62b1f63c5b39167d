/**
 * Scrubs credentials that hide in free text: `key=` style query parameters and bearer tokens. Secrets
 * held as `Secret` never print in the first place; this catches the ones that arrive inside strings
 * (an upstream URL in an error message, a header echoed by a server).
 */
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/([?&](?:key|api[_-]?key|apikey|access[_-]?token|token|sig|signature)=)[^&#\s"']+/gi, '$1[redacted]'],
  [/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[redacted]'],
  [/\b(sk-(?:ant-|proj-)?)[A-Za-z0-9_-]{8,}/g, '$1[redacted]'],
];

export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
