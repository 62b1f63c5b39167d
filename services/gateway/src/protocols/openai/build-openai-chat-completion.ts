import type { AggregatedResponse } from '../aggregate-events.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { openAIResponseId } from './openai-response-id.js';
import { toOpenAIUsage } from './openai-usage.js';

/**
 * An aggregated response → OpenAI's `chat.completion` object.
 * @see https://platform.openai.com/docs/api-reference/chat/object
 */
export function buildOpenAIChatCompletion(response: AggregatedResponse, created: number) {
  const toolCalls = response.toolCalls.map((call) => ({
    id: call.id,
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments || '{}' },
  }));
  return {
    id: openAIResponseId('chatcmpl-', response.id),
    object: 'chat.completion',
    created,
    model: response.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: response.text === '' && toolCalls.length > 0 ? null : response.text,
          refusal: null,
          ...(response.reasoning ? { reasoning_content: response.reasoning } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: mapOpenAIFinishReason(response.finishReason),
      },
    ],
    usage: toOpenAIUsage(response.usage),
  };
}
