import type { FinishReason } from './stream-event.js';

/**
 * Maps an OpenAI-style `finish_reason` to the canonical one. Compatible hosts backed by other
 * providers sometimes leak their native reasons (`end_turn`, `max_tokens`, `tool_use`, `eos`), so
 * those are read too; anything else is `other`.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
 */
export function mapOpenAIFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'stop':
    case 'end_turn':
    case 'stop_sequence':
    case 'eos':
      return 'stop';
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'tool_calls':
    case 'function_call':
    case 'tool_use':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'other';
  }
}
