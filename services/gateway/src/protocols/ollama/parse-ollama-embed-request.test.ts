import { readFileSync } from 'node:fs';
import { parseOllamaEmbedRequest, parseOllamaLegacyEmbeddingsRequest } from './parse-ollama-embed-request.js';

const FIXTURES = new URL('../../../../../test/fixtures/protocols/ollama/', import.meta.url);

describe('Ollama embedding requests', () => {
  it('reads a list of inputs, or one string, with the optional dimensions', () => {
    const body = JSON.parse(readFileSync(new URL('embed.request.json', FIXTURES), 'utf8')) as unknown;
    expect(parseOllamaEmbedRequest(body)).toEqual({ model: 'all-minilm', input: ['Why is the sky blue?', 'Why is the grass green?'] });
    expect(parseOllamaEmbedRequest({ model: 'm', input: 'one', dimensions: 64, truncate: true, keep_alive: '1m' })).toEqual({ model: 'm', input: ['one'], dimensions: 64 });
  });

  it('reads the legacy prompt as at most one input', () => {
    expect(parseOllamaLegacyEmbeddingsRequest({ model: 'm', prompt: 'hello' })).toEqual({ model: 'm', input: ['hello'] });
    expect(parseOllamaLegacyEmbeddingsRequest({ model: 'm', prompt: '' })).toEqual({ model: 'm', input: [] });
  });

  it.each([
    [{ input: 'x' }, 'model'],
    [{ model: ' ', input: 'x' }, 'model'],
    [{ model: 'm' }, 'input'],
    [{ model: 'm', input: ['a', 2] }, 'input'],
    [{ model: 'm', input: 'a', dimensions: 0 }, 'dimensions'],
  ])('refuses %j naming %s', (body, param) => {
    expect(() => parseOllamaEmbedRequest(body)).toThrow(expect.objectContaining({ kind: 'invalid_request', param }));
  });
});
