import { embed, embedMany } from 'ai';
import { createOllama } from 'ollama-ai-provider-v2';
import type { FakeUpstream } from '@nachos/plugin-sdk/testing';
import { startFakeEmbeddingsUpstream } from '../helpers/fake-embeddings-upstream.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';

describe("Ollama /api/embed through both services (Vercel AI SDK's Ollama provider)", () => {
  let upstream: FakeUpstream;
  let services: RunningServices;

  beforeAll(async () => {
    upstream = await startFakeEmbeddingsUpstream();
    services = await startServices({
      LLM_PROXY_ENDPOINT_EMBEDDER_URL: `${upstream.url}/v1`,
      LLM_PROXY_ENDPOINT_EMBEDDER_MODELS: 'text-embed',
    });
  });

  afterAll(async () => {
    await services?.stop();
    await upstream?.close();
  });

  it('embeds many values in one call, the vectors in input order, the token count as usage', async () => {
    const ollama = createOllama({ baseURL: `${services.gatewayUrl}/api` });
    const { embeddings, usage } = await embedMany({ model: ollama.embedding('text-embed'), values: ['sunny day', 'rain'], maxRetries: 0 });
    expect(embeddings).toEqual([
      [9, 's'.codePointAt(0), 1],
      [4, 'r'.codePointAt(0), 1],
    ]);
    expect(usage.tokens).toBe(3);
    expect(upstream.requests.at(-1)!.json()).toMatchObject({ model: 'text-embed', input: ['sunny day', 'rain'] });
  });

  it('embeds one value, and the answer has every field Ollama sends', async () => {
    const ollama = createOllama({ baseURL: `${services.gatewayUrl}/api` });
    const { embedding } = await embed({ model: ollama.embedding('text-embed'), value: 'hello', maxRetries: 0 });
    expect(embedding).toEqual([5, 'h'.codePointAt(0), 1]);

    const raw = (await (
      await fetch(`${services.gatewayUrl}/api/embed`, { method: 'POST', body: JSON.stringify({ model: 'text-embed', input: 'hello', truncate: true, keep_alive: '5m' }) })
    ).json()) as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(['embeddings', 'load_duration', 'model', 'prompt_eval_count', 'total_duration']);
    expect(raw).toMatchObject({ model: 'text-embed', embeddings: [[5, 104, 1]], prompt_eval_count: 1 });
    expect(raw.total_duration).toBeGreaterThan(0);
    expect(raw.load_duration).toBeGreaterThan(0);
  });
});
