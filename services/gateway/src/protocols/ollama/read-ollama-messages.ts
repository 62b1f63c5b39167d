import type { ContentPart, ImagePart, Message, TextPart, ToolCallPart } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject } from '../request-fields.js';
import { readOllamaImages } from './read-ollama-images.js';

/**
 * Ollama `messages` → canonical messages. Content is a plain string and images ride beside it.
 * Assistant tool calls carry `arguments` as an object (stringified here, the canonical form), and often
 * no id: older clients answer a call with only `tool_name`, so calls without an id get one, and each
 * `tool` message is paired with the earliest unanswered call of the assistant turn before it (by
 * `tool_call_id`, else by `tool_name`, else in order). Providers such as Anthropic and OpenAI refuse a
 * tool result that answers no call, so one that cannot be paired is a 400 here.
 */
export function readOllamaMessages(messages: unknown): Message[] {
  if (messages === undefined || messages === null) return [];
  if (!Array.isArray(messages)) throw invalidRequest("'messages' must be a list of messages.", 'messages');
  let unanswered: ToolCallPart[] = [];
  return messages.map((message, index) => {
    const param = `messages[${index}]`;
    if (!isObject(message)) throw invalidRequest(`'${param}' must be an object.`, param);
    const text = readText(message.content, `${param}.content`);
    switch (message.role) {
      case 'system':
        refuseImages(message.images, param);
        return { role: 'system', content: text };
      case 'user':
        return { role: 'user', content: [...text, ...readOllamaImages(message.images, `${param}.images`)] };
      case 'assistant': {
        refuseImages(message.images, param);
        const calls = readToolCalls(message.tool_calls, param, index);
        unanswered = calls;
        return { role: 'assistant', content: [...readThinking(message.thinking, param), ...text, ...calls] };
      }
      case 'tool': {
        const call = pairToolResult(message, unanswered, param);
        unanswered = unanswered.filter((candidate) => candidate !== call.matched);
        const content: Array<TextPart | ImagePart> = [...text, ...readOllamaImages(message.images, `${param}.images`)];
        return { role: 'tool', content: [{ type: 'tool-result', toolCallId: call.id, ...(call.name ? { toolName: call.name } : {}), content }] };
      }
      default:
        throw invalidRequest(
          `'${param}.role' must be one of system, user, assistant, tool; got ${JSON.stringify(message.role)}.`,
          `${param}.role`,
        );
    }
  });
}

function readText(content: unknown, param: string): TextPart[] {
  if (content === undefined || content === null || content === '') return [];
  if (typeof content !== 'string') throw invalidRequest(`'${param}' must be a string.`, param);
  return [{ type: 'text', text: content }];
}

function readThinking(thinking: unknown, param: string): ContentPart[] {
  if (thinking === undefined || thinking === null || thinking === '') return [];
  if (typeof thinking !== 'string') throw invalidRequest(`'${param}.thinking' must be a string.`, `${param}.thinking`);
  return [{ type: 'reasoning', text: thinking }];
}

function refuseImages(images: unknown, param: string): void {
  if (Array.isArray(images) && images.length > 0) {
    throw invalidRequest(`'${param}.images': images are only allowed in user and tool messages.`, `${param}.images`);
  }
}

function readToolCalls(toolCalls: unknown, param: string, messageIndex: number): ToolCallPart[] {
  if (toolCalls === undefined || toolCalls === null) return [];
  if (!Array.isArray(toolCalls)) throw invalidRequest(`'${param}.tool_calls' must be a list.`, `${param}.tool_calls`);
  return toolCalls.map((call, index) => {
    const at = `${param}.tool_calls[${index}]`;
    if (!isObject(call) || !isObject(call.function) || typeof call.function.name !== 'string' || call.function.name === '') {
      throw invalidRequest(`'${at}' needs function.name.`, `${at}.function.name`);
    }
    const id = typeof call.id === 'string' && call.id !== '' ? call.id : `call_${messageIndex}_${index}`;
    return { type: 'tool-call', id, name: call.function.name, arguments: readArguments(call.function.arguments, `${at}.function.arguments`) };
  });
}

/** Ollama sends an object; a JSON string (what OpenAI-minded clients send) is taken as it is. */
function readArguments(value: unknown, param: string): string {
  if (value === undefined || value === null || value === '') return '{}';
  if (typeof value === 'string') return value;
  if (isObject(value)) return JSON.stringify(value);
  throw invalidRequest(`'${param}' must be an object.`, param);
}

function pairToolResult(
  message: Record<string, unknown>,
  unanswered: readonly ToolCallPart[],
  param: string,
): { id: string; name?: string; matched?: ToolCallPart } {
  const toolName = typeof message.tool_name === 'string' && message.tool_name !== '' ? message.tool_name : undefined;
  if (typeof message.tool_call_id === 'string' && message.tool_call_id !== '') {
    const matched = unanswered.find((call) => call.id === message.tool_call_id);
    const name = toolName ?? matched?.name;
    return { id: message.tool_call_id, ...(name ? { name } : {}), ...(matched ? { matched } : {}) };
  }
  const matched = toolName === undefined ? unanswered[0] : unanswered.find((call) => call.name === toolName);
  if (!matched) {
    throw invalidRequest(
      `'${param}' is a tool result that answers no earlier tool call${toolName ? ` named '${toolName}'` : ''}; give tool_call_id or tool_name.`,
      param,
    );
  }
  return { id: matched.id, name: matched.name, matched };
}
