import type { ReasoningEffort, ReasoningOptions } from '@nachos/plugin-sdk';
import type { GeminiThinkingConfig } from './gemini-api-types.js';
import { isGemini3Model } from './is-gemini-3-model.js';

/**
 * Maps the canonical reasoning options to `generationConfig.thinkingConfig`. Thoughts are asked for
 * (`includeThoughts`) whenever the client asked for reasoning, so that it gets reasoning deltas.
 *
 * - A budget is sent as `thinkingBudget` (0 turns thinking off where the model allows it).
 * - An effort becomes a budget on Gemini 2.5, and a `thinkingLevel` on Gemini 3, which thinks in
 *   levels and cannot stop thinking (`none` asks for the lowest level without thoughts).
 * - No reasoning options leave the model's own default.
 *
 * @see https://ai.google.dev/gemini-api/docs/thinking
 */
export function resolveGeminiThinkingConfig(model: string, reasoning: ReasoningOptions | undefined): GeminiThinkingConfig | undefined {
  const { budgetTokens, effort } = reasoning ?? {};
  if (budgetTokens !== undefined) {
    return budgetTokens > 0 ? { thinkingBudget: budgetTokens, includeThoughts: true } : { thinkingBudget: 0 };
  }
  if (effort === undefined) {
    return undefined;
  }
  if (isGemini3Model(model)) {
    return LOW_EFFORTS.has(effort) ? { thinkingLevel: 'low', includeThoughts: effort !== 'none' } : { thinkingLevel: 'high', includeThoughts: true };
  }
  return effort === 'none' ? { thinkingBudget: 0 } : { thinkingBudget: EFFORT_BUDGETS[effort], includeThoughts: true };
}

const LOW_EFFORTS: ReadonlySet<ReasoningEffort> = new Set(['none', 'minimal', 'low']);

/** Within every Gemini 2.5 model's range (Flash-Lite starts at 512, Flash stops at 24576). */
const EFFORT_BUDGETS: Readonly<Record<Exclude<ReasoningEffort, 'none'>, number>> = {
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24_576,
  xhigh: 24_576,
  max: 24_576,
};
