import { MINIMUM_THINKING_BUDGET, resolveThinkingBudget, type ChatRequest } from '@nachos/plugin-sdk';

/** What `inferenceConfig.maxTokens` and Claude's `thinking.budget_tokens` will be. */
export interface ClaudeThinking {
  /** Absent when the request sets none and thinking is off: Bedrock then uses the model's default. */
  maxTokens?: number;
  /** Absent when the request asks for no thinking, or when no valid budget fits. */
  budgetTokens?: number;
}

/**
 * Claude on Bedrock thinks when `additionalModelRequestFields.thinking` gives it a budget of at least
 * 1024 tokens that is smaller than `maxTokens`; clients often send an effort instead, or no token
 * limit at all. This settles both the way the Anthropic plugin does, so that a request the client
 * meant to be valid is not a `ValidationException`:
 *
 * - The budget is the requested one (at least 1024), or one derived from the effort.
 * - Without a requested `maxTokens`, it is chosen to leave room for an answer after the budget, up
 *   to the model's maximum output; the budget is cut below `maxTokens`, and thinking is left off when
 *   less than 1024 tokens would remain for it.
 * - A forced tool (`required` or a named tool) turns thinking off: Claude refuses both together.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-extended-thinking.html
 */
export function resolveClaudeThinking(request: ChatRequest, modelMaximum: number | undefined): ClaudeThinking {
  const requested = request.sampling.maxTokens;
  const wanted = resolveThinkingBudget(request);
  if (wanted === undefined) {
    return requested === undefined ? {} : { maxTokens: requested };
  }
  let maxTokens = requested ?? wanted + ANSWER_ROOM;
  if (requested === undefined && modelMaximum !== undefined) {
    maxTokens = Math.min(maxTokens, modelMaximum);
  }
  const budget = Math.min(wanted, maxTokens - 1);
  return budget >= MINIMUM_THINKING_BUDGET ? { maxTokens, budgetTokens: budget } : { maxTokens };
}

/** Room left for the answer when `maxTokens` is ours to choose and thinking is on. */
const ANSWER_ROOM = 4096;

