import OpenAI from 'openai';
import type { FakeUpstream } from '@nachos/plugin-sdk/testing';
import { startFakeEmbeddingsUpstream } from '../helpers/fake-embeddings-upstream.js';
import { startFakeOllamaUpstream } from '../helpers/fake-ollama-upstream.js';
import type { FakeProviderUpstream } from '../helpers/recorded-answers.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

describe('embeddings from token ids (official openai SDK)', () => {
  let embedder: FakeUpstream;
  let ollama: FakeProviderUpstream;
  let services: RunningServices;
  let client: OpenAI;

  beforeAll(async () => {
    embedder = await startFakeEmbeddingsUpstream();
    ollama = await startFakeOllamaUpstream([]);
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile(`
[endpoints.embedder]
provider = "openai-compatible"
base_url = "${embedder.url}/v1"
models = ["text-embed"]

[endpoints.local]
provider = "ollama"
base_url = "${ollama.url}"
models = ["nomic-embed-text"]
`),
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
    client = new OpenAI({ baseURL: `${services.gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await services?.stop();
    await ollama?.close();
    await embedder?.close();
  });

  it('passes token ids through to an OpenAI-style provider, one list or several, and answers in order', async () => {
    const many = await client.embeddings.create({ model: 'text-embed', input: [[9906, 1917], [15339]], encoding_format: 'float' });
    expect(many.data.map((item) => item.embedding)).toEqual([
      [2, 9906, 1],
      [1, 15339, 1],
    ]);
    expect(many.usage).toMatchObject({ prompt_tokens: 3, total_tokens: 3 });
    expect(embedder.requests.at(-1)!.json()).toMatchObject({ model: 'text-embed', input: [[9906, 1917], [15339]] });

    // The SDK's default (base64) answer, decoded by the SDK itself.
    const one = await client.embeddings.create({ model: 'text-embed', input: [9906, 1917, 0] });
    expect(one.data).toHaveLength(1);
    expect(one.data[0]!.embedding).toEqual([3, 9906, 1]);
    expect(embedder.requests.at(-1)!.json()).toMatchObject({ input: [[9906, 1917, 0]] });
  });

  it('refuses token ids with a 400 naming the limitation for a provider with its own tokenizer, without an upstream call', async () => {
    const error = await client.embeddings.create({ model: 'nomic-embed-text', input: [[9906, 1917]] }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain('takes no token ids');
    expect(ollama.requests).toHaveLength(0);
  });
});
