import type { ReasoningPart, RedactedReasoningPart } from '@nachos/plugin-sdk';

/**
 * Marks a reasoning item's `encrypted_content` as a redacted reasoning block (Anthropic's
 * `redacted_thinking`) rather than a signature, so the block goes back to the provider as it came.
 */
const REDACTED_PREFIX = 'nachos-redacted:';

/**
 * What a reasoning item carries in `encrypted_content`, opaque to the client: the provider's reasoning
 * signature, or a redacted block. Stateless clients (Codex sends `store: false`) replay it verbatim in
 * the next request, which is how thinking survives a tool loop.
 */
export function redactedReasoningContent(data: string): string {
  return `${REDACTED_PREFIX}${data}`;
}

/** A replayed reasoning item → the canonical part it came from, or nothing if it carries nothing. */
export function readReasoningState(text: string, encryptedContent: string | undefined): ReasoningPart | RedactedReasoningPart | undefined {
  if (encryptedContent?.startsWith(REDACTED_PREFIX)) return { type: 'redacted-reasoning', data: encryptedContent.slice(REDACTED_PREFIX.length) };
  if (text === '' && !encryptedContent) return undefined;
  return { type: 'reasoning', text, ...(encryptedContent ? { signature: encryptedContent } : {}) };
}
