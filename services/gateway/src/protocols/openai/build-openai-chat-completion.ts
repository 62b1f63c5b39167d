import type { Usage } from '@nachos/plugin-sdk';
import type { AggregatedResponse } from '../aggregate-events.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { openAIResponseId } from './openai-response-id.js';
import { toOpenAIUsage } from './openai-usage.js';

/**
 * An aggregated response → OpenAI's `chat.completion` object.
 * @see https://platform.openai.com/docs/api-reference/chat/object
 */
export function buildOpenAIChatCompletion(response: AggregatedResponse, created: number) {
  return {
    id: openAIResponseId('chatcmpl-', response.id),
    object: 'chat.completion',
    created,
    model: response.model,
    choices: [chatChoice(response, 0)],
    usage: toOpenAIUsage(response.usage),
  };
}

/**
 * Several answers to one request (`n`) → one `chat.completion`: the first answer's id and model, one
 * choice per answer in order, the usage of them all.
 */
export function buildOpenAIChatChoices(answers: readonly AggregatedResponse[], usage: Usage, created: number) {
  const first = answers[0]!;
  return {
    id: openAIResponseId('chatcmpl-', first.id),
    object: 'chat.completion',
    created,
    model: first.model,
    choices: answers.map(chatChoice),
    usage: toOpenAIUsage(usage),
  };
}

function chatChoice(response: AggregatedResponse, index: number) {
  const toolCalls = response.toolCalls.map((call) => ({
    id: call.id,
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments || '{}' },
  }));
  return {
    index,
    message: {
      role: 'assistant',
      content: response.text === '' && toolCalls.length > 0 ? null : response.text,
      refusal: null,
      ...(response.reasoning ? { reasoning_content: response.reasoning } : {}),
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    },
    logprobs: null,
    finish_reason: mapOpenAIFinishReason(response.finishReason),
  };
}
