/**
 * Removes credentials from text that may reach a log line or a client: upstream error messages
 * sometimes quote the key they rejected (OpenAI: "Incorrect API key provided: sk-proj-…wxyz").
 *
 * Replaces the exact values given, then anything shaped like a well-known provider key, a bearer
 * token or a `?key=` query parameter.
 */
export function redactSecrets(text: string, secretValues: readonly string[] = []): string {
  let redacted = text;
  for (const value of secretValues) {
    if (value.length >= 4) {
      redacted = redacted.split(value).join(REDACTED);
    }
  }
  if (!MAY_HOLD_KEY.test(redacted)) return redacted;
  for (const [pattern, replacement] of KEY_PATTERNS) {
    redacted = redacted.replace(pattern, replacement);
  }
  return redacted;
}

const REDACTED = '[redacted]';

/**
 * What every one of {@link KEY_PATTERNS} needs somewhere in the text (case aside): most text (an id, a
 * path, a log message) has none of it, and one scan then spares it the five.
 */
const MAY_HOLD_KEY = /(?:sk|rk|pk|xai)[-_]|AIza|AKIA|ASIA|bearer|[?&]/i;

const KEY_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:sk|rk|pk|xai|gsk)[-_][A-Za-z0-9_*-]{8,}/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, REDACTED],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
  [/([?&](?:key|api[_-]?key|token|access_token|sig)=)[^&\s"'<>]+/gi, `$1${REDACTED}`],
];
