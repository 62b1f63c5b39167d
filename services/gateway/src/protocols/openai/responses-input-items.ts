import type { JsonObject, JsonValue } from '@nachos/plugin-sdk';
import { isObject } from '../request-fields.js';
import { createResponsesId } from './responses-item-id.js';

/** Id prefixes OpenAI gives input items, by item type. */
const ID_PREFIXES: Readonly<Record<string, Parameters<typeof createResponsesId>[0]>> = {
  message: 'msg',
  function_call: 'fc',
  function_call_output: 'fco',
  reasoning: 'rs',
};

/**
 * A request's `input` as the list of items `GET /v1/responses/{id}/input_items` shows: a plain string
 * is one user message, a message's string content becomes one text part, and every item has an id.
 * Called after the input was parsed, so every item is an object.
 */
export function responsesInputItems(input: JsonValue | undefined): JsonObject[] {
  const items: JsonValue[] = typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : Array.isArray(input) ? input : [];
  return items.filter(isObject).map((item): JsonObject => {
    const type = typeof item.type === 'string' ? item.type : 'message';
    const content = type === 'message' && typeof item.content === 'string' ? [textPart(item.role, item.content)] : item.content;
    return {
      ...item,
      id: typeof item.id === 'string' && item.id !== '' ? item.id : createResponsesId(ID_PREFIXES[type] ?? 'msg'),
      type,
      ...(content === undefined ? {} : { content }),
    };
  });
}

function textPart(role: JsonValue | undefined, text: string): JsonObject {
  return { type: role === 'assistant' ? 'output_text' : 'input_text', text };
}
