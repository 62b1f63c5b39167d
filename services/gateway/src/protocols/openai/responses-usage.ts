import type { Usage } from '@nachos/plugin-sdk';

/** Canonical usage → a Response's `usage` (input counts cached tokens, output counts reasoning, as OpenAI's do). */
export function toResponsesUsage(usage: Usage) {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}
