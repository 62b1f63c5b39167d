import type { Message, TextPart } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { readCacheControl } from './read-cache-control.js';
import { isObject } from '../request-fields.js';
import { readAnthropicContent } from './read-anthropic-content.js';

/**
 * Anthropic's top-level `system` (a string or text blocks) → one canonical system message, kept first
 * where Anthropic puts it. An empty system prompt adds nothing.
 * @see https://docs.anthropic.com/en/api/messages#body-system
 */
export function readAnthropicSystem(system: unknown): Message[] {
  if (system === undefined || system === null) return [];
  const content = readSystemText(system, 'system');
  return content.length === 0 ? [] : [{ role: 'system', content }];
}

/**
 * Anthropic `messages` → canonical messages, one for one. A user turn keeps its `tool_result` blocks
 * beside its text, in the client's order: provider plugins split them out where their API wants
 * separate tool messages. A `system` turn mid-conversation (Claude Code sends them, under the
 * `mid-conversation-system` beta) stays a system message where it was said.
 */
export function readAnthropicMessages(messages: unknown): Message[] {
  if (!Array.isArray(messages)) throw invalidRequest("'messages' must be a list of messages.", 'messages');
  if (messages.length === 0) throw invalidRequest("'messages' must not be empty.", 'messages');
  return messages.map((message, index): Message => {
    const param = `messages[${index}]`;
    if (!isObject(message)) throw invalidRequest(`'${param}' must be an object.`, param);
    const role = message.role;
    if (role === 'system') return { role, content: readSystemText(message.content, `${param}.content`) };
    if (role !== 'user' && role !== 'assistant') {
      throw invalidRequest(`'${param}.role' must be user, assistant or system; got ${JSON.stringify(role)}.`, `${param}.role`);
    }
    return { role, content: readAnthropicContent(message.content, `${param}.content`, role) };
  });
}

/** System text: a string or a list of text blocks (with their `cache_control`). */
function readSystemText(system: unknown, param: string): TextPart[] {
  if (typeof system === 'string') return system === '' ? [] : [{ type: 'text', text: system }];
  if (!Array.isArray(system)) throw invalidRequest(`'${param}' must be a string or a list of text blocks.`, param);
  return system.map((block, index): TextPart => {
    const at = `${param}[${index}]`;
    if (!isObject(block) || block.type !== 'text' || typeof block.text !== 'string') {
      throw invalidRequest(`'${at}' must be a text block {type:"text", text}.`, at);
    }
    return { type: 'text', text: block.text, ...readCacheControl(block, at) };
  });
}
