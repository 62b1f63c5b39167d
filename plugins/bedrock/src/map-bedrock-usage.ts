import { isRecord, type Usage } from '@nachos/plugin-sdk';

/**
 * Bedrock usage in canonical (OpenAI) terms. Bedrock's `inputTokens`, like Anthropic's, leaves out
 * the tokens read from and written to the prompt cache, so the canonical input is their sum. Some
 * responses spell the cache counts `…InputTokenCount`; either spelling is read.
 */
export function mapBedrockUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) {
    return undefined;
  }
  const input = count(usage['inputTokens']);
  const output = count(usage['outputTokens']);
  if (input === undefined && output === undefined) {
    return undefined;
  }
  const cacheRead = count(usage['cacheReadInputTokens']) ?? count(usage['cacheReadInputTokenCount']);
  const cacheWrite = count(usage['cacheWriteInputTokens']) ?? count(usage['cacheWriteInputTokenCount']);
  const mapped: Usage = {
    inputTokens: (input ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: output ?? 0,
  };
  if (cacheRead !== undefined && cacheRead > 0) {
    mapped.cacheReadTokens = cacheRead;
  }
  if (cacheWrite !== undefined && cacheWrite > 0) {
    mapped.cacheWriteTokens = cacheWrite;
  }
  return mapped;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
