import type { CallOptions, EmbedRequest, EmbedResult, ModelInfo, Provider, ProviderContext } from '@nachos/plugin-sdk';
import { countWords } from './count-message-words.js';
import { MOCK_CATALOGUE } from './mock-catalogue.js';
import { createMockEmbedding } from './mock-embedding.js';
import { streamMockChat } from './mock-chat.js';
import { type MockOptions, resolveMockOptions } from './mock-options.js';
import { sleepUnlessAborted } from './sleep-unless-aborted.js';

/** A provider that answers from memory: no network, no key, the same answer every time. */
export function createMockProvider(context: ProviderContext<MockOptions>): Provider {
  const options = resolveMockOptions(context.options);
  return {
    chat: (request, callOptions) => streamMockChat(request, options, callOptions),

    async embed(request: EmbedRequest, callOptions: CallOptions): Promise<EmbedResult> {
      await sleepUnlessAborted(options.first_token_ms, callOptions.signal);
      return {
        model: request.model,
        embeddings: request.input.map((text) => createMockEmbedding(text, request.dimensions)),
        usage: { inputTokens: request.input.reduce((total, text) => total + countWords(text), 0) },
      };
    },

    listModels(): Promise<ModelInfo[]> {
      return Promise.resolve(MOCK_CATALOGUE.map((model) => ({ ...model })));
    },
  };
}
