import type { Message } from '@nachos/plugin-sdk';

/**
 * The mock's input token count: whitespace-separated words of every text the messages carry (text
 * parts and tool-result texts). Crude, but exact and predictable, which is what tests of metering
 * and rate limits need.
 */
export function countMessageWords(messages: readonly Message[]): number {
  let words = 0;
  for (const message of messages) {
    for (const part of message.content) {
      if (part.type === 'text') {
        words += countWords(part.text);
      } else if (part.type === 'tool-result') {
        for (const item of part.content) {
          words += item.type === 'text' ? countWords(item.text) : 0;
        }
      }
    }
  }
  return words;
}

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}
