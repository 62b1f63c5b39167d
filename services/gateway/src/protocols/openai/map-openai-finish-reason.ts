import type { FinishReason } from '@nachos/plugin-sdk';

/** Canonical finish → OpenAI `finish_reason`; there is no `other` in OpenAI's enum, so it becomes `stop`. */
export function mapOpenAIFinishReason(reason: FinishReason): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  return reason === 'other' ? 'stop' : reason;
}
