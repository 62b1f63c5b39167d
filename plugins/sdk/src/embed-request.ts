import type { Usage } from './stream-event.js';

export interface EmbedRequest {
  model: string;
  input: string[];
  dimensions?: number;
  user?: string;
}

export interface EmbedResult {
  model: string;
  /** One vector per input, in input order. */
  embeddings: number[][];
  usage: Pick<Usage, 'inputTokens'>;
}
