import type { FinishReason } from '@nachos/plugin-sdk';

/**
 * Canonical finish → Ollama `done_reason`. Ollama has no tool-call reason: a turn that called tools ends
 * with `stop` and the calls in `message.tool_calls`. A content filter keeps its name, as clients pass
 * unknown reasons through; `other` becomes `stop`.
 */
export function mapOllamaDoneReason(reason: FinishReason): string {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}
