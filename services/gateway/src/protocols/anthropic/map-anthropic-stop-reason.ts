import type { FinishReason } from '@nachos/plugin-sdk';

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

export interface AnthropicStop {
  stop_reason: AnthropicStopReason;
  stop_sequence: string | null;
}

/**
 * Canonical finish → Anthropic `stop_reason` (+ `stop_sequence`). Claude Code only runs tools on
 * `tool_use`, so any emitted tool call wins over what the upstream said.
 * @see https://docs.anthropic.com/en/api/messages#response-stop-reason
 */
export function mapAnthropicStopReason(reason: FinishReason, options: { sawToolCall: boolean; stopSequence?: string | undefined }): AnthropicStop {
  if (options.sawToolCall || reason === 'tool_calls') return { stop_reason: 'tool_use', stop_sequence: null };
  switch (reason) {
    case 'length':
      return { stop_reason: 'max_tokens', stop_sequence: null };
    case 'content_filter':
      return { stop_reason: 'refusal', stop_sequence: null };
    case 'stop':
      return options.stopSequence === undefined
        ? { stop_reason: 'end_turn', stop_sequence: null }
        : { stop_reason: 'stop_sequence', stop_sequence: options.stopSequence };
    default:
      return { stop_reason: 'end_turn', stop_sequence: null };
  }
}
