import type { FinishReason } from '@nachos/plugin-sdk';

/**
 * Maps Anthropic's `stop_reason` to a canonical finish reason. `pause_turn` (a long server-tool turn
 * the client may continue) ends the answer like `end_turn`; a full context window is a length stop.
 *
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function mapAnthropicStopReason(stopReason: string): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other';
  }
}
