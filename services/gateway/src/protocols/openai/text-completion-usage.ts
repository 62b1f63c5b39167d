import type { Usage } from '@nachos/plugin-sdk';

/** Canonical usage → a legacy completion's `usage`, which has only the three totals. */
export function toTextCompletionUsage(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}
