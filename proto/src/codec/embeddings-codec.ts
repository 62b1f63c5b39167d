import { create } from '@bufbuild/protobuf';
import type { EmbedRequest as CanonicalEmbedRequest } from '@nachos/plugin-sdk';
import {
  EmbedRequestSchema,
  EmbedResponseSchema,
  type EmbedRequest,
  type EmbedResponse,
} from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import { omitUndefined } from './omit-undefined.js';

/**
 * What llm-proxy answers to an embedding request: the plugin's `EmbedResult`, flattened, plus which
 * provider and endpoint served it (the gateway meters and labels by them). Named apart from the
 * generated `EmbedResponse` message it converts to.
 */
export interface CanonicalEmbedResponse {
  model: string;
  /** One vector per input, in input order. Travels as float32, so values round to single precision. */
  embeddings: number[][];
  inputTokens: number;
  provider: string;
  endpoint: string;
}

export function toProtoEmbedRequest(request: CanonicalEmbedRequest): EmbedRequest {
  return create(EmbedRequestSchema, {
    model: request.model,
    input: request.input,
    dimensions: request.dimensions,
    user: request.user,
    tokens: request.tokens?.map((ids) => ({ ids })),
  });
}

export function fromProtoEmbedRequest(request: EmbedRequest): CanonicalEmbedRequest {
  return omitUndefined({
    model: request.model,
    input: [...request.input],
    dimensions: request.dimensions,
    user: request.user,
    tokens: request.tokens.length > 0 ? request.tokens.map((list) => [...list.ids]) : undefined,
  });
}

export function toProtoEmbedResponse(response: CanonicalEmbedResponse): EmbedResponse {
  return create(EmbedResponseSchema, {
    model: response.model,
    embeddings: response.embeddings.map((values) => ({ values })),
    inputTokens: response.inputTokens,
    provider: response.provider,
    endpoint: response.endpoint,
  });
}

export function fromProtoEmbedResponse(response: EmbedResponse): CanonicalEmbedResponse {
  return {
    model: response.model,
    embeddings: response.embeddings.map((embedding) => [...embedding.values]),
    inputTokens: response.inputTokens,
    provider: response.provider,
    endpoint: response.endpoint,
  };
}
