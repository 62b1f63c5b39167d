import type { Usage } from './stream-event.js';
import { isRecord } from './is-record.js';

/**
 * Reads an OpenAI-style `usage` object into canonical usage, or `undefined` when it holds no counts
 * (`usage: null` on every chunk but the last).
 *
 * Canonical usage follows OpenAI: input includes cached tokens, output includes reasoning. xAI
 * reports `completion_tokens` without reasoning (its total is prompt + completion + reasoning);
 * that is recognised by the arithmetic and corrected. DeepSeek's `prompt_cache_hit_tokens` counts
 * as cache reads when the standard field is missing.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 */
export function mapOpenAIUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) {
    return undefined;
  }
  const prompt = readCount(usage['prompt_tokens']);
  const completion = readCount(usage['completion_tokens']);
  if (prompt === undefined && completion === undefined) {
    return undefined;
  }
  const promptDetails = isRecord(usage['prompt_tokens_details']) ? usage['prompt_tokens_details'] : {};
  const completionDetails = isRecord(usage['completion_tokens_details']) ? usage['completion_tokens_details'] : {};
  const reasoning = readCount(completionDetails['reasoning_tokens']);
  const total = readCount(usage['total_tokens']);
  const inputTokens = prompt ?? 0;
  let outputTokens = completion ?? 0;
  if (reasoning !== undefined && reasoning > 0 && total === inputTokens + outputTokens + reasoning) {
    outputTokens += reasoning;
  }
  const mapped: Usage = { inputTokens, outputTokens };
  const cacheRead = readCount(promptDetails['cached_tokens']) ?? readCount(usage['prompt_cache_hit_tokens']);
  if (cacheRead !== undefined) {
    mapped.cacheReadTokens = cacheRead;
  }
  const cacheWrite = readCount(promptDetails['cache_write_tokens']);
  if (cacheWrite !== undefined) {
    mapped.cacheWriteTokens = cacheWrite;
  }
  if (reasoning !== undefined) {
    mapped.reasoningTokens = reasoning;
  }
  return mapped;
}

function readCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
