import type { ReasoningOptions } from '@nachos/plugin-sdk';
import type { OllamaThinkLevel } from './ollama-wire-types.js';

/**
 * Ollama's `think` for a request's reasoning options, or `undefined` to leave the model's default.
 *
 * Only gpt-oss models take a level; older servers answer any other model's level with HTTP 400
 * ("think value … is not supported for this model"), so everything else gets a plain `true`.
 * `none` turns thinking off, which every model accepts. Levels follow Ollama's own OpenAI layer:
 * `minimal` is `low`, anything above `high` is `high` (the most gpt-oss knows).
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/capabilities/thinking.mdx
 */
export function mapReasoningToOllamaThink(model: string, reasoning: ReasoningOptions | undefined): boolean | OllamaThinkLevel | undefined {
  if (reasoning === undefined) {
    return undefined;
  }
  const { effort, budgetTokens } = reasoning;
  if (effort === 'none' || (effort === undefined && budgetTokens === 0)) {
    return false;
  }
  if (effort === undefined) {
    return budgetTokens === undefined ? undefined : true;
  }
  return takesThinkLevel(model) ? levelFor(effort) : true;
}

function takesThinkLevel(model: string): boolean {
  return /(^|\/)gpt-oss([:-]|$)/i.test(model);
}

function levelFor(effort: Exclude<ReasoningOptions['effort'], undefined | 'none'>): OllamaThinkLevel {
  switch (effort) {
    case 'minimal':
    case 'low':
      return 'low';
    case 'medium':
      return 'medium';
    case 'high':
    case 'xhigh':
    case 'max':
      return 'high';
  }
}
