import { respondWithJson, startFakeUpstream, type FakeUpstream } from '@nachos/plugin-sdk/testing';

/**
 * An OpenAI-style `POST /v1/embeddings` host. Each input (a string or a list of token ids) gets a
 * 3-dimensional vector derived from it, so a test can tell the vectors apart and check their order;
 * usage counts one token per word or per token id. Every request is recorded for the test to inspect.
 */
export async function startFakeEmbeddingsUpstream(): Promise<FakeUpstream> {
  return startFakeUpstream((request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
      return respondWithJson(response, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
    }
    const body = request.json() as { model: string; input: string | string[] | number[] | number[][] };
    const inputs = listInputs(body.input);
    const tokens = inputs.reduce((sum, input) => sum + (typeof input === 'string' ? input.split(/\s+/).length : input.length), 0);
    return respondWithJson(response, 200, {
      object: 'list',
      data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: vectorOf(input) })),
      model: body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  });
}

function listInputs(input: string | string[] | number[] | number[][]): Array<string | number[]> {
  if (typeof input === 'string') return [input];
  if (input.length > 0 && typeof input[0] === 'number') return [input as number[]];
  return input as Array<string | number[]>;
}

/** A vector that differs per input: its length, its first code point or token, and 1. */
function vectorOf(input: string | number[]): number[] {
  const first = typeof input === 'string' ? (input.codePointAt(0) ?? 0) : (input[0] ?? 0);
  return [input.length, first, 1];
}
