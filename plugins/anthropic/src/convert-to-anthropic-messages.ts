import { ProviderError, type ContentPart, type ImagePart, type JsonObject, type Message } from '@nachos/plugin-sdk';
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from './anthropic-api-types.js';
import { ANTHROPIC_PLUGIN_ID } from './anthropic-plugin-id.js';
import { convertToAnthropicDocument } from './convert-to-anthropic-document.js';
import { sanitizeAnthropicToolId } from './sanitize-anthropic-tool-id.js';

/** The conversation in Anthropic's shape: the hoisted system prompt and alternating turns. */
export interface AnthropicPrompt {
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/**
 * Converts canonical messages into what the Messages API accepts, fixing what other clients send
 * that Anthropic would reject with a 400:
 *
 * - `system` and `developer` messages are hoisted into `system`, in order (one that came after the
 *   first user turn loses its position; Anthropic has nowhere else to put it).
 * - Adjacent turns of the same role are merged (`tool` messages count as user turns), and in every
 *   user turn the `tool_result` blocks come first, as Anthropic requires right after a `tool_use`.
 * - Tool ids are sanitized the same way on the call and on the result.
 * - Empty text blocks are dropped, and so is trailing whitespace at the end of a final assistant
 *   turn (a prefill), which Anthropic refuses.
 * - Reasoning from earlier turns is replayed only when it carries a signature: Anthropic verifies
 *   thinking blocks, so unsigned reasoning (from another provider) cannot go back.
 *
 * @see https://docs.anthropic.com/en/api/messages
 */
export function convertToAnthropicMessages(messages: readonly Message[]): AnthropicPrompt {
  const system: AnthropicTextBlock[] = [];
  const turns: AnthropicMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') {
      system.push(...message.content.flatMap((part) => withCacheControl(convertTextPart(part), part)));
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const convert = role === 'assistant' ? convertAssistantPart : convertUserPart;
    const content = message.content.flatMap((part) => withCacheControl(convert(part), part));
    if (content.length === 0) {
      continue;
    }
    const previous = turns.at(-1);
    if (previous?.role === role) {
      previous.content.push(...content);
    } else {
      turns.push({ role, content });
    }
  }
  for (const turn of turns) {
    if (turn.role === 'user') {
      turn.content = [...turn.content.filter(isToolResult), ...turn.content.filter((block) => !isToolResult(block))];
    }
  }
  trimFinalAssistantTurn(turns);
  return { system, messages: turns };
}

/** A part's cache breakpoint goes on the last block it became, where Anthropic ends the cached prefix. */
function withCacheControl<Block extends AnthropicContentBlock>(blocks: Block[], part: ContentPart): Block[] {
  const cache = 'cacheControl' in part ? part.cacheControl : undefined;
  const last = blocks.at(-1);
  if (!cache || !last || last.type === 'thinking' || last.type === 'redacted_thinking') return blocks;
  last.cache_control = { type: 'ephemeral', ...(cache.ttl ? { ttl: cache.ttl } : {}) };
  return blocks;
}

function convertTextPart(part: ContentPart): AnthropicTextBlock[] {
  return part.type === 'text' && part.text !== '' ? [{ type: 'text', text: part.text }] : [];
}

function convertUserPart(part: ContentPart): AnthropicContentBlock[] {
  switch (part.type) {
    case 'text':
      return convertTextPart(part);
    case 'image':
      return [convertImage(part)];
    case 'document':
      return [convertToAnthropicDocument(part)];
    case 'tool-result': {
      const content = part.content.flatMap((item): Array<AnthropicTextBlock | AnthropicImageBlock> =>
        item.type === 'image' ? [convertImage(item)] : convertTextPart(item),
      );
      const block: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: sanitizeAnthropicToolId(part.toolCallId) };
      if (content.length > 0) {
        block.content = content;
      }
      if (part.isError === true) {
        block.is_error = true;
      }
      return [block];
    }
    default:
      return [];
  }
}

function convertAssistantPart(part: ContentPart): AnthropicContentBlock[] {
  switch (part.type) {
    case 'text':
      return convertTextPart(part);
    case 'tool-call':
      return [{ type: 'tool_use', id: sanitizeAnthropicToolId(part.id), name: part.name, input: parseToolArguments(part.arguments, part.name) }];
    case 'reasoning':
      return part.signature === undefined || part.signature === '' ? [] : [{ type: 'thinking', thinking: part.text, signature: part.signature }];
    case 'redacted-reasoning':
      return [{ type: 'redacted_thinking', data: part.data }];
    default:
      return [];
  }
}

/** Anthropic takes the arguments as an object; canonical history carries OpenAI's JSON text. */
function parseToolArguments(text: string, toolName: string): JsonObject {
  if (text.trim() === '') {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProviderError({
      kind: 'invalid_request',
      message: `the arguments of the earlier call to tool "${toolName}" are not a JSON object`,
      providerId: ANTHROPIC_PLUGIN_ID,
    });
  }
  return parsed as JsonObject;
}

const SUPPORTED_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/** Anthropic reads http(s) images itself; data URLs and base64 become a base64 source. */
function convertImage(part: ImagePart): AnthropicImageBlock {
  const source = part.source.kind === 'url' ? (parseDataUrl(part.source.url) ?? part.source) : part.source;
  if (source.kind === 'url') {
    return { type: 'image', source: { type: 'url', url: source.url } };
  }
  const mediaType = source.mediaType.toLowerCase() === 'image/jpg' ? 'image/jpeg' : source.mediaType.toLowerCase();
  if (!SUPPORTED_IMAGE_TYPES.has(mediaType)) {
    throw new ProviderError({
      kind: 'invalid_request',
      message: `Anthropic accepts JPEG, PNG, GIF and WebP images, not ${source.mediaType}`,
      providerId: ANTHROPIC_PLUGIN_ID,
    });
  }
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data: source.data } };
}

function parseDataUrl(url: string): { kind: 'base64'; mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return match?.[1] === undefined || match[2] === undefined ? undefined : { kind: 'base64', mediaType: match[1], data: match[2] };
}

function isToolResult(block: AnthropicContentBlock): boolean {
  return block.type === 'tool_result';
}

function trimFinalAssistantTurn(turns: AnthropicMessage[]): void {
  const last = turns.at(-1);
  const block = last?.content.at(-1);
  if (last?.role !== 'assistant' || block?.type !== 'text') {
    return;
  }
  block.text = block.text.trimEnd();
  if (block.text === '') {
    last.content.pop();
  }
  if (last.content.length === 0) {
    turns.pop();
  }
}
