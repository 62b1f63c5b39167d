import type { Usage } from './stream-event.js';

export interface EmbedRequest {
  model: string;
  /** The texts to embed; empty when the input is {@link EmbedRequest.tokens}. */
  input: string[];
  /**
   * Token ids instead of texts, one list per input (OpenAI's `input` as integer arrays). Only providers
   * that declare `embedsTokenIds` are sent such a request; they share the client's tokenizer.
   */
  tokens?: number[][];
  dimensions?: number;
  user?: string;
}

export interface EmbedResult {
  model: string;
  /** One vector per input, in input order. */
  embeddings: number[][];
  usage: Pick<Usage, 'inputTokens'>;
}
