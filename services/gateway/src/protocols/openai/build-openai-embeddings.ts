import type { CanonicalEmbedResponse } from '@nachos/proto';
import { encodeFloat32Base64 } from './encode-float32-base64.js';
import type { EmbeddingEncoding } from './parse-openai-embeddings-request.js';

/**
 * llm-proxy's embeddings → OpenAI's list object, one `embedding` per input in input order, each as
 * numbers or as base64 float32 as the client asked.
 * @see https://platform.openai.com/docs/api-reference/embeddings/object
 */
export function buildOpenAIEmbeddings(response: CanonicalEmbedResponse, encoding: EmbeddingEncoding, requestedModel: string) {
  return {
    object: 'list',
    data: response.embeddings.map((values, index) => ({
      object: 'embedding',
      index,
      embedding: encoding === 'base64' ? encodeFloat32Base64(values) : values,
    })),
    model: response.model || requestedModel,
    usage: { prompt_tokens: response.inputTokens, total_tokens: response.inputTokens },
  };
}
