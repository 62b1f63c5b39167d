import type { EmbedResult } from './embed-request.js';
import { ProviderError } from './provider-error.js';
import { isRecord } from './is-record.js';

/**
 * Reads an OpenAI `/embeddings` response into canonical vectors, in input order (the `index` field,
 * not array position, decides). We ask for floats, but a host that answers in base64 anyway
 * (little-endian float32, OpenAI's format) is decoded rather than refused.
 *
 * @see https://platform.openai.com/docs/api-reference/embeddings/object
 */
export function convertOpenAIEmbeddingsResponse(
  response: unknown,
  expectedCount: number,
  fallbackModel: string,
  providerId?: string,
): EmbedResult {
  const fail = (problem: string): never => {
    throw new ProviderError({ kind: 'internal', message: `upstream embeddings response ${problem}`, providerId });
  };
  if (!isRecord(response) || !Array.isArray(response['data'])) {
    return fail('has no data array');
  }
  const entries = (response['data'] as unknown[]).map((entry, position) => {
    if (!isRecord(entry)) {
      return fail('has an entry that is not an object');
    }
    const index = typeof entry['index'] === 'number' ? entry['index'] : position;
    return { index, vector: readVector(entry['embedding']) ?? fail(`has no vector at index ${index}`) };
  });
  if (entries.length !== expectedCount) {
    fail(`has ${entries.length} vectors for ${expectedCount} inputs`);
  }
  entries.sort((left, right) => left.index - right.index);
  const usage = isRecord(response['usage']) ? response['usage'] : {};
  return {
    model: typeof response['model'] === 'string' && response['model'] !== '' ? response['model'] : fallbackModel,
    embeddings: entries.map((entry) => entry.vector),
    usage: { inputTokens: typeof usage['prompt_tokens'] === 'number' ? usage['prompt_tokens'] : 0 },
  };
}

function readVector(value: unknown): number[] | undefined {
  if (Array.isArray(value) && value.every((item) => typeof item === 'number')) {
    return value as number[];
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'base64');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: Math.floor(bytes.byteLength / 4) }, (_, position) => view.getFloat32(position * 4, true));
  }
  return undefined;
}
