import { readFileSync } from 'node:fs';
import { buildOpenAIEmbeddings } from './build-openai-embeddings.js';

function fixture<Body>(name: string): Body {
  return JSON.parse(readFileSync(new URL(`../../../../../test/fixtures/protocols/openai-embeddings/${name}`, import.meta.url), 'utf8')) as Body;
}

interface EmbeddingsBody {
  data: Array<{ embedding: number[] | string; index: number; object: string }>;
  model: string;
  object: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/** How the OpenAI SDKs read a base64 embedding: little-endian float32. */
function decode(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  return Array.from({ length: bytes.length / 4 }, (_, index) => bytes.readFloatLE(index * 4));
}

describe('buildOpenAIEmbeddings', () => {
  it('encodes base64 exactly as OpenAI did in the recorded response', () => {
    const recorded = fixture<EmbeddingsBody>('embeddings-base64.response.json');
    const vector = decode(recorded.data[0]!.embedding as string);
    expect(vector).toHaveLength(256);
    const body = buildOpenAIEmbeddings(
      { model: recorded.model, embeddings: [vector], inputTokens: recorded.usage.prompt_tokens, provider: 'p', endpoint: 'e' },
      'base64',
      'text-embedding-3-small',
    );
    expect(body).toEqual(recorded);
  });

  it('builds the recorded float response, one entry per input in order', () => {
    const recorded = fixture<EmbeddingsBody>('embeddings-float.response.json');
    const body = buildOpenAIEmbeddings(
      { model: recorded.model, embeddings: [recorded.data[0]!.embedding as number[]], inputTokens: recorded.usage.prompt_tokens, provider: 'p', endpoint: 'e' },
      'float',
      'text-embedding-3-small',
    );
    expect(body).toEqual(recorded);
    const two = buildOpenAIEmbeddings({ model: '', embeddings: [[1], [2]], inputTokens: 2, provider: 'p', endpoint: 'e' }, 'float', 'asked-for');
    expect(two.data.map((entry) => [entry.index, entry.embedding])).toEqual([[0, [1]], [1, [2]]]);
    expect(two.model).toBe('asked-for');
  });
});
