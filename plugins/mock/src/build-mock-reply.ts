import type { Message } from '@nachos/plugin-sdk';

/**
 * The words of the mock's answer: "Mock reply to: <first words of the last user message>…", then
 * filler words up to exactly `wordCount`. Deterministic, so tests can assert on the text.
 */
export function buildMockReply(messages: readonly Message[], wordCount: number): string[] {
  const quoted = lastUserWords(messages);
  const opening = quoted.length > QUOTED_WORDS ? [...quoted.slice(0, QUOTED_WORDS - 1), `${quoted[QUOTED_WORDS - 1] ?? ''}…`] : quoted;
  const words = ['Mock', 'reply', 'to:', ...opening];
  for (let filler = 0; words.length < wordCount; filler += 1) {
    words.push(FILLER[filler % FILLER.length] ?? 'lorem');
  }
  return words.slice(0, wordCount);
}

/** The words the mock "thinks" before answering, for the reasoning model. */
export function buildMockReasoning(messages: readonly Message[]): string[] {
  return ['Considering', 'the', 'request:', ...lastUserWords(messages).slice(0, QUOTED_WORDS)];
}

function lastUserWords(messages: readonly Message[]): string[] {
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  const text = (lastUser?.content ?? [])
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join(' ')
    .trim();
  return text === '' ? ['(nothing)'] : text.split(/\s+/);
}

const QUOTED_WORDS = 8;

const FILLER = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit'];
