import { isRecord, type Usage } from '@nachos/plugin-sdk';

/**
 * Reads Gemini's `usageMetadata` into canonical usage. `promptTokenCount` already includes the cached
 * prompt; `candidatesTokenCount` excludes thoughts, so they are added to make OpenAI's output total.
 * Every stream chunk repeats the counts so far, so the last one wins; nothing is summed.
 *
 * @see https://ai.google.dev/api/generate-content#UsageMetadata
 */
export function mapGeminiUsage(metadata: unknown): Usage | undefined {
  if (!isRecord(metadata)) {
    return undefined;
  }
  const count = (field: string): number | undefined => (typeof metadata[field] === 'number' ? metadata[field] : undefined);
  const thoughts = count('thoughtsTokenCount');
  const cached = count('cachedContentTokenCount');
  const usage: Usage = {
    inputTokens: count('promptTokenCount') ?? 0,
    outputTokens: (count('candidatesTokenCount') ?? 0) + (thoughts ?? 0),
  };
  if (cached !== undefined) {
    usage.cacheReadTokens = cached;
  }
  if (thoughts !== undefined) {
    usage.reasoningTokens = thoughts;
  }
  return usage;
}
