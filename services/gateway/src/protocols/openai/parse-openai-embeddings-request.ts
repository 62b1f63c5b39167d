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
 * A `POST /v1/embeddings` body → the canonical embedding request. Token ids (a list of integers, or a
 * list of such lists, as LangChain sends by default) are carried as they are; llm-proxy sends them only
 * to providers that share OpenAI's tokenizer and refuses them for the rest.
 * @see https://platform.openai.com/docs/api-reference/embeddings/create
 */
export function parseOpenAIEmbeddingsRequest(raw: unknown): ParsedOpenAIEmbeddingsRequest {
  const body = requireObject(raw, 'body');
  const model = requireString(body, 'model');
  const { input, tokens } = readInput(body.input);
  // Checked before the format, as OpenAI does (its recorded answer to a request wrong in both names this).
  const dimensions = optionalNumber(body, 'dimensions', { min: 1, integer: true });
  const format = optionalString(body, 'encoding_format') ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw invalidRequest(`'encoding_format' must be float or base64; got ${JSON.stringify(format)}.`, 'encoding_format');
  }
  const user = optionalString(body, 'user');
  return {
    request: { model, input, ...(tokens ? { tokens } : {}), ...(dimensions === undefined ? {} : { dimensions }), ...(user ? { user } : {}) },
    encoding: format,
  };
}

function readInput(value: unknown): { input: string[]; tokens?: number[][] } {
  if (value === undefined || value === null) throw invalidRequest("'input' is required.", 'input');
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw invalidRequest("'input' must not be empty.", 'input', 'empty_array');
  if (list.every((item) => typeof item === 'number')) return { input: [], tokens: [readTokenIds(list)] };
  if (list.every((item) => Array.isArray(item))) return { input: [], tokens: list.map((item) => readTokenIds(item as unknown[])) };
  if (list.some((item) => typeof item !== 'string')) {
    throw invalidRequest("'input' must be a string, a list of strings, a list of token ids or a list of such lists.", 'input');
  }
  if (list.some((item) => item === '')) throw invalidRequest("'input' must not contain empty strings.", 'input');
  return { input: list as string[] };
}

function readTokenIds(ids: unknown[]): number[] {
  if (ids.length === 0) throw invalidRequest("'input' must not contain an empty list of token ids.", 'input');
  if (ids.some((id) => typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 2_147_483_647)) {
    throw invalidRequest("'input' token ids must be non-negative integers.", 'input');
  }
  return ids as number[];
}
