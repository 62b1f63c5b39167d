import type { JsonObject } from '@nachos/plugin-sdk';
import type { AggregatedToolCall } from '../aggregate-events.js';
import { isObject } from '../request-fields.js';

/** One entry of Ollama's `message.tool_calls`: the whole call, `arguments` as an object. */
export interface OllamaToolCall {
  id: string;
  function: { index: number; name: string; arguments: JsonObject };
}

/**
 * A complete canonical call → Ollama's shape. Ollama has no way to carry arguments that are not a JSON
 * object (a call cut short by the token limit, say); like Ollama itself when it cannot parse a call,
 * the raw text then goes out as content, so nothing is lost and no tool runs on made-up arguments.
 */
export function toOllamaToolCall(call: AggregatedToolCall, index: number): { call: OllamaToolCall } | { text: string } {
  const parsed = parseObject(call.arguments);
  if (!parsed) return { text: call.arguments };
  return { call: { id: call.id, function: { index, name: call.name, arguments: parsed } } };
}

function parseObject(text: string): JsonObject | undefined {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
