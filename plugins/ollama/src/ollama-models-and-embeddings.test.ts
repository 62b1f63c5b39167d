import { readFileSync } from 'node:fs';
import { isProviderPlugin, type PluginLogger, type Provider, ProviderError, Secret } from '@nachos/plugin-sdk';
import { type FakeUpstream, type FakeUpstreamHandler, respondWithJson, startFakeUpstream } from '@nachos/plugin-sdk/testing';
import plugin from './index.js';
import type { OllamaOptions } from './ollama-options.js';

const fixtures = new URL('../../../test/fixtures/protocols/ollama/', import.meta.url);
const fixtureJson = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as Record<string, unknown>;

const silentLogger: PluginLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const defaultOptions: OllamaOptions = { timeout_ms: 10_000, keep_alive: '', num_ctx: 0, fetch_image_urls: true, max_image_bytes: 1024, allow_private_image_urls: true };

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function serve(handler: FakeUpstreamHandler, options: Partial<OllamaOptions> = {}): Promise<Provider> {
  upstream = await startFakeUpstream(handler);
  return plugin.createProvider({
    endpoint: { id: 'local-ollama', baseUrl: upstream.url, apiKey: new Secret('hosted-key') },
    options: { ...defaultOptions, ...options },
    logger: silentLogger,
    fetch: globalThis.fetch,
  });
}

const call = () => ({ signal: new AbortController().signal });

describe('ollama plugin declaration', () => {
  it('is a keyless plugin turned on by OLLAMA_HOST, with the local default URL and a catalogue of local models', () => {
    expect(isProviderPlugin(plugin)).toBe(true);
    expect(plugin).toMatchObject({ id: 'ollama', defaultBaseUrl: 'http://127.0.0.1:11434', baseUrlEnv: 'OLLAMA_HOST', requiresApiKey: false });
    expect(plugin.apiKeyEnv).toBeUndefined();
    expect(plugin.catalogue.map((model) => model.id)).toEqual(['llama3.2', 'qwen3', 'gemma3', 'nomic-embed-text']);
    for (const model of plugin.catalogue) {
      expect(model.contextLength).toBeGreaterThan(0);
      expect(model.aliases?.every((alias) => alias.startsWith(`${model.id}:`))).toBe(true);
    }
    expect(plugin.catalogue.find((model) => model.id === 'nomic-embed-text')?.capabilities?.embeddings).toBe(true);
  });
});

describe('ollama embed', () => {
  it('posts the recorded embed request to /api/embed and returns one vector per input', async () => {
    const recorded = fixtureJson('embed.response.json');
    const provider = await serve((_request, response) => respondWithJson(response, 200, { ...recorded, prompt_eval_count: 12 }), { keep_alive: '5m', num_ctx: 4096 });
    const result = await provider.embed!({ model: 'all-minilm', input: ['Why is the sky blue?', 'Why is the grass green?'] }, call());
    expect(result).toEqual({ model: 'all-minilm', embeddings: recorded['embeddings'], usage: { inputTokens: 12 } });
    const [sent] = upstream!.requests;
    expect(sent?.url).toBe('/api/embed');
    expect(sent?.headers['authorization']).toBe('Bearer hosted-key');
    expect(sent?.json()).toEqual({ ...fixtureJson('embed.request.json'), keep_alive: '5m', options: { num_ctx: 4096 } });
  });

  it('passes dimensions and fails with kind internal when the vectors do not match the inputs', async () => {
    const provider = await serve((_request, response) => respondWithJson(response, 200, { model: 'm', embeddings: [[0.1, 0.2]] }));
    const failure = await provider.embed!({ model: 'm', input: ['a', 'b'], dimensions: 2 }, call()).catch((error: unknown) => error);
    expect(ProviderError.isInstance(failure) && failure.kind).toBe('internal');
    expect(upstream!.requests[0]?.json()).toMatchObject({ dimensions: 2 });
  });

  it('maps a missing embedding model to not_found', async () => {
    const provider = await serve((_request, response) => respondWithJson(response, 404, { error: 'model "nomic-embed-text" not found, try pulling it first' }));
    const failure = await provider.embed!({ model: 'nomic-embed-text', input: ['a'] }, call()).catch((error: unknown) => error);
    expect(ProviderError.isInstance(failure) && failure.kind).toBe('not_found');
  });
});

describe('ollama listModels', () => {
  it('reads the recorded /api/tags list; capabilities stay unknown when the server does not list them', async () => {
    const provider = await serve((_request, response) => respondWithJson(response, 200, fixtureJson('tags.response.json')));
    await expect(provider.listModels!(call())).resolves.toEqual([{ id: 'gemma4', created: Math.floor(Date.parse('2025-10-03T23:34:03.409490317-07:00') / 1000) }]);
    expect(upstream!.requests[0]).toMatchObject({ method: 'GET', url: '/api/tags' });
  });

  it('drops the implicit :latest tag from ids, keeping it as an alias, and reads listed capabilities', async () => {
    const provider = await serve((_request, response) =>
      respondWithJson(response, 200, {
        models: [
          { name: 'qwen3:latest', model: 'qwen3:latest', capabilities: ['completion', 'tools', 'thinking'] },
          { name: 'llava:13b', model: 'llava:13b', capabilities: ['completion', 'vision'] },
          { name: '', model: '' },
        ],
      }),
    );
    await expect(provider.listModels!(call())).resolves.toEqual([
      { id: 'qwen3', aliases: ['qwen3:latest'], capabilities: { tools: true, vision: false, reasoning: true, embeddings: false } },
      { id: 'llava:13b', capabilities: { tools: false, vision: true, reasoning: false, embeddings: false } },
    ]);
  });

  it('fails with kind internal on a body without a models array', async () => {
    const provider = await serve((_request, response) => respondWithJson(response, 200, { data: [] }));
    const failure = await provider.listModels!(call()).catch((error: unknown) => error);
    expect(ProviderError.isInstance(failure) && failure.kind).toBe('internal');
  });
});
