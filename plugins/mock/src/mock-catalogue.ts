import type { ModelInfo } from '@nachos/plugin-sdk';

export const MOCK_CHAT_MODEL = 'mock-1';
export const MOCK_REASONING_MODEL = 'mock-reasoning';
export const MOCK_EMBEDDING_MODEL = 'mock-embed';

/** The mock's models: a chat model, one that reasons first, and an embeddings model. */
export const MOCK_CATALOGUE: readonly ModelInfo[] = [
  {
    id: MOCK_CHAT_MODEL,
    aliases: ['mock'],
    contextLength: 128_000,
    maxOutputTokens: 4_096,
    capabilities: { tools: true, vision: true },
    ownedBy: 'nachos',
  },
  {
    id: MOCK_REASONING_MODEL,
    contextLength: 128_000,
    maxOutputTokens: 4_096,
    capabilities: { tools: true, reasoning: true },
    ownedBy: 'nachos',
  },
  {
    id: MOCK_EMBEDDING_MODEL,
    contextLength: 8_192,
    capabilities: { embeddings: true },
    ownedBy: 'nachos',
  },
];
