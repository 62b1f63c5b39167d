import type { EmbedRequest } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { optionalNumber, optionalString, requireObject } from '../request-fields.js';
import { requireOllamaModel } from './read-ollama-model-field.js';

/**
 * `POST /api/embed` → the canonical embed request: `input` is one string or a list. `truncate`,
 * `keep_alive` and `options` are accepted and ignored (providers truncate or refuse on their own terms).
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-embeddings
 */
export function parseOllamaEmbedRequest(raw: unknown): EmbedRequest {
  const body = requireObject(raw, 'body');
  const model = requireOllamaModel(body);
  const input = body.input;
  const list = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    throw invalidRequest("'input' must be a string or a list of strings.", 'input');
  }
  const dimensions = optionalNumber(body, 'dimensions', { min: 1, integer: true });
  return { model, input: list as string[], ...(dimensions === undefined ? {} : { dimensions }) };
}

/**
 * The legacy `POST /api/embeddings {model, prompt}` → an embed request of at most one input (an empty
 * prompt asks for nothing, and Ollama answers it with an empty vector).
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-embedding
 */
export function parseOllamaLegacyEmbeddingsRequest(raw: unknown): EmbedRequest {
  const body = requireObject(raw, 'body');
  const model = requireOllamaModel(body);
  const prompt = optionalString(body, 'prompt') ?? '';
  return { model, input: prompt === '' ? [] : [prompt] };
}

