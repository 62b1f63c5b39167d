import { isRecord, type Usage } from '@nachos/plugin-sdk';

/** Anthropic's token counts as last reported; a later report overwrites the fields it carries. */
export interface AnthropicUsageCounts {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  thinking?: number;
}

/**
 * Reads an Anthropic `usage` object (from `message_start`, `message_delta` or a whole message) into
 * `counts`. Counts are cumulative, so present fields replace earlier ones, as the Anthropic SDK does.
 */
export function readAnthropicUsage(usage: unknown, counts: AnthropicUsageCounts): void {
  if (!isRecord(usage)) {
    return;
  }
  const details = isRecord(usage['output_tokens_details']) ? usage['output_tokens_details'] : {};
  assign(counts, 'input', usage['input_tokens']);
  assign(counts, 'output', usage['output_tokens']);
  assign(counts, 'cacheRead', usage['cache_read_input_tokens']);
  assign(counts, 'cacheWrite', usage['cache_creation_input_tokens']);
  assign(counts, 'thinking', details['thinking_tokens']);
}

/**
 * Canonical usage has OpenAI's semantics: Anthropic's `input_tokens` excludes the cached prompt, so
 * cache reads and cache writes are added back to make the input total.
 *
 * @see https://docs.anthropic.com/en/api/messages#response-usage
 */
export function mapAnthropicUsage(counts: AnthropicUsageCounts): Usage {
  const usage: Usage = {
    inputTokens: (counts.input ?? 0) + (counts.cacheRead ?? 0) + (counts.cacheWrite ?? 0),
    outputTokens: counts.output ?? 0,
  };
  if (counts.cacheRead !== undefined) {
    usage.cacheReadTokens = counts.cacheRead;
  }
  if (counts.cacheWrite !== undefined) {
    usage.cacheWriteTokens = counts.cacheWrite;
  }
  if (counts.thinking !== undefined) {
    usage.reasoningTokens = counts.thinking;
  }
  return usage;
}

function assign(counts: AnthropicUsageCounts, field: keyof AnthropicUsageCounts, value: unknown): void {
  if (typeof value === 'number' && Number.isFinite(value)) {
    counts[field] = value;
  }
}
