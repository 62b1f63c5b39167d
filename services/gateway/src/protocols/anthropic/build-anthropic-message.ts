import type { JsonObject } from '@nachos/plugin-sdk';
import type { AggregatedResponse } from '../aggregate-events.js';
import { isObject } from '../request-fields.js';
import { toAnthropicUsage } from './anthropic-usage.js';
import { estimateTokens } from './estimate-input-tokens.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
import { sanitizeToolUseId } from './sanitize-tool-use-id.js';

export interface AnthropicMessageOptions {
  messageId: string;
  /** The model the client asked for, named when the upstream did not say which one answered. */
  requestModel: string;
  inputTokensEstimate: number;
}

/**
 * An aggregated response → Anthropic's `message` object, content in Anthropic's order: thinking (with
 * its signature) and redacted thinking, text, then `tool_use` blocks whose `input` is the parsed arguments object.
 * @see https://docs.anthropic.com/en/api/messages#response
 */
export function buildAnthropicMessage(response: AggregatedResponse, options: AnthropicMessageOptions) {
  const content: Array<Record<string, unknown>> = [];
  if (response.reasoning !== '' || response.reasoningSignature) {
    content.push({ type: 'thinking', thinking: response.reasoning, signature: response.reasoningSignature ?? '' });
  }
  for (const data of response.redactedReasoning) content.push({ type: 'redacted_thinking', data });
  if (response.text !== '') content.push({ type: 'text', text: response.text });
  for (const call of response.toolCalls) {
    content.push({ type: 'tool_use', id: sanitizeToolUseId(call.id), name: call.name, input: parseToolInput(call.arguments) });
  }
  const outputCharacters = response.reasoning.length + response.text.length + response.toolCalls.reduce((sum, call) => sum + call.arguments.length, 0);
  const hasUsage = response.usage.inputTokens > 0 || response.usage.outputTokens > 0;
  return {
    id: options.messageId,
    type: 'message',
    role: 'assistant',
    model: response.model || options.requestModel,
    content,
    ...mapAnthropicStopReason(response.finishReason, { sawToolCall: response.toolCalls.length > 0, stopSequence: response.stopSequence }),
    usage: toAnthropicUsage(hasUsage ? response.usage : undefined, {
      inputTokens: options.inputTokensEstimate,
      outputTokens: estimateTokens(outputCharacters),
    }),
  };
}

/**
 * Anthropic's `input` is an object. Arguments that are empty, or not a JSON object (an upstream cut off
 * by `max_tokens`), become `{}`: the stop reason already tells the client the turn was incomplete.
 */
function parseToolInput(text: string): JsonObject {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
