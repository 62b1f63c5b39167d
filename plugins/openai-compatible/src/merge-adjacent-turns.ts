import type { OpenAIChatMessage, OpenAIUserContentPart } from '@nachos/plugin-sdk';

/**
 * Merges adjacent user turns, and adjacent assistant turns, into one, for hosts that want user and
 * assistant to alternate after the system messages (Perplexity: "After the (optional) system
 * message(s), user and assistant roles should be alternating"). Clients produce such runs routinely:
 * a retried user message, an image sent after its question.
 */
export function mergeAdjacentTurns(messages: readonly OpenAIChatMessage[]): OpenAIChatMessage[] {
  const merged: OpenAIChatMessage[] = [];
  for (const message of messages) {
    const previous = merged.at(-1);
    if (previous?.role === 'user' && message.role === 'user') {
      merged[merged.length - 1] = { ...previous, content: joinUserContent(previous.content, message.content) };
    } else if (previous?.role === 'assistant' && message.role === 'assistant' && previous.tool_calls === undefined && message.tool_calls === undefined) {
      merged[merged.length - 1] = { ...previous, content: [previous.content, message.content].filter((text) => text !== null && text !== '').join('\n\n') };
    } else {
      merged.push(message);
    }
  }
  return merged;
}

function joinUserContent(first: string | OpenAIUserContentPart[], second: string | OpenAIUserContentPart[]): string | OpenAIUserContentPart[] {
  if (typeof first === 'string' && typeof second === 'string') {
    return [first, second].filter((text) => text !== '').join('\n\n');
  }
  return [...toParts(first), ...toParts(second)];
}

function toParts(content: string | OpenAIUserContentPart[]): OpenAIUserContentPart[] {
  if (typeof content !== 'string') {
    return content;
  }
  return content === '' ? [] : [{ type: 'text', text: content }];
}
