import { ProviderError, type ContentPart, type JsonObject, type Message } from '@nachos/plugin-sdk';
import type {
  BedrockCachePointBlock,
  BedrockContentBlock,
  BedrockImageBlock,
  BedrockMessage,
  BedrockTextBlock,
  BedrockToolResultBlock,
} from './bedrock-api-types.js';
import { BEDROCK_PLUGIN_ID } from './bedrock-plugin-id.js';
import { convertToBedrockDocument } from './convert-to-bedrock-document.js';
import { convertToBedrockImage } from './convert-to-bedrock-image.js';
import { sanitizeBedrockToolId } from './sanitize-bedrock-tool-id.js';

/** The conversation in Converse's shape, and what the request needs to know about its tool history. */
export interface BedrockPrompt {
  system: Array<BedrockTextBlock | BedrockCachePointBlock>;
  messages: BedrockMessage[];
  /** Names of the tools called or answered in the history; Bedrock wants a `toolConfig` naming them. */
  historyToolNames: string[];
  /** Whether the history holds `toolUse` or `toolResult` blocks at all. */
  hasToolHistory: boolean;
}

/**
 * Converts canonical messages into what Converse accepts, fixing what clients send that Bedrock would
 * refuse with a `ValidationException`:
 *
 * - `system` and `developer` messages are hoisted into `system`, in order.
 * - Adjacent turns of the same role are merged (`tool` messages count as user turns), and in every
 *   user turn the `toolResult` blocks come first.
 * - Tool ids are sanitized the same way on the call and on the result.
 * - Empty text blocks are dropped (Bedrock refuses blank text); a tool result with no content gets a
 *   placeholder, since dropping it would leave the call unanswered. Trailing whitespace at the end of
 *   a final assistant turn (a prefill) is trimmed, which Bedrock also refuses.
 * - Reasoning from earlier turns is replayed only when it carries a signature: Claude verifies its
 *   thinking blocks, so unsigned reasoning (from another provider) cannot go back.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Message.html
 */
export function convertToBedrockMessages(messages: readonly Message[], cachePoints = false): BedrockPrompt {
  const system: Array<BedrockTextBlock | BedrockCachePointBlock> = [];
  // A part's cache breakpoint becomes a cache point after its blocks, for the models that cache.
  const cached = <Block>(blocks: Block[], part: ContentPart): Array<Block | BedrockCachePointBlock> =>
    cachePoints && blocks.length > 0 && 'cacheControl' in part && part.cacheControl ? [...blocks, { cachePoint: { type: 'default' } }] : blocks;
  const turns: BedrockMessage[] = [];
  const historyToolNames = new Set<string>();
  let hasToolHistory = false;
  // Bedrock wants every document of a request named differently; unnamed ones are numbered.
  const documents = { count: 0 };
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') {
      system.push(...message.content.flatMap((part) => cached(convertTextPart(part), part)));
      continue;
    }
    for (const part of message.content) {
      if (part.type === 'tool-call' || part.type === 'tool-result') {
        hasToolHistory = true;
        const name = part.type === 'tool-call' ? part.name : part.toolName;
        if (name !== undefined && name !== '') {
          historyToolNames.add(name);
        }
      }
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const content = message.content.flatMap((part) => cached(role === 'assistant' ? convertAssistantPart(part) : convertUserPart(part, documents), part));
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
  return { system, messages: turns, historyToolNames: [...historyToolNames], hasToolHistory };
}

function convertTextPart(part: ContentPart): BedrockTextBlock[] {
  return part.type === 'text' && part.text !== '' ? [{ text: part.text }] : [];
}

function convertUserPart(part: ContentPart, documents: { count: number }): BedrockContentBlock[] {
  switch (part.type) {
    case 'text':
      return convertTextPart(part);
    case 'image':
      return [convertToBedrockImage(part)];
    case 'document':
      return [convertToBedrockDocument(part, documents.count++)];
    case 'tool-result': {
      const content = part.content.flatMap((item): Array<BedrockTextBlock | BedrockImageBlock> =>
        item.type === 'image' ? [convertToBedrockImage(item)] : convertTextPart(item),
      );
      const block: BedrockToolResultBlock = {
        toolResult: {
          toolUseId: sanitizeBedrockToolId(part.toolCallId),
          content: content.length > 0 ? content : [{ text: EMPTY_TOOL_RESULT }],
        },
      };
      if (part.isError === true) {
        block.toolResult.status = 'error';
      }
      return [block];
    }
    default:
      return [];
  }
}

/** What an empty tool result says instead: Bedrock refuses blank text, and the call needs its answer. */
const EMPTY_TOOL_RESULT = '(no output)';

function convertAssistantPart(part: ContentPart): BedrockContentBlock[] {
  switch (part.type) {
    case 'text':
      return convertTextPart(part);
    case 'tool-call':
      return [{ toolUse: { toolUseId: sanitizeBedrockToolId(part.id), name: part.name, input: parseToolArguments(part.arguments, part.name) } }];
    case 'reasoning':
      return part.signature === undefined || part.signature === ''
        ? []
        : [{ reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } }];
    case 'redacted-reasoning':
      return [{ reasoningContent: { redactedContent: part.data } }];
    default:
      return [];
  }
}

/** Converse takes the arguments as an object; canonical history carries OpenAI's JSON text. */
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
      providerId: BEDROCK_PLUGIN_ID,
    });
  }
  return parsed as JsonObject;
}

function isToolResult(block: BedrockContentBlock): boolean {
  return 'toolResult' in block;
}

function trimFinalAssistantTurn(turns: BedrockMessage[]): void {
  const last = turns.at(-1);
  const block = last?.content.at(-1);
  if (last?.role !== 'assistant' || block === undefined || !('text' in block)) {
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
