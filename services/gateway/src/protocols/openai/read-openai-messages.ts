import type { ContentPart, Message } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject } from '../request-fields.js';
import { readOpenAIContent, readOpenAIUserContent } from './read-openai-content.js';

/**
 * OpenAI `messages` → canonical messages. Assistant tool calls keep their JSON-string arguments; a
 * `tool` message becomes a user-side tool result (canonical role `tool`), as Anthropic and Gemini want.
 */
export function readOpenAIMessages(messages: unknown): Message[] {
  if (!Array.isArray(messages)) throw invalidRequest("'messages' must be a list of messages.", 'messages');
  if (messages.length === 0) throw invalidRequest("'messages' must not be empty.", 'messages', 'empty_array');
  return messages.map((message, index) => readMessage(message, `messages[${index}]`));
}

function readMessage(message: unknown, param: string): Message {
  if (!isObject(message)) throw invalidRequest(`'${param}' must be an object.`, param);
  const name = typeof message.name === 'string' ? { name: message.name } : {};
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: message.role, content: readOpenAIContent(message.content, `${param}.content`, false), ...name };
    case 'user':
      return { role: 'user', content: readOpenAIUserContent(message.content, `${param}.content`), ...name };
    case 'assistant':
      return { role: 'assistant', content: readAssistantContent(message, param), ...name };
    case 'tool': {
      if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
        throw invalidRequest(`'${param}.tool_call_id' is required for tool messages.`, `${param}.tool_call_id`);
      }
      return {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: message.tool_call_id,
            content: readOpenAIContent(message.content, `${param}.content`, false),
          },
        ],
      };
    }
    default:
      throw invalidRequest(
        `'${param}.role' must be one of system, developer, user, assistant, tool; got ${JSON.stringify(message.role)}.`,
        `${param}.role`,
      );
  }
}

function readAssistantContent(message: Record<string, unknown>, param: string): ContentPart[] {
  const parts: ContentPart[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === 'string' && reasoning !== '') parts.push({ type: 'reasoning', text: reasoning });
  parts.push(...readOpenAIContent(message.content, `${param}.content`, false));
  if (typeof message.refusal === 'string' && message.refusal !== '') parts.push({ type: 'text', text: message.refusal });
  const toolCalls = message.tool_calls;
  if (toolCalls === undefined || toolCalls === null) return parts;
  if (!Array.isArray(toolCalls)) throw invalidRequest(`'${param}.tool_calls' must be a list.`, `${param}.tool_calls`);
  toolCalls.forEach((call, index) => {
    const at = `${param}.tool_calls[${index}]`;
    if (!isObject(call) || typeof call.id !== 'string' || !isObject(call.function) || typeof call.function.name !== 'string') {
      throw invalidRequest(`'${at}' needs an id and function.name.`, at);
    }
    const args = call.function.arguments;
    if (args !== undefined && typeof args !== 'string') {
      throw invalidRequest(`'${at}.function.arguments' must be a JSON string.`, `${at}.function.arguments`);
    }
    parts.push({ type: 'tool-call', id: call.id, name: call.function.name, arguments: args === undefined || args === '' ? '{}' : args });
  });
  return parts;
}
