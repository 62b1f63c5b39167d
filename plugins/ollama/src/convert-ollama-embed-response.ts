import { type EmbedResult, isRecord, ProviderError } from '@nachos/plugin-sdk';

/**
 * Reads `POST /api/embed` (`{model, embeddings: [[…]], prompt_eval_count}`) into canonical vectors,
 * one per input in input order, as Ollama returns them.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-embeddings
 */
export function convertOllamaEmbedResponse(response: unknown, expectedCount: number, fallbackModel: string, providerId: string): EmbedResult {
  const fail = (problem: string): never => {
    throw new ProviderError({ kind: 'internal', message: `upstream embeddings response ${problem}`, providerId });
  };
  if (!isRecord(response) || !Array.isArray(response['embeddings'])) {
    return fail('has no embeddings array');
  }
  const embeddings = (response['embeddings'] as unknown[]).map((vector, index) =>
    Array.isArray(vector) && vector.every((value) => typeof value === 'number') ? (vector as number[]) : fail(`has no vector at index ${index}`),
  );
  if (embeddings.length !== expectedCount) {
    fail(`has ${embeddings.length} vectors for ${expectedCount} inputs`);
  }
  const promptTokens = response['prompt_eval_count'];
  return {
    model: typeof response['model'] === 'string' && response['model'] !== '' ? response['model'] : fallbackModel,
    embeddings,
    usage: { inputTokens: typeof promptTokens === 'number' && promptTokens >= 0 ? promptTokens : 0 },
  };
}
