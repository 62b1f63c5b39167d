import type { FinishReason } from '@nachos/plugin-sdk';

/**
 * Bedrock's `stopReason` as a canonical finish reason. A guardrail or the model's own filter stopping
 * the answer is `content_filter`, so that clients see a refusal rather than a normal end; a reason
 * this table does not know is `other`.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax
 */
export function mapBedrockStopReason(stopReason: string | undefined): FinishReason {
  switch (stopReason) {
    case undefined:
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'content_filtered':
    case 'guardrail_intervened':
      return 'content_filter';
    default:
      return 'other';
  }
}
