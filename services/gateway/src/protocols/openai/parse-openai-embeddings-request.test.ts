import { readFileSync } from 'node:fs';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseOpenAIEmbeddingsRequest } from './parse-openai-embeddings-request.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../../../test/fixtures/protocols/openai-embeddings/${name}`, import.meta.url), 'utf8'));
}

function rejection(body: unknown): { param: string | undefined; message: string } {
  try {
    parseOpenAIEmbeddingsRequest(body);
  } catch (error) {
    if (error instanceof GatewayError && error.kind === 'invalid_request') return { param: error.param, message: error.message };
    throw error;
  }
  throw new Error('expected the body to be refused');
}

describe('parseOpenAIEmbeddingsRequest', () => {
  it('maps the recorded requests: one string, float or base64, with dimensions', () => {
    expect(parseOpenAIEmbeddingsRequest(fixture('embeddings-float.request.json'))).toEqual({
      request: { model: 'text-embedding-3-small', input: ['How do I reset my password?'] },
      encoding: 'float',
    });
    expect(parseOpenAIEmbeddingsRequest(fixture('embeddings-base64.request.json'))).toEqual({
      request: { model: 'text-embedding-3-small', input: ['Generate embeddings with specific dimensions'], dimensions: 256 },
      encoding: 'base64',
    });
  });

  it('takes a list of strings in order, the user, and float as the default encoding', () => {
    expect(parseOpenAIEmbeddingsRequest({ model: 'm', input: ['a', 'b'], user: 'u' })).toEqual({
      request: { model: 'm', input: ['a', 'b'], user: 'u' },
      encoding: 'float',
    });
  });

  it('carries token ids, one list or a list of lists, as they are', () => {
    expect(parseOpenAIEmbeddingsRequest({ model: 'm', input: [102257, 3] }).request).toEqual({ model: 'm', input: [], tokens: [[102257, 3]] });
    expect(parseOpenAIEmbeddingsRequest({ model: 'm', input: [[1, 2], [3]] }).request).toEqual({ model: 'm', input: [], tokens: [[1, 2], [3]] });
  });

  it('refuses the recorded bad request (as OpenAI did, for its dimensions), and malformed token ids, empty input and bad formats, naming the field', () => {
    expect(rejection(fixture('error-400.request.json'))).toMatchObject({ param: 'dimensions', message: expect.stringContaining('at least 1') });
    expect(rejection({ model: 'm', input: [[1, 2], 'x'] })).toMatchObject({ param: 'input' });
    expect(rejection({ model: 'm', input: [[]] })).toMatchObject({ param: 'input' });
    expect(rejection({ model: 'm', input: [1.5] })).toMatchObject({ param: 'input' });
    expect(rejection({ model: 'm', input: [-1] })).toMatchObject({ param: 'input' });
    expect(rejection({ model: 'm', input: [] })).toMatchObject({ param: 'input' });
    expect(rejection({ model: 'm', input: ['ok', ''] })).toMatchObject({ param: 'input' });
    expect(rejection({ model: 'm' })).toMatchObject({ param: 'input' });
    expect(rejection({ model: 'm', input: 'x', encoding_format: 'invalid_format' })).toMatchObject({ param: 'encoding_format' });
    expect(rejection({ model: 'm', input: 'x', dimensions: -1 })).toMatchObject({ param: 'dimensions', message: expect.stringContaining('at least 1') });
  });
});
