/**
 * Makes a tool-call id acceptable to Anthropic, which requires `^[a-zA-Z0-9_-]+$`: ids replayed from
 * other providers (`functions.Bash:0` from Kimi-style hosts, dotted ids) are otherwise a 400. Every
 * other character becomes `_`. Deterministic, so the `tool_use` and the `tool_result` that answers it
 * still match after both went through it.
 */
export function sanitizeAnthropicToolId(id: string): string {
  const sanitized = id.replace(/[^a-zA-Z0-9_-]/g, '_');
  return sanitized === '' ? '_' : sanitized;
}
