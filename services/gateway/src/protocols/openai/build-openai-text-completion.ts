import type { AggregatedResponse } from '../aggregate-events.js';
import { mapTextCompletionFinishReason } from './map-text-completion-finish-reason.js';
import { toTextCompletionUsage } from './text-completion-usage.js';

export interface TextCompletionContext {
  id: string;
  created: number;
  /** The prompt, when the client asked for `echo`. */
  echoedPrompt?: string;
}

/**
 * An aggregated response → OpenAI's `text_completion` object. Reasoning is not part of a completion's
 * text, so only the answer is returned.
 * @see https://platform.openai.com/docs/api-reference/completions/object
 */
export function buildOpenAITextCompletion(response: AggregatedResponse, context: TextCompletionContext) {
  return {
    id: context.id,
    object: 'text_completion',
    created: context.created,
    model: response.model,
    choices: [
      {
        text: (context.echoedPrompt ?? '') + response.text,
        index: 0,
        logprobs: null,
        finish_reason: mapTextCompletionFinishReason(response.finishReason),
      },
    ],
    usage: toTextCompletionUsage(response.usage),
  };
}
