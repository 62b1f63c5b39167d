import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type { EmbedRequest } from '@nachos/plugin-sdk';
import { EmbedRequestSchema, EmbedResponseSchema, EmbeddingSchema } from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import {
  fromProtoEmbedRequest,
  fromProtoEmbedResponse,
  toProtoEmbedRequest,
  toProtoEmbedResponse,
  type CanonicalEmbedResponse,
} from './embeddings-codec.js';

function requestThroughTheWire(request: EmbedRequest): EmbedRequest {
  return fromProtoEmbedRequest(fromBinary(EmbedRequestSchema, toBinary(EmbedRequestSchema, toProtoEmbedRequest(request))));
}

function responseThroughTheWire(response: CanonicalEmbedResponse): CanonicalEmbedResponse {
  return fromProtoEmbedResponse(
    fromBinary(EmbedResponseSchema, toBinary(EmbedResponseSchema, toProtoEmbedResponse(response))),
  );
}

describe('embeddings codec', () => {
  it('keeps every field of a request across the wire', () => {
    const request: EmbedRequest = {
      model: 'text-embedding-3-small',
      input: ['first', 'second', ''],
      dimensions: 256,
      user: 'user-1',
    };
    expect(requestThroughTheWire(request)).toStrictEqual(request);
  });

  it('keeps the optional fields of a request absent', () => {
    const request: EmbedRequest = { model: 'nomic-embed-text', input: ['only'] };
    expect(requestThroughTheWire(request)).toStrictEqual(request);
  });

  it('keeps every field of a response, with vectors in input order', () => {
    // Values a float32 holds exactly, so equality is exact.
    const response: CanonicalEmbedResponse = {
      model: 'text-embedding-3-small',
      embeddings: [
        [0.5, -0.25, 0, 1, -1, 3.0517578125e-5],
        [0.125, 0.75, -0.0625, 2, 0.5, 0],
        [],
      ],
      inputTokens: 12,
      provider: 'openai',
      endpoint: 'openai',
    };
    expect(responseThroughTheWire(response)).toStrictEqual(response);
  });

  it('sends vectors as float32, rounding to single precision', () => {
    const response: CanonicalEmbedResponse = {
      model: 'm',
      embeddings: [[0.1, -0.3, Math.PI]],
      inputTokens: 1,
      provider: 'p',
      endpoint: 'e',
    };
    const values = [0.1, -0.3, Math.PI].map(Math.fround);
    expect(responseThroughTheWire(response)).toStrictEqual({ ...response, embeddings: [values] });
    const [embedding] = toProtoEmbedResponse(response).embeddings;
    // One tag byte, one length byte, then 4 bytes per value (packed float32), not 8 (double).
    expect(toBinary(EmbeddingSchema, embedding!).byteLength).toBe(2 + 3 * 4);
  });
});
