import type { ChatRequest, ReasoningEffort } from './chat-request.js';

/** The smallest thinking budget Claude accepts, wherever it is served. */
export const MINIMUM_THINKING_BUDGET = 1024;

/** One effort → budget policy for every provider that thinks in tokens (Anthropic, Claude on Bedrock). */
const EFFORT_BUDGETS: Readonly<Record<Exclude<ReasoningEffort, 'none'>, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16_384,
  xhigh: 32_768,
  max: 65_536,
};

/**
 * The thinking budget a request asks for, in tokens, or undefined for none: an explicit budget (at least
 * the minimum; 0 is how Gemini-style clients say "no thinking"), else the effort's budget. A forced tool
 * means no thinking, since Claude refuses both together.
 */
export function resolveThinkingBudget(request: ChatRequest): number | undefined {
  const forcesTool = request.toolChoice?.type === 'required' || request.toolChoice?.type === 'tool';
  if (forcesTool) return undefined;
  const { budgetTokens, effort } = request.reasoning ?? {};
  if (budgetTokens !== undefined) return budgetTokens > 0 ? Math.max(MINIMUM_THINKING_BUDGET, budgetTokens) : undefined;
  return effort === undefined || effort === 'none' ? undefined : EFFORT_BUDGETS[effort];
}
