/**
 * Makes a tool-call id acceptable to Bedrock, which requires `^[a-zA-Z0-9_-]+$` and at most 64
 * characters: ids replayed from other providers (`functions.Bash:0`, dotted ids) are otherwise a 400.
 * Deterministic, so the `toolUse` and the `toolResult` that answers it still match after both went
 * through it.
 */
export function sanitizeBedrockToolId(id: string): string {
  const sanitized = id.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX_TOOL_ID_LENGTH);
  return sanitized === '' ? '_' : sanitized;
}

const MAX_TOOL_ID_LENGTH = 64;
