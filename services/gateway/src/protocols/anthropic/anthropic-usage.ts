import type { Usage } from '@nachos/plugin-sdk';

export interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/**
 * Canonical usage → Anthropic's. Canonical input counts cached tokens (OpenAI's semantics); Anthropic's
 * `input_tokens` excludes cache reads and writes, which it reports beside. An upstream that reported no
 * input count (zero) gets the gateway's estimate, so a client never sees a conversation cost nothing.
 * @see https://docs.anthropic.com/en/api/messages#response-usage
 */
export function toAnthropicUsage(usage: Usage | undefined, estimate: { inputTokens: number; outputTokens: number }): AnthropicUsage {
  const inputTokens = usage && usage.inputTokens > 0 ? usage.inputTokens : estimate.inputTokens;
  const cacheRead = usage?.cacheReadTokens ?? 0;
  const cacheWrite = usage?.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, inputTokens - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: usage ? usage.outputTokens : estimate.outputTokens,
  };
}
