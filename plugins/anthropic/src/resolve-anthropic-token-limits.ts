import { MINIMUM_THINKING_BUDGET, resolveThinkingBudget, type ChatRequest } from '@nachos/plugin-sdk';
import { findAnthropicModel } from './anthropic-catalogue.js';

/** What the body's `max_tokens` and `thinking.budget_tokens` will be. */
export interface AnthropicTokenLimits {
  maxTokens: number;
  /** Absent when the request asks for no thinking, or when no valid budget fits. */
  thinkingBudget?: number;
}

/**
 * Anthropic requires `max_tokens` on every request, and a thinking budget of at least 1024 tokens that
 * is smaller than `max_tokens`; OpenAI and Ollama clients often send neither, or an effort instead of
 * a budget. This settles both so that a request the client meant to be valid is not a 400:
 *
 * - `max_tokens` is the request's, else the endpoint's `default_max_tokens`, else the model's maximum
 *   output from the catalogue, else 4096. Without a requested value it grows to leave room for an
 *   answer after the thinking budget, up to the model's maximum.
 * - The budget is the requested one (at least 1024), or one derived from the effort; it is cut below
 *   `max_tokens`, and thinking is left off when less than 1024 tokens would remain for it.
 * - A forced tool (`required` or a named tool) turns thinking off: Anthropic refuses both together.
 *
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
export function resolveAnthropicTokenLimits(request: ChatRequest, defaultMaxTokens: number): AnthropicTokenLimits {
  const requested = request.sampling.maxTokens;
  const modelMaximum = findAnthropicModel(request.model)?.maxOutputTokens;
  const fallback = defaultMaxTokens > 0 ? defaultMaxTokens : (modelMaximum ?? FALLBACK_MAX_TOKENS);
  const wanted = resolveThinkingBudget(request);
  if (wanted === undefined) {
    return { maxTokens: requested ?? fallback };
  }
  let maxTokens = requested ?? Math.max(fallback, wanted + ANSWER_ROOM);
  if (requested === undefined && modelMaximum !== undefined) {
    maxTokens = Math.min(maxTokens, modelMaximum);
  }
  const budget = Math.min(wanted, maxTokens - 1);
  return budget >= MINIMUM_THINKING_BUDGET ? { maxTokens, thinkingBudget: budget } : { maxTokens };
}

const FALLBACK_MAX_TOKENS = 4096;
/** Room left for the answer when `max_tokens` is ours to choose and thinking is on. */
const ANSWER_ROOM = 4096;

