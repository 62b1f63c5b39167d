import type { Usage } from '@nachos/plugin-sdk';

/** The usage of several calls answering one request, as one. */
export function sumUsage(usages: readonly Usage[]): Usage {
  const total: Usage = { inputTokens: 0, outputTokens: 0 };
  for (const usage of usages) {
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    for (const key of ['cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'] as const) {
      if (usage[key] !== undefined) total[key] = (total[key] ?? 0) + usage[key];
    }
  }
  return total;
}
