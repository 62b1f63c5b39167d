import type { FinishReason } from '@nachos/plugin-sdk';

/**
 * Maps Ollama's `done_reason` to the canonical finish reason. Ollama has no reason for tool calls
 * (it says `stop`); the caller turns that into `tool_calls` when calls were made. A missing reason
 * (older servers, non-streamed answers) is a natural end; `load`/`unload` answer a request that
 * generated nothing and are `other`.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 */
export function mapOllamaDoneReason(reason: unknown): FinishReason {
  switch (reason) {
    case undefined:
    case null:
    case '':
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    default:
      return 'other';
  }
}
