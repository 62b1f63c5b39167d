import type { FinishReason } from '@nachos/plugin-sdk';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

/** Canonical finish → a legacy completion's `finish_reason`, whose enum has no `tool_calls` (no tools are offered). */
export function mapTextCompletionFinishReason(reason: FinishReason): 'stop' | 'length' | 'content_filter' {
  const mapped = mapOpenAIFinishReason(reason);
  return mapped === 'tool_calls' ? 'stop' : mapped;
}
