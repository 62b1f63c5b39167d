import type { ContentPart, JsonObject, Message } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject } from '../request-fields.js';
import { readResponsesContent, readResponsesUserContent } from './read-responses-content.js';
import { readReasoningState } from './responses-reasoning-state.js';

const MESSAGE_ROLES: ReadonlySet<string> = new Set(['user', 'assistant', 'system', 'developer']);

/**
 * `instructions` and `input` (a string, or a list of items) → canonical messages. The items of one
 * assistant turn — its reasoning, its text and its function calls — arrive as separate items and
 * become one assistant message, as the chat-style providers want them; each `function_call_output`
 * becomes a tool result that keeps the call's `call_id` and the called function's name, which Gemini
 * and Ollama need. References to single stored items are refused (`previous_response_id` continues a
 * whole stored conversation instead).
 * @see https://platform.openai.com/docs/api-reference/responses/create#responses-create-input
 */
export function readResponsesInput(input: unknown, instructions: string | undefined): Message[] {
  const messages: Message[] = [];
  if (instructions) messages.push({ role: 'system', content: [{ type: 'text', text: instructions }] });
  if (typeof input === 'string') {
    if (input === '') throw invalidRequest("'input' must not be empty.", 'input');
    messages.push({ role: 'user', content: [{ type: 'text', text: input }] });
    return messages;
  }
  if (!Array.isArray(input)) throw invalidRequest("'input' must be a string or a list of input items.", 'input');
  if (input.length === 0) throw invalidRequest("'input' must not be empty.", 'input', 'empty_array');
  const callNames = new Map<string, string>();
  input.forEach((item, index) => readItem(item, `input[${index}]`, messages, callNames));
  return messages;
}

function readItem(item: unknown, param: string, messages: Message[], callNames: Map<string, string>): void {
  if (!isObject(item)) throw invalidRequest(`'${param}' must be an object.`, param);
  const type = item.type ?? (typeof item.role === 'string' ? 'message' : undefined);
  switch (type) {
    case 'message':
      readMessage(item, param, messages);
      return;
    case 'function_call': {
      const callId = requireText(item, 'call_id', param);
      const name = requireText(item, 'name', param);
      const args = item.arguments;
      if (args !== undefined && typeof args !== 'string') throw invalidRequest(`'${param}.arguments' must be a JSON string.`, `${param}.arguments`);
      callNames.set(callId, name);
      const signature = typeof item.encrypted_content === 'string' && item.encrypted_content !== '' ? { signature: item.encrypted_content } : {};
      appendAssistant(messages, [{ type: 'tool-call', id: callId, name, arguments: args === undefined || args === '' ? '{}' : args, ...signature }]);
      return;
    }
    case 'function_call_output': {
      const callId = requireText(item, 'call_id', param);
      const name = callNames.get(callId);
      messages.push({
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: callId,
            ...(name ? { toolName: name } : {}),
            content: readResponsesContent(item.output, `${param}.output`, true),
          },
        ],
      });
      return;
    }
    case 'reasoning': {
      const part = readReasoningItem(item, param);
      if (part) appendAssistant(messages, [part]);
      return;
    }
    case 'item_reference':
      throw invalidRequest(
        `'${param}': item references name single stored items, which nachos does not look up; continue with 'previous_response_id' or send the items themselves.`,
        `${param}.type`,
      );
    default:
      throw invalidRequest(
        `'${param}.type' ${JSON.stringify(type)} is not supported; use message, function_call, function_call_output or reasoning.`,
        `${param}.type`,
      );
  }
}

function readMessage(item: JsonObject, param: string, messages: Message[]): void {
  const role = item.role;
  if (typeof role !== 'string' || !MESSAGE_ROLES.has(role)) {
    throw invalidRequest(`'${param}.role' must be one of user, assistant, system, developer; got ${JSON.stringify(role)}.`, `${param}.role`);
  }
  const content = role === 'user' ? readResponsesUserContent(item.content, `${param}.content`) : readResponsesContent(item.content, `${param}.content`, false);
  if (role === 'assistant') appendAssistant(messages, content);
  else messages.push({ role: role as Message['role'], content });
}

/** A reasoning item's summary (or full reasoning text, where a model returns it) and its opaque state. */
function readReasoningItem(item: JsonObject, param: string): ContentPart | undefined {
  const texts = (field: string, partType: string): string[] => {
    const parts = item[field];
    if (parts === undefined || parts === null) return [];
    if (!Array.isArray(parts)) throw invalidRequest(`'${param}.${field}' must be a list.`, `${param}.${field}`);
    return parts.filter((part): part is JsonObject => isObject(part) && part.type === partType && typeof part.text === 'string').map((part) => part.text as string);
  };
  const full = texts('content', 'reasoning_text');
  const text = (full.length > 0 ? full : texts('summary', 'summary_text')).join('\n\n');
  const encrypted = item.encrypted_content;
  if (encrypted !== undefined && encrypted !== null && typeof encrypted !== 'string') {
    throw invalidRequest(`'${param}.encrypted_content' must be a string.`, `${param}.encrypted_content`);
  }
  return readReasoningState(text, encrypted ?? undefined);
}

/** Adds to the assistant turn in progress, or starts one: one turn's items are one canonical message. */
function appendAssistant(messages: Message[], parts: ContentPart[]): void {
  if (parts.length === 0) return;
  const last = messages.at(-1);
  if (last?.role === 'assistant') last.content.push(...parts);
  else messages.push({ role: 'assistant', content: parts });
}

function requireText(item: JsonObject, key: string, param: string): string {
  const value = item[key];
  if (typeof value !== 'string' || value === '') throw invalidRequest(`'${param}.${key}' is required.`, `${param}.${key}`);
  return value;
}
