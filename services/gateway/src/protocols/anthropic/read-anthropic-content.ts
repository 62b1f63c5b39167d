import type { ContentPart, DocumentPart, ImagePart, JsonObject, TextPart, ToolResultPart } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject, requireString } from '../request-fields.js';
import { readCacheControl } from './read-cache-control.js';

export type AnthropicRole = 'user' | 'assistant';

/**
 * Anthropic message `content` (a string or a list of blocks) → canonical parts, in order. Which blocks a
 * role may carry follows Anthropic's API: images and `tool_result` in user turns, `tool_use` and
 * thinking in assistant turns; documents (base64 PDF, URL, plain text) with their title, context and
 * citations setting; each block's `cache_control` as a cache breakpoint. Blocks the canonical model
 * cannot carry (files by id, server-tool results) are refused with a 400 rather than silently lost.
 * @see https://docs.anthropic.com/en/api/messages#body-messages
 */
export function readAnthropicContent(content: unknown, param: string, role: AnthropicRole): ContentPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`'${param}' must be a string or a list of content blocks.`, param);
  return content.map((block, index) => {
    const at = `${param}[${index}]`;
    const part = readBlock(block, at, role);
    if (part.type === 'reasoning' || part.type === 'redacted-reasoning') return part;
    const cache = readCacheControl(block as JsonObject, at);
    return cache.cacheControl ? { ...part, ...cache } : part;
  });
}

function readBlock(block: unknown, param: string, role: AnthropicRole): ContentPart {
  if (!isObject(block)) throw invalidRequest(`'${param}' must be a content block object.`, param);
  const allowedIn = (expected: AnthropicRole): void => {
    if (role !== expected) throw invalidRequest(`'${param}': ${String(block.type)} blocks belong in ${expected} messages.`, `${param}.type`);
  };
  switch (block.type) {
    case 'text':
      return readText(block, param);
    case 'image':
      allowedIn('user');
      return readImage(block, param);
    case 'document':
      allowedIn('user');
      return readDocument(block, param);
    case 'tool_result':
      allowedIn('user');
      return readToolResult(block, param);
    case 'tool_use':
      allowedIn('assistant');
      return {
        type: 'tool-call',
        id: requireText(block, 'id', param),
        name: requireText(block, 'name', param),
        arguments: JSON.stringify(readInput(block, param)),
      };
    case 'thinking':
      allowedIn('assistant');
      return {
        type: 'reasoning',
        text: requireString(block, 'thinking', `${param}.thinking`),
        ...(typeof block.signature === 'string' && block.signature !== '' ? { signature: block.signature } : {}),
      };
    case 'redacted_thinking':
      allowedIn('assistant');
      return { type: 'redacted-reasoning', data: requireString(block, 'data', `${param}.data`) };
    default:
      throw invalidRequest(
        `'${param}.type' ${JSON.stringify(block.type)} is not supported; use text, image, document, tool_use, tool_result, thinking or redacted_thinking.`,
        `${param}.type`,
      );
  }
}

function readText(block: JsonObject, param: string): TextPart {
  return { type: 'text', text: requireString(block, 'text', `${param}.text`) };
}

function readImage(block: JsonObject, param: string): ImagePart {
  const source = block.source;
  const at = `${param}.source`;
  if (!isObject(source)) throw invalidRequest(`'${at}' must be an object.`, at);
  if (source.type === 'base64') {
    return { type: 'image', source: { kind: 'base64', mediaType: requireText(source, 'media_type', at), data: requireText(source, 'data', at) } };
  }
  if (source.type === 'url') {
    const url = requireText(source, 'url', at);
    if (!/^https?:\/\//i.test(url)) throw invalidRequest(`'${at}.url' must be an http(s) URL.`, `${at}.url`);
    return { type: 'image', source: { kind: 'url', url } };
  }
  throw invalidRequest(`'${at}.type' must be base64 or url.`, `${at}.type`);
}

function readDocument(block: JsonObject, param: string): DocumentPart {
  const source = block.source;
  const at = `${param}.source`;
  if (!isObject(source)) throw invalidRequest(`'${at}' must be an object.`, at);
  const citations = isObject(block.citations) && typeof block.citations.enabled === 'boolean' ? block.citations.enabled : undefined;
  const extras = {
    ...(typeof block.title === 'string' && block.title !== '' ? { title: block.title } : {}),
    ...(typeof block.context === 'string' && block.context !== '' ? { context: block.context } : {}),
    ...(citations === undefined ? {} : { citations }),
  };
  switch (source.type) {
    case 'base64':
      return { type: 'document', source: { kind: 'base64', mediaType: requireText(source, 'media_type', at), data: requireText(source, 'data', at) }, ...extras };
    case 'url': {
      const url = requireText(source, 'url', at);
      if (!/^https?:\/\//i.test(url)) throw invalidRequest(`'${at}.url' must be an http(s) URL.`, `${at}.url`);
      return { type: 'document', source: { kind: 'url', url }, ...extras };
    }
    case 'text':
      return { type: 'document', source: { kind: 'text', text: requireString(source, 'data', `${at}.data`) }, ...extras };
    default:
      throw invalidRequest(`'${at}.type' must be base64, url or text (files by id live in Anthropic's storage, which nachos does not have).`, `${at}.type`);
  }
}

function readToolResult(block: JsonObject, param: string): ToolResultPart {
  const toolCallId = requireText(block, 'tool_use_id', param);
  const content = block.content === undefined || block.content === null ? [] : readResultContent(block.content, `${param}.content`);
  if (block.is_error !== undefined && typeof block.is_error !== 'boolean') {
    throw invalidRequest(`'${param}.is_error' must be true or false.`, `${param}.is_error`);
  }
  return { type: 'tool-result', toolCallId, content, ...(block.is_error === true ? { isError: true } : {}) };
}

/** A tool result holds a string or text and image blocks. */
function readResultContent(content: unknown, param: string): Array<TextPart | ImagePart> {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`'${param}' must be a string or a list of text and image blocks.`, param);
  return content.map((block, index) => {
    const at = `${param}[${index}]`;
    if (isObject(block) && block.type === 'text') return readText(block, at);
    if (isObject(block) && block.type === 'image') return readImage(block, at);
    throw invalidRequest(`'${at}' must be a text or image block.`, at);
  });
}

/** `tool_use.input` is an object; a missing one is an empty call. */
function readInput(block: JsonObject, param: string): JsonObject {
  if (block.input === undefined || block.input === null) return {};
  if (!isObject(block.input)) throw invalidRequest(`'${param}.input' must be an object.`, `${param}.input`);
  return block.input;
}

/** A required, non-empty string field of a block. */
function requireText(block: JsonObject, key: string, param: string): string {
  const value = requireString(block, key, `${param}.${key}`);
  if (value === '') throw invalidRequest(`'${param}.${key}' must not be empty.`, `${param}.${key}`);
  return value;
}
