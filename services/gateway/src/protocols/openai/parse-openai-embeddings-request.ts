import type { EmbedRequest } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { optionalNumber, optionalString, requireObject, requireString } from '../request-fields.js';

export type EmbeddingEncoding = 'float' | 'base64';

export interface ParsedOpenAIEmbeddingsRequest {
  request: EmbedRequest;
  /** How the vectors go back: JSON numbers, or base64 of little-endian float32 (the Node SDK's default). */
  encoding: EmbeddingEncoding;
}

/**
 * A `POST /v1/embeddings` body → the canonical embedding request. Token-id inputs are refused: the
 * providers behind nachos tokenize with their own vocabularies, so ids from OpenAI's would mean nothing.
 * @see https://platform.openai.com/docs/api-reference/embeddings/create
 */
export function parseOpenAIEmbeddingsRequest(raw: unknown): ParsedOpenAIEmbeddingsRequest {
  const body = requireObject(raw, 'body');
  const model = requireString(body, 'model');
  const input = readInput(body.input);
  const format = optionalString(body, 'encoding_format') ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw invalidRequest(`'encoding_format' must be float or base64; got ${JSON.stringify(format)}.`, 'encoding_format');
  }
  const dimensions = optionalNumber(body, 'dimensions', { min: 1, integer: true });
  const user = optionalString(body, 'user');
  return {
    request: { model, input, ...(dimensions === undefined ? {} : { dimensions }), ...(user ? { user } : {}) },
    encoding: format,
  };
}

function readInput(value: unknown): string[] {
  if (value === undefined || value === null) throw invalidRequest("'input' is required.", 'input');
  const list = Array.isArray(value) ? value : [value];
  if (list.some((item) => typeof item === 'number' || Array.isArray(item))) {
    throw invalidRequest("'input' as token ids is not supported: the providers behind nachos use their own tokenizers; send text.", 'input');
  }
  if (list.some((item) => typeof item !== 'string')) throw invalidRequest("'input' must be a string or a list of strings.", 'input');
  if (list.length === 0) throw invalidRequest("'input' must not be empty.", 'input', 'empty_array');
  if (list.some((item) => item === '')) throw invalidRequest("'input' must not contain empty strings.", 'input');
  return list as string[];
}
